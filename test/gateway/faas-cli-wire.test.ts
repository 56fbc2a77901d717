/**
 * Wire compatibility with faas-cli: the golden requests in fixtures/faas-cli-requests.json (built
 * from faas-cli's Go source) replayed over a real socket, and the answers decoded with the
 * constraints Go's json.Unmarshal puts on faas-provider's types; then the same scenario with the
 * real faas-cli binary (skipped without it on PATH, failing in CI).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { gatewayPaths } from '../../runtime/gateway/server.ts';
import { describeWithFaasCli, faasCliEnv, faasCliOk } from '../support/faas-cli.ts';
import { startCallbackServer } from './support/callback-server.ts';
import { loadGoldenRequests, sendGolden } from './support/golden.ts';
import { startTestGateway, waitFor, type TestGateway } from './support/gateway.ts';

const golden = loadGoldenRequests();
const rfc3339 = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
const uint64 = z.number().int().min(0);
const stringMap = z.record(z.string(), z.string()).nullable().optional();

/** What Go's decoder accepts for faas-provider types.FunctionStatus (a type mismatch is an error there). */
const goFunctionStatus = z.object({
  name: z.string(),
  image: z.string(),
  namespace: z.string().optional(),
  envProcess: z.string().optional(),
  envVars: stringMap,
  constraints: z.array(z.string()).nullable().optional(),
  secrets: z.array(z.string()).nullable().optional(),
  labels: stringMap,
  annotations: stringMap,
  invocationCount: z.number().optional(),
  replicas: uint64.optional(),
  availableReplicas: uint64.optional(),
  createdAt: rfc3339.optional(),
  readOnlyRootFilesystem: z.boolean().optional(),
});
const goLogMessage = z.object({
  name: z.string(),
  namespace: z.string(),
  instance: z.string(),
  timestamp: rfc3339,
  text: z.string(),
});
const goVersion = z.object({ sha: z.string(), release: z.string(), commit_message: z.string().optional() });
const goGatewayInfo = z.object({
  provider: z.object({ provider: z.string(), orchestration: z.string(), version: goVersion }),
  version: goVersion,
  arch: z.string(),
});

