/**
 * Every label and annotation cdnfaas reads from a function, once: its key, where it lives, its
 * default, its parser and what it means. The connector's subscription, the lag autoscaler, the
 * HTTP alert scaling, lint and the Kubernetes generator all read them through this registry
 * (read-settings.ts), so a key, a default or a rule cannot differ between them.
 *
 * cdnfaas's own settings are annotations: OpenFaaS CE passes annotations through unchanged and
 * lint refuses them as labels. OpenFaaS's scaling settings (com.openfaas.*) are labels, as
 * OpenFaaS reads them; an annotation of the same key is accepted too.
 */
import { parseDuration } from '../../lib/duration.ts';

export type SettingSource = 'annotation' | 'label';

export interface Setting<T> {
  key: string;
  source: SettingSource;
  /** The value when the function does not set it. */
  default: T;
  /** The value the text stands for, or undefined when it is not one. */
  parse(text: string): T | undefined;
  /** What a value must be, as error messages say it: "a whole number >= 1". */
  expected: string;
  doc: string;
}

export const deliveryModes = ['transactional', 'sink'] as const;
export type Delivery = (typeof deliveryModes)[number];

const topicName = /^[a-zA-Z0-9._-]{1,249}$/;

/** A whole number from min (to max); "1e3" and "2.0" are not. */
export function wholeNumber(
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): (text: string) => number | undefined {
  return (text) => {
    const trimmed = text.trim();
    if (!/^\d+$/.test(trimmed)) return undefined;
    const value = Number(trimmed);
    return value >= min && value <= max ? value : undefined;
  };
}

const countExpected = (min: number, max?: number) =>
  max === undefined ? `a whole number >= ${min}` : `a whole number from ${min} to ${max}`;

function count(
  key: string,
  source: SettingSource,
  fallback: number,
  min: number,
  doc: string,
  max?: number,
): Setting<number> {
  return {
    key,
    source,
    default: fallback,
    parse: wholeNumber(min, max),
    expected: countExpected(min, max),
    doc,
  };
}

function duration(key: string, source: SettingSource, fallbackMs: number, doc: string): Setting<number> {
  return {
    key,
    source,
    default: fallbackMs,
    parse: parseDuration,
    expected: 'a duration such as 30s, 5m or 1m30s',
    doc,
  };
}

/** Distinct Kafka topic names from a comma-separated list; undefined when one is not a topic name. */
export function topicList(text: string): string[] | undefined {
  const topics = text
    .split(',')
    .map((topic) => topic.trim())
    .filter((topic) => topic !== '');
  return topics.every((topic) => topicName.test(topic)) ? [...new Set(topics)] : undefined;
}

function flag(text: string): boolean | undefined {
  if (/^(true|1|yes)$/i.test(text.trim())) return true;
  if (/^(false|0|no|)$/i.test(text.trim())) return false;
  return undefined;
}

/**
 * The default of com.openfaas.scale.max everywhere: OpenFaaS's own (faas gateway
 * scaling/defaults.go, DefaultMaxReplicas), so a function without the label scales as far under
 * cdnfaas as under OpenFaaS. The local runtime's replica cap is at least this.
 */
export const defaultMaxReplicas = 20;

/** One registry entry, typed by its value. */
const define = <T>(setting: Setting<T>): Setting<T> => setting;

export const settings = {
  topic: define<string[]>({
    key: 'topic',
    source: 'annotation',
    default: [],
    parse: topicList,
    expected: 'a comma-separated list of Kafka topic names',
    doc: 'The one Kafka topic the connector feeds the function from; without it the function is called over HTTP only.',
  }),
  outputs: define<string[]>({
    key: 'cdnfaas.output',
    source: 'annotation',
    default: [],
    parse: topicList,
    expected: 'a comma-separated list of Kafka topic names',
    doc: 'Topics the function’s output records go to, co-partitioned with the input.',
  }),
  delivery: define<Delivery | undefined>({
    key: 'cdnfaas.delivery',
    source: 'annotation',
    default: undefined,
    parse: (text: string) => deliveryModes.find((mode) => mode === text.trim()),
    expected: deliveryModes.join(' or '),
    doc: 'transactional (outputs and offsets in one Kafka transaction) or sink; default: transactional with outputs, else sink.',
  }),
  maxRecords: count('cdnfaas.batch.max-records', 'annotation', 500, 1, 'Records per invocation at most.'),
  maxBytes: count(
    'cdnfaas.batch.max-bytes',
    'annotation',
    1024 * 1024,
    1024,
    'Bytes of record values per invocation at most.',
  ),
  maxWaitMs: count(
    'cdnfaas.batch.max-wait-ms',
    'annotation',
    50,
    0,
    'How long a partial batch may wait for more records, ms.',
  ),
  timeoutMs: count('cdnfaas.timeout-ms', 'annotation', 30_000, 100, 'Deadline of one invocation, ms.'),
  concurrency: count(
    'cdnfaas.concurrency',
    'annotation',
    4,
    1,
    'Batches one replica takes at once (default: the watchdog’s max_inflight, else 4).',
  ),
  lagTarget: count(
    'cdnfaas.scale.lag-target',
    'annotation',
    1000,
    1,
    'Records of lag per replica (KEDA’s lagThreshold).',
  ),
  downWindow: duration(
    'cdnfaas.scale.down-window',
    'annotation',
    60_000,
    'How long lag must stay low before the autoscaler scales down.',
  ),
  model: define<string | undefined>({
    key: 'cdnfaas.model',
    source: 'annotation',
    default: undefined,
    parse: (text: string) => text.trim() || undefined,
    expected: 'a model name',
    doc: 'The model a model-carrying image holds (runtime/build/model-image.ts).',
  }),
  scaleMin: count('com.openfaas.scale.min', 'label', 1, 0, 'Fewest replicas (OpenFaaS’s default 1).'),
  scaleMax: count(
    'com.openfaas.scale.max',
    'label',
    defaultMaxReplicas,
    1,
    'Most replicas (OpenFaaS’s default 20).',
  ),
  scaleFactor: count(
    'com.openfaas.scale.factor',
    'label',
    20,
    0,
    'Percent of the maximum added per firing alert; 0 turns alert scaling off (OpenFaaS’s default 20).',
    100,
  ),
  scaleZero: define<boolean>({
    key: 'com.openfaas.scale.zero',
    source: 'label',
    default: false,
    parse: flag,
    expected: 'true or false',
    doc: 'Whether the autoscaler may scale the function to zero when idle.',
  }),
  scaleZeroDuration: duration(
    'com.openfaas.scale.zero-duration',
    'label',
    15 * 60_000,
    'Idle time before scaling to zero (OpenFaaS’s default 15m).',
  ),
};

export type SettingName = keyof typeof settings;
