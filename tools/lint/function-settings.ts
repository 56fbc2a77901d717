import { checkSetting } from '../../contracts/openfaas/read-settings.ts';
import { settings, type Delivery } from '../../contracts/openfaas/settings.ts';

/**
 * cdnfaas's settings for one function, read from the stack file through the settings registry
 * (contracts/openfaas/settings.ts): scaling bounds from the OpenFaaS labels, everything
 * cdnfaas-specific from annotations (OpenFaaS CE passes annotations through untouched, so the
 * same stack deploys on CE unchanged). Lint and the Kubernetes generator read them here.
 */
export interface FunctionSettings {
  /** The one Kafka topic the function consumes; undefined when it is not Kafka-triggered. */
  topic?: string;
  outputs: string[];
  delivery?: Delivery;
  minReplicas: number;
  maxReplicas: number;
  /** Records of lag per replica (KEDA's lagThreshold); required for Kafka-triggered functions. */
  lagTarget?: number;
  /** How long lag must stay low before scaling down, in whole seconds. */
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

/** Reads a function's cdnfaas settings; values that cannot be read are listed, defaults used instead. */
export function readFunctionSettings(fn: SettingsInput): SettingsResult {
  const problems: string[] = [];
  const topics = checkSetting(fn, settings.topic, problems) ?? [];
  if (topics.length > 1)
    problems.push(
      `${settings.topic.key}: "${fn.annotations[settings.topic.key]}" names ${topics.length} topics`,
    );
  const result: FunctionSettings = {
    outputs: checkSetting(fn, settings.outputs, problems) ?? [],
    minReplicas: checkSetting(fn, settings.scaleMin, problems) ?? settings.scaleMin.default,
    maxReplicas: checkSetting(fn, settings.scaleMax, problems) ?? settings.scaleMax.default,
    batch: {},
  };
  if (topics[0] !== undefined) result.topic = topics[0];
  const delivery = checkSetting(fn, settings.delivery, problems);
  if (delivery !== undefined) result.delivery = delivery;
  const lagTarget = checkSetting(fn, settings.lagTarget, problems);
  if (lagTarget !== undefined) result.lagTarget = lagTarget;
  const downWindowMs = checkSetting(fn, settings.downWindow, problems);
  if (downWindowMs !== undefined) result.downWindowSeconds = Math.round(downWindowMs / 1000);
  const maxRecords = checkSetting(fn, settings.maxRecords, problems);
  const maxWaitMs = checkSetting(fn, settings.maxWaitMs, problems);
  const maxBytes = checkSetting(fn, settings.maxBytes, problems);
  if (maxRecords !== undefined) result.batch.maxRecords = maxRecords;
  if (maxWaitMs !== undefined) result.batch.maxWaitMs = maxWaitMs;
  if (maxBytes !== undefined) result.batch.maxBytes = maxBytes;
  return { settings: result, problems };
}
