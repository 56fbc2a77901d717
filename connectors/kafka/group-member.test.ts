import type { Consumer, ConsumerRunConfig, EachBatchHandler, EachBatchPayload, KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { GroupMember, type GroupEvents } from './group-member.ts';

const names = {
  REBALANCING: 'rebalancing',
  GROUP_JOIN: 'group_join',
  HEARTBEAT: 'heartbeat',
  END_BATCH_PROCESS: 'end_batch_process',
  STOP: 'stop',
  CRASH: 'crash',
} as const;

/** kafkajs's consumer as far as a member uses it: events, and flow control that throws without a group. */
function fakeConsumer() {
  const listeners = new Map<string, ((event: { payload: unknown }) => void)[]>();
  let group = false;
  const flow: string[] = [];
  const needGroup = (what: string) => {
    if (!group) throw new Error('Consumer group was not initialized, consumer#run must be called first');
    flow.push(what);
  };
  let eachBatch: EachBatchHandler | undefined;
  const runs: string[] = [];
  const consumer = {
    events: names,
    run: async (config: ConsumerRunConfig) => {
      runs.push('run');
      eachBatch = config.eachBatch;
    },
    stop: async () => {
      runs.push('stop');
      eachBatch = undefined;
      emit(names.STOP);
    },
    on: (name: string, listener: (event: { payload: unknown }) => void) =>
      listeners.set(name, [...(listeners.get(name) ?? []), listener]),
    pause: (topics: { topic: string; partitions?: number[] }[]) =>
      needGroup(`pause ${topics[0]!.topic} ${topics[0]!.partitions?.join(',') ?? 'all'}`),
    resume: (topics: { topic: string; partitions?: number[] }[]) =>
      needGroup(`resume ${topics[0]!.topic} ${topics[0]!.partitions?.join(',') ?? 'all'}`),
  };
  const emit = (name: string, payload: unknown = {}) => {
    if (name === names.GROUP_JOIN) group = true;
    if (name === names.STOP) group = false;
    for (const listener of listeners.get(name) ?? []) listener({ payload });
  };
  /** kafkajs hands over one fetched batch; resolves once the handler returned. */
  const fetch = async (partition: number, offsets: number[]) => {
    const messages = offsets.map((offset) => ({ offset: String(offset) }) as KafkaMessage);
    const batch = { partition, messages, lastOffset: () => String(offsets[offsets.length - 1]) };
    await eachBatch?.({
      batch,
      isRunning: () => true,
      isStale: () => false,
      heartbeat: async () => undefined,
    } as unknown as EachBatchPayload);
  };
  return { consumer: consumer as unknown as Consumer, emit, flow, fetch, runs };
}

function recorder(): GroupEvents & { seen: string[] } {
  const seen: string[] = [];
  return {
    seen,
    assigned: (partitions) => seen.push(`assigned ${partitions.join(',')}`),
    revoked: () => seen.push('revoked'),
    markersFetched: (partition, lastOffset) => seen.push(`markers ${partition}@${lastOffset}`),
    crashed: (error, restart) => seen.push(`crashed ${error.message} restart=${restart}`),
    rejoining: () => seen.push('rejoining'),
  };
}

describe('GroupMember', () => {
  it('passes flow control on while in the group and drops it while kafkajs restarts the consumer', () => {
    const { consumer, emit, flow } = fakeConsumer();
    const member = new GroupMember(consumer, 'cdn_raw');
    const events = recorder();
    member.listen(events);

    member.pause(1);
    emit(names.GROUP_JOIN, { memberAssignment: { cdn_raw: [0, 1] } });
    member.pause(1);
    member.resume(1);
    emit(names.CRASH, { error: new Error('Connection error: connect ECONNREFUSED'), restart: true });
    emit(names.STOP);
    expect(() => member.resume(1)).not.toThrow();
    member.pause(0);
    emit(names.GROUP_JOIN, { memberAssignment: { cdn_raw: [0] } });
    member.resume(0);

    expect(flow).toEqual(['pause cdn_raw 1', 'resume cdn_raw 1', 'resume cdn_raw 0']);
    expect(events.seen).toEqual([
      'assigned 0,1',
      'crashed Connection error: connect ECONNREFUSED restart=true',
      'revoked',
      'assigned 0',
    ]);
  });

  it('reports a rebalance as revoked, an assignment without the topic as none, and only marker-only fetches', () => {
    const { consumer, emit } = fakeConsumer();
    const member = new GroupMember(consumer, 'cdn_data');
    const events = recorder();
    member.listen(events);

    emit(names.GROUP_JOIN, { memberAssignment: { other: [3] } });
    emit(names.END_BATCH_PROCESS, { partition: 2, batchSize: 5, lastOffset: '41' });
    emit(names.END_BATCH_PROCESS, { partition: 2, batchSize: 0, lastOffset: '43' });
    emit(names.REBALANCING);

    expect(events.seen).toEqual(['assigned ', 'markers 2@43', 'revoked']);
  });

  it('may commit only while the group heard from it recently', () => {
    const { consumer, emit } = fakeConsumer();
    const member = new GroupMember(consumer, 'cdn_raw');
    member.listen(recorder());
    expect(member.recentlyHeard()).toBe(false);

    emit(names.GROUP_JOIN, { memberAssignment: { cdn_raw: [0] } });
    const joinedAt = Date.now();
    expect(member.recentlyHeard(joinedAt + 19_000)).toBe(true);
    expect(member.recentlyHeard(joinedAt + 21_000)).toBe(false);
    emit(names.HEARTBEAT);
    expect(member.recentlyHeard(Date.now() + 19_000)).toBe(true);
  });

  it('pauses every partition on a stop, and a consumer without a group has nothing to pause', () => {
    const { consumer, emit, flow } = fakeConsumer();
    const member = new GroupMember(consumer, 'cdn_raw');
    member.listen(recorder());
    expect(() => member.pauseAll()).not.toThrow();
    emit(names.GROUP_JOIN, { memberAssignment: { cdn_raw: [0] } });
    member.pauseAll();
    expect(flow).toEqual(['pause cdn_raw all']);
  });

  it('hands batches over while joined, and leaves and joins again when kafkajs fetches after a rebalance without a join', async () => {
    const { consumer, emit, fetch, runs } = fakeConsumer();
    const member = new GroupMember(consumer, 'cdn_result');
    const events = recorder();
    member.listen(events);
    const handed: string[] = [];
    await member.run(
      (partition, messages, lastOffset) => handed.push(`${partition}:${messages.length}@${lastOffset}`),
      () => true,
    );

    emit(names.GROUP_JOIN, { memberAssignment: { cdn_result: [0, 1] } });
    await fetch(0, [10, 11]);
    emit(names.REBALANCING);
    // kafkajs's rejoin failed after the coordinator completed it: it fetches again, unreported
    await fetch(1, [20]);
    await fetch(1, [21]);
    await new Promise((resolve) => setImmediate(resolve));
    emit(names.GROUP_JOIN, { memberAssignment: { cdn_result: [0, 1] } });
    await fetch(1, [20, 21]);

    expect(handed).toEqual(['0:2@11', '1:2@21']);
    expect(runs).toEqual(['run', 'stop', 'run']);
    expect(events.seen).toEqual(['assigned 0,1', 'revoked', 'rejoining', 'revoked', 'assigned 0,1']);
  });

  it('leaves but does not run again when the consumer is stopping by the time it left', async () => {
    const { consumer, emit, fetch, runs } = fakeConsumer();
    const member = new GroupMember(consumer, 'cdn_result');
    member.listen(recorder());
    let accepting = true;
    await member.run(
      () => undefined,
      () => accepting,
    );
    emit(names.GROUP_JOIN, { memberAssignment: { cdn_result: [0] } });
    emit(names.REBALANCING);
    const fetched = fetch(0, [5]);
    accepting = false;
    await fetched;
    await new Promise((resolve) => setImmediate(resolve));
    expect(runs).toEqual(['run', 'stop']);
  });
});
