/**
 * The gateway and a provide replica behind it under malformed requests over real sockets:
 * random bytes, wrong encodings, deeply nested JSON, huge fields, bodies over each limit,
 * bodies cut short and chunked bodies never finished, on /function/provide and on /system/*.
 * Nothing may crash (the gateway keeps answering, the replica keeps its pid), every answer is
 * a clear 4xx (or a ClientData), and the counts add up, the gateway's own metrics included.
 * Seeded (FUZZ_SEED), bounded (FUZZ_RUNS).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientDataSchema } from '../../contracts/client-data.ts';
import { buildStack } from '../../runtime/build/index.ts';
import { projectRoot } from '../../system/config.ts';
import { startTestGateway, waitFor, type TestGateway } from '../gateway/support/gateway.ts';
import { deeplyNested, mangledRecord, randomBytes, validRow, wrongEncodings } from './support/inputs.ts';
import { rawRequest, type RawRequest, type RawResponse } from './support/raw-http.ts';

const seed = Number(process.env.FUZZ_SEED ?? 20_881);
const runs = Number(process.env.FUZZ_RUNS ?? 300);
const replicaLimit = 1024 * 1024;
const gatewayLimit = 4 * 1024 * 1024;

interface FuzzCase {
  what: string;
  request: Omit<RawRequest, 'port'>;
  /** The case cuts its body short: no answer is a fair outcome. */
  mayDrop: boolean;
}

const contentType = fc.constantFrom(
  'application/json',
  'text/plain',
  'application/octet-stream',
  'application/json; charset=utf-16',
  'multipart/form-data',
  '',
);

function invokeCase(
  what: string,
  body: Buffer,
  type: string,
  cut: 'whole' | 'truncated' | 'chunked' = 'whole',
): FuzzCase {
  const headers: Record<string, string> = type === '' ? {} : { 'content-type': type };
  const request: Omit<RawRequest, 'port'> = { method: 'POST', path: '/function/provide', headers, body };
  if (cut === 'truncated') request.truncateAt = Math.floor(body.length / 2);
  if (cut === 'chunked') request.unterminatedChunked = true;
  return { what, request, mayDrop: cut !== 'whole' };
}

/** Malformed calls of the function, from the seed: random, then the fixed hard cases. */
function invocationCases(): FuzzCase[] {
  const random = fc.sample(
    fc.oneof(
      fc
        .tuple(randomBytes, contentType)
        .map(([bytes, type]) => invokeCase('random bytes', Buffer.from(bytes), type)),
      fc
        .tuple(mangledRecord, contentType)
        .map(([record, type]) => invokeCase('mangled record', Buffer.from(JSON.stringify(record)), type)),
      fc
        .tuple(mangledRecord, fc.constantFrom('truncated' as const, 'chunked' as const))
        .map(([record, cut]) =>
          invokeCase(`record, ${cut} body`, Buffer.from(JSON.stringify(record)), 'application/json', cut),
        ),
    ),
    { seed, numRuns: runs },
  );
  const valid = JSON.stringify(validRow);
  const fixed: FuzzCase[] = [
    ...(['array', 'object'] as const).flatMap((kind) =>
      ['application/json', 'text/plain'].map((type) =>
        invokeCase(`nested ${kind} x100,000`, Buffer.from(deeplyNested(100_000, kind)), type),
      ),
    ),
    invokeCase(
      '600 kB field',
      Buffer.from(JSON.stringify({ ...validRow, geo_location: 'x'.repeat(600_000) })),
      'application/json',
    ),
    invokeCase(
      '600 kB column name',
      Buffer.from(JSON.stringify({ ...validRow, ['k'.repeat(600_000)]: '1' })),
      'application/json',
    ),
    invokeCase(
      'body over the replica limit',
      Buffer.from(JSON.stringify({ ...validRow, host_id: 'x'.repeat(replicaLimit + 10) })),
      'application/json',
    ),
    invokeCase('body over the gateway limit', Buffer.alloc(gatewayLimit + 10, 0x20), 'application/json'),
    ...wrongEncodings(validRow).flatMap(({ name, bytes }) =>
      ['application/json', 'text/plain'].map((type) => invokeCase(name, bytes, type)),
    ),
    invokeCase('Content-Length beyond the body', Buffer.from(valid), 'application/json', 'truncated'),
    {
      what: 'Content-Length not a number',
      request: {
        method: 'POST',
        path: '/function/provide',
        headers: { 'content-type': 'application/json', 'content-length': 'abc' },
        body: Buffer.from(valid),
      },
      mayDrop: true,
    },
    {
      what: 'negative Content-Length',
      request: {
        method: 'POST',
        path: '/function/provide',
        headers: { 'content-type': 'application/json', 'content-length': '-5' },
        body: Buffer.from(valid),
      },
      mayDrop: true,
    },
  ];
  return [...random, ...fixed];
}

