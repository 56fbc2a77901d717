import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin, Consumer, Kafka, Producer } from 'kafkajs';
import { Partitioners } from 'kafkajs';
import type { Logger } from '../../lib/logger.ts';
import { groupIdFor, type FunctionSpec } from './function-spec.ts';
import type { Gateway } from './gateway-client.ts';
import { Limiter } from './limiter.ts';
import type { FunctionHealth } from './batch-verdicts.ts';
import { PartitionWorker, type PartitionSnapshot } from './partition-worker.ts';
import {
  createSinkPublisher,
  createTransactionalPublisher,
  producerRetry,
  type PartitionRef,
  type Publisher,
} from './publisher.ts';
import type { RetryPolicy } from './retry.ts';
import type { Telemetry } from './telemetry.ts';

export interface FunctionConsumerDeps {
  kafka: Kafka;
  admin: Admin;
  gateway: Gateway;
  telemetry: Telemetry;
  logger: Logger;
  policy: RetryPolicy;
  attemptsBeforeSplit: number;
}

export type ConsumerState = 'starting' | 'running' | 'crashed' | 'stopping' | 'stopped';

export interface FunctionConsumerSnapshot {
  function: string;
  groupId: string;
  topic: string;
  outputs: string[];
  delivery: FunctionSpec['delivery'];
  state: ConsumerState;
  inFlightLimit: number;
  partitions: PartitionSnapshot[];
}

/**
 * Feeds one function from its topic: one consumer group, one partition worker per assigned
 * partition. The kafkajs fetch loop only fills the workers' buffers, so a partition that waits
 * on retries never holds back the fetches of the others.
 */
export class FunctionConsumer {
  #spec: FunctionSpec;
  readonly #deps: FunctionConsumerDeps;
  readonly #groupId: string;
  readonly #limiter: Limiter;
  readonly #workers = new Map<number, PartitionWorker>();
  readonly #health: FunctionHealth = { lastSuccessAt: undefined };
  readonly #consumer: Consumer;
  #producer: Producer | undefined;
  #state: ConsumerState = 'starting';

