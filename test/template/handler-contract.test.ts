import { describe, expect, it } from 'vitest';
import { batchContentType } from '../../contracts/batch.ts';
import { echoReplicaForFile } from './support.ts';

// The OpenFaaS node template contract, through a built echo image run as a replica process.
const echo = echoReplicaForFile();

const call = (path: string, init?: RequestInit) => fetch(`${echo.replica.url}${path}`, init);
/** A POST of `body` with `contentType` to `path` of the replica. */
const post = (path: string, contentType: string, body: BodyInit) =>
  call(path, { method: 'POST', headers: { 'content-type': contentType }, body });

describe('event', () => {
  it('carries method, path, query and headers', async () => {
    const response = await call('/event/x?a=1&a=2&b=y', {
      method: 'PUT',
      headers: { 'x-custom': 'v', 'content-type': 'application/json' },
      body: '{"k":1}',
    });
    expect(response.status).toBe(200);
    const event = await response.json();
    expect(event).toMatchObject({
      method: 'PUT',
      path: '/event/x',
      query: { a: ['1', '2'], b: 'y' },
      bodyType: 'object',
      body: { k: 1 },
    });
    expect(event.headers['x-custom']).toBe('v');
  });

  it.each([
    ['application/json', '{"a":[1,2]}', 'object', { a: [1, 2] }],
    ['text/plain', 'hello', 'string', 'hello'],
    [undefined, 'no type counts as text', 'string', 'no type counts as text'],
    ['application/x-www-form-urlencoded', 'a=1&b=two', 'object', { a: '1', b: 'two' }],
    ['application/octet-stream', 'AAEC', 'buffer', Buffer.from('AAEC').toString('base64')],
  ])('decodes a %s body', async (type, body, bodyType, decoded) => {
    const headers: Record<string, string> = type === undefined ? {} : { 'content-type': type };
    const response = await call('/event', { method: 'POST', headers, body });
    expect(await response.json()).toMatchObject({ bodyType, body: decoded });
  });

  it('answers 400 with INVALID_INPUT for malformed JSON', async () => {
    const response = await post('/', 'application/json', '{"broken":');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('malformed JSON'),
    });
  });
});

describe('response', () => {
  it('sends a returned object as JSON, a string as text and a Buffer as bytes', async () => {
    const json = await post('/', 'application/json', '{"x":1}');
    expect(json.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await json.json()).toEqual({ x: 1 });
    const text = await post('/', 'text/plain', 'plain');
    expect(text.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await text.text()).toBe('plain');
    const bytes = new Uint8Array([0, 1, 254, 255]);
    const raw = await post('/raw', 'application/octet-stream', bytes);
    expect(raw.headers.get('content-type')).toBe('application/octet-stream');
    expect(new Uint8Array(await raw.arrayBuffer())).toEqual(bytes);
  });

  it('honours context.status and context.headers, which override the content type', async () => {
    const created = await post('/status/201', 'text/plain', 'made');
    expect(created.status).toBe(201);
    expect(await created.text()).toBe('made');
    const headed = await post('/headers', 'text/plain', 'h');
    expect(headed.headers.get('x-echo')).toBe('yes');
    expect(headed.headers.get('content-type')).toBe('text/x-echo');
    expect(await headed.text()).toBe('h');
  });

  it('answers with context.succeed and context.fail (500 unless set)', async () => {
    const succeeded = await call('/succeed');
    expect([succeeded.status, await succeeded.json()]).toEqual([200, { via: 'succeed' }]);
    const failed = await call('/fail');
    expect([failed.status, await failed.json()]).toEqual([500, { reason: 'told to fail' }]);
    const failedWithError = await call('/fail-error');
    expect([failedWithError.status, await failedWithError.json()]).toEqual([
      500,
      { code: 'INTERNAL', message: 'told to fail with an error' },
    ]);
  });

  it('answers 500 when the handler throws, logs it with function, replica and call id, and keeps serving', async () => {
    const thrown = await call('/throw', { headers: { 'x-call-id': 'call-123' } });
    expect(thrown.status).toBe(500);
    expect(await thrown.json()).toEqual({ code: 'INTERNAL', message: 'echo was told to throw' });
    const line = echo.replica.logs.find(
      (entry) => entry.msg === 'handler threw' && entry.callId === 'call-123',
    );
    expect(line).toMatchObject({
      level: 'error',
      function: 'echo',
      replica: 'echo-test',
      err: { message: 'echo was told to throw' },
    });
    expect((line!.err as { stack: string }).stack).toContain('handler.ts');
    const next = await post('/', 'text/plain', 'still here');
    expect([next.status, await next.text()]).toEqual([200, 'still here']);
  });
});

describe('batch calls through stageHandler', () => {
  it('echoes every record of a connector batch', async () => {
    const records = [
      { topic: 't', partition: 0, offset: '7', key: 'k1', value: { a: 1 } },
      { topic: 't', partition: 0, offset: '8', key: null, value: 'two' },
    ];
    const response = await post('/', batchContentType, JSON.stringify({ records }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      results: [
        { status: 'ok', outputs: [{ key: 'k1', value: { a: 1 } }] },
        { status: 'ok', outputs: [{ key: null, value: 'two' }] },
      ],
    });
  });

  it('answers 400 for a malformed batch', async () => {
    const response = await post('/', batchContentType, '{"records":[{"offset":1}]}');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('malformed batch'),
    });
  });
});