/** Malformed /system/* calls: bodies that are not JSON, are cut, nested, huge, or of wrong types. */
function systemCases(auth: string): FuzzCase[] {
  const deployment = JSON.stringify({ service: 'fuzzed', image: 'cdnfaas/provide:0.1.0' });
  const wrongTypes = [
    { service: 123, image: 'cdnfaas/provide:0.1.0' },
    { service: 'fuzzed', image: ['cdnfaas/provide:0.1.0'] },
    { service: 'x'.repeat(200_000), image: 'cdnfaas/provide:0.1.0' },
    { service: 'fuzzed', image: 'cdnfaas/provide:0.1.0', envVars: 'not-a-map' },
    {
      service: 'fuzzed',
      image: 'cdnfaas/provide:0.1.0',
      labels: { 'com.openfaas.scale.min': { nested: true } },
    },
    { serviceName: 'provide', replicas: 'three' },
    { serviceName: 'provide', replicas: -1 },
    { serviceName: 'provide', replicas: 1e20 },
    { serviceName: 'provide', replicas: 1.5 },
    { name: { x: 1 }, value: 'v' },
    { name: '../../etc/passwd', value: 'v' },
    { functionName: ['provide'] },
  ];
  const routes = [
    ['POST', '/system/functions'],
    ['PUT', '/system/functions'],
    ['DELETE', '/system/functions'],
    ['POST', '/system/scale-function/provide'],
    ['POST', '/system/secrets'],
    ['PUT', '/system/secrets'],
    ['DELETE', '/system/secrets'],
  ] as const;
  const bodies = fc.oneof(
    // 0x01 first: never JSON, whatever follows.
    randomBytes.map((bytes) => ({
      what: 'random bytes',
      body: Buffer.concat([Buffer.from([1]), Buffer.from(bytes)]),
      cut: undefined,
    })),
    fc
      .integer({ min: 1, max: deployment.length - 1 })
      .map((at) => ({ what: 'JSON cut short', body: Buffer.from(deployment.slice(0, at)), cut: undefined })),
    fc.constant({ what: 'body cut in transit', body: Buffer.from(deployment), cut: 'truncated' as const }),
    fc.constant({ what: 'unfinished chunked body', body: Buffer.from(deployment), cut: 'chunked' as const }),
    fc
      .constantFrom(...wrongTypes)
      .map((value) => ({ what: 'wrong types', body: Buffer.from(JSON.stringify(value)), cut: undefined })),
    fc.constantFrom('array', 'object' as const).map((kind) => ({
      what: 'nested x100,000',
      body: Buffer.from(deeplyNested(100_000, kind as 'array' | 'object')),
      cut: undefined,
    })),
    fc.constant({
      what: 'over the 1 MB system limit',
      body: Buffer.from(JSON.stringify({ service: 'fuzzed', image: 'x'.repeat(1_100_000) })),
      cut: undefined,
    }),
    fc.constant({ what: 'UTF-16', body: Buffer.from(deployment, 'utf16le'), cut: undefined }),
  );
  return fc
    .sample(fc.tuple(fc.constantFrom(...routes), bodies), { seed, numRuns: runs })
    .map(([[method, path], { what, body, cut }]) => ({
      what: `${method} ${path}: ${what}`,
      request: {
        method,
        path,
        headers: { authorization: auth, 'content-type': 'application/json' },
        body,
        ...(cut === 'truncated' ? { truncateAt: Math.floor(body.length / 2) } : {}),
        ...(cut === 'chunked' ? { unterminatedChunked: true } : {}),
      },
      mayDrop: cut !== undefined,
    }));
}