  constructor(spec: FunctionSpec, deps: FunctionConsumerDeps) {
    this.#spec = spec;
    this.#deps = deps;
    this.#groupId = groupIdFor(spec.name);
    this.#limiter = new Limiter(this.#inFlightLimit(spec));
    this.#consumer = deps.kafka.consumer({
      groupId: this.#groupId,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 200,
      maxBytesPerPartition: Math.min(spec.batch.maxBytes * 2, 16 * 1024 * 1024),
      sessionTimeout: 30_000,
      rebalanceTimeout: 60_000,
      retry: { retries: 8, initialRetryTime: 200 },
    });
  }

  get state(): ConsumerState {
    return this.#state;
  }

  get spec(): FunctionSpec {
    return this.#spec;
  }

  /** A function scaled to zero still gets one batch at a time: the gateway holds it over the cold start. */
  #inFlightLimit(spec: FunctionSpec): number {
    return Math.max(1, spec.replicas) * spec.concurrencyPerReplica;
  }

  /** Applies a changed spec of the same subscription (replicas, image tag, limits) live. */
  update(spec: FunctionSpec): void {
    this.#spec = spec;
    this.#limiter.setCapacity(this.#inFlightLimit(spec));
    this.#deps.telemetry.inFlight(spec.name, this.#limiter.inUse, this.#limiter.capacity);
  }

  async start(): Promise<void> {
    const spec = this.#spec;
    const { events } = this.#consumer;
    this.#consumer.on(events.REBALANCING, () => {
      for (const worker of this.#workers.values()) worker.invalidate();
    });
    this.#consumer.on(
      events.GROUP_JOIN,
      ({ payload }) => void this.#onAssignment(payload.memberAssignment[spec.topic] ?? []),
    );
    this.#consumer.on(events.END_BATCH_PROCESS, ({ payload }) => {
      // Batches of only transaction markers never reach eachBatch; their end still counts.
      if (payload.batchSize === 0)
        this.#workers.get(payload.partition)?.markFetched((BigInt(payload.lastOffset) + 1n).toString());
    });
    this.#consumer.on(events.CRASH, ({ payload }) => {
      this.#deps.logger.error(
        {
          function: spec.name,
          groupId: this.#groupId,
          error: payload.error.message,
          restart: payload.restart,
        },
        'consumer crashed',
      );
      if (!payload.restart) this.#state = 'crashed';
    });
    if (spec.delivery === 'sink') {
      this.#producer = this.#deps.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        retry: producerRetry,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      await this.#producer.connect();
    }
    await this.#consumer.connect();
    await this.#consumer.subscribe({ topic: spec.topic, fromBeginning: true });
    await this.#consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: true,
      partitionsConsumedConcurrently: 1,
      eachBatch: async ({ batch, isRunning, isStale, heartbeat }) => {
        if (!isRunning() || isStale() || this.#state === 'stopping') return;
        this.#worker(batch.partition).push(batch.messages, batch.lastOffset());
        await heartbeat();
      },
    });
    if (this.#state === 'starting') this.#state = 'running';
    this.#deps.logger.info(
      {
        function: spec.name,
        groupId: this.#groupId,
        topic: spec.topic,
        outputs: spec.outputs,
        delivery: spec.delivery,
      },
      'consuming',
    );
  }

  /**
   * A (re)assignment. Each assigned partition is held, its publisher fences any earlier owner
   * (whose open transaction is completed or aborted by that), and only then is its committed
   * offset read and the consumer moved there. Reading it earlier could miss a commit the earlier
   * owner was finishing, and process those records twice.
   */
  async #onAssignment(partitions: number[]): Promise<void> {
    const assigned = new Set(partitions);
    const revoked = [...this.#workers.entries()].filter(([partition]) => !assigned.has(partition));
    for (const [partition] of revoked) this.#workers.delete(partition);
    const holds = partitions.map((partition) => {
      const worker = this.#worker(partition);
      return { partition, worker, hold: worker.hold() };
    });
    await Promise.all(revoked.map(([, worker]) => worker.stop(0)));
    await Promise.all(
      holds.map(async ({ partition, worker, hold }) => {
        for (let attempt = 1; this.#state !== 'stopping' && this.#state !== 'stopped'; attempt += 1) {
          try {
            await worker.prepare();
            await this.#seekToCommitted({ topic: this.#spec.topic, partition });
            worker.release(hold);
            return;
          } catch (error) {
            this.#deps.telemetry.publishFailed(
              this.#spec.name,
              this.#spec.topic,
              partition,
              attempt,
              1000,
              error,
            );
            await sleep(1000);
          }
        }
      }),
    );
    this.#deps.logger.info(
      { function: this.#spec.name, groupId: this.#groupId, partitions },
      'partitions assigned',
    );
  }

  async #seekToCommitted(at: PartitionRef): Promise<void> {
    const committed = await this.#committedOffset(at);
    const offset =
      committed ??
      (await this.#deps.admin.fetchTopicOffsets(at.topic)).find((entry) => entry.partition === at.partition)
        ?.low ??
      '0';
    this.#consumer.seek({ ...at, offset });
  }

  #worker(partition: number): PartitionWorker {
    let worker = this.#workers.get(partition);
    if (worker === undefined) {
      const at = { topic: this.#spec.topic, partition };
      worker = new PartitionWorker({
        ...at,
        spec: () => this.#spec,
        gateway: this.#deps.gateway,
        limiter: this.#limiter,
        publisher: this.#publisher(at),
        telemetry: this.#deps.telemetry,
        policy: this.#deps.policy,
        attemptsBeforeSplit: this.#deps.attemptsBeforeSplit,
        health: this.#health,
        pause: () => this.#consumer.pause([{ topic: at.topic, partitions: [partition] }]),
        resume: () => this.#consumer.resume([{ topic: at.topic, partitions: [partition] }]),
        rewind: () => this.#seekToCommitted(at),
      });
      this.#workers.set(partition, worker);
    }
    return worker;
  }

  #publisher(at: PartitionRef): Publisher {
    const options = {
      groupId: this.#groupId,
      at,
      policy: this.#deps.policy,
      onFailure: (attempt: number, delayMs: number, error: unknown) =>
        this.#deps.telemetry.publishFailed(this.#spec.name, at.topic, at.partition, attempt, delayMs, error),
    };
    if (this.#spec.delivery === 'sink') return createSinkPublisher(this.#producer!, this.#consumer, options);
    return createTransactionalPublisher(this.#deps.kafka, {
      ...options,
      transactionalId: `${this.#groupId}-${at.topic}-${at.partition}`,
      committedOffset: (ref) => this.#committedOffset(ref),
    });
  }

  async #committedOffset({ topic, partition }: PartitionRef): Promise<string | undefined> {
    const [offsets] = await this.#deps.admin.fetchOffsets({ groupId: this.#groupId, topics: [topic] });
    const offset = offsets?.partitions.find((entry) => entry.partition === partition)?.offset;
    return offset === undefined || offset === '-1' ? undefined : offset;
  }

  /**
   * Stops fetching, lets each partition finish its batch in flight and commit it (up to
   * `graceMs`), then leaves the group. Buffered records not yet taken are consumed again later.
   * The consumer keeps running (paused) until the workers are done: a sink commits through it.
   */
  async stop(graceMs: number): Promise<void> {
    if (this.#state === 'stopped' || this.#state === 'stopping') return;
    this.#state = 'stopping';
    try {
      this.#consumer.pause([{ topic: this.#spec.topic }]);
    } catch {
      // not running yet (start failed): nothing to pause
    }
    const workers = [...this.#workers.values()];
    this.#workers.clear();
    await Promise.all(workers.map((worker) => worker.stop(graceMs)));
    await this.#consumer.disconnect().catch(() => undefined);
    await this.#producer?.disconnect().catch(() => undefined);
    this.#state = 'stopped';
    this.#deps.logger.info({ function: this.#spec.name, groupId: this.#groupId }, 'stopped consuming');
  }

  snapshot(): FunctionConsumerSnapshot {
    return {
      function: this.#spec.name,
      groupId: this.#groupId,
      topic: this.#spec.topic,
      outputs: this.#spec.outputs,
      delivery: this.#spec.delivery,
      state: this.#state,
      inFlightLimit: this.#limiter.capacity,
      partitions: [...this.#workers.values()]
        .map((worker) => worker.snapshot())
        .sort((a, b) => a.partition - b.partition),
    };
  }
}
