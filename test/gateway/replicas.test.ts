/**
 * Replica life: kill -9 under load, crash restarts with backoff, scale to zero and back on a
 * request, environment, secrets, labels and annotations, followed logs, metrics.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, systemCall, waitFor, type TestGateway } from './support/gateway.ts';
import { steadyLoad } from './support/load.ts';

describe('replicas', () => {
  let gw: TestGateway;
  const system = (method: string, path: string, body?: unknown) => systemCall(gw, method, path, body);
  const available = async (name: string): Promise<number> =>
    (await system('GET', `/system/function/${name}`)).json.availableReplicas;

  beforeAll(async () => {
    gw = await startTestGateway();
    expect(
      (
        await system('POST', '/system/functions', {
          service: 'echo',
          image: 'cdnfaas/echo:0.1.0',
          labels: { 'com.openfaas.scale.min': '2' },
        })
      ).status,
    ).toBe(202);
    await waitFor('two ready replicas', async () => ((await available('echo')) === 2 ? true : undefined));
  });
  afterAll(async () => gw?.stop());

  it('kill -9 of a replica under load: only its in-flight calls may fail, availableReplicas dips, it is replaced', async () => {
    const load = steadyLoad({
      url: gw.url,
      path: '/function/echo/sleep?ms=20',
      ratePerSecond: 200,
      method: 'POST',
      body: 'x',
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    const victim = gw.gateway.provider.replicas('echo')[0]!;
    const inFlightOnVictim = victim.inFlight;
    const killedAt = performance.now();
    process.kill(victim.pid!, 'SIGKILL');

    const seen: number[] = [];
    let dipAt = 0;
    await waitFor(
      'the dip and the recovery',
      async () => {
        const count = await available('echo');
        if (count === 1 && dipAt === 0) dipAt = performance.now();
        seen.push(count);
        return seen.includes(1) && seen.at(-1) === 2 ? true : undefined;
      },
      20_000,
      5,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const outcomes = await load.stop();

    expect(seen).toContain(1);
    // The calls the victim could hold: those in flight on it at the kill, and those routed to it
    // before the gateway took it out of rotation. No call started after that may fail.
    const failed = outcomes.filter((outcome) => outcome.status !== 200);
    const startedInWindow = outcomes.filter(
      (outcome) => outcome.startedAt > killedAt && outcome.startedAt <= dipAt,
    ).length;
    expect(
      failed.every((outcome) => outcome.startedAt <= dipAt),
      JSON.stringify(failed),
    ).toBe(true);
    expect(failed.length).toBeLessThanOrEqual(inFlightOnVictim + startedInWindow);
    expect(outcomes.length).toBeGreaterThan(400);

    const replaced = gw.gateway.provider.replicas('echo').find((r) => r.instance === victim.instance)!;
    expect(replaced).toMatchObject({ state: 'ready', restarts: 1 });
    expect(replaced.pid).not.toBe(victim.pid);
    const logs = await fetch(`${gw.url}/system/logs?name=echo&instance=${victim.instance}`, {
      headers: { authorization: gw.auth },
    });
    expect(await logs.text()).toContain('exited unexpectedly (signal SIGKILL)');
  });

  it('a replica that crashes is restarted with growing backoff and the crash shows in its logs', async () => {
    const restarts = () => gw.gateway.provider.replicas('echo').reduce((sum, r) => sum + r.restarts, 0);
    const delays: number[] = [];
    for (let crash = 1; crash <= 2; crash++) {
      const before = restarts();
      expect(await (await fetch(`${gw.url}/function/echo/crash`, { method: 'POST' })).text()).toBe(
        'crashing',
      );
      await waitFor('the restart', () => (restarts() === before + 1 ? true : undefined));
      await waitFor('recovered', async () => ((await available('echo')) === 2 ? true : undefined));
    }
    const text = await (
      await fetch(`${gw.url}/system/logs?name=echo&tail=200`, { headers: { authorization: gw.auth } })
    ).text();
    for (const match of text.matchAll(
      /exited unexpectedly \(exit code 3\) after \d+ ms; restart \d+ in (\d+) ms/g,
    ))
      delays.push(Number(match[1]));
    expect(delays.length).toBe(2);
  });

  it('scaled to zero, a request waits for the cold start instead of failing, and the function is back at one replica', async () => {
    expect(
      (await system('POST', '/system/scale-function/echo', { serviceName: 'echo', replicas: 0 })).status,
    ).toBe(202);
    await waitFor('no replica left', () =>
      gw.gateway.provider.replicas('echo').length === 0 ? true : undefined,
    );
    expect((await system('GET', '/system/function/echo')).json).toMatchObject({
      replicas: 0,
      availableReplicas: 0,
    });

    const res = await fetch(`${gw.url}/function/echo`, {
      method: 'POST',
      body: 'wake up',
      headers: { 'content-type': 'text/plain' },
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('wake up');
    expect((await system('GET', '/system/function/echo')).json).toMatchObject({
      replicas: 1,
      availableReplicas: 1,
    });
  });

  it('scale up starts healthy replicas', async () => {
    expect(
      (await system('POST', '/system/scale-function/echo', { serviceName: 'echo', replicas: 3 })).status,
    ).toBe(202);
    await waitFor('three ready replicas', async () => ((await available('echo')) === 3 ? true : undefined));
  });

  it('environment, secrets (as files), labels and annotations of the deploy are honoured and returned', async () => {
    expect((await system('POST', '/system/secrets', { name: 'api-key', value: 'the-value' })).status).toBe(
      201,
    );
    const spec = {
      service: 'configured',
      image: 'cdnfaas/echo:0.1.0',
      envProcess: 'node index.mjs',
      envVars: { GREETING: 'hello' },
      secrets: ['api-key'],
      labels: { team: 'cdn' },
      annotations: { topic: 'cdn_raw' },
      limits: { memory: '128Mi' },
    };
    expect((await system('POST', '/system/functions', spec)).status).toBe(202);
    await waitFor('configured ready', async () => ((await available('configured')) === 1 ? true : undefined));
    const described = (await system('GET', '/system/function/configured')).json;
    expect(described).toMatchObject({
      envProcess: 'node index.mjs',
      envVars: { GREETING: 'hello' },
      secrets: ['api-key'],
      labels: { team: 'cdn' },
      annotations: { topic: 'cdn_raw' },
    });

    expect(await (await fetch(`${gw.url}/function/configured/env/GREETING`)).json()).toEqual({
      name: 'GREETING',
      value: 'hello',
    });
    expect(await (await fetch(`${gw.url}/function/configured/secret/api-key`)).text()).toBe('the-value');
    const secretsDir = (await (await fetch(`${gw.url}/function/configured/env/CDNFAAS_SECRETS_DIR`)).json())
      .value as string;
    expect(statSync(join(secretsDir, 'api-key')).mode & 0o777).toBe(0o600);
    // limits.memory caps the replica's heap below the limit, as a container limit would bound it.
    const pid = gw.gateway.provider.replicas('configured')[0]!.pid!;
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')).toContain('--max-old-space-size=96');
    // The gateway's own environment does not leak into replicas.
    expect((await (await fetch(`${gw.url}/function/configured/env/INFLUX_URL`)).json()).value).toBeNull();

    // The same spec again changes no process; a label, like any change of the pod template on
    // Kubernetes, rolls the replica over, and so does a new environment.
    const before = gw.gateway.provider.replicas('configured');
    expect((await system('PUT', '/system/functions', spec)).status).toBe(202);
    expect(gw.gateway.provider.replicas('configured')).toEqual(before);
    expect((await system('PUT', '/system/functions', { ...spec, labels: { team: 'edge' } })).status).toBe(
      202,
    );
    expect((await system('GET', '/system/function/configured')).json.labels).toEqual({
      team: 'edge',
      faas_function: 'configured',
    });
    await waitFor('rolled to the new labels', () => {
      const replicas = gw.gateway.provider.replicas('configured');
      return replicas.length === 1 && replicas[0]!.revision === 2 && replicas[0]!.state === 'ready'
        ? true
        : undefined;
    });
    expect(
      (await system('PUT', '/system/functions', { ...spec, envVars: { GREETING: 'bonjour' } })).status,
    ).toBe(202);
    await waitFor('rolled to the new environment', async () => {
      const answer = await (await fetch(`${gw.url}/function/configured/env/GREETING`)).json();
      return answer.value === 'bonjour' ? true : undefined;
    });
  });

  it('logs with follow=true stream new lines as replicas write them', async () => {
    const controller = new AbortController();
    const res = await fetch(`${gw.url}/system/logs?name=echo&follow=true&tail=1`, {
      headers: { authorization: gw.auth },
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    await fetch(`${gw.url}/function/echo/throw`, { method: 'POST' });
    let text = '';
    await waitFor('the streamed error line', async () => {
      const { value } = await reader.read();
      text += Buffer.from(value ?? new Uint8Array()).toString('utf8');
      return text.includes('echo was told to throw') ? true : undefined;
    });
    controller.abort();
    const lines = text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { name: string; instance: string; text: string });
    expect(lines.every((line) => line.name === 'echo')).toBe(true);
  });

  it.each(['GET', 'PUT', 'PATCH', 'DELETE', 'POST'])(
    '%s with a sub-path and a query reaches the function as sent',
    async (method) => {
      const res = await fetch(`${gw.url}/function/echo.openfaas-fn/event/deeper?x=1&y=a%20b&y=c`, {
        method,
        headers: { 'x-custom': 'kept', ...(method === 'GET' ? {} : { 'content-type': 'application/json' }) },
        ...(method === 'GET' ? {} : { body: '{"k":"v"}' }),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-call-id')).toMatch(/^[0-9a-f-]{36}$/);
      const event = (await res.json()) as {
        method: string;
        path: string;
        query: unknown;
        headers: Record<string, string>;
        body: unknown;
      };
      expect(event).toMatchObject({ method, path: '/event/deeper', query: { x: '1', y: ['a b', 'c'] } });
      expect(event.headers).toMatchObject({ 'x-custom': 'kept', 'x-call-id': res.headers.get('x-call-id') });
      if (method !== 'GET') expect(event.body).toEqual({ k: 'v' });
    },
  );

  it('/metrics uses the OpenFaaS metric names', async () => {
    const text = await (await fetch(`${gw.url}/metrics`)).text();
    expect(text).toMatch(
      /gateway_function_invocation_total\{function_name="echo\.openfaas-fn",code="200"\} \d+/,
    );
    expect(text).toMatch(
      /gateway_function_invocation_total\{function_name="echo\.openfaas-fn",code="500"\} \d+/,
    );
    expect(text).toMatch(
      /gateway_functions_seconds_bucket\{le="0\.005",function_name="echo\.openfaas-fn",code="200"\} \d+/,
    );
    expect(text).toContain('gateway_service_count{function_name="echo.openfaas-fn"} 3');
    expect(text).toContain('gateway_service_ready_count{function_name="echo.openfaas-fn"} 3');
    expect(text).toContain('gateway_service_count{function_name="configured.openfaas-fn"} 1');
  });
});

describe('a gateway restart', () => {
  it('runs the functions deployed before it again, at their replica counts; one whose image is gone is skipped', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { buildEchoImages } = await import('./support/gateway.ts');
    const home = mkdtempSync(join(tmpdir(), 'cdnfaas-restart-'));
    try {
      await buildEchoImages(home, ['cdnfaas/echo:0.1.0', 'cdnfaas/echo:0.2.0']);
      const first = await startTestGateway({ home });
      const auth = { authorization: first.auth, 'content-type': 'application/json' };
      const post = (path: string, body: unknown) =>
        fetch(`${first.url}${path}`, { method: 'POST', headers: auth, body: JSON.stringify(body) });
      expect(
        (
          await post('/system/functions', {
            service: 'kept',
            image: 'cdnfaas/echo:0.1.0',
            envVars: { A: '1' },
          })
        ).status,
      ).toBe(202);
      expect((await post('/system/scale-function/kept', { serviceName: 'kept', replicas: 2 })).status).toBe(
        202,
      );
      expect(
        (await post('/system/functions', { service: 'orphan', image: 'cdnfaas/echo:0.2.0' })).status,
      ).toBe(202);
      await first.stop();
      const { openImageStore } = await import('../../runtime/images/store.ts');
      await openImageStore(home).remove('cdnfaas/echo:0.2.0');

      const second = await startTestGateway({ home });
      try {
        expect(await second.gateway.provider.restore()).toEqual(['kept']);
        expect(second.gateway.provider.get('kept')).toMatchObject({ replicas: 2, envVars: { A: '1' } });
        expect(second.gateway.provider.get('orphan')).toBeUndefined();
        await waitFor('kept ready', () =>
          second.gateway.provider.get('kept')?.availableReplicas === 2 ? true : undefined,
        );
        expect((await fetch(`${second.url}/function/kept`, { method: 'POST', body: 'back' })).status).toBe(
          200,
        );
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
