import type { Admin, Kafka, Producer } from 'kafkajs';
import type { Logger } from '../../lib/logger.ts';
import type { FunctionHealth } from './batch-verdicts.ts';
import { dlqTopicFor, groupIdFor } from '../../contracts/kafka-names.ts';
import type { Subscription } from './subscription.ts';
import { startFunctionLoop, type FunctionLoop } from './function-loop.ts';
import type { GatewayClient } from './gateway-client.ts';
import { groupOffsets, type GroupOffsets } from './group-offsets.ts';
import { outputPartitionCounts } from './output-partitions.ts';
import { clusterSize } from '../../lib/kafka-request-groups.ts';
import { GroupMember } from './group-member.ts';
import { Limiter } from './limiter.ts';
import { createStabilityDeps, waitForStableOffsets } from './offset-stability.ts';
import { PartitionPosition, type PositionSnapshot } from './partition-position.ts';
import { publisherFor, transactionTimeoutMs, type Publisher } from './publisher.ts';
import { sleep, type RetryPolicy } from '../../lib/backoff.ts';
import type { Telemetry } from './telemetry.ts';

export interface FunctionConsumerDeps {
  kafka: Kafka;
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
  inFlightLimit: number;
  invoking: boolean;
  publishing: number;
  partitions: PositionSnapshot[];
}

/**
 * Feeds one function from its topic: one consumer group, one position per assigned partition,
 * one cycle loop (function-loop.ts) over all of them. The kafkajs fetch loop only fills the
 * positions, so slow invocations never hold back fetches or heartbeats.
 *
 * Ownership: every (re)assignment is a new generation. Its partitions are held, the committed
 * offsets are read once no transaction of an earlier owner can still commit them
 * (offset-stability.ts), the consumer is moved there, and only then are records taken. A cycle
 * commits only while its generation is current and the group has heard from this instance
 * recently (`mayCommit`).
 */
export class FunctionConsumer {
  #spec: Subscription;
  readonly #deps: FunctionConsumerDeps;
  readonly #groupId: string;
  readonly #limiter: Limiter;
  readonly #health: FunctionHealth = { lastSuccessAt: undefined };
  #producer: Producer | undefined;
  #publisher: Publisher | undefined;
  #loop: FunctionLoop | undefined;
  #state: ConsumerState = 'starting';
  #generation = 0;
  #assigned: number[] = [];
  #positions = new Map<number, PartitionPosition>();
  readonly #member: GroupMember;
  #outputPartitions = new Map<string, number>();
  readonly #stability;
  readonly #offsets: GroupOffsets;

