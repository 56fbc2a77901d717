/**
 * HTTP load scales a function to its max and back, the OpenFaaS way: APIHighInvocationRate
 * (rate of HTTP 200 calls over 10 s, per replica, above 5/s for 5 s) fires, each notification
 * adds com.openfaas.scale.factor percent of com.openfaas.scale.max replicas, and the resolved
 * alert brings the function back to com.openfaas.scale.min.
 *
 * Once through the real Prometheus and AlertManager (Debian's packages), posting to the
 * gateway's /system/alert; once through the gateway's own evaluation of the same rule. Both keep
 * OpenFaaS's 10 s rate window and 5 s `for`; the repeat of a still-firing alert is 10 s instead
 * of 30 s (one step per AlertManager group interval) so each run stays under a minute and a half.
 * With CI=true a missing Prometheus or AlertManager fails the test instead of skipping it.
 */
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { servicesDown, servicesUp } from '../../deploy/local/index.ts';
import { alertmanagerBinary, prometheusBinary } from '../../deploy/local/monitoring-files.ts';
import { freePort } from '../../lib/ports.ts';
import { loadConfig, type SystemConfig } from '../../system/config.ts';
import {
  measureHttpAutoscaling,
  type HttpAutoscalingResult,
} from '../../bench/scenarios/http-autoscaling.ts';
import { startTestGateway, waitFor, type TestGateway } from './support/gateway.ts';

const scaling = { min: 1, max: 4, factor: 50 };
// 10 requests/s per replica at max: the alert keeps firing all the way up.
const ratePerSecond = 40;

async function deployWeb(gw: TestGateway): Promise<void> {
  const response = await fetch(`${gw.url}/system/functions`, {
    method: 'POST',
    headers: { authorization: gw.auth, 'content-type': 'application/json' },
    body: JSON.stringify({
      service: 'web',
      image: 'cdnfaas/echo:0.1.0',
      labels: {
        'com.openfaas.scale.min': String(scaling.min),
        'com.openfaas.scale.max': String(scaling.max),
        'com.openfaas.scale.factor': String(scaling.factor),
      },
    }),
  });
  expect(response.status).toBe(202);
  await waitFor(
    'web ready',
    async () => {
      const status = await fetch(`${gw.url}/system/function/web`, { headers: { authorization: gw.auth } });
      return ((await status.json()) as { availableReplicas: number }).availableReplicas >= 1
        ? true
        : undefined;
    },
    30_000,
    100,
  );
}

function expectUpAndDown(result: HttpAutoscalingResult): void {
  const replicas = result.steps.map((step) => step.replicas);
  expect(result.timeToMaxMs, `replicas seen: ${replicas.join(' -> ')}`).toBeDefined();
  expect(result.timeBackToMinMs, `replicas seen: ${replicas.join(' -> ')}`).toBeDefined();
  // OpenFaaS's step: ceil(4 * 50%) = 2, so 1 -> 3 -> 4 -> (resolved) 1.
  expect(replicas).toEqual([1, 3, 4, 1]);
  expect(result.failed).toBe(0);
}

const log = process.env.TEST_LOG_LEVEL ? (line: string) => process.stderr.write(`${line}\n`) : undefined;
let gw: TestGateway | undefined;
afterEach(async () => {
  await gw?.stop();
  gw = undefined;
});

describe('HTTP autoscaling through the gateway rule (no Prometheus)', () => {
  it('scales to max under load and back to min once it stops', async () => {
    gw = await startTestGateway({ alerting: { mode: 'gateway', rule: { repeatMs: 10_000 } } });
    await deployWeb(gw);
    const result = await measureHttpAutoscaling(
      { url: gw.url, auth: gw.auth, function: 'web', ...scaling },
      { ratePerSecond, timeoutMs: 60_000, ...(log ? { log } : {}) },
    );
    expectUpAndDown(result);
  }, 150_000);
});

const installed = existsSync(prometheusBinary) && existsSync(alertmanagerBinary);
const ci = process.env.CI === 'true' || process.env.CI === '1';

describe.runIf(installed || ci)('HTTP autoscaling through Prometheus and AlertManager', () => {
  let config: SystemConfig | undefined;
  let env: Record<string, string> = {};
  // Before the file's afterEach stops the gateway and removes its home, where the services'
  // pid records live: stopped any later, they would outlive the test.
  afterEach(async () => {
    if (config) await servicesDown(config, { only: ['prometheus', 'alertmanager'], env });
    config = undefined;
  });

  it('APIHighInvocationRate fires, AlertManager posts to /system/alert, the function goes to max and back', async () => {
    expect(
      installed,
      `${prometheusBinary} and ${alertmanagerBinary} are required when CI=true: apt-get install prometheus prometheus-alertmanager (.ci/run does)`,
    ).toBe(true);
    gw = await startTestGateway();
    await deployWeb(gw);
    env = {
      CDNFAAS_HOME: gw.home,
      GATEWAY_PORT: new URL(gw.url).port,
      PROMETHEUS_PORT: String(await freePort()),
      ALERTMANAGER_PORT: String(await freePort()),
    };
    config = loadConfig({ env: { ...process.env, ...env } });
    const timings = { scrapeInterval: '1s', repeatInterval: '10s' };
    const reports = await servicesUp(config, {
      only: ['prometheus', 'alertmanager'],
      env,
      prometheus: { timings },
      alertmanager: { timings },
    });
    expect(reports.map((report) => report.state)).toEqual(['running', 'running']);

    const result = await measureHttpAutoscaling(
      { url: gw.url, auth: gw.auth, function: 'web', ...scaling },
      { ratePerSecond, timeoutMs: 75_000, ...(log ? { log } : {}) },
    );
    expectUpAndDown(result);
  }, 240_000);
});
