import type { Admin } from 'kafkajs';
import type { Logger } from '../../lib/logger.ts';
import type { FunctionHealth } from './batch-verdicts.ts';
import { dlqTopicFor, groupIdFor } from '../../contracts/kafka-names.ts';
import type { Subscription } from './subscription.ts';
import { startFunctionLoop, type FunctionLoop } from './function-loop.ts';
import type { GatewayClient } from './gateway-client.ts';
import { outputPartitionCounts } from './output-partitions.ts';
import { clusterSize } from '../../lib/kafka-request-groups.ts';
import type { FunctionFeed, TakeOverReason } from './feed.ts';
import { Limiter } from './limiter.ts';
import { PartitionPosition, type PositionSnapshot } from './partition-position.ts';
import type { Publisher } from './publisher.ts';
import { sleep, type RetryPolicy } from '../../lib/backoff.ts';
import type { Telemetry } from './telemetry.ts';

export interface FunctionConsumerDeps {
  /** The Kafka side of one function on this instance, with the client the connector chose. */
  feedFor(at: { groupId: string; topic: string; batchMaxBytes: number }): FunctionFeed;
  admin: Admin;
  gateway: GatewayClient;
  telemetry: Telemetry;
  logger: Logger;
  policy: RetryPolicy;
  /** Invocations of a failing (sub-)batch before it is split. */
  attemptsBeforeSplit: number;
  /** Names this connector instance in its transactional ids: unique among live instances, stable across restarts. */
  instanceId: string;
}

export type ConsumerState = 'starting' | 'running' | 'crashed' | 'stopping' | 'stopped';

export interface FunctionConsumerSnapshot {
  function: string;
  groupId: string;
  topic: string;
  outputs: string[];
  delivery: Subscription['delivery'];
  state: ConsumerState;
  kafkaClient: FunctionFeed['client'];
  inFlightLimit: number;
  invoking: boolean;
  publishing: number;
  partitions: PositionSnapshot[];
}

/**
 * Feeds one function from its topic: one consumer group, one position per assigned partition,
 * one cycle loop (function-loop.ts) over all of them. The feed (feed.ts: kafkajs or librdkafka)
 * only fills the positions, so slow invocations never hold back fetches or heartbeats.
 *
 * Ownership: every (re)assignment is a new generation. Its partitions are held until the feed
 * stands on committed offsets no transaction of an earlier owner can still change, and only
 * then are records taken. A cycle
 * commits only while its generation is current and the group has heard from this instance
 * recently (`mayCommit`).
 */
export class FunctionConsumer {
  #spec: Subscription;
  readonly #deps: FunctionConsumerDeps;
  readonly #groupId: string;
  readonly #limiter: Limiter;
  readonly #health: FunctionHealth = { lastSuccessAt: undefined };
  #publisher: Publisher | undefined;
  #loop: FunctionLoop | undefined;
  #state: ConsumerState = 'starting';
  #generation = 0;
  #assigned: number[] = [];
  #positions = new Map<number, PartitionPosition>();
  readonly #feed: FunctionFeed;
  #outputPartitions = new Map<string, number>();

