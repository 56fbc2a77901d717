import type { PartitionPosition } from './partition-position.ts';
import type { PartitionOffset } from './publish-plan.ts';
import type { PublishTiming } from './publisher.ts';
import type { BufferedRecord } from './records.ts';
import type { BatchTiming } from './telemetry.ts';

/** What one cycle took: records of several partitions in their order, or only positions to commit. */
export interface Cycle {
  /** The assignment the records were taken under; an older one never commits. */
  generation: number;
  records: BufferedRecord[];
  /** Partitions that only moved past transaction markers, committed with nothing to invoke. */
  positionOnly: PartitionOffset[];
  startedAt: number;
}

/** Records, bytes and the oldest record's age over the positions that are not held. */
export function bufferedState(positions: readonly PartitionPosition[], now = Date.now()) {
  let records = 0;
  let bytes = 0;
  let oldest = Infinity;
  for (const position of positions) {
    if (position.held) continue;
    records += position.buffered;
    bytes += position.bufferedBytes;
    oldest = Math.min(oldest, position.oldestReceivedAt ?? Infinity);
  }
  return { records, bytes, oldestAgeMs: records === 0 ? 0 : now - oldest };
}

/**
 * Takes up to `room` records, a batch's worth (`maxRecords`, `maxBytes`) from each partition in
 * turn, so that no partition starves the others. Undefined when nothing is assigned.
 */
export function takeCycle(
  positions: readonly PartitionPosition[],
  limits: { maxRecords: number; maxBytes: number },
  room: number,
  now = Date.now(),
): Cycle | undefined {
  const generation = positions[0]?.generation;
  if (generation === undefined) return undefined;
  const records: BufferedRecord[] = [];
  for (let progress = true; progress && room > 0;) {
    progress = false;
    for (const position of positions) {
      if (position.held || position.buffered === 0 || room === 0) continue;
      const taken = position.take(Math.min(limits.maxRecords, room), limits.maxBytes);
      for (const record of taken) records.push(record);
      room -= taken.length;
      progress = true;
    }
  }
  return { generation, records, positionOnly: [], startedAt: now };
}

/** A cycle of positions alone: partitions fetched past what is committed with nothing left to take. */
export function positionCycle(positions: readonly PartitionPosition[], now = Date.now()): Cycle | undefined {
  const moved = positions.filter((position) => position.needsPositionCommit);
  if (moved.length === 0) return undefined;
  return {
    generation: moved[0]!.generation,
    records: [],
    positionOnly: moved.map((position) => ({
      partition: position.partition,
      offset: position.fetched!.toString(),
    })),
    startedAt: now,
  };
}

const seconds = (from: number, to: number) => Math.max(0, to - from) / 1000;

/**
 * Where a committed cycle's time went, in seconds: the record waits as means over its records,
 * the rest per cycle. Pure.
 */
export function cycleTiming(
  cycle: Cycle,
  invoked: { at: number; queuedMs: number },
  publish: { startedAt: number; doneAt: number; timing: PublishTiming },
): BatchTiming {
  let fetchWait = 0;
  let batchWait = 0;
  for (const record of cycle.records) {
    fetchWait += Math.max(0, record.receivedAt - record.producedAt);
    batchWait += Math.max(0, cycle.startedAt - record.receivedAt);
  }
  const count = Math.max(1, cycle.records.length);
  return {
    fetchWait: fetchWait / count / 1000,
    batchWait: batchWait / count / 1000,
    queued: invoked.queuedMs / 1000,
    invoke: seconds(cycle.startedAt, invoked.at) - invoked.queuedMs / 1000,
    publishWait: seconds(invoked.at, publish.startedAt),
    produce: publish.timing.produceMs / 1000,
    commit: publish.timing.commitMs / 1000,
    publish: seconds(publish.startedAt, publish.doneAt),
    total: seconds(cycle.startedAt, publish.doneAt),
  };
}
