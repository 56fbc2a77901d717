/**
 * Rolling updates and rollback under a steady load, and readiness as describe reports it.
 * The echo fixture's /env/CDNFAAS_IMAGE route answers with the image its replica runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, systemCall, waitFor, type TestGateway } from './support/gateway.ts';
import { steadyLoad } from './support/load.ts';

const v1 = 'cdnfaas/echo:1.0.0';
const v2 = 'cdnfaas/echo:2.0.0';

describe('rolling update and rollback', () => {
  let gw: TestGateway;
  const system = (method: string, path: string, body?: unknown) => systemCall(gw, method, path, body);
  const deployment = (image: string, extra: Record<string, unknown> = {}) => ({
    service: 'echo',
    image,
    labels: { 'com.openfaas.scale.min': '2' },
    ...extra,
  });
  /** True once every live replica runs `revision`, all ready, as many as desired. */
  const rolledOutTo = (revision: number) => () => {
    const replicas = gw.gateway.provider.replicas('echo');
    return replicas.length === 2 && replicas.every((r) => r.revision === revision && r.state === 'ready')
      ? true
      : undefined;
  };

  beforeAll(async () => {
    gw = await startTestGateway({ echoImages: [v1, v2] });
  });
  afterAll(async () => gw?.stop());

  it('describe shows Not Ready until a replica passes its health check, then Ready and it answers at once', async () => {
    const deployedAt = Date.now();
    const res = await system('POST', '/system/functions', {
      service: 'slow-start',
      image: v1,
      envVars: { ECHO_LOAD_DELAY_MS: '1500' },
    });
    expect(res.status).toBe(202);
    const notReady = await system('GET', '/system/function/slow-start');
    expect(notReady.json).toMatchObject({ replicas: 1, availableReplicas: 0 });
    const readyAt = await waitFor(
      'slow-start ready',
      async () =>
        (await system('GET', '/system/function/slow-start')).json.availableReplicas > 0
          ? Date.now()
          : undefined,
      30_000,
      10,
    );
    expect(readyAt - deployedAt).toBeGreaterThanOrEqual(1500);
    const answer = await fetch(`${gw.url}/function/slow-start`, { method: 'POST', body: 'ready' });
    expect(answer.status).toBe(200);
    expect(await answer.text()).toBe('ready');
    expect((await system('DELETE', '/system/functions', { functionName: 'slow-start' })).status).toBe(202);
  });

  it('deploying v2 then v1 again at 200 req/s: no failed request, each answer from v1 or v2, v1 at the end', async () => {
    expect((await system('POST', '/system/functions', deployment(v1))).status).toBe(202);
    await waitFor('v1 rolled out', rolledOutTo(1));

    const load = steadyLoad({ url: gw.url, path: '/function/echo/env/CDNFAAS_IMAGE', ratePerSecond: 200 });
    const startedAt = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    expect((await system('PUT', '/system/functions', deployment(v2))).status).toBe(202);
    await waitFor('v2 rolled out', rolledOutTo(2));
    expect((await system('GET', '/system/function/echo')).json).toMatchObject({
      image: v2,
      availableReplicas: 2,
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    expect((await system('PUT', '/system/functions', deployment(v1))).status).toBe(202);
    await waitFor('rolled back to v1', rolledOutTo(3));
    const rolledBackAt = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const outcomes = await load.stop();
    const seconds = (performance.now() - startedAt) / 1000;

    const failed = outcomes.filter((outcome) => outcome.status !== 200);
    expect(failed, JSON.stringify(failed.slice(0, 5))).toEqual([]);
    expect(outcomes.length).toBeGreaterThanOrEqual(Math.floor(seconds * 200 * 0.9));
    const images = outcomes.map((outcome) => (JSON.parse(outcome.body) as { value: string }).value);
    expect(new Set(images)).toEqual(new Set([v1, v2]));
    const afterRollback = outcomes.filter((outcome) => outcome.startedAt > rolledBackAt + 100);
    expect(afterRollback.length).toBeGreaterThan(100);
    expect(afterRollback.every((outcome) => JSON.parse(outcome.body).value === v1)).toBe(true);

    const described = (await system('GET', '/system/function/echo')).json;
    expect(described).toMatchObject({ image: v1, replicas: 2, availableReplicas: 2 });
  });

  it('a new image that never becomes healthy leaves the old revision serving', async () => {
    const broken = deployment(v2, { envVars: { exec_timeout: 'not-a-duration' } });
    expect((await system('PUT', '/system/functions', broken)).status).toBe(202);
    await waitFor('the broken revision crashing', () =>
      gw.gateway.provider.replicas('echo').some((r) => r.revision === 4 && r.restarts > 0) ? true : undefined,
    );
    const answer = await fetch(`${gw.url}/function/echo/env/CDNFAAS_IMAGE`);
    expect(answer.status).toBe(200);
    expect((await answer.json()).value).toBe(v1);
    expect((await system('GET', '/system/function/echo')).json.availableReplicas).toBe(2);
    const logs = await fetch(`${gw.url}/system/logs?name=echo&follow=false`, {
      headers: { authorization: gw.auth },
    });
    expect(await logs.text()).toContain('exec_timeout');

    // Rolling back to the working spec replaces the broken revision at once.
    expect((await system('PUT', '/system/functions', deployment(v1))).status).toBe(202);
    await waitFor('rolled back to v1', rolledOutTo(5));
  });
});
