import { describe, expect, it } from 'vitest';
import type { BatchRecord } from '../../contracts/batch.ts';
import type { InvokeOutcome } from './invoke-outcome.ts';
import { resolveBatch, type ResolveDeps, type ResolveEvent } from './resolve-batch.ts';

function records(count: number): BatchRecord[] {
  return Array.from({ length: count }, (_, i) => ({ topic: 't', partition: 0, offset: String(i), key: `k${i}`, value: { n: i } }));
}

/** A fake function: fails any batch holding a poison offset, rejects odd `reject` values, echoes the rest. */
function fakeFunction(options: { poison?: Set<string>; down?: () => boolean; flakyCalls?: number } = {}) {
  let calls = 0;
  const invoke = async (batch: BatchRecord[]): Promise<InvokeOutcome> => {
    calls += 1;
    if (options.down?.()) return { kind: 'failed', reason: 'function answered 502: no replica' };
    if (options.flakyCalls !== undefined && calls <= options.flakyCalls) return { kind: 'failed', reason: 'connection reset' };
    if (batch.some((record) => options.poison?.has(record.offset))) return { kind: 'failed', reason: 'function answered 500: boom' };
    return {
      kind: 'ok',
      results: batch.map((record) =>
        (record.value as { n: number }).n % 10 === 7 ? { status: 'rejected', reason: 'seven is invalid' } : { status: 'ok', outputs: [{ key: record.key, value: record.value }] },
      ),
    };
  };
  return { invoke, calls: () => calls };
}

function deps(invoke: ResolveDeps['invoke'], extra: Partial<ResolveDeps> = {}) {
  const events: ResolveEvent[] = [];
  const slept: number[] = [];
  const resolved: ResolveDeps = {
    invoke,
    probe: async () => true,
    sleep: async (ms) => void slept.push(ms),
    policy: { initialDelayMs: 10, maxDelayMs: 100, factor: 2, jitter: 0 },
    attemptsBeforeSplit: 2,
    onEvent: (event) => events.push(event),
    ...extra,
  };
  return { resolved, events, slept };
}

describe('resolveBatch', () => {
  it('returns one verdict per record in order, with the function rejections', async () => {
    const fn = fakeFunction();
    const verdicts = await resolveBatch(records(20), deps(fn.invoke).resolved);
    expect(verdicts).toHaveLength(20);
    expect(verdicts[7]).toEqual({ status: 'rejected', reason: 'seven is invalid', by: 'function' });
    expect(verdicts[3]).toEqual({ status: 'ok', outputs: [{ key: 'k3', value: { n: 3 } }] });
    expect(fn.calls()).toBe(1);
  });

  it('retries a transient failure without splitting', async () => {
    const fn = fakeFunction({ flakyCalls: 1 });
    const { resolved, events, slept } = deps(fn.invoke);
    const verdicts = await resolveBatch(records(8), resolved);
    expect(verdicts.every((v) => v.status === 'ok' || v.by === 'function')).toBe(true);
    expect(events.map((e) => e.type)).toEqual(['retry']);
    expect(slept).toEqual([10]);
  });

  it('isolates each poison record by bisection and lets every other record through', async () => {
    const poison = new Set(['5', '12', '13']);
    const fn = fakeFunction({ poison });
    const { resolved, events } = deps(fn.invoke);
    const verdicts = await resolveBatch(records(32), resolved);
    const rejectedAsPoison = verdicts.flatMap((v, i) => (v.status === 'rejected' && v.by === 'poison' ? [String(i)] : []));
    expect(rejectedAsPoison).toEqual(['5', '12', '13']);
    expect(verdicts.filter((v) => v.status === 'ok')).toHaveLength(32 - 3 - 3); // 7, 17, 27 are rejected by the function
    expect(verdicts[5]).toMatchObject({ reason: 'function answered 500: boom' });
    expect(events.filter((e) => e.type === 'poison').map((e) => e.at.firstOffset)).toEqual(['5', '12', '13']);
  });

  it('waits instead of splitting while the function is down, then finishes whole', async () => {
    let probes = 0;
    let up = false;
    const fn = fakeFunction({ down: () => !up });
    const probe = async (): Promise<boolean> => {
      probes += 1;
      if (probes >= 4) up = true;
      return up;
    };
    const { resolved, events } = deps(fn.invoke, { probe });
    const verdicts = await resolveBatch(records(16), resolved);
    expect(verdicts.filter((v) => v.status === 'rejected' && v.by === 'poison')).toHaveLength(0);
    expect(verdicts.filter((v) => v.status === 'ok')).toHaveLength(15);
    expect(events.some((e) => e.type === 'split')).toBe(false);
    expect(events.filter((e) => e.type === 'unhealthy')).toHaveLength(3);
  });

  it('still isolates a poison record after an outage', async () => {
    let probes = 0;
    let up = false;
    const fn = fakeFunction({ down: () => !up, poison: new Set(['3']) });
    const probe = async (): Promise<boolean> => {
      probes += 1;
      if (probes >= 2) up = true;
      return up;
    };
    const verdicts = await resolveBatch(records(8), deps(fn.invoke, { probe }).resolved);
    expect(verdicts.flatMap((v, i) => (v.status === 'rejected' && v.by === 'poison' ? [i] : []))).toEqual([3]);
  });

  it('rejects a single record the function refuses with a 4xx at once', async () => {
    const { resolved } = deps(async () => ({ kind: 'rejected', reason: 'function answered 400: nope' }));
    expect(await resolveBatch(records(1), resolved)).toEqual([{ status: 'rejected', reason: 'function answered 400: nope', by: 'function' }]);
  });

  it('does nothing for an empty batch', async () => {
    const fn = fakeFunction();
    expect(await resolveBatch([], deps(fn.invoke).resolved)).toEqual([]);
    expect(fn.calls()).toBe(0);
  });
});
