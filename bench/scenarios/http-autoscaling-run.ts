/**
 * The HTTP autoscaling figures of `npm run bench`: a gateway of its own evaluating OpenFaaS's
 * APIHighInvocationRate itself (10 s rate, 5 s for, a still-firing notice every 30 s as
 * AlertManager's repeat_interval), a function with min 1, max 4 and factor 50 and no topic,
 * 40 requests/s until it reaches max, then none until it is back at min.
 */
import { startTestGateway } from '../../test/gateway/support/gateway.ts';
import { measureHttpAutoscaling, type HttpAutoscalingResult } from './http-autoscaling.ts';

export const httpScaling = { min: 1, max: 4, factor: 50, ratePerSecond: 40 } as const;

export async function measureHttpAutoscalingRun(
  say: (line: string) => void,
): Promise<HttpAutoscalingResult & { min: number; max: number; factor: number }> {
  const gateway = await startTestGateway({ alerting: { mode: 'gateway' } });
  try {
    const deployed = await fetch(`${gateway.url}/system/functions`, {
      method: 'POST',
      headers: { authorization: gateway.auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        service: 'web',
        image: 'cdnfaas/echo:0.1.0',
        labels: {
          'com.openfaas.scale.min': String(httpScaling.min),
          'com.openfaas.scale.max': String(httpScaling.max),
          'com.openfaas.scale.factor': String(httpScaling.factor),
        },
      }),
    });
    if (deployed.status !== 202) throw new Error(`deploy of web answered ${deployed.status}`);
    const result = await measureHttpAutoscaling(
      { url: gateway.url, auth: gateway.auth, function: 'web', min: httpScaling.min, max: httpScaling.max },
      { ratePerSecond: httpScaling.ratePerSecond, timeoutMs: 120_000, log: (line) => say(`  ${line}`) },
    );
    return { ...result, min: httpScaling.min, max: httpScaling.max, factor: httpScaling.factor };
  } finally {
    await gateway.stop();
  }
}
