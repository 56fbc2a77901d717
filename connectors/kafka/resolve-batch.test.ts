import { describe, expect, it } from 'vitest';
import type { BatchRecord } from '../../contracts/batch.ts';
import type { InvokeOutcome } from './invoke-outcome.ts';
import { resolveBatch, type ResolveDeps, type ResolveEvent, type Verdict } from './resolve-batch.ts';

function records(count: number): BatchRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    topic: 't',
    partition: 0,
    offset: String(i),
    key: `k${i}`,
    value: { n: i },
  }));
}

interface FakeOptions {
  /** Offsets whose presence makes a batch fail (the function throws). */
  poison?: Set<string>;
  /** True while the function does not answer at all (empty batches fail too). */
  down?: () => boolean;
  /** True while every non-empty batch fails but empty ones succeed (its database is down). */
  downstreamDown?: () => boolean;
  /** The first N calls fail (a replica died under them). */
  flakyCalls?: number;
}

/**
 * A fake function on a fake clock: echoes records, rejects every n % 10 === 7, fails as told.
 * It keeps `lastSuccessAt` the way the worker does: the time of the last non-empty success.
 */
function fakeFunction(options: FakeOptions = {}) {
  let clock = 0;
  let calls = 0;
  let lastSuccessAt: number | undefined;
  const tick = () => ++clock;
  const invoke = async (batch: BatchRecord[]): Promise<InvokeOutcome> => {
    calls += 1;
    tick();
    if (options.down?.()) return { kind: 'failed', reason: 'function answered 502: no replica' };
    if (options.flakyCalls !== undefined && calls <= options.flakyCalls)
      return { kind: 'failed', reason: 'connection reset' };
    if (batch.length > 0 && options.downstreamDown?.())
      return { kind: 'failed', reason: 'function answered 500: database unavailable' };
    if (batch.some((record) => options.poison?.has(record.offset)))
      return { kind: 'failed', reason: 'function answered 500: boom' };
    if (batch.length > 0) lastSuccessAt = tick();
    return {
      kind: 'ok',
      results: batch.map((record) =>
        (record.value as { n: number }).n % 10 === 7
          ? { status: 'rejected', reason: 'seven is invalid' }
          : { status: 'ok', outputs: [{ key: record.key, value: record.value }] },
      ),
    };
  };
  const probe = async () => (await invoke([])).kind === 'ok';
  return { invoke, probe, now: tick, lastSuccessAt: () => lastSuccessAt, calls: () => calls };
}

function deps(fn: ReturnType<typeof fakeFunction>, extra: Partial<ResolveDeps> = {}) {
  const events: ResolveEvent[] = [];
  const slept: number[] = [];
  const resolved: ResolveDeps = {
    invoke: fn.invoke,
    probe: fn.probe,
    lastSuccessAt: fn.lastSuccessAt,
    now: fn.now,
    sleep: async (ms) => void slept.push(ms),
    policy: { initialDelayMs: 10, maxDelayMs: 100, factor: 2, jitter: 0 },
    attemptsBeforeSplit: 2,
    onEvent: (event) => events.push(event),
    ...extra,
  };
  return { resolved, events, slept };
}

const poisonIndexes = (verdicts: Verdict[]) =>
  verdicts.flatMap((v, i) => (v.status === 'rejected' && v.by === 'poison' ? [i] : []));

