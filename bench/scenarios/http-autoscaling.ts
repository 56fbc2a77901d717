/**
 * HTTP autoscaling, the OpenFaaS way, measured: a function with com.openfaas.scale.min/max/factor
 * and no topic under a steady HTTP load above APIHighInvocationRate's 5 requests/s per replica,
 * then none. Reports how long the replicas took to reach max under load and to come back to
 * min once the load stopped. The caller chooses the evaluator: a gateway running its own rule,
 * or Prometheus + AlertManager posting to /system/alert.
 */
import { steadyLoad } from '../../test/gateway/support/load.ts';

export interface HttpAutoscalingTarget {
  /** The gateway's URL. */
  url: string;
  /** Authorization header for /system/*. */
  auth: string;
  /** A deployed function without a topic annotation, at its min replicas. */
  function: string;
  min: number;
  max: number;
}

export interface HttpAutoscalingOptions {
  /** Requests per second during the load; above 5 x max keeps the alert firing at max. */
  ratePerSecond: number;
  /** Give up waiting for max (or min) after this long. */
  timeoutMs: number;
  /** Replica count polled this often. */
  pollMs?: number;
  log?: (line: string) => void;
}

export interface HttpAutoscalingResult {
  ratePerSecond: number;
  /** From the first request to desired replicas = max; undefined when max was not reached. */
  timeToMaxMs: number | undefined;
  /** From the end of the load to desired replicas = min; undefined when min was not reached. */
  timeBackToMinMs: number | undefined;
  /** Each change of desired replicas, ms since the load started. */
  steps: Array<{ atMs: number; replicas: number }>;
  requests: number;
  failed: number;
}

async function replicasOf(target: HttpAutoscalingTarget): Promise<number> {
  const response = await fetch(`${target.url}/system/function/${target.function}`, {
    headers: { authorization: target.auth },
  });
  if (response.status !== 200)
    throw new Error(`GET /system/function/${target.function}: HTTP ${response.status}`);
  return ((await response.json()) as { replicas: number }).replicas;
}

async function waitForReplicas(
  target: HttpAutoscalingTarget,
  want: number,
  since: number,
  options: HttpAutoscalingOptions,
  steps: HttpAutoscalingResult['steps'],
  origin: number,
): Promise<number | undefined> {
  const deadline = since + options.timeoutMs;
  while (performance.now() < deadline) {
    const replicas = await replicasOf(target);
    if (steps.at(-1)?.replicas !== replicas) {
      steps.push({ atMs: Math.round(performance.now() - origin), replicas });
      options.log?.(`  ${((performance.now() - origin) / 1000).toFixed(1)} s: ${replicas} replicas`);
    }
    if (replicas === want) return performance.now() - since;
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 250));
  }
  return undefined;
}

/** Load until max (or the timeout), then none until min (or the timeout). */
export async function measureHttpAutoscaling(
  target: HttpAutoscalingTarget,
  options: HttpAutoscalingOptions,
): Promise<HttpAutoscalingResult> {
  const steps: HttpAutoscalingResult['steps'] = [];
  const started = performance.now();
  const load = steadyLoad({
    url: target.url,
    path: `/function/${target.function}`,
    ratePerSecond: options.ratePerSecond,
    method: 'POST',
    body: 'x',
  });
  let timeToMaxMs: number | undefined;
  try {
    timeToMaxMs = await waitForReplicas(target, target.max, started, options, steps, started);
  } finally {
    await load.stop();
  }
  const stopped = performance.now();
  const timeBackToMinMs = await waitForReplicas(target, target.min, stopped, options, steps, started);
  return {
    ratePerSecond: options.ratePerSecond,
    timeToMaxMs,
    timeBackToMinMs,
    steps,
    requests: load.outcomes.length,
    failed: load.outcomes.filter((outcome) => outcome.status !== 200).length,
  };
}
