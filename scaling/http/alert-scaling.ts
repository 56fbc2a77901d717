/**
 * Scaling of functions called over HTTP, as OpenFaaS CE does it: Prometheus fires
 * APIHighInvocationRate for a function, AlertManager posts the alert to the gateway's
 * /system/alert, and the gateway adds `com.openfaas.scale.factor` percent of
 * `com.openfaas.scale.max` replicas per firing notification, or goes back to
 * `com.openfaas.scale.min` when the alert resolves (faas gateway/handlers/alerthandler.go).
 * Pure: the route and the gateway's own rule evaluator feed it and apply what it decides.
 */
import { z } from 'zod';
import {
  defaultNamespace,
  type FunctionMetadata,
  type FunctionStatus,
} from '../../contracts/openfaas/function.ts';
import { inputTopic, readScaleBounds, readSetting } from '../../contracts/openfaas/read-settings.ts';
import { defaultMaxReplicas, settings } from '../../contracts/openfaas/settings.ts';

export type AlertStatus = 'firing' | 'resolved';

/**
 * OpenFaaS's CalculateReplicas: firing adds ceil(max * factor / 100), capped at max; resolved
 * (and a firing alert with a zero step, i.e. factor 0) sets min. max is capped at OpenFaaS's
 * default maximum, as the original does.
 */
export function calculateReplicas(
  status: AlertStatus,
  current: number,
  max: number,
  min: number,
  factor: number,
): number {
  const cappedMax = Math.min(max, defaultMaxReplicas);
  const step = Math.ceil((cappedMax / 100) * factor);
  if (status === 'firing' && step > 0) return Math.min(current + step, cappedMax);
  return min;
}

export interface AlertScaleSettings {
  min: number;
  max: number;
  factor: number;
}

/**
 * min, max and factor of a function from its labels (annotations accepted too, as everywhere in
 * cdnfaas). Throws CONFIG_INVALID naming the key when one is malformed or max < min.
 */
export function alertScaleSettings(fn: FunctionMetadata): AlertScaleSettings {
  const { min, max } = readScaleBounds(fn);
  const factor = readSetting(fn, settings.scaleFactor);
  return { min, max, factor };
}

/**
 * AlertManager's webhook payload (version 4). Only what the scaling reads is required; the
 * other fields AlertManager sends (groupKey, commonLabels, startsAt, ...) are accepted and ignored.
 */
export const alertPayloadSchema = z.object({
  version: z.string().optional(),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string().default(''),
  alerts: z.array(
    z.object({
      status: z.enum(['firing', 'resolved']),
      labels: z.object({ alertname: z.string().default(''), function_name: z.string().default('') }).loose(),
    }),
  ),
});
export type AlertPayload = z.infer<typeof alertPayloadSchema>;

/** `name.namespace` (the gateway metrics' function_name) or a bare name, split as faas-provider does. */
export function splitFunctionName(label: string): { name: string; namespace: string } {
  const dot = label.indexOf('.');
  if (dot < 0) return { name: label, namespace: defaultNamespace };
  return { name: label.slice(0, dot), namespace: label.slice(dot + 1) || defaultNamespace };
}

/** What alert scaling reads of a function. */
export type ScalableFunction = FunctionMetadata & Pick<FunctionStatus, 'replicas'>;

/** What one alert does to one function. */
export type AlertAction =
  | { function: string; action: 'scale'; from: number; to: number; status: AlertStatus }
  | { function: string; action: 'unchanged'; replicas: number; status: AlertStatus }
  | { function: string; action: 'ignored'; reason: string; status: AlertStatus };

/**
 * The decision for each alert: scale through the provider, leave as is, or ignore. Functions
 * with a `topic` annotation are Kafka-triggered: the connector's lag autoscaler owns their
 * replica count, and two controllers on one count would fight, so alerts leave them alone.
 */
export function planAlertActions(
  alerts: Array<{ status: AlertStatus; labels: { function_name: string } }>,
  lookup: (name: string) => ScalableFunction | undefined,
): AlertAction[] {
  return alerts.map((alert): AlertAction => {
    const { name, namespace } = splitFunctionName(alert.labels.function_name);
    const status = alert.status;
    if (name === '') return { function: name, action: 'ignored', reason: 'no function_name label', status };
    if (namespace !== defaultNamespace)
      return { function: name, action: 'ignored', reason: `namespace ${namespace} is not served`, status };
    const fn = lookup(name);
    if (fn === undefined) return { function: name, action: 'ignored', reason: 'no such function', status };
    if (inputTopic(fn) !== undefined)
      return {
        function: name,
        action: 'ignored',
        reason: 'Kafka-triggered (topic annotation): the lag autoscaler scales it',
        status,
      };
    const settings = alertScaleSettings(fn);
    const to = calculateReplicas(status, fn.replicas, settings.max, settings.min, settings.factor);
    if (to === fn.replicas) return { function: name, action: 'unchanged', replicas: to, status };
    return { function: name, action: 'scale', from: fn.replicas, to, status };
  });
}
