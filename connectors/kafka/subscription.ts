import type { FunctionMetadata, FunctionStatus } from '../../contracts/openfaas/function.ts';
import { inputTopic, invalidSetting, readSetting } from '../../contracts/openfaas/read-settings.ts';
import { settings, wholeNumber, type Delivery } from '../../contracts/openfaas/settings.ts';

export type { Delivery };

export interface BatchLimits {
  maxRecords: number;
  maxBytes: number;
  maxWaitMs: number;
}

/**
 * The connector's view of a function: where it reads, where its outputs go, how it is batched.
 * Read from the function's annotations through the settings registry.
 */
export interface Subscription {
  name: string;
  image: string;
  topic: string;
  outputs: string[];
  delivery: Delivery;
  batch: BatchLimits;
  /** Deadline of one invocation. */
  timeoutMs: number;
  /** Batches one replica takes at once; the in-flight limit is this times the replicas. */
  concurrencyPerReplica: number;
  replicas: number;
  /**
   * The input topic is an output of a function of this stack: the connector wrote its values
   * from function answers (JSON.stringify), so they are not parsed again on the way in. Values
   * from anywhere else are checked to be JSON before they go into a batch request.
   */
  inputFromStack: boolean;
}

/** What the connector reads of a function's status. */
export type SubscribedFunction = FunctionMetadata &
  Pick<FunctionStatus, 'image' | 'replicas'> & { envVars?: Record<string, string> | null };

/**
 * The connector's view of a deployed function, or undefined when it has no `topic` annotation
 * (not Kafka-triggered). Malformed annotations throw CONFIG_INVALID naming the function and key.
 */
export function toSubscription(fn: SubscribedFunction): Subscription | undefined {
  const topic = inputTopic(fn);
  if (topic === undefined) return undefined;
  const outputs = readSetting(fn, settings.outputs);
  if (outputs.includes(topic))
    throw invalidSetting(
      fn,
      settings.outputs.key,
      outputs.join(','),
      `free of the input topic ${topic} (a loop)`,
    );
  const delivery = readSetting(fn, settings.delivery) ?? (outputs.length > 0 ? 'transactional' : 'sink');
  // The watchdog's own in-flight limit, when set, is what a replica takes at once.
  const watchdogInflight = wholeNumber(1)(fn.envVars?.max_inflight ?? '');
  return {
    name: fn.name,
    image: fn.image,
    topic,
    outputs,
    delivery,
    batch: {
      maxRecords: readSetting(fn, settings.maxRecords),
      maxBytes: readSetting(fn, settings.maxBytes),
      maxWaitMs: readSetting(fn, settings.maxWaitMs),
    },
    timeoutMs: readSetting(fn, settings.timeoutMs),
    concurrencyPerReplica: readSetting(fn, {
      ...settings.concurrency,
      default: watchdogInflight ?? settings.concurrency.default,
    }),
    replicas: fn.replicas,
    inputFromStack: false,
  };
}

/** Marks the subscriptions whose input topic another subscription outputs to (the connector's own writes). */
export function markStackInputs(subscriptions: Iterable<Subscription>): void {
  const all = [...subscriptions];
  const outputs = new Set(all.flatMap((subscription) => subscription.outputs));
  for (const subscription of all) subscription.inputFromStack = outputs.has(subscription.topic);
}

/**
 * Whether a changed subscription can be applied to the running consumer (replicas, image tag,
 * batch limits, timeout) or needs a new one (a different topic, outputs or delivery mode).
 */
export function sameSubscription(a: Subscription, b: Subscription): boolean {
  return a.topic === b.topic && a.delivery === b.delivery && a.outputs.join(',') === b.outputs.join(',');
}
