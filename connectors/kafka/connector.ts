import { isCdnfaasError } from '../../lib/errors.ts';
import {
  FunctionConsumer,
  type FunctionConsumerDeps,
  type FunctionConsumerSnapshot,
} from './function-consumer.ts';
import { dlqTopicFor, groupIdFor } from '../../contracts/kafka-names.ts';
import { markStackInputs, sameSubscription, toSubscription, type Subscription } from './subscription.ts';
import { sleep } from '../../lib/backoff.ts';

/** What every function consumer gets, and how the connector discovers and stops them. */
export interface ConnectorOptions extends FunctionConsumerDeps {
  /** How often GET /system/functions is read. */
  discoveryIntervalMs: number;
  /** How long a stopping function may take to finish its cycles in flight. */
  shutdownGraceMs: number;
}

/**
 * The connector: reads the function list from the gateway every few seconds and keeps one
 * FunctionConsumer per Kafka-triggered function, starting, updating and stopping them as
 * functions are deployed, changed and deleted. Nothing here crashes on a bad function or a
 * missing topic: it is logged and tried again at the next discovery.
 */
export class Connector {
  readonly #options: ConnectorOptions;
  readonly #consumers = new Map<string, FunctionConsumer>();
  /** Every Kafka-triggered function of the last discovery, consumed or not (e.g. its topic is missing). */
  #wanted = new Map<string, Subscription>();
  /** Last problem logged per function, so a persisting one is logged once, not every tick. */
  readonly #reported = new Map<string, string>();
  readonly #stop = new AbortController();
  #loop: Promise<void> | undefined;
  #lastSync: Date | undefined;

  constructor(options: ConnectorOptions) {
    this.#options = options;
  }

  get lastSync(): Date | undefined {
    return this.#lastSync;
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  async #run(): Promise<void> {
    while (!this.#stop.signal.aborted) {
      await this.sync().catch((error: unknown) => {
        if (!this.#stop.signal.aborted)
          this.#report('(gateway)', 'discovery failed; keeping current consumers', error);
      });
      await sleep(this.#options.discoveryIntervalMs, this.#stop.signal).catch(() => undefined);
    }
  }

  /** One discovery pass; exposed so tests and the CLI can force one. */
  async sync(): Promise<void> {
    const statuses = await this.#options.gateway.listFunctions(this.#stop.signal);
    this.#reported.delete('(gateway)');
    const wanted = new Map<string, Subscription>();
    for (const status of statuses) {
      try {
        const spec = toSubscription(status);
        if (spec !== undefined) wanted.set(spec.name, spec);
      } catch (error) {
        this.#report(status.name, 'function has invalid annotations; not consuming for it', error);
      }
    }
    markStackInputs(wanted.values());
    // Listed on every pass: an input topic deleted under its consumer makes kafkajs crash and
    // restart that consumer every 200 ms for as long as the topic is gone.
    const topics = new Set(await this.#options.admin.listTopics());
    for (const [name, consumer] of this.#consumers) {
      const spec = wanted.get(name);
      if (spec !== undefined && !topics.has(spec.topic)) {
        this.#options.logger.error(
          { function: name, topic: spec.topic },
          'input topic was deleted; stopping its consumer until the topic exists again',
        );
        await this.#remove(name, consumer, 0);
      } else if (spec === undefined) {
        this.#options.logger.info(
          { function: name },
          'function removed or no longer Kafka-triggered; stopping its consumer',
        );
        await this.#remove(name, consumer, 2_000);
      } else if (!sameSubscription(consumer.spec, spec) || consumer.state === 'crashed') {
        this.#options.logger.info(
          { function: name, state: consumer.state },
          'subscription changed; restarting its consumer',
        );
        await this.#remove(name, consumer, this.#options.shutdownGraceMs);
      } else {
        consumer.update(spec);
      }
    }
    this.#wanted = wanted;
    if (this.#stop.signal.aborted) return;
    const missing = [...wanted.values()].filter((spec) => !this.#consumers.has(spec.name));
    for (const spec of missing) await this.#add(spec, topics);
    this.#lastSync = new Date();
  }

  async #add(spec: Subscription, topics: Set<string>): Promise<void> {
    if (!topics.has(spec.topic)) {
      this.#report(
        spec.name,
        'input topic does not exist; retrying at the next discovery',
        new Error(`topic ${spec.topic} not found`),
        { topic: spec.topic },
      );
      return;
    }
    const dlq = dlqTopicFor(spec.topic);
    const consumer = new FunctionConsumer(spec, this.#options);
    this.#consumers.set(spec.name, consumer);
    try {
      if (!topics.has(dlq)) {
        await this.#options.admin.createTopics({
          topics: [{ topic: dlq, numPartitions: 1 }],
          waitForLeaders: true,
        });
        this.#options.logger.info({ function: spec.name, topic: dlq }, 'created the dead-letter topic');
      }
      await consumer.start();
      this.#reported.delete(spec.name);
    } catch (error) {
      this.#report(spec.name, 'could not start consuming; retrying at the next discovery', error, {
        topic: spec.topic,
      });
      await this.#remove(spec.name, consumer, 0);
    }
  }

  async #remove(name: string, consumer: FunctionConsumer, graceMs: number): Promise<void> {
    this.#consumers.delete(name);
    await consumer.stop(graceMs);
  }

  #report(key: string, message: string, error: unknown, context: Record<string, unknown> = {}): void {
    const detail = isCdnfaasError(error) ? error.describe() : (error as Error).message;
    if (this.#reported.get(key) === `${message}|${detail}`) return;
    this.#reported.set(key, `${message}|${detail}`);
    this.#options.logger.error({ function: key, ...context, error: detail }, message);
  }

  /** SIGTERM: stop discovering, let every partition finish and commit its batch, leave the groups. */
  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#loop;
    const consumers = [...this.#consumers.entries()];
    this.#consumers.clear();
    await Promise.all(consumers.map(([, consumer]) => consumer.stop(this.#options.shutdownGraceMs)));
  }

  /** The consumer groups this connector is responsible for, whether or not they consume right now. */
  targets(): { function: string; groupId: string; topic: string }[] {
    return [...this.#wanted.values()].map((spec) => ({
      function: spec.name,
      groupId: groupIdFor(spec.name),
      topic: spec.topic,
    }));
  }

  snapshot(): FunctionConsumerSnapshot[] {
    return [...this.#consumers.values()].map((consumer) => consumer.snapshot());
  }
}