describe('resolveBatch', () => {
  it('returns one verdict per record in order, with the function rejections', async () => {
    const fn = fakeFunction();
    const verdicts = await resolveBatch(records(20), deps(fn).resolved);
    expect(verdicts).toHaveLength(20);
    expect(verdicts[7]).toEqual({ status: 'rejected', reason: 'seven is invalid', by: 'function' });
    expect(verdicts[3]).toEqual({ status: 'ok', outputs: [{ key: 'k3', value: { n: 3 } }] });
    expect(fn.calls()).toBe(1);
  });

  it('retries a transient failure without splitting', async () => {
    const fn = fakeFunction({ flakyCalls: 1 });
    const { resolved, events, slept } = deps(fn);
    const verdicts = await resolveBatch(records(8), resolved);
    expect(poisonIndexes(verdicts)).toEqual([]);
    expect(events.map((e) => e.type)).toEqual(['retry']);
    expect(slept).toEqual([10]);
  });

  it.each([
    ['in the middle', ['5', '12', '13']],
    ['first', ['0']],
    ['last', ['31']],
    ['first and last', ['0', '31']],
  ])(
    'isolates poison records %s by bisection and lets every other record through',
    async (_where, offsets) => {
      const fn = fakeFunction({ poison: new Set(offsets) });
      const { resolved, events } = deps(fn);
      const verdicts = await resolveBatch(records(32), resolved);
      expect(poisonIndexes(verdicts).map(String)).toEqual(offsets);
      const rejectedByFunction = [7, 17, 27].filter((i) => !offsets.includes(String(i))).length;
      expect(verdicts.filter((v) => v.status === 'ok')).toHaveLength(
        32 - offsets.length - rejectedByFunction,
      );
      expect(verdicts[Number(offsets[0])]).toMatchObject({ reason: 'function answered 500: boom' });
      expect(
        events
          .filter((e) => e.type === 'poison')
          .map((e) => e.at.firstOffset)
          .sort(),
      ).toEqual([...offsets].sort());
    },
  );

  it('waits instead of splitting while the function does not answer at all, then finishes whole', async () => {
    let up = false;
    let probes = 0;
    const fn = fakeFunction({ down: () => !up });
    const probe = async () => {
      probes += 1;
      if (probes >= 4) up = true;
      return fn.probe();
    };
    const { resolved, events } = deps(fn, { probe });
    const verdicts = await resolveBatch(records(16), resolved);
    expect(poisonIndexes(verdicts)).toEqual([]);
    expect(verdicts.filter((v) => v.status === 'ok')).toHaveLength(15);
    expect(events.some((e) => e.type === 'split')).toBe(false);
    expect(events.filter((e) => e.type === 'unhealthy')).toHaveLength(3);
  });

  it('rejects nothing while what the function writes to is down, and delivers everything once it is back', async () => {
    let failing = 40;
    const fn = fakeFunction({ downstreamDown: () => failing-- > 0 });
    const { resolved, events } = deps(fn);
    const verdicts = await resolveBatch(records(64), resolved);
    expect(poisonIndexes(verdicts)).toEqual([]);
    expect(verdicts.filter((v) => v.status === 'ok')).toHaveLength(64 - 6);
    expect(events.some((e) => e.type === 'waiting')).toBe(true);
    // While nothing works, the batch is not ground down to single records.
    expect(fn.calls()).toBeLessThan(120);
  });

  it('still isolates a poison record after an outage', async () => {
    let up = false;
    let probes = 0;
    const fn = fakeFunction({ down: () => !up, poison: new Set(['3']) });
    const probe = async () => {
      probes += 1;
      if (probes >= 2) up = true;
      return fn.probe();
    };
    const verdicts = await resolveBatch(records(8), deps(fn, { probe }).resolved);
    expect(poisonIndexes(verdicts)).toEqual([3]);
  });

  it('rejects a single record the function refuses with a 4xx at once', async () => {
    const fn = fakeFunction();
    const { resolved } = deps(fn, {
      invoke: async () => ({ kind: 'rejected', reason: 'function answered 400: nope' }),
    });
    expect(await resolveBatch(records(1), resolved)).toEqual([
      { status: 'rejected', reason: 'function answered 400: nope', by: 'function' },
    ]);
  });

  it('does nothing for an empty batch', async () => {
    const fn = fakeFunction();
    expect(await resolveBatch([], deps(fn).resolved)).toEqual([]);
    expect(fn.calls()).toBe(0);
  });
});
