import type { KafkaMessage } from 'kafkajs';
import { batchVerdicts, type FunctionHealth } from './batch-verdicts.ts';
import type { FunctionSpec } from './function-spec.ts';
import type { Gateway } from './gateway-client.ts';
import type { Limiter } from './limiter.ts';
import { PartitionBuffer } from './partition-buffer.ts';
import { planPublish } from './publish-plan.ts';
import type { Publisher } from './publisher.ts';
import type { BufferedRecord } from './records.ts';
import type { Verdict } from './resolve-batch.ts';
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
  /** Moves the consumer back to the committed offset, after a fault dropped what was fetched. */
  rewind(): Promise<void>;
  /** Shared by the function's partitions: when it last answered records with success (ms). */
  health: FunctionHealth;
}

/** Invoked batches waiting to be published; several are published in one transaction. */
const maxReadyBatches = 4;

interface ReadyBatch {
  records: BufferedRecord[];
  verdicts: Verdict[];
  generation: number;
  startedAt: number;
  acquiredAt: number;
  invokedAt: number;
}

export interface PartitionSnapshot {
  partition: number;
  buffered: number;
  paused: boolean;
  invoking: boolean;
  publishing: boolean;
  committedOffset: string | null;
}

/**
 * One input partition, in offset order: a bounded buffer filled by the consumer's fetches; an
 * invoke loop that takes batches from it and gets the function's verdicts, one call at a time;
 * a publish loop that sends the verdicts of every batch invoked so far and commits them in one
 * transaction. The two overlap, so a partition pays max(invoke, publish) per batch, and a slow
 * Kafka commit makes the next transaction larger instead of making the partition slower.
 */
export class PartitionWorker {
  readonly #deps: PartitionWorkerDeps;
  readonly #buffer: PartitionBuffer;
  readonly #ready: ReadyBatch[] = [];
  #publishing: Promise<void> | undefined;
  #invoking = false;
  /** Bumped on every rebalance: a batch taken under an older generation must not commit. */
  #generation = 0;
  #fetchedThrough: bigint | undefined;
  #committedThrough: bigint | undefined;
  #stopping = false;
  /** While held (a new assignment is being set up) fetched records are dropped and nothing is taken. */
  #hold: symbol | undefined;
  readonly #abort = new AbortController();
  readonly #wakeup = new Wakeup();
  readonly #loop: Promise<void>;

  constructor(deps: PartitionWorkerDeps) {
    this.#deps = deps;
    this.#buffer = new PartitionBuffer(
      deps,
      () => deps.spec().batch,
      () => {
        deps.pause();
        deps.telemetry.partitionPaused(this.#fn, deps.topic, deps.partition, this.#buffer.length);
      },
      () => {
        deps.resume();
        deps.telemetry.partitionResumed(this.#fn, deps.topic, deps.partition);
      },
    );
    this.#loop = this.#run();
  }

  get #fn(): string {
    return this.#deps.spec().name;
  }