  constructor(spec: Subscription, deps: FunctionConsumerDeps) {
    this.#spec = spec;
    this.#deps = deps;
    this.#groupId = groupIdFor(spec.name);
    this.#limiter = new Limiter(this.#inFlightLimit(spec));
    this.#stability = createStabilityDeps(deps.kafka, deps.admin);
    this.#offsets = groupOffsets(deps.admin, this.#groupId, spec.topic);
    this.#member = GroupMember.create(deps.kafka, this.#groupId, spec.topic, spec.batch.maxBytes);
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
    this.#member.listen({
      assigned: (partitions) => void this.#takeOver(partitions),
      revoked: () => this.#newGeneration([]),
      markersFetched: (partition, lastOffset) => {
        this.#positions.get(partition)?.markFetched(BigInt(lastOffset) + 1n);
        this.#loop?.wake();
      },
      crashed: (error, restart) => {
        this.#deps.logger.error(
          { function: spec.name, groupId: this.#groupId, error: error.message, restart },
          'consumer crashed',
        );
        if (!restart) this.#state = 'crashed';
      },
      rejoining: () =>
        this.#deps.logger.warn(
          { function: spec.name, groupId: this.#groupId },
          'fetching resumed after a rebalance without a reported join; leaving and joining the group again',
        ),
    });
    const published = [...spec.outputs, dlqTopicFor(spec.topic)];
    this.#outputPartitions = await outputPartitionCounts(this.#deps.admin, published);
    const cluster = await clusterSize(this.#deps.admin);
    const { publisher, producer } = await publisherFor(this.#deps.kafka, this.#member.consumer, {
      delivery: spec.delivery,
      groupId: this.#groupId,
      topic: spec.topic,
      policy: this.#deps.policy,
      onFailure: (attempt, delayMs, error) =>
        this.#deps.telemetry.publishFailed(spec.name, spec.topic, -1, attempt, delayMs, error),
      transactionalId: `${this.#groupId}-${this.#deps.instanceId}`,
      cluster,
      committedOffsets: (partitions) => this.#offsets.committed(partitions),
    });
    this.#publisher = publisher;
    this.#producer = producer;
    await this.#publisher.prepare();
    this.#loop = startFunctionLoop({
      spec: () => this.#spec,
      positions: () => [...this.#positions.values()],
      mayCommit: (generation) => this.#mayCommit(generation),
      rewind: () => this.#takeOver(this.#assigned),
      outputPartitions: () => this.#outputPartitions,
      gateway: this.#deps.gateway,
      limiter: this.#limiter,
      publisher: this.#publisher,
      telemetry: this.#deps.telemetry,
      policy: this.#deps.policy,
      attemptsBeforeSplit: this.#deps.attemptsBeforeSplit,
      health: this.#health,
    });
    await this.#member.consumer.connect();
    await this.#member.consumer.subscribe({ topic: spec.topic, fromBeginning: true });
    await this.#member.run(
      (partition, messages, lastOffset) => {
        this.#positions.get(partition)?.push(messages, lastOffset);
        this.#loop?.wake();
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
      },
      'consuming',
    );
  }

  #mayCommit(generation: number): boolean {
    return (
      generation === this.#generation &&
      this.#state !== 'crashed' &&
      this.#state !== 'stopped' &&
      this.#member.recentlyHeard()
    );
  }

  /** Everything taken so far belongs to an ended generation: it never commits; new positions are held. */
  #newGeneration(assigned: number[]): number {
    this.#generation += 1;
    for (const position of this.#positions.values()) position.revoke();
    const topic = this.#spec.topic;
    const flow = (partition: number) => ({
      pause: () => this.#member.pause(partition),
      resume: () => this.#member.resume(partition),
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
  async #takeOver(partitions: number[]): Promise<void> {
    this.#assigned = partitions;
    const generation = this.#newGeneration(partitions);
    const spec = this.#spec;
    for (let attempt = 1; this.#live(generation); attempt += 1) {
      try {
        const { waitedMs } = await waitForStableOffsets(
          this.#groupId,
          this.#stability,
          transactionTimeoutMs * 2,
        );
        if (!this.#live(generation)) return;
        const committed = await this.#offsets.committed(partitions);
        const missing = partitions.filter((partition) => !committed.has(partition));
        const start =
          missing.length === 0 ? new Map<number, bigint>() : await this.#offsets.logStart(missing);
        if (!this.#live(generation)) return;
        for (const partition of partitions) {
          const offset = committed.get(partition) ?? start.get(partition) ?? 0n;
          this.#member.seek(partition, offset);
          this.#positions.get(partition)?.release(committed.get(partition));
        }
        this.#loop?.wake();
        this.#deps.logger.info(
          { function: spec.name, groupId: this.#groupId, partitions, generation, stableAfterMs: waitedMs },
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
    this.#member.pauseAll();
    // cycles taken before the stop still commit: their generation stays current
    await this.#loop?.stop(graceMs);
    for (const position of this.#positions.values()) position.revoke();
    for (const partition of this.#positions.keys())
      this.#deps.telemetry.buffered(this.#spec.name, partition, 0);
    await this.#member.consumer.disconnect().catch(() => undefined);
    await this.#producer?.disconnect().catch(() => undefined);
    if (this.#loop === undefined) await this.#publisher?.close();
    await this.#stability.close();
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
      invoking: this.#loop?.invoking ?? false,
      publishing: this.#loop?.publishing ?? 0,
      partitions: [...this.#positions.values()]
        .map((position) => position.snapshot())
        .sort((a, b) => a.partition - b.partition),
    };
  }
}
