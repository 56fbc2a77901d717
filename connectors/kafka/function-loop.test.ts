import type { KafkaMessage } from 'kafkajs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Subscription } from './subscription.ts';
import { startFunctionLoop, type FunctionLoop, type FunctionLoopDeps } from './function-loop.ts';
import type { GatewayClient } from './gateway-client.ts';
import type { InvokeOutcome } from './invoke-outcome.ts';
import { Limiter } from './limiter.ts';
import { PartitionPosition } from './partition-position.ts';
import type { PublishPlan } from './publish-plan.ts';
import type { Publisher, PublishResult } from './publisher.ts';
import type { WireRecord } from './records.ts';
import type { Telemetry } from './telemetry.ts';

const spec: Subscription = {
  name: 'echo',
  image: 'echo:1',
  topic: 'in',
  outputs: ['out'],
  delivery: 'transactional',
  batch: { maxRecords: 100, maxBytes: 1024 * 1024, maxWaitMs: 60_000 },
  timeoutMs: 1000,
  concurrencyPerReplica: 2,
  replicas: 1,
  inputFromStack: false,
};

function messages(from: number, count: number): KafkaMessage[] {
  return Array.from({ length: count }, (_, index) => ({
    offset: String(from + index),
    key: Buffer.from(`k${from + index}`),
    value: Buffer.from(JSON.stringify({ n: from + index })),
    timestamp: String(Date.now()),
    attributes: 0,
    headers: {},
  }));
}

/** A promise with its resolve, to hold a fake call open. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

function echoOutcome(records: readonly WireRecord[]): InvokeOutcome {
  return {
    kind: 'ok',
    results: records.map((record) => ({
      status: 'ok' as const,
      outputs: [{ key: null, value: (JSON.parse(record.json) as { value: unknown }).value }],
    })),
  };
}

interface Harness {
  loop: FunctionLoop;
  positions: PartitionPosition[];
  invocations: WireRecord[][];
  plans: PublishPlan[];
  /** Each publish waits for its own release when holdPublishes is set. */
  releases: ((result: PublishResult) => void)[];
  deps: FunctionLoopDeps;
  telemetry: { dropped: number; faults: number };
}

const loops: FunctionLoop[] = [];
afterEach(async () => {
  await Promise.all(loops.splice(0).map((loop) => loop.stop(100)));
});

function harness(
  options: {
    partitions?: number;
    holdPublishes?: boolean;
    invoke?: (records: readonly WireRecord[]) => Promise<InvokeOutcome>;
    mayCommit?: () => boolean;
  } = {},
): Harness {
  const generation = 1;
  const positions = Array.from({ length: options.partitions ?? 2 }, (_, partition) => {
    const position = new PartitionPosition(
      { topic: 'in', partition },
      generation,
      () => ({ highWaterRecords: 1000, highWaterBytes: 1 << 20 }),
      { pause: () => undefined, resume: () => undefined },
    );
    position.release(undefined);
    return position;
  });
  const invocations: WireRecord[][] = [];
  const plans: PublishPlan[] = [];
  const releases: ((result: PublishResult) => void)[] = [];
  const counts = { dropped: 0, faults: 0 };
  const gateway: GatewayClient = {
    listFunctions: async () => [],
    scaleFunction: async () => undefined,
    invokeBatch: async (_name, records) => {
      invocations.push([...records]);
      return options.invoke ? options.invoke(records) : echoOutcome(records);
    },
    close: async () => undefined,
  };
  const publisher: Publisher = {
    prepare: async () => undefined,
    publish: async (plan, mayCommit) => {
      plans.push(plan);
      if (!mayCommit()) return 'stale';
      if (!options.holdPublishes) return 'committed';
      const held = deferred<PublishResult>();
      releases.push(held.resolve);
      return held.promise;
    },
    close: async () => undefined,
  };
  const telemetry = new Proxy({} as Telemetry, {
    get: (_target, name) => () => {
      if (name === 'batchDropped') counts.dropped += 1;
      if (name === 'workerFault') counts.faults += 1;
    },
  });
  const deps: FunctionLoopDeps = {
    spec: () => spec,
    positions: () => positions,
    mayCommit: (taken) => taken === generation && (options.mayCommit?.() ?? true),
    rewind: vi.fn(async () => undefined),
    outputPartitions: () => new Map([['out', 2]]),
    gateway,
    limiter: new Limiter(2),
    publisher,
    telemetry,
    policy: { initialDelayMs: 1, maxDelayMs: 5, factor: 2, jitter: 0 },
    attemptsBeforeSplit: 2,
    health: { lastSuccessAt: undefined },
  };
  const loop = startFunctionLoop(deps);
  loops.push(loop);
  return { loop, positions, invocations, plans, releases, deps, telemetry: counts };
}

