/**
 * Bad input gets a clear typed error: the status OpenFaaS uses, our one error body naming what is
 * wrong and what to do. Handler logic is driven with inject(); streaming bodies over a socket.
 */
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, waitFor, type TestGateway } from './support/gateway.ts';

const systemBodyBytes = 64 * 1024;
const functionBodyBytes = 512 * 1024;

describe('bad input', () => {
  let gw: TestGateway;
  const inject = (options: {
    method: string;
    url: string;
    body?: unknown;
    auth?: string | null;
    headers?: Record<string, string>;
  }) =>
    gw.gateway.app.inject({
      method: options.method as 'GET',
      url: options.url,
      headers: {
        ...(options.auth === null ? {} : { authorization: options.auth ?? gw.auth }),
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      },
      ...(options.body === undefined
        ? {}
        : { payload: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }),
    });
  const deploy = (body: unknown) => inject({ method: 'POST', url: '/system/functions', body });
  /** A POST of `body` to the echo function as a client sends it: with `contentType`, no credentials. */
  const postToEcho = (contentType: string, body: string) =>
    inject({
      method: 'POST',
      url: '/function/echo',
      auth: null,
      headers: { 'content-type': contentType },
      body,
    });

  /** A streamed octet-stream POST to the echo function's /raw path, over a real socket. */
  const postToEchoRaw = (onResponse: (res: IncomingMessage) => void): ClientRequest => {
    const url = new URL('/function/echo/raw', gw.url);
    return request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
      },
      onResponse,
    );
  };

  beforeAll(async () => {
    gw = await startTestGateway({
      limits: { systemBodyBytes, maxBodyBytes: functionBodyBytes, bufferBodyBytes: 64 * 1024 },
    });
    expect((await deploy({ service: 'echo', image: 'cdnfaas/echo:0.1.0' })).statusCode).toBe(202);
    await waitFor('echo ready', () =>
      gw.gateway.provider.get('echo')?.availableReplicas === 1 ? true : undefined,
    );
  });
  afterAll(async () => gw?.stop());

  it.each(['Echo', 'echo_2', '-echo', 'echo-', 'a.b', 'x'.repeat(64), '../echo', ''])(
    'a function name that is not DNS-1123 (%j) is 400',
    async (service) => {
      const res = await deploy({ service, image: 'cdnfaas/echo:0.1.0' });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({
        code: 'INVALID_INPUT',
        message: expect.stringContaining('DNS-1123'),
      });
    },
  );

  it('an image not in the store is 400 naming it and the command that builds it', async () => {
    const res = await deploy({ service: 'predict', image: 'cdnfaas/predict:9.9.9' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      code: 'INVALID_INPUT',
      message: 'image cdnfaas/predict:9.9.9 is not in the local image store',
      hint: 'build it with: npx cdnfaas build --filter predict',
    });
    expect(gw.gateway.provider.get('predict')).toBeUndefined();
  });

  it.each([
    '../../etc/passwd',
    '/etc/passwd',
    'cdnfaas/../echo:0.1.0',
    'cdnfaas/echo:../0.1.0',
    'cdnfaas\\echo:0.1.0',
    'cdnfaas//echo',
    'cdnfaas/echo:0.1.0\n',
    '~/echo',
  ])('an image reference with a path trick (%j) is 400', async (image) => {
    const res = await deploy({ service: 'tricky', image });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('image reference'),
    });
  });

  it.each([
    ['truncated JSON', '{"service":"echo",', 'malformed JSON'],
    ['not JSON at all', 'service=echo', 'malformed JSON'],
    ['an empty body', '', 'expected a JSON'],
    ['a wrong type', '{"service":42,"image":"cdnfaas/echo:0.1.0"}', 'service'],
    [
      'labels that are not strings',
      '{"service":"echo","image":"cdnfaas/echo:0.1.0","labels":{"a":1}}',
      'labels',
    ],
  ])('%s is 400', async (_name, body, message) => {
    const res = await inject({ method: 'POST', url: '/system/functions', body });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining(message) });
  });

  it('a deploy naming an unknown secret is 400 naming the secret', async () => {
    const res = await deploy({
      service: 'needs-secret',
      image: 'cdnfaas/echo:0.1.0',
      secrets: ['missing-one'],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      message: 'unable to find secret: missing-one',
      hint: expect.stringContaining('faas-cli secret create missing-one'),
    });
  });

  it('another namespace is 400 on /system/*, and 404 on /function/*', async () => {
    expect(
      (await deploy({ service: 'other', image: 'cdnfaas/echo:0.1.0', namespace: 'staging-fn' })).statusCode,
    ).toBe(400);
    expect((await inject({ method: 'GET', url: '/system/functions?namespace=staging-fn' })).statusCode).toBe(
      400,
    );
    expect((await inject({ method: 'POST', url: '/function/echo.staging-fn', auth: null })).statusCode).toBe(
      404,
    );
    const refusals: [string, string, unknown, number][] = [
      ['GET', '/system/function/echo?namespace=staging-fn', undefined, 400],
      ['GET', '/system/logs?name=echo&namespace=staging-fn', undefined, 400],
      ['GET', '/system/secrets?namespace=staging-fn', undefined, 400],
      ['POST', '/system/secrets', { name: 'k', value: 'v', namespace: 'staging-fn' }, 400],
      [
        'POST',
        '/system/scale-function/echo',
        { serviceName: 'echo', replicas: 1, namespace: 'staging-fn' },
        400,
      ],
      ['DELETE', '/system/functions', { functionName: 'echo', namespace: 'staging-fn' }, 400],
      ['GET', '/system/namespace/staging-fn', undefined, 404],
      ['POST', '/system/namespace/staging-fn', { name: 'staging-fn' }, 400],
      ['DELETE', '/system/namespace/openfaas-fn', undefined, 400],
      ['POST', '/async-function/echo.staging-fn', undefined, 404],
    ];
    for (const [method, url, body, status] of refusals) {
      const res = await inject({
        method: method as 'GET',
        url,
        ...(body === undefined ? {} : { body }),
        ...(url.startsWith('/async') ? { auth: null } : {}),
      });
      expect(res.statusCode, `${method} ${url}`).toBe(status);
      expect(res.json().hint, `${method} ${url}`).toBeDefined();
    }
    const namespace = await inject({ method: 'GET', url: '/system/namespace/openfaas-fn' });
    expect(namespace.statusCode).toBe(200);
    expect(namespace.json()).toMatchObject({ name: 'openfaas-fn' });
  });

  it('a system body over the limit is 413', async () => {
    const res = await deploy({
      service: 'big',
      image: 'cdnfaas/echo:0.1.0',
      envVars: { BIG: 'x'.repeat(systemBodyBytes) },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('a function body over the limit is 413, announced by Content-Length', async () => {
    const res = await postToEcho('text/plain', 'x'.repeat(functionBodyBytes + 1));
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      message: expect.stringContaining(String(functionBodyBytes)),
    });
  });

  it('a chunked function body that grows over the limit is 413 over a real socket', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = postToEchoRaw((res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      const chunk = Buffer.alloc(64 * 1024, 1);
      let sent = 0;
      const write = (): void => {
        while (sent <= functionBodyBytes + chunk.length) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', write);
        }
        req.end();
      };
      write();
    });
    expect(status).toBe(413);
  });

  it('a chunked body under the limit streams through and back', async () => {
    const size = 300 * 1024;
    const echoed = await new Promise<Buffer>((resolve, reject) => {
      const req = postToEchoRaw((res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve(Buffer.concat(chunks)));
      });
      req.on('error', reject);
      for (let i = 0; i < size / 1024; i++) req.write(Buffer.alloc(1024, i % 251));
      req.end();
    });
    expect(echoed.length).toBe(size);
    expect(echoed[size - 1]).toBe((size / 1024 - 1) % 251);
  });

  it.each([
    ['GET', '/system/function/nope', undefined],
    ['PUT', '/system/functions', { service: 'nope', image: 'cdnfaas/echo:0.1.0' }],
    ['DELETE', '/system/functions', { functionName: 'nope' }],
    ['POST', '/system/scale-function/nope', { serviceName: 'nope', replicas: 1 }],
    ['GET', '/system/logs?name=nope', undefined],
  ])('an unknown function is 404 on %s %s', async (method, url, body) => {
    const res = await inject({ method, url, body });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('nope') });
  });

  it.each([
    '/function/nope',
    '/function/nope.openfaas-fn',
    '/function/nope/sub/path?x=1',
    '/async-function/nope',
    '/function/NOPE',
  ])('an unknown function is 404 on %s, without credentials as OpenFaaS', async (url) => {
    const res = await inject({ method: 'POST', url, auth: null });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'NOT_FOUND' });
  });

  it.each([
    ['no credentials', null],
    ['a wrong password', `Basic ${Buffer.from('admin:guess').toString('base64')}`],
    ['a wrong user', 'Basic ' + Buffer.from('root:x').toString('base64')],
    ['a bearer token', 'Bearer abc'],
  ])('%s is 401 on every /system route', async (_name, auth) => {
    for (const [method, url] of [
      ['GET', '/system/functions'],
      ['POST', '/system/functions'],
      ['GET', '/system/function/echo'],
      ['POST', '/system/scale-function/echo'],
      ['GET', '/system/logs?name=echo'],
      ['GET', '/system/info'],
      ['GET', '/system/secrets'],
      ['GET', '/system/namespaces'],
      ['GET', '/system/namespace/openfaas-fn'],
    ] as const) {
      const res = await inject({ method, url, auth });
      expect(res.statusCode, `${method} ${url}`).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Basic realm="Restricted"');
    }
  });

  it.each([
    [{ serviceName: 'echo', replicas: -1 }, 'replicas'],
    [{ serviceName: 'echo', replicas: 1.5 }, 'replicas'],
    [{ serviceName: 'echo', replicas: 1000 }, 'replicas must be a whole number from 0 to 20'],
    [{ serviceName: 'other', replicas: 1 }, 'differs'],
  ])('a bad scale request %j is 400', async (body, message) => {
    const res = await inject({ method: 'POST', url: '/system/scale-function/echo', body });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain(message);
  });

  it.each([
    ['/system/logs', 'name parameter is required'],
    ['/system/logs?name=echo&since=yesterday', 'RFC 3339'],
    ['/system/logs?name=echo&tail=ten', 'whole number'],
  ])('a bad log query %s is 400', async (url, message) => {
    const res = await inject({ method: 'GET', url });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain(message);
  });

  it('a bad X-Callback-Url is 400', async () => {
    const res = await inject({
      method: 'POST',
      url: '/async-function/echo',
      auth: null,
      headers: { 'x-callback-url': 'not a url' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('X-Callback-Url');
  });

  it('a handler that throws is 500, the error is in the logs, and the same replica keeps serving', async () => {
    const before = gw.gateway.provider.replicas('echo');
    const res = await inject({ method: 'POST', url: '/function/echo/throw', auth: null });
    expect(res.statusCode).toBe(500);
    expect(res.body).toContain('echo was told to throw');
    const logs = await waitFor('the error in the logs', async () => {
      const text = (await inject({ method: 'GET', url: '/system/logs?name=echo' })).body;
      return text.includes('echo was told to throw') ? text : undefined;
    });
    expect(logs).toContain('echo-r1-0');
    const after = await postToEcho('text/plain', 'still here');
    expect(after.statusCode).toBe(200);
    expect(after.body).toBe('still here');
    expect(gw.gateway.provider.replicas('echo')).toEqual(before);
  });

  it('an empty Content-Type is forwarded as none, as the OpenFaaS gateway does, not refused', async () => {
    const res = await postToEcho('', 'plain');
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('plain');
  });

  it('an unknown route is 404 in the same error shape', async () => {
    const res = await inject({ method: 'GET', url: '/system/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'NOT_FOUND' });
  });
});