/** Sends the cases a few at a time; returns each case with its outcome. */
async function sendAll(
  port: number,
  cases: FuzzCase[],
  parallel = 6,
): Promise<Array<{ fuzz: FuzzCase; response: RawResponse }>> {
  const out: Array<{ fuzz: FuzzCase; response: RawResponse }> = new Array(cases.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < cases.length) {
        const index = next++;
        out[index] = { fuzz: cases[index]!, response: await rawRequest({ ...cases[index]!.request, port }) };
      }
    }),
  );
  return out;
}

function metricSum(text: string, name: string, filter: (labels: string) => boolean = () => true): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const match = new RegExp(`^${name}\\{([^}]*)\\} (\\S+)$`).exec(line);
    if (match && match[1]!.includes('function_name="provide.') && filter(match[1]!)) sum += Number(match[2]);
  }
  return sum;
}

/** The one error body shape: a code and a message that says what is wrong. */
function errorBodyOf(what: string, response: RawResponse): { code: string; message: string } {
  expect(response.kind, what).toBe('answered');
  const text = (response as { body: string }).body;
  const body = JSON.parse(text) as { code: string; message: string };
  expect(typeof body.code, `${what}: ${text.slice(0, 300)}`).toBe('string');
  expect(body.message.length, `${what}: ${text.slice(0, 300)}`).toBeGreaterThan(5);
  return body;
}

