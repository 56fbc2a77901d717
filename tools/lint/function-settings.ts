import { ceLimits } from './ce-limits.ts';

/**
 * cdnfaas's settings for one function, read from the stack file: scaling bounds from the
 * OpenFaaS labels, everything cdnfaas-specific from annotations (OpenFaaS CE passes
 * annotations through untouched, so the same stack deploys on CE unchanged).
 */

export const annotationKeys = {
  topic: 'topic',
  output: 'cdnfaas.output',
  delivery: 'cdnfaas.delivery',
  maxRecords: 'cdnfaas.batch.max-records',
  maxWaitMs: 'cdnfaas.batch.max-wait-ms',
  maxBytes: 'cdnfaas.batch.max-bytes',
  lagTarget: 'cdnfaas.scale.lag-target',
  downWindow: 'cdnfaas.scale.down-window',
  timeoutMs: 'cdnfaas.timeout-ms',
  concurrency: 'cdnfaas.concurrency',
  /** The model a model-carrying image holds (runtime/build/model-image.ts). */
  model: 'cdnfaas.model',
} as const;

export const labelKeys = { min: 'com.openfaas.scale.min', max: 'com.openfaas.scale.max' } as const;

export const deliveryModes = ['transactional', 'sink'] as const;
export type DeliveryMode = (typeof deliveryModes)[number];

/** OpenFaaS's default minimum; the maximum defaults to CE's cap (OpenFaaS's own default, 20, is above it). */
export const defaultMinReplicas = 1;
export const defaultMaxReplicas = ceLimits.maxReplicas;

export interface FunctionSettings {
  /** The one Kafka topic the function consumes; undefined when it is not Kafka-triggered. */
  topic?: string;
  outputs: string[];
  delivery?: DeliveryMode;
  minReplicas: number;
  maxReplicas: number;
  /** Records of lag per replica (KEDA's lagThreshold); required for Kafka-triggered functions. */
  lagTarget?: number;
  /** How long lag must stay low before scaling down (Go duration such as 60s or 2m), in seconds. */
  downWindowSeconds?: number;
  batch: { maxRecords?: number; maxWaitMs?: number; maxBytes?: number };
}

export interface SettingsInput {
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface SettingsResult {
  settings: FunctionSettings;
  /** Each value that could not be read, as `key: what is wrong`. */
  problems: string[];
}

const wholeNumber = /^\d+$/;

function readCount(
  source: Record<string, string>,
  key: string,
  minimum: number,
  problems: string[],
): number | undefined {
  const raw = source[key];
  if (raw === undefined) return undefined;
  if (!wholeNumber.test(raw.trim()) || Number(raw) < minimum) {
    problems.push(`${key}: "${raw}" is not a whole number >= ${minimum}`);
    return undefined;
  }
  return Number(raw);
}

const durationUnits: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };

/** A Go-style duration (`90s`, `1m30s`, or bare seconds) in whole seconds; undefined if unreadable. */
export function durationSeconds(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/gy)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== trimmed) return undefined;
  return Math.round(parts.reduce((total, p) => total + Number(p[1]) * durationUnits[p[2]!]!, 0));
}

function splitList(value: string | undefined): string[] {
  return value === undefined ? [] : value.split(',').map((item) => item.trim());
}

/** Reads a function's cdnfaas settings; values that cannot be read are listed, defaults used instead. */
export function readFunctionSettings(fn: SettingsInput): SettingsResult {
  const problems: string[] = [];
  const { labels, annotations } = fn;
  const topics = splitList(annotations[annotationKeys.topic]);
  if (topics.length > 1)
    problems.push(`${annotationKeys.topic}: "${annotations.topic}" names ${topics.length} topics`);
  const delivery = annotations[annotationKeys.delivery];
  if (delivery !== undefined && !(deliveryModes as readonly string[]).includes(delivery)) {
    problems.push(`${annotationKeys.delivery}: "${delivery}" is not one of ${deliveryModes.join(', ')}`);
  }
  const settings: FunctionSettings = {
    outputs: splitList(annotations[annotationKeys.output]),
    minReplicas: readCount(labels, labelKeys.min, 0, problems) ?? defaultMinReplicas,
    maxReplicas: readCount(labels, labelKeys.max, 1, problems) ?? defaultMaxReplicas,
    batch: {},
  };
  if (topics[0] !== undefined && topics[0] !== '') settings.topic = topics[0];
  if (delivery !== undefined && problems.every((p) => !p.startsWith(annotationKeys.delivery))) {
    settings.delivery = delivery as DeliveryMode;
  }
  const lagTarget = readCount(annotations, annotationKeys.lagTarget, 1, problems);
  if (lagTarget !== undefined) settings.lagTarget = lagTarget;
  const downWindow = annotations[annotationKeys.downWindow];
  if (downWindow !== undefined) {
    const seconds = durationSeconds(downWindow);
    if (seconds === undefined)
      problems.push(`${annotationKeys.downWindow}: "${downWindow}" is not a duration such as 60s or 2m`);
    else settings.downWindowSeconds = seconds;
  }
  const maxRecords = readCount(annotations, annotationKeys.maxRecords, 1, problems);
  const maxWaitMs = readCount(annotations, annotationKeys.maxWaitMs, 0, problems);
  const maxBytes = readCount(annotations, annotationKeys.maxBytes, 1, problems);
  if (maxRecords !== undefined) settings.batch.maxRecords = maxRecords;
  if (maxWaitMs !== undefined) settings.batch.maxWaitMs = maxWaitMs;
  if (maxBytes !== undefined) settings.batch.maxBytes = maxBytes;
  return { settings, problems };
}
