import type { KafkaMessage } from 'kafkajs';
import type { BatchRecord } from '../../contracts/batch.ts';
import type { FunctionSpec } from './function-spec.ts';
import type { Gateway } from './gateway-client.ts';
import type { Limiter } from './limiter.ts';
import { planPublish } from './publish-plan.ts';
import type { Publisher } from './publisher.ts';
import { batchLength, decodeRecord, flushDelay, recordSize, type BufferedRecord } from './records.ts';
import { resolveBatch, type Verdict } from './resolve-batch.ts';
import { isAborted, sleep, type RetryPolicy } from './retry.ts';
import type { Telemetry } from './telemetry.ts';
import { Wakeup } from './wakeup.ts';

export interface PartitionWorkerDeps {
  topic: string;
  partition: number;
  /** The function's current spec: batch limits and image tag may change while running. */
  spec(): FunctionSpec;
  gateway: Gateway;
  limiter: Limiter;
  publisher: Publisher;
  telemetry: Telemetry;
  policy: RetryPolicy;
  attemptsBeforeSplit: number;
  pause(): void;
  resume(): void;
}

export interface PartitionSnapshot {
  partition: number;
  buffered: number;
  paused: boolean;
  inFlight: boolean;
  committedOffset: string | null;
}

/**
 * One input partition: a bounded buffer filled by the consumer's fetches, and a loop that takes
 * batches from it in offset order, invokes the function, publishes and commits. One batch is in
 * flight at a time, which keeps the partition's order; partitions run side by side, bounded by
 * the function's in-flight limit. A full buffer pauses the partition's fetches.
 */
export class PartitionWorker {
  readonly #deps: PartitionWorkerDeps;
  readonly #buffer: BufferedRecord[] = [];
  #bufferedBytes = 0;
  #paused = false;
  #inFlight = false;
  /** Bumped on every rebalance: a batch taken under an older generation must not commit. */
  #generation = 0;
  #fetchedThrough: bigint | undefined;
  #committedThrough: bigint | undefined;
  #stopping = false;
  readonly #abort = new AbortController();
  readonly #wakeup = new Wakeup();
  readonly #loop: Promise<void>;

  constructor(deps: PartitionWorkerDeps) {
    this.#deps = deps;
    this.#loop = this.#run();
  }