describe('fuzz: the gateway and a provide replica', () => {
  let gw: TestGateway;
  let home: string;
  let port: number;
  const system = (path: string, init: RequestInit = {}) =>
    fetch(`${gw.url}${path}`, {
      ...init,
      headers: { authorization: gw.auth, 'content-type': 'application/json' },
    });
  const replica = () =>
    gw.gateway.provider
      .replicas('provide')
      .map(({ instance, pid, restarts }) => ({ instance, pid, restarts }));

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'cdnfaas-fuzz-'));
    await buildStack({ stackFile: join(projectRoot, 'stack.yml'), filter: 'provide', config: { home } });
    gw = await startTestGateway({ home, limits: { maxBodyBytes: gatewayLimit } });
    port = Number(new URL(gw.url).port);
    const deployed = await system('/system/functions', {
      method: 'POST',
      body: JSON.stringify({
        service: 'provide',
        image: 'cdnfaas/provide:0.1.0',
        envVars: { max_body_size: '1mb' },
      }),
    });
    expect(deployed.status).toBeLessThan(300);
    await waitFor(
      'a ready provide replica',
      async () =>
        ((await (await system('/system/function/provide')).json()) as { availableReplicas: number })
          .availableReplicas > 0 || undefined,
      60_000,
    );
  });
  afterAll(async () => {
    await gw?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('answers every malformed call of the function with a ClientData or a clear 4xx, and counts each one', async () => {
    const before = { replica: replica(), metrics: await (await fetch(`${gw.url}/metrics`)).text() };
    const cases = invocationCases();
    const results = await sendAll(port, cases);
    const tally = new Map<string, number>();
    const count = (key: string) => tally.set(key, (tally.get(key) ?? 0) + 1);
    for (const { fuzz, response } of results) {
      if (response.kind === 'dropped') {
        expect(fuzz.mayDrop, `${fuzz.what}: ${response.detail}`).toBe(true);
        count('dropped');
        continue;
      }
      count(String(response.status));
      expect([200, 400, 413], `${fuzz.what}: ${response.status} ${response.body.slice(0, 200)}`).toContain(
        response.status,
      );
      if (response.status === 200)
        expect(clientDataSchema.safeParse(JSON.parse(response.body)).success).toBe(true);
      else {
        const body = errorBodyOf(fuzz.what, response);
        expect(body.code).toBe(response.status === 413 ? 'PAYLOAD_TOO_LARGE' : 'INVALID_INPUT');
        expect(body.message.length, fuzz.what).toBeLessThan(4_000);
      }
    }
    console.log(
      `gateway fuzz, /function/provide: ${cases.length} calls -> ${JSON.stringify(Object.fromEntries([...tally].sort()))}`,
    );
    expect([...tally.values()].reduce((a, b) => a + b, 0)).toBe(cases.length);
    expect(tally.get('400') ?? 0).toBeGreaterThan(cases.length / 2);
    expect(tally.get('413') ?? 0).toBeGreaterThanOrEqual(2);

    // The gateway counted every call it forwarded as finished, none with a server error.
    const after = await (await fetch(`${gw.url}/metrics`)).text();
    const delta = (name: string, filter?: (labels: string) => boolean) =>
      metricSum(after, name, filter) - metricSum(before.metrics, name, filter);
    const started = delta('gateway_function_invocation_started');
    expect(delta('gateway_function_invocation_total')).toBe(started);
    const byCode = after
      .split('\n')
      .filter((line) => line.startsWith('gateway_function_invocation_total{') && line.includes('provide.'));
    // A call whose client went away mid-body is counted as 502 (as OpenFaaS's proxy does); the
    // client itself got a 400. Any other server error would be the gateway's or the replica's fault.
    const cut = cases.filter((fuzz) => fuzz.mayDrop).length;
    expect(
      delta('gateway_function_invocation_total', (labels) => /code="502"/.test(labels)),
      byCode.join('\n'),
    ).toBeLessThanOrEqual(cut);
    expect(
      delta('gateway_function_invocation_total', (labels) => /code="5(0[013-9]|[1-9]\d)"/.test(labels)),
      byCode.join('\n'),
    ).toBe(0);
    // Every ClientData a client got is one the gateway counted as a 200, and no more.
    expect(delta('gateway_function_invocation_total', (labels) => labels.includes('code="200"'))).toBe(
      tally.get('200') ?? 0,
    );
    // The replica never crashed.
    expect(replica()).toEqual(before.replica);
  });

  it('refuses every malformed /system call with a clear 4xx and leaves functions and secrets as they were', async () => {
    const secretsBefore = await (await system('/system/secrets')).text();
    const cases = systemCases(gw.auth);
    const results = await sendAll(port, cases);
    const tally = new Map<string, number>();
    for (const { fuzz, response } of results) {
      if (response.kind === 'dropped') {
        expect(fuzz.mayDrop, `${fuzz.what}: ${response.detail}`).toBe(true);
        tally.set('dropped', (tally.get('dropped') ?? 0) + 1);
        continue;
      }
      tally.set(String(response.status), (tally.get(String(response.status)) ?? 0) + 1);
      expect(response.status, `${fuzz.what}: ${response.body.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
      expect(response.status, `${fuzz.what}: ${response.body.slice(0, 200)}`).toBeLessThan(500);
      errorBodyOf(fuzz.what, response);
    }
    console.log(
      `gateway fuzz, /system/*: ${cases.length} calls -> ${JSON.stringify(Object.fromEntries([...tally].sort()))}`,
    );
    expect([...tally.values()].reduce((a, b) => a + b, 0)).toBe(cases.length);
    const functions = (await (await system('/system/functions')).json()) as Array<{
      name: string;
      replicas: number;
    }>;
    expect(functions.map((fn) => [fn.name, fn.replicas])).toEqual([['provide', 1]]);
    expect(await (await system('/system/secrets')).text()).toBe(secretsBefore);
  });

  it('still serves: healthy, and a valid record through the same replica', async () => {
    expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
    const response = await fetch(`${gw.url}/function/provide`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(validRow),
    });
    expect(response.status).toBe(200);
    expect(clientDataSchema.parse(await response.json())).toMatchObject({ host_id: 12, geo_location: 40 });
    expect(replica().every((entry) => entry.restarts === 0)).toBe(true);
  });
});