  constructor(spec: Subscription, deps: FunctionConsumerDeps) {
    this.#spec = spec;
    this.#deps = deps;
    this.#groupId = groupIdFor(spec.name);
    this.#limiter = new Limiter(this.#inFlightLimit(spec));
    this.#feed = deps.feedFor({
      groupId: this.#groupId,
      topic: spec.topic,
      batchMaxBytes: spec.batch.maxBytes,
    });
  }

  get state(): ConsumerState {
    return this.#state;
  }

  get spec(): Subscription {
    return this.#spec;
  }

  /** A function scaled to zero still gets one batch at a time: the gateway holds it over the cold start. */
  #inFlightLimit(spec: Subscription): number {
    return Math.max(1, spec.replicas) * spec.concurrencyPerReplica;
  }

  /** Applies a changed spec of the same subscription (replicas, image tag, limits) live. */
  update(spec: Subscription): void {
    this.#spec = spec;
    this.#limiter.setCapacity(this.#inFlightLimit(spec));
    this.#deps.telemetry.inFlight(spec.name, this.#limiter.inUse, this.#limiter.capacity);
  }

  async start(): Promise<void> {
    const spec = this.#spec;
    const published = [...spec.outputs, dlqTopicFor(spec.topic)];
    this.#outputPartitions = await outputPartitionCounts(this.#deps.admin, published);
    const cluster = await clusterSize(this.#deps.admin);
    this.#publisher = await this.#feed.publisher({
      delivery: spec.delivery,
      groupId: this.#groupId,
      topic: spec.topic,
      policy: this.#deps.policy,
      onFailure: (attempt, delayMs, error) =>
        this.#deps.telemetry.publishFailed(spec.name, spec.topic, -1, attempt, delayMs, error),
      transactionalId: `${this.#groupId}-${this.#deps.instanceId}`,
      cluster,
    });
    this.#loop = startFunctionLoop({
      spec: () => this.#spec,
      positions: () => [...this.#positions.values()],
      mayCommit: (generation) => this.#mayCommit(generation),
      rewind: () => this.#takeOver(this.#assigned, 'rewind'),
      outputPartitions: () => this.#outputPartitions,
      gateway: this.#deps.gateway,
      limiter: this.#limiter,
      publisher: this.#publisher,
      telemetry: this.#deps.telemetry,
      policy: this.#deps.policy,
      attemptsBeforeSplit: this.#deps.attemptsBeforeSplit,
      health: this.#health,
    });
    const context = { function: spec.name, groupId: this.#groupId };
    await this.#feed.run(
      {
        assigned: (partitions) => this.#takeOver(partitions, 'assigned'),
        revoked: () => void this.#newGeneration([]),
        fetched: (partition, messages, lastOffset) => {
          this.#positions.get(partition)?.push(messages, lastOffset);
          this.#loop?.wake();
        },
        movedPast: (partition, next) => {
          this.#positions.get(partition)?.markFetched(next);
          this.#loop?.wake();
        },
        crashed: (error, restart) => {
          this.#deps.logger.error({ ...context, error: error.message, restart }, 'consumer crashed');
          if (!restart) this.#state = 'crashed';
        },
        warned: (message) => this.#deps.logger.warn(context, message),
      },
      () => this.#state !== 'stopping' && this.#state !== 'stopped',
    );
    if (this.#state === 'starting') this.#state = 'running';
    this.#deps.logger.info(
      {
        function: spec.name,
        groupId: this.#groupId,
        topic: spec.topic,
        outputs: spec.outputs,
        delivery: spec.delivery,
        kafkaClient: this.#feed.client,
      },
      'consuming',
    );
  }

  #mayCommit(generation: number): boolean {
    return (
      generation === this.#generation &&
      this.#state !== 'crashed' &&
      this.#state !== 'stopped' &&
      this.#feed.recentlyHeard()
    );
  }

  /** Everything taken so far belongs to an ended generation: it never commits; new positions are held. */
  #newGeneration(assigned: number[]): number {
    this.#generation += 1;
    for (const position of this.#positions.values()) position.revoke();
    const topic = this.#spec.topic;
    const flow = (partition: number) => ({
      pause: () => this.#feed.pause(partition),
      resume: () => this.#feed.resume(partition),
    });
    const limits = () => ({
      highWaterRecords: this.#spec.batch.maxRecords * 2,
      highWaterBytes: this.#spec.batch.maxBytes * 2,
    });
    this.#positions = new Map(
      assigned.map((partition) => [
        partition,
        new PartitionPosition({ topic, partition }, this.#generation, limits, flow(partition)),
      ]),
    );
    for (const partition of assigned) this.#deps.telemetry.buffered(this.#spec.name, partition, 0);
    return this.#generation;
  }

  /**
   * A (re)assignment, or a rewind after a fault: a new generation whose positions are released
   * once the committed offsets are stable and the consumer stands on them.
   */
  async #takeOver(partitions: number[], reason: TakeOverReason): Promise<void> {
    this.#assigned = partitions;
    const generation = this.#newGeneration(partitions);
    const spec = this.#spec;
    for (let attempt = 1; this.#live(generation); attempt += 1) {
      try {
        const moved = await this.#feed.takeOver(partitions, reason, () => this.#live(generation));
        if (moved === undefined || !this.#live(generation)) return;
        for (const partition of partitions)
          this.#positions.get(partition)?.release(moved.committed.get(partition));
        this.#loop?.wake();
        this.#deps.logger.info(
          {
            function: spec.name,
            groupId: this.#groupId,
            partitions,
            generation,
            reason,
            stableAfterMs: moved.stableAfterMs,
          },
          'partitions assigned',
        );
        return;
      } catch (error) {
        this.#deps.telemetry.publishFailed(spec.name, spec.topic, -1, attempt, 1000, error);
        await sleep(1000);
      }
    }
  }

  #live(generation: number): boolean {
    return generation === this.#generation && this.#state !== 'stopping' && this.#state !== 'stopped';
  }

  /**
   * Stops fetching, lets the cycles in flight finish and commit (up to `graceMs`), then leaves
   * the group. Buffered records not yet taken are consumed again later. The consumer keeps
   * running (paused) until the loop is done: a sink commits through it.
   */
  async stop(graceMs: number): Promise<void> {
    if (this.#state === 'stopped' || this.#state === 'stopping') return;
    this.#state = 'stopping';
    this.#feed.pauseAll();
    // cycles taken before the stop still commit: their generation stays current
    await this.#loop?.stop(graceMs);
    for (const position of this.#positions.values()) position.revoke();
    for (const partition of this.#positions.keys())
      this.#deps.telemetry.buffered(this.#spec.name, partition, 0);
    if (this.#loop === undefined) await this.#publisher?.close();
    await this.#feed.close();
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
      kafkaClient: this.#feed.client,
      inFlightLimit: this.#limiter.capacity,
      invoking: this.#loop?.invoking ?? false,
      publishing: this.#loop?.publishing ?? 0,
      partitions: [...this.#positions.values()]
        .map((position) => position.snapshot())
        .sort((a, b) => a.partition - b.partition),
    };
  }
}