  /** Adds one fetched Kafka batch; `lastOffset` may lie past its last record (transaction markers). */
  push(messages: KafkaMessage[], lastOffset: string): void {
    if (this.#stopping || this.#hold !== undefined || messages.length === 0) return;
    this.#buffer.push(messages, lastOffset);
    this.#deps.telemetry.buffered(this.#fn, this.#deps.partition, this.#buffer.length);
    this.markFetched((BigInt(lastOffset) + 1n).toString());
    this.#wakeup.notify();
  }

  /** The consumer's position moved to `nextOffset` (also over batches of only transaction markers). */
  markFetched(nextOffset: string): void {
    if (this.#hold !== undefined) return;
    const next = BigInt(nextOffset);
    if (this.#fetchedThrough === undefined || next > this.#fetchedThrough) {
      this.#fetchedThrough = next;
      this.#wakeup.notify();
    }
  }

  /** A rebalance: the consumer restarts from the committed offset, so drop what is buffered or invoked. */
  invalidate(): void {
    this.#generation += 1;
    this.#buffer.clear();
    this.#ready.length = 0;
    this.#fetchedThrough = undefined;
    this.#committedThrough = undefined;
    this.#deps.telemetry.buffered(this.#fn, this.#deps.partition, 0);
  }

  /**
   * The partition was (re)assigned: drop everything and take nothing until `release`, while the
   * publisher fences earlier owners and the consumer is moved to the committed offset.
   */
  hold(): symbol {
    this.invalidate();
    this.#hold = Symbol('hold');
    return this.#hold;
  }

  /** Ends a hold (unless a newer one began): whatever arrived meanwhile is dropped too. */
  release(hold: symbol): void {
    if (this.#hold !== hold) return;
    this.invalidate();
    this.#hold = undefined;
    this.#wakeup.notify();
  }

  /** Prepares the publisher for a takeover of the partition (see Publisher.prepare). */
  prepare(): Promise<void> {
    return this.#deps.publisher.prepare();
  }

  /** Finishes and commits the batches in flight (within `graceMs`), drops the rest uncommitted, stops. */
  async stop(graceMs: number): Promise<void> {
    this.#stopping = true;
    this.#wakeup.notify();
    const timer = setTimeout(() => this.#abort.abort(), graceMs);
    try {
      await this.#loop;
      while (this.#publishing !== undefined) await this.#publishing;
    } finally {
      clearTimeout(timer);
      if (this.#buffer.paused)
        this.#deps.telemetry.partitionResumed(this.#fn, this.#deps.topic, this.#deps.partition);
      this.#deps.telemetry.buffered(this.#fn, this.#deps.partition, 0);
      await this.#deps.publisher.close();
    }
  }

  snapshot(): PartitionSnapshot {
    return {
      partition: this.#deps.partition,
      buffered: this.#buffer.length,
      paused: this.#buffer.paused,
      invoking: this.#invoking,
      publishing: this.#publishing !== undefined,
      committedOffset: this.#committedThrough?.toString() ?? null,
    };
  }

  async #run(): Promise<void> {
    while (!this.#stopping) {
      try {
        if (this.#hold !== undefined) {
          await this.#wakeup.wait(100);
          continue;
        }
        if (this.#buffer.length === 0) {
          const idle = this.#ready.length === 0 && this.#publishing === undefined;
          if (idle && this.#fetchedThrough !== undefined && this.#fetchedThrough !== this.#committedThrough)
            await this.#commitPosition();
          else await this.#wakeup.wait();
          continue;
        }
        if (this.#ready.length >= maxReadyBatches) {
          await this.#wakeup.wait();
          continue;
        }
        const delay = this.#buffer.flushDelay();
        if (delay > 0) {
          await this.#wakeup.wait(delay);
          continue;
        }
        await this.#invokeNext();
      } catch (error) {
        if (isAborted(error)) return;
        await this.#recover(error);
      }
    }
  }

  async #invokeNext(): Promise<void> {
    const generation = this.#generation;
    const spec = this.#deps.spec();
    const startedAt = performance.now();
    const records = this.#buffer.take();
    this.#deps.telemetry.buffered(this.#fn, this.#deps.partition, this.#buffer.length);
    this.#invoking = true;
    try {
      const clock = { acquired: startedAt };
      const verdicts = await batchVerdicts(
        records,
        spec,
        { ...this.#deps, signal: this.#abort.signal },
        clock,
      );
      if (generation !== this.#generation) return;
      this.#ready.push({
        records,
        verdicts,
        generation,
        startedAt,
        acquiredAt: clock.acquired,
        invokedAt: performance.now(),
      });
      this.#startPublishing();
    } finally {
      this.#invoking = false;
    }
  }

  #startPublishing(): void {
    if (this.#publishing !== undefined || this.#ready.length === 0) return;
    this.#publishing = this.#publishReady().finally(() => {
      this.#publishing = undefined;
      this.#wakeup.notify();
      this.#startPublishing();
    });
  }

  /** Publishes everything invoked so far, in order, one transaction per round. */
  async #publishReady(): Promise<void> {
    try {
      while (this.#ready.length > 0) {
        const group = this.#ready.splice(0, this.#ready.length);
        this.#wakeup.notify();
        const generation = group[0]!.generation;
        const spec = this.#deps.spec();
        const records = group.flatMap((entry) => entry.records);
        const plan = planPublish(
          spec,
          records,
          group.flatMap((entry) => entry.verdicts),
        );
        const publishedAt = performance.now();
        const result = await this.#deps.publisher.publish(
          plan,
          () => generation !== this.#generation,
          this.#abort.signal,
        );
        if (result === 'stale') {
          this.#deps.telemetry.batchDropped(
            spec.name,
            this.#deps.topic,
            this.#deps.partition,
            records.length,
            'partition reassigned',
          );
          continue;
        }
        this.#committedThrough = BigInt(plan.commitOffset);
        for (const dead of plan.deadLetters)
          this.#deps.telemetry.deadLettered(spec.name, dead.record, dead.reason, dead.by);
        const done = performance.now();
        const first = group[0]!;
        this.#deps.telemetry.batchCommitted(
          spec.name,
          this.#deps.topic,
          this.#deps.partition,
          records.length,
          plan.outputRecords,
          {
            queued: (first.acquiredAt - first.startedAt) / 1000,
            invoke: (first.invokedAt - first.acquiredAt) / 1000,
            publish: (done - publishedAt) / 1000,
            total: (done - first.startedAt) / 1000,
          },
        );
      }
    } catch (error) {
      if (isAborted(error)) return;
      await this.#recover(error);
    }
  }

  /**
   * Defensive: an unexpected fault must not kill the partition nor skip records. Everything not
   * committed is dropped and the consumer rewinds to the committed offset, as after a rebalance.
   */
  async #recover(error: unknown): Promise<void> {
    this.#deps.telemetry.workerFault(this.#fn, this.#deps.topic, this.#deps.partition, error);
    this.invalidate();
    await this.#deps
      .rewind()
      .catch((rewindError: unknown) =>
        this.#deps.telemetry.workerFault(this.#fn, this.#deps.topic, this.#deps.partition, rewindError),
      );
    await sleep(1000, this.#abort.signal).catch(() => undefined);
  }

  /** Nothing buffered, but the position moved past transaction markers: commit it so lag reads 0. */
  async #commitPosition(): Promise<void> {
    const generation = this.#generation;
    const target = this.#fetchedThrough!;
    const plan = { topicMessages: [], outputRecords: 0, deadLetters: [], commitOffset: target.toString() };
    const result = await this.#deps.publisher.publish(
      plan,
      () => generation !== this.#generation,
      this.#abort.signal,
    );
    if (result === 'committed' && generation === this.#generation) this.#committedThrough = target;
  }
}