describe('faas-cli golden requests against the gateway', () => {
  let gw: TestGateway;
  let vars: Record<string, string>;

  beforeAll(async () => {
    gw = await startTestGateway();
    vars = { AUTH: gw.auth.slice('Basic '.length) };
  });
  afterAll(async () => gw?.stop());

  const send = (name: string, extra: Record<string, string> = {}) =>
    sendGolden(gw.url, golden[name]!, { ...vars, ...extra });

  it('ready (gateway): /healthz answers without credentials', async () => {
    const res = await send('readyGateway');
    expect(res.status).toBe(200);
  });

  it('login: the generated credentials are accepted, wrong ones get 401 with a Basic challenge', async () => {
    expect((await send('login')).status).toBe(200);
    const wrong = await send('login', {
      AUTH: Buffer.from(`${gw.user}:not-the-password`).toString('base64'),
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers['www-authenticate']).toBe('Basic realm="Restricted"');
    expect(wrong.json()).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('deploy: the update of an unknown function is 404, so faas-cli falls back to create, which is 202', async () => {
    expect((await send('deployUpdate')).status).toBe(golden.deployUpdate!.expectFirstDeploy);
    expect((await send('deployCreate')).status).toBe(202);
  });

  it('ready <fn>: describe reports availableReplicas > 0 once the replica is healthy', async () => {
    const status = await waitFor('a ready replica', async () => {
      const res = await send('describe');
      expect(res.status).toBe(200);
      const decoded = goFunctionStatus.parse(res.json());
      return (decoded.availableReplicas ?? 0) > 0 ? decoded : undefined;
    });
    expect(status).toMatchObject({
      name: 'echo',
      image: 'cdnfaas/echo:0.1.0',
      namespace: 'openfaas-fn',
      envProcess: 'node index.mjs',
      envVars: { exec_timeout: '10s' },
      labels: { 'com.openfaas.scale.min': '1' },
      annotations: { 'cdnfaas.example': 'yes' },
      replicas: 1,
      availableReplicas: 1,
    });
  });

  it('list: FunctionStatus of every function, decodable by Go', async () => {
    const res = await send('list');
    expect(res.status).toBe(200);
    const list = z.array(goFunctionStatus).parse(res.json());
    expect(list.map((fn) => fn.name)).toEqual(['echo']);
  });

  it('invoke: the body reaches the function and its answer comes back, with X-Call-Id', async () => {
    const res = await send('invoke');
    expect(res.status).toBe(200);
    expect(res.text()).toBe('hello from faas-cli\n');
    expect(res.headers['x-call-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('invoke --method GET --query: answered 200', async () => {
    const res = await send('invokeQuery');
    expect(res.status).toBe(200);
  });

  it('invoke --async: 202 with X-Call-Id, then the result is POSTed to X-Callback-Url with the queue-worker headers', async () => {
    const callbacks = await startCallbackServer();
    try {
      const res = await send('invokeAsync', { CALLBACK: callbacks.url });
      expect(res.status).toBe(202);
      const callId = res.headers['x-call-id'];
      expect(callId).toMatch(/^[0-9a-f-]{36}$/);
      const callback = await waitFor('the callback', () => callbacks.received[0]);
      expect(callback.method).toBe('POST');
      expect(callback.body).toBe('async hello\n');
      expect(callback.headers['x-call-id']).toBe(callId);
      expect(callback.headers['x-function-status']).toBe('200');
      expect(callback.headers['x-function-name']).toBe('echo');
      expect(Number(callback.headers['x-duration-seconds'])).toBeGreaterThan(0);
    } finally {
      await callbacks.close();
    }
  });

  it('describe: invocationCount counts the calls so far', async () => {
    const status = goFunctionStatus.parse((await send('describe')).json());
    expect(status.invocationCount).toBe(3);
  });

  it('logs --tail=false: ndjson of logs.Message from the replica, decodable by Go', async () => {
    const res = await send('logs');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/x-ndjson');
    const messages = res
      .text()
      .split('\n')
      .filter(Boolean)
      .map((line) => goLogMessage.parse(JSON.parse(line)));
    const fromReplica = messages.filter((message) => message.instance === 'echo-r1-0');
    expect(fromReplica.length).toBeGreaterThan(0);
    expect(
      fromReplica.every((message) => message.name === 'echo' && message.namespace === 'openfaas-fn'),
    ).toBe(true);
  });

  it('version: GatewayInfo names the provider, its orchestration and versions', async () => {
    const res = await send('version');
    expect(res.status).toBe(200);
    const info = goGatewayInfo.parse(res.json());
    const release = (
      JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as {
        version: string;
      }
    ).version;
    expect(info.provider).toMatchObject({
      provider: 'cdnfaas-process',
      orchestration: 'process',
      version: { release },
    });
  });

  it('namespaces: only openfaas-fn', async () => {
    const res = await send('namespaces');
    expect(res.json()).toEqual(['openfaas-fn']);
  });

  it('scale: 202, then two healthy replicas', async () => {
    expect((await send('scale')).status).toBe(202);
    await waitFor('two ready replicas', () =>
      gw.gateway.provider.get('echo')?.availableReplicas === 2 ? true : undefined,
    );
  });

  it('secrets: create, list (names only), update from a file (rawValue), remove; the value lands in a file, never in an answer', async () => {
    expect((await send('secretCreate')).status).toBe(201);
    const list = await send('secretList');
    expect(list.json()).toEqual([{ name: 'api-key', namespace: 'openfaas-fn' }]);
    expect(list.text()).not.toContain('s3cr3t');
    const file = join(gatewayPaths(gw.home).secretsDir, 'api-key');
    expect(readFileSync(file, 'utf8')).toBe('s3cr3t-value');
    expect((await send('secretCreate')).status).toBe(409);
    expect((await send('secretUpdateFromFile')).status).toBe(202);
    expect(readFileSync(file, 'utf8')).toBe('new-secret');
    expect((await send('secretRemove')).status).toBe(202);
    expect((await send('secretRemove')).status).toBe(404);
  });

  it('deploy again (faas-cli deploy of an existing function): the update is 202', async () => {
    expect((await send('deployUpdate')).status).toBe(golden.deployUpdate!.expectExisting);
    expect((await send('deployImageOnly')).status).toBe(golden.deployImageOnly!.expectExisting);
    const status = goFunctionStatus.parse((await send('describe')).json());
    // faas-cli sent "labels":null: only the label every OpenFaaS provider adds is left.
    expect(status.labels ?? {}).toEqual({ faas_function: 'echo' });
  });

  it('remove: 202, then 404 on describe and on invoke', async () => {
    expect((await send('remove')).status).toBe(202);
    expect((await send('describe')).status).toBe(404);
    expect((await send('invoke')).status).toBe(404);
    expect((await send('remove')).status).toBe(404);
  });
});

describeWithFaasCli('the real faas-cli binary', (faasCli) => {
  let gw: TestGateway;
  // Run in the gateway's home, where there is no stack.yml: faas-cli reads ./stack.yml when there
  // is one, even for a deploy given --image and --name.
  const cli = (args: string[], input?: string) =>
    faasCliOk(faasCli, [...args, '--gateway', gw.url], {
      input,
      cwd: gw.home,
      env: faasCliEnv(gw.home),
    });

  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(async () => gw?.stop());

  it('login, deploy, ready, list, describe, invoke, invoke --async, logs, version, remove', async () => {
    await cli(['login', '--username', gw.user, '--password-stdin'], gw.password);
    expect(await cli(['deploy', '--image', 'cdnfaas/echo:0.1.0', '--name', 'echo'])).toContain(
      'Deployed. 202 Accepted.',
    );
    await cli(['ready', 'echo', '--attempts', '30']);
    expect(await cli(['list'])).toContain('echo');
    expect(await cli(['describe', 'echo'])).toMatch(/Status:\s+Ready/);
    expect(await cli(['invoke', 'echo'], 'hello')).toBe('hello');
    const callbacks = await startCallbackServer();
    try {
      await cli(['invoke', 'echo', '--async', '-H', `X-Callback-Url: ${callbacks.url}`], 'later');
      const callback = await waitFor('the callback', () => callbacks.received[0]);
      expect(callback.body).toBe('later');
    } finally {
      await callbacks.close();
    }
    expect(await cli(['logs', 'echo', '--tail=false'])).toContain('echo');
    expect(await cli(['version', '--warn-update=false'])).toContain('cdnfaas-process');
    await cli(['remove', 'echo']);
    expect(gw.gateway.provider.get('echo')).toBeUndefined();
  });
});