function push(h: Harness, partition: number, from: number, count: number): void {
  h.positions[partition]!.push(messages(from, count), String(from + count - 1));
  h.loop.wake();
}

describe('the function loop', () => {
  it('invokes a record on an idle function at once and commits its partition past it', async () => {
    const h = harness();
    push(h, 1, 40, 1);
    await vi.waitFor(() => expect(h.plans).toHaveLength(1), { timeout: 1000, interval: 2 });
    expect(h.invocations.map((batch) => batch.map((record) => record.offset))).toEqual([['40']]);
    expect(h.plans[0]!.offsets).toEqual([{ partition: 1, offset: '41' }]);
    expect(h.plans[0]!.topicMessages[0]).toMatchObject({
      topic: 'out',
      messages: [{ value: '{"n":40}', partition: 1 }],
    });
    await vi.waitFor(() => expect(h.positions[1]!.committed).toBe(41n), { timeout: 1000, interval: 2 });
  });

  it('takes every partition into one cycle, one invocation and one publish', async () => {
    const h = harness({ partitions: 3 });
    for (const partition of [0, 1, 2]) h.positions[partition]!.push(messages(10, 5), '14');
    h.loop.wake();
    await vi.waitFor(() => expect(h.plans).toHaveLength(1), { timeout: 1000, interval: 2 });
    expect(h.invocations).toHaveLength(1);
    expect(h.invocations[0]).toHaveLength(15);
    expect(h.plans[0]!.offsets).toEqual([
      { partition: 0, offset: '15' },
      { partition: 1, offset: '15' },
      { partition: 2, offset: '15' },
    ]);
  });

  it('gathers what arrives during a publish into the next cycle, and publishes cycles in order', async () => {
    const h = harness({ holdPublishes: true });
    push(h, 0, 0, 1);
    await vi.waitFor(() => expect(h.releases).toHaveLength(1), { timeout: 1000, interval: 2 });
    push(h, 0, 1, 2);
    push(h, 1, 0, 3);
    // the second cycle may invoke while the first publishes, but never publishes before it
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(h.plans).toHaveLength(1);
    h.releases[0]!('committed');
    await vi.waitFor(() => expect(h.releases).toHaveLength(2), { timeout: 1000, interval: 2 });
    expect(h.invocations.map((batch) => batch.length)).toEqual([1, 5]);
    expect(h.plans[1]!.offsets).toEqual([
      { partition: 0, offset: '3' },
      { partition: 1, offset: '3' },
    ]);
    h.releases[1]!('committed');
    await vi.waitFor(() => expect(h.positions[1]!.committed).toBe(3n), { timeout: 1000, interval: 2 });
  });

  it('drops a cycle whose partitions moved: nothing is marked committed', async () => {
    let allowed = true;
    const h = harness({ mayCommit: () => allowed });
    allowed = false;
    push(h, 0, 0, 4);
    await vi.waitFor(() => expect(h.telemetry.dropped).toBe(1), { timeout: 1000, interval: 2 });
    expect(h.positions[0]!.committed).toBeUndefined();
    // still owned, only not allowed to commit now: what it took is fetched again
    expect(h.deps.rewind).toHaveBeenCalled();
  });

  it('commits a position that only moved past transaction markers', async () => {
    const h = harness();
    h.positions[0]!.markFetched(17n);
    h.loop.wake();
    await vi.waitFor(() => expect(h.plans).toHaveLength(1), { timeout: 1000, interval: 2 });
    expect(h.invocations).toHaveLength(0);
    expect(h.plans[0]).toMatchObject({ topicMessages: [], offsets: [{ partition: 0, offset: '17' }] });
  });

  it('rewinds after an unexpected fault instead of skipping records', async () => {
    let calls = 0;
    const h = harness({
      invoke: async (records) => {
        calls += 1;
        if (calls === 1) throw new Error('boom');
        return echoOutcome(records);
      },
    });
    push(h, 0, 0, 2);
    await vi.waitFor(() => expect(h.deps.rewind).toHaveBeenCalledTimes(1), { timeout: 2000, interval: 2 });
    expect(h.telemetry.faults).toBe(1);
    expect(h.plans).toHaveLength(0);
  });

  it('finishes the cycle in flight when stopped, then stops taking records', async () => {
    const gate = deferred<void>();
    const h = harness({
      invoke: async (records) => {
        await gate.promise;
        return echoOutcome(records);
      },
    });
    push(h, 0, 0, 3);
    await vi.waitFor(() => expect(h.invocations).toHaveLength(1), { timeout: 1000, interval: 2 });
    const stopped = h.loop.stop(5_000);
    push(h, 1, 0, 3);
    gate.resolve();
    await stopped;
    expect(h.plans.map((plan) => plan.offsets)).toEqual([[{ partition: 0, offset: '3' }]]);
    expect(h.invocations).toHaveLength(1);
  });
});
