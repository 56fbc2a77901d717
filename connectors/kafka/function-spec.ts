import { z } from 'zod';
import { CdnfaasError } from '../../lib/errors.ts';
import { parseDuration } from './duration.ts';

/**
 * What the connector needs from one entry of GET /system/functions (OpenFaaS FunctionStatus).
 * Only these fields are read; anything else a gateway sends is ignored.
 */
export const functionStatusSchema = z.object({
  name: z.string().min(1),
  image: z.string().default(''),
  replicas: z.number().int().min(0).default(0),
  availableReplicas: z.number().int().min(0).default(0),
  labels: z.record(z.string(), z.string()).nullish(),
  annotations: z.record(z.string(), z.string()).nullish(),
  envVars: z.record(z.string(), z.string()).nullish(),
});
export type FunctionStatus = z.infer<typeof functionStatusSchema>;

/** The annotation and label names the connector and the autoscaler read. */
export const keys = {
  topic: 'topic',
  outputs: 'cdnfaas.output',
  delivery: 'cdnfaas.delivery',
  maxRecords: 'cdnfaas.batch.max-records',
  maxBytes: 'cdnfaas.batch.max-bytes',
  maxWaitMs: 'cdnfaas.batch.max-wait-ms',
  timeoutMs: 'cdnfaas.timeout-ms',
  concurrency: 'cdnfaas.concurrency',
  lagTarget: 'cdnfaas.scale.lag-target',
  downWindow: 'cdnfaas.scale.down-window',
  scaleMin: 'com.openfaas.scale.min',
  scaleMax: 'com.openfaas.scale.max',
  scaleZero: 'com.openfaas.scale.zero',
  scaleZeroDuration: 'com.openfaas.scale.zero-duration',
} as const;

export type Delivery = 'transactional' | 'sink';

export interface BatchLimits {
  maxRecords: number;
  maxBytes: number;
  maxWaitMs: number;
}

/** A function the connector feeds: where it reads, where its outputs go, how it is batched. */
export interface FunctionSpec {
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
}

export const defaults = {
  batch: { maxRecords: 500, maxBytes: 1024 * 1024, maxWaitMs: 50 } satisfies BatchLimits,
  timeoutMs: 30_000,
  concurrencyPerReplica: 4,
} as const;

const topicName = /^[a-zA-Z0-9._-]{1,249}$/;

/**
 * cdnfaas settings (topic, cdnfaas.*) are annotations, which OpenFaaS CE passes through unchanged
 * (cdnfaas lint refuses them as labels); the OpenFaaS scaling settings (com.openfaas.*) are
 * labels, as OpenFaaS reads them, with annotations accepted too.
 */
function setting(status: FunctionStatus, key: string): string | undefined {
  if (key.startsWith('com.openfaas.')) return status.labels?.[key] ?? status.annotations?.[key];
  return status.annotations?.[key];
}

function invalid(status: FunctionStatus, key: string, value: string, expected: string): CdnfaasError {
  return new CdnfaasError(
    'CONFIG_INVALID',
    `function ${status.name}: ${key}=${JSON.stringify(value)} is not ${expected}`,
    {
      hint: `fix the ${key} annotation in stack.yml and deploy the function again`,
      context: { function: status.name, key, value },
    },
  );
}

export function positiveInteger(status: FunctionStatus, key: string, fallback: number, min = 1): number {
  const raw = setting(status, key);
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw invalid(status, key, raw, `an integer >= ${min}`);
  return value;
}

export function durationMs(status: FunctionStatus, key: string, fallback: number): number {
  const raw = setting(status, key);
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = parseDuration(raw);
  if (value === undefined) throw invalid(status, key, raw, 'a duration such as 30s, 5m or 1m30s');
  return value;
}

export function flag(status: FunctionStatus, key: string): boolean {
  const raw = setting(status, key);
  if (raw === undefined) return false;
  if (/^(true|1|yes)$/i.test(raw.trim())) return true;
  if (/^(false|0|no|)$/i.test(raw.trim())) return false;
  throw invalid(status, key, raw, 'true or false');
}

function topicList(status: FunctionStatus, key: string): string[] {
  const raw = setting(status, key);
  if (raw === undefined) return [];
  const topics = raw
    .split(',')
    .map((topic) => topic.trim())
    .filter((topic) => topic !== '');
  for (const topic of topics) {
    if (!topicName.test(topic))
      throw invalid(status, key, raw, 'a comma-separated list of Kafka topic names');
  }
  return [...new Set(topics)];
}

/**
 * The connector's view of a deployed function, or undefined when it has no `topic` annotation
 * (not Kafka-triggered). Malformed annotations throw CONFIG_INVALID naming the function and key.
 */
export function toFunctionSpec(status: FunctionStatus): FunctionSpec | undefined {
  const inputs = topicList(status, keys.topic);
  if (inputs.length === 0) return undefined;
  if (inputs.length > 1)
    throw invalid(status, keys.topic, inputs.join(','), 'a single topic (one topic per function)');
  const topic = inputs[0]!;
  const outputs = topicList(status, keys.outputs);
  if (outputs.includes(topic))
    throw invalid(status, keys.outputs, outputs.join(','), `free of the input topic ${topic} (a loop)`);
  const deliveryRaw = setting(status, keys.delivery)?.trim();
  if (deliveryRaw !== undefined && deliveryRaw !== 'transactional' && deliveryRaw !== 'sink') {
    throw invalid(status, keys.delivery, deliveryRaw, 'transactional or sink');
  }
  const delivery: Delivery = deliveryRaw ?? (outputs.length > 0 ? 'transactional' : 'sink');
  const watchdogInflight = status.envVars?.max_inflight;
  const concurrencyFallback =
    watchdogInflight !== undefined &&
    Number.isInteger(Number(watchdogInflight)) &&
    Number(watchdogInflight) > 0
      ? Number(watchdogInflight)
      : defaults.concurrencyPerReplica;
  return {
    name: status.name,
    image: status.image,
    topic,
    outputs,
    delivery,
    batch: {
      maxRecords: positiveInteger(status, keys.maxRecords, defaults.batch.maxRecords),
      maxBytes: positiveInteger(status, keys.maxBytes, defaults.batch.maxBytes, 1024),
      maxWaitMs: positiveInteger(status, keys.maxWaitMs, defaults.batch.maxWaitMs, 0),
    },
    timeoutMs: positiveInteger(status, keys.timeoutMs, defaults.timeoutMs, 100),
    concurrencyPerReplica: positiveInteger(status, keys.concurrency, concurrencyFallback),
    replicas: status.replicas,
  };
}

/**
 * Whether a changed spec can be applied to the running consumer (replicas, image tag, batch
 * limits, timeout) or needs a new one (a different topic, outputs or delivery mode).
 */
export function sameSubscription(a: FunctionSpec, b: FunctionSpec): boolean {
  return a.topic === b.topic && a.delivery === b.delivery && a.outputs.join(',') === b.outputs.join(',');
}

/** One consumer group per function, named so operators can find it with kafka-consumer-groups. */
export function groupIdFor(functionName: string): string {
  return `cdnfaas-${functionName}`;
}

export function dlqTopicFor(topic: string): string {
  return `${topic}.dlq`;
}
