/**
 * OpenFaaS's APIHighInvocationRate rule evaluated without Prometheus, for machines where
 * Prometheus and AlertManager are not installed or not running:
 *
 *   sum by(function_name) (rate(gateway_function_invocation_total{code="200"}[10s]))
 *     / ignoring(function_name) group_left() max by(function_name) (gateway_service_count) > 5
 *   for: 5s
 *
 * plus what AlertManager adds on the way to the gateway: a firing alert is notified again every
 * repeat interval (each notification is one more scale step) and its end is notified as resolved.
 * Pure: one function per step, the state is data, time is an argument.
 */
import type { AlertStatus } from './alert-scaling.ts';

export interface RateRuleSettings {
  /** Requests per second per replica above which the rule holds (OpenFaaS: 5). */
  threshold: number;
  /** The rate() window (OpenFaaS: 10 s). */
  windowMs: number;
  /** How long the rule must hold before the alert fires (OpenFaaS: 5 s). */
  forMs: number;
  /** AlertManager's repeat_interval: a still-firing alert is notified again after this (OpenFaaS: 30 s). */
  repeatMs: number;
}

export const openfaasRateRule: RateRuleSettings = {
  threshold: 5,
  windowMs: 10_000,
  forMs: 5_000,
  repeatMs: 30_000,
};

export interface RateRuleState {
  /** Successful invocation counts seen, oldest first, covering at least the window. */
  samples: Array<{ at: number; count: number }>;
  /** When the rule started to hold without a break, while not yet firing. */
  pendingSince: number | undefined;
  firing: boolean;
  lastNotifiedAt: number;
}

export const initialRateRuleState: RateRuleState = {
  samples: [],
  pendingSince: undefined,
  firing: false,
  lastNotifiedAt: 0,
};

export interface RateObservation {
  at: number;
  /** Total successful (HTTP 200) invocations of the function so far. */
  count: number;
  /** Desired replicas, as gateway_service_count reports them. */
  replicas: number;
}

/** Per-second rate over the window, from the oldest sample still inside it (or at its edge). */
export function windowRate(samples: RateRuleState['samples']): number {
  const first = samples[0];
  const last = samples.at(-1);
  if (first === undefined || last === undefined || last.at <= first.at) return 0;
  // A counter that went down was reset (a restarted gateway): no rate until the window refills.
  const increase = Math.max(0, last.count - first.count);
  return increase / ((last.at - first.at) / 1000);
}

export function evaluateRateRule(
  state: RateRuleState,
  observation: RateObservation,
  settings: RateRuleSettings,
): { state: RateRuleState; notify?: AlertStatus; perReplica: number } {
  const start = observation.at - settings.windowMs;
  const samples = [...state.samples, { at: observation.at, count: observation.count }];
  // Keep the newest sample at or before the window start, so the rate spans the whole window.
  while (samples.length > 2 && samples[1]!.at <= start) samples.shift();
  const perReplica = windowRate(samples) / Math.max(1, observation.replicas);
  const holds = perReplica > settings.threshold;
  const at = observation.at;
  if (!holds) {
    const next = { samples, pendingSince: undefined, firing: false, lastNotifiedAt: state.lastNotifiedAt };
    return state.firing ? { state: next, notify: 'resolved', perReplica } : { state: next, perReplica };
  }
  const pendingSince = state.pendingSince ?? at;
  if (!state.firing) {
    if (at - pendingSince >= settings.forMs)
      return {
        state: { samples, pendingSince, firing: true, lastNotifiedAt: at },
        notify: 'firing',
        perReplica,
      };
    return { state: { ...state, samples, pendingSince }, perReplica };
  }
  if (at - state.lastNotifiedAt >= settings.repeatMs)
    return { state: { ...state, samples, pendingSince, lastNotifiedAt: at }, notify: 'firing', perReplica };
  return { state: { ...state, samples, pendingSince }, perReplica };
}
