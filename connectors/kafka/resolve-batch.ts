import type { InvokeOutcome } from './invoke-outcome.ts';
import { backoffDelay, type RetryPolicy } from '../../lib/backoff.ts';

/** Who sent a record to the dead-letter topic: the function's answer, bisection, or the connector. */
export type RejectedBy = 'function' | 'poison' | 'connector';

/** The final word on one record: its outputs, or why it goes to the dead-letter topic. */
export type Verdict =
  | { status: 'ok'; outputs: { key: string | null; value: unknown }[] }
  | { status: 'rejected'; reason: string; by: RejectedBy };

export interface Coordinates {
  topic: string;
  partition: number;
  firstOffset: string;
  lastOffset: string;
  records: number;
}

export type ResolveEvent =
  | { type: 'retry'; at: Coordinates; attempt: number; delayMs: number; reason: string }
  | { type: 'split'; at: Coordinates; reason: string }
  | { type: 'poison'; at: Coordinates; reason: string }
  | { type: 'unhealthy'; at: Coordinates; attempt: number; delayMs: number; reason: string }
  | { type: 'waiting'; at: Coordinates; attempt: number; delayMs: number; reason: string };

/** What bisection needs of a record: where it comes from. */
export interface RecordCoordinates {
  topic: string;
  partition: number;
  offset: string;
}

export interface ResolveDeps<R extends RecordCoordinates = RecordCoordinates> {
  invoke(records: R[]): Promise<InvokeOutcome>;
  /** Whether the function answers at all: an empty batch. Tells a dead function from failing records. */
  probe(): Promise<boolean>;
  /** When this function last answered a non-empty batch with success, from any partition (ms). */
  lastSuccessAt(): number | undefined;
  now(): number;
  sleep(ms: number): Promise<void>;
  policy: RetryPolicy;
  /** Invocations of one (sub-)batch before it is split in two. */
  attemptsBeforeSplit: number;
  random?: () => number;
  onEvent?(event: ResolveEvent): void;
}

export function coordinatesOf(records: readonly RecordCoordinates[]): Coordinates {
  const first = records[0]!;
  const last = records[records.length - 1]!;
  return {
    topic: first.topic,
    partition: first.partition,
    firstOffset: first.offset,
    lastOffset: last.offset,
    records: records.length,
  };
}

/** Records still failing: a single record, or a part of the batch set aside until the function shows it works. */
interface Undecided<R> {
  start: number;
  records: R[];
  reason: string;
  lastFailedAt: number;
}

/**
 * Invokes the function with a batch until every record has a verdict, keeping their order.
 *
 * A failing batch is retried with backoff, then split in halves. A single record is called
 * poison (rejected, so the partition moves on) only with evidence that it is the record and not
 * the function: it failed again after the function answered other records successfully since
 * this batch first failed. Without that evidence (the function is down, or what it writes to is)
 * nothing is rejected: the records wait, retried with growing backoff, and flow once it is back.
 * An empty batch that fails too means the function itself is down: then nothing is split.
 */
export async function resolveBatch<R extends RecordCoordinates>(
  records: R[],
  deps: ResolveDeps<R>,
): Promise<Verdict[]> {
  const verdicts: Verdict[] = new Array(records.length);
  const undecided: Undecided<R>[] = [];
  let firstFailedAt: number | undefined;

  const evidenceAfter = (time: number): boolean => {
    const success = deps.lastSuccessAt();
    return success !== undefined && firstFailedAt !== undefined && success > firstFailedAt && success < time;
  };
  const succeededSinceFirstFailure = (): boolean => evidenceAfter(Infinity);

  async function solve(start: number, chunk: R[]): Promise<void> {
    let attempt = 0;
    let outageAttempt = 0;
    for (;;) {
      const outcome = await deps.invoke(chunk);
      attempt += 1;
      if (outcome.kind === 'ok') {
        outcome.results.forEach((result, i) => {
          verdicts[start + i] =
            result.status === 'ok'
              ? { status: 'ok', outputs: result.outputs }
              : { status: 'rejected', reason: result.reason, by: 'function' };
        });
        return;
      }
      if (outcome.kind === 'rejected') {
        verdicts[start] = { status: 'rejected', reason: outcome.reason, by: 'function' };
        return;
      }
      const failedAt = deps.now();
      firstFailedAt ??= failedAt;
      const at = coordinatesOf(chunk);
      if (attempt < deps.attemptsBeforeSplit) {
        const delayMs = backoffDelay(deps.policy, attempt, deps.random);
        deps.onEvent?.({ type: 'retry', at, attempt, delayMs, reason: outcome.reason });
        await deps.sleep(delayMs);
        continue;
      }
      const answers = await deps.probe();
      if (!answers || outageAttempt > 0) {
        // Down, or just back: the failures so far say nothing about the records.
        if (answers) {
          outageAttempt = 0;
        } else {
          outageAttempt += 1;
          const delayMs = backoffDelay(deps.policy, outageAttempt, deps.random);
          deps.onEvent?.({ type: 'unhealthy', at, attempt: outageAttempt, delayMs, reason: outcome.reason });
          await deps.sleep(delayMs);
        }
        attempt = deps.attemptsBeforeSplit - 1;
        continue;
      }
      if (chunk.length === 1) {
        undecided.push({ start, records: chunk, reason: outcome.reason, lastFailedAt: failedAt });
        return;
      }
      deps.onEvent?.({ type: 'split', at, reason: outcome.reason });
      const middle = Math.ceil(chunk.length / 2);
      const before = undecided.length;
      await solve(start, chunk.slice(0, middle));
      if (undecided.length > before && !succeededSinceFirstFailure()) {
        // Nothing has worked since the failures began: keep the rest whole until something does.
        undecided.push({
          start: start + middle,
          records: chunk.slice(middle),
          reason: outcome.reason,
          lastFailedAt: failedAt,
        });
        return;
      }
      await solve(start + middle, chunk.slice(middle));
      return;
    }
  }

  if (records.length === 0) return verdicts;
  await solve(0, records);
  for (let round = 1; undecided.length > 0; round += 1) {
    for (const entry of [...undecided]) {
      if (entry.records.length === 1 && evidenceAfter(entry.lastFailedAt)) {
        undecided.splice(undecided.indexOf(entry), 1);
        deps.onEvent?.({ type: 'poison', at: coordinatesOf(entry.records), reason: entry.reason });
        verdicts[entry.start] = { status: 'rejected', reason: entry.reason, by: 'poison' };
      }
    }
    if (undecided.length === 0) break;
    const delayMs = backoffDelay(deps.policy, round, deps.random);
    const first = undecided[0]!;
    deps.onEvent?.({
      type: 'waiting',
      at: coordinatesOf(first.records),
      attempt: round,
      delayMs,
      reason: first.reason,
    });
    await deps.sleep(delayMs);
    const retry = undecided.splice(0, undecided.length);
    for (const entry of retry) await solve(entry.start, entry.records);
  }
  return verdicts;
}