  get #fn(): string {
    return this.#deps.spec().name;
  }

  #highWater(): { records: number; bytes: number } {
    const { batch } = this.#deps.spec();
    return { records: batch.maxRecords * 2, bytes: batch.maxBytes * 2 };
  }

  /** Adds one fetched Kafka batch; `lastOffset` may lie past its last record (transaction markers). */
  push(messages: KafkaMessage[], lastOffset: string): void {
    if (this.#stopping || messages.length === 0) return;
    const now = Date.now();
    const fetchEnd = (BigInt(lastOffset) + 1n).toString();
    messages.forEach((message, index) => {
      const size = recordSize(message.key, message.value);
      this.#buffer.push({
        topic: this.#deps.topic,
        partition: this.#deps.partition,
        offset: message.offset,
        key: message.key,
        value: message.value,
        size,
        commitOffset: index === messages.length - 1 ? fetchEnd : (BigInt(message.offset) + 1n).toString(),
        receivedAt: now,
      });
      this.#bufferedBytes += size;
    });
    this.markFetched(fetchEnd);
    const high = this.#highWater();
    if (!this.#paused && (this.#buffer.length >= high.records || this.#bufferedBytes >= high.bytes)) {
      this.#paused = true;
      this.#deps.pause();
      this.#deps.telemetry.partitionPaused(this.#fn, this.#deps.topic, this.#deps.partition, this.#buffer.length);
    }
    this.#deps.telemetry.buffered(this.#fn, this.#deps.partition, this.#buffer.length);
    this.#wakeup.notify();
  }

  /** The consumer's position moved to `nextOffset` (also over batches of only transaction markers). */
  markFetched(nextOffset: string): void {
    const next = BigInt(nextOffset);
    if (this.#fetchedThrough === undefined || next > this.#fetchedThrough) {
      this.#fetchedThrough = next;
      this.#wakeup.notify();
    }
  }

  /** A rebalance: the consumer restarts from the committed offset, so drop what is buffered. */
  invalidate(): void {
    this.#generation += 1;
    this.#buffer.length = 0;
    this.#bufferedBytes = 0;
    this.#fetchedThrough = undefined;
    this.#committedThrough = undefined;
    this.#resumeIfPaused();
    this.#deps.telemetry.buffered(this.#fn, this.#deps.partition, 0);
  }

  /** Finishes the batch in flight (within `graceMs`), drops the rest uncommitted, stops. */
  async stop(graceMs: number): Promise<void> {
    this.#stopping = true;
    this.#wakeup.notify();
    const timer = setTimeout(() => this.#abort.abort(), graceMs);
    try {
      await this.#loop;
    } finally {
      clearTimeout(timer);
      if (this.#paused) this.#deps.telemetry.partitionResumed(this.#fn, this.#deps.topic, this.#deps.partition);
      this.#deps.telemetry.buffered(this.#fn, this.#deps.partition, 0);
      await this.#deps.publisher.close();
    }
  }

  snapshot(): PartitionSnapshot {
    return {
      partition: this.#deps.partition,
      buffered: this.#buffer.length,
      paused: this.#paused,
      inFlight: this.#inFlight,
      committedOffset: this.#committedThrough?.toString() ?? null,
    };
  }

  #resumeIfPaused(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#deps.resume();
    this.#deps.telemetry.partitionResumed(this.#fn, this.#deps.topic, this.#deps.partition);
  }

  async #run(): Promise<void> {
    while (!this.#stopping) {
      try {
        if (this.#buffer.length === 0) {
          if (this.#fetchedThrough !== undefined && this.#fetchedThrough !== this.#committedThrough) await this.#commitPosition();
          else await this.#wakeup.wait();
          continue;
        }
        const oldest = this.#buffer[0]!;
        const delay = flushDelay(
          { records: this.#buffer.length, bytes: this.#bufferedBytes, oldestAgeMs: Date.now() - oldest.receivedAt },
          this.#deps.spec().batch,
        );
        if (delay > 0) {
          await this.#wakeup.wait(delay);
          continue;
        }
        await this.#processNextBatch();
      } catch (error) {
        if (isAborted(error)) return;
        // Defensive: an unexpected fault must not kill the partition; log and try again.
        this.#deps.telemetry.workerFault(this.#fn, this.#deps.topic, this.#deps.partition, error);
        await sleep(1000, this.#abort.signal).catch(() => undefined);
      }
    }
  }

  #take(): BufferedRecord[] {
    const spec = this.#deps.spec();
    const count = batchLength(
      this.#buffer.slice(0, spec.batch.maxRecords).map((record) => record.size),
      spec.batch,
    );
    const batch = this.#buffer.splice(0, count);
    for (const record of batch) this.#bufferedBytes -= record.size;
    const high = this.#highWater();
    if (this.#buffer.length <= high.records / 2 && this.#bufferedBytes <= high.bytes / 2) this.#resumeIfPaused();
    this.#deps.telemetry.buffered(this.#fn, this.#deps.partition, this.#buffer.length);
    return batch;
  }

  async #processNextBatch(): Promise<void> {
    const generation = this.#generation;
    const batch = this.#take();
    const spec = this.#deps.spec();
    const started = process.hrtime.bigint();
    this.#inFlight = true;
    try {
      await this.#finish(batch, spec, generation, started);
    } catch (error) {
      // Nothing of this batch was committed: put it back so a fault never skips records.
      if (!isAborted(error) && generation === this.#generation) this.#putBack(batch);
      throw error;
    } finally {
      this.#inFlight = false;
    }
  }

  #putBack(batch: BufferedRecord[]): void {
    this.#buffer.unshift(...batch);
    for (const record of batch) this.#bufferedBytes += record.size;
  }

  async #finish(batch: BufferedRecord[], spec: FunctionSpec, generation: number, started: bigint): Promise<void> {
    const verdicts = await this.#verdicts(batch, spec);
    const isStale = (): boolean => generation !== this.#generation;
    const plan = planPublish(spec, batch, verdicts);
    const result = await this.#deps.publisher.publish(plan, isStale, this.#abort.signal);
    if (result === 'stale') {
      this.#deps.telemetry.batchDropped(spec.name, this.#deps.topic, this.#deps.partition, batch.length, 'partition reassigned');
      return;
    }
    this.#committedThrough = BigInt(plan.commitOffset);
    for (const dead of plan.deadLetters) this.#deps.telemetry.deadLettered(spec.name, dead.record, dead.reason, dead.by);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    this.#deps.telemetry.batchCommitted(spec.name, this.#deps.topic, this.#deps.partition, batch.length, plan.outputRecords, seconds);
  }

  /** Records that cannot reach the function are rejected here; the rest are resolved by it. */
  async #verdicts(batch: BufferedRecord[], spec: FunctionSpec): Promise<Verdict[]> {
    const verdicts: Verdict[] = new Array(batch.length);
    const sendable: BatchRecord[] = [];
    const sendableIndex: number[] = [];
    batch.forEach((buffered, index) => {
      const decoded = decodeRecord(buffered, spec.batch.maxBytes);
      if (decoded.ok) {
        sendable.push(decoded.record);
        sendableIndex.push(index);
      } else {
        verdicts[index] = { status: 'rejected', reason: decoded.reason, by: 'connector' };
      }
    });
    if (sendable.length === 0) return verdicts;
    const signal = this.#abort.signal;
    const release = await this.#deps.limiter.acquire(signal);
    this.#deps.telemetry.inFlight(spec.name, this.#deps.limiter.inUse, this.#deps.limiter.capacity);
    try {
      const resolved = await resolveBatch(sendable, {
        invoke: (records) => this.#deps.gateway.invokeBatch(spec.name, records, spec.timeoutMs, signal),
        probe: async () => (await this.#deps.gateway.invokeBatch(spec.name, [], spec.timeoutMs, signal)).kind === 'ok',
        sleep: (ms) => sleep(ms, signal),
        policy: this.#deps.policy,
        attemptsBeforeSplit: this.#deps.attemptsBeforeSplit,
        onEvent: (event) => this.#deps.telemetry.resolveEvent(spec.name, event),
      });
      resolved.forEach((verdict, i) => {
        verdicts[sendableIndex[i]!] = verdict;
      });
      return verdicts;
    } finally {
      release();
      this.#deps.telemetry.inFlight(spec.name, this.#deps.limiter.inUse, this.#deps.limiter.capacity);
    }
  }

  /** Nothing buffered, but the position moved past transaction markers: commit it so lag reads 0. */
  async #commitPosition(): Promise<void> {
    const generation = this.#generation;
    const target = this.#fetchedThrough!;
    const plan = { topicMessages: [], outputRecords: 0, deadLetters: [], commitOffset: target.toString() };
    const result = await this.#deps.publisher.publish(plan, () => generation !== this.#generation, this.#abort.signal);
    if (result === 'committed' && generation === this.#generation) this.#committedThrough = target;
  }
}
