import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { downstreamHeaders, readBody, upstreamHeaders, type ForwardCall } from './forward-call.ts';
import { upstreamError } from './forward.ts';

function call(overrides: Partial<ForwardCall> = {}): ForwardCall {
  return {
    name: 'echo',
    method: 'POST',
    path: '/',
    query: '',
    headers: {
      host: 'gw:8080',
      connection: 'keep-alive',
      'content-type': 'text/plain',
      'content-length': '5',
      'x-custom': 'a',
      'set-cookie': ['a=1', 'b=2'],
    },
    body: Buffer.from('hello'),
    callId: 'id-1',
    startTime: '123',
    remoteAddress: '127.0.0.1',
    ...overrides,
  };
}

describe('headers to the replica', () => {
  it('keeps end-to-end headers, drops hop-by-hop ones, adds the forwarding and call headers', () => {
    expect(upstreamHeaders(call())).toEqual({
      'content-type': 'text/plain',
      'content-length': '5',
      'x-custom': 'a',
      'set-cookie': ['a=1', 'b=2'],
      'x-forwarded-host': 'gw:8080',
      'x-forwarded-for': '127.0.0.1',
      'x-call-id': 'id-1',
      'x-start-time': '123',
    });
  });

  it('keeps forwarding headers set by a proxy in front, and drops content-length without a body', () => {
    const headers = upstreamHeaders(
      call({ body: undefined, headers: { 'x-forwarded-for': '10.0.0.1', 'content-length': '0' } }),
    );
    expect(headers['x-forwarded-for']).toBe('10.0.0.1');
    expect(headers).not.toHaveProperty('content-length');
  });
});

describe('headers to the caller', () => {
  it('drops hop-by-hop headers and adds the call id', () => {
    const headers = downstreamHeaders(call(), {
      'content-type': 'application/json',
      connection: 'keep-alive',
      'keep-alive': 'timeout=5',
      'transfer-encoding': 'chunked',
      'x-echo': 'yes',
    });
    expect(headers).toEqual({
      'content-type': 'application/json',
      'x-echo': 'yes',
      'x-call-id': 'id-1',
      'x-start-time': '123',
    });
  });

  it.each([
    [{ 'content-type': 'text/csv' }, 'text/csv'],
    [{}, 'text/plain'],
  ])(
    'falls back to the request content type, then text/plain, as the OpenFaaS proxy',
    (requestHeaders, expected) => {
      expect(downstreamHeaders(call({ headers: requestHeaders }), {})['content-type']).toBe(expected);
    },
  );
});

describe('readBody', () => {
  it('reads up to the limit', async () => {
    expect((await readBody(Readable.from([Buffer.from('ab'), Buffer.from('cd')]), 4)).toString()).toBe(
      'abcd',
    );
  });
  it('refuses past the limit with PAYLOAD_TOO_LARGE', async () => {
    await expect(readBody(Readable.from([Buffer.from('abc'), Buffer.from('de')]), 4)).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
    });
  });
});

describe('upstreamError', () => {
  it.each([
    [{ code: 'UND_ERR_HEADERS_TIMEOUT' }, 'TIMEOUT', 504],
    [{ code: 'UND_ERR_SOCKET' }, 'UPSTREAM_FAILED', 502],
    [{ code: 'ECONNREFUSED' }, 'UPSTREAM_FAILED', 502],
  ])('%j -> %s', (error, code, status) => {
    const mapped = upstreamError(call(), Object.assign(new Error('x'), error));
    expect(mapped.code).toBe(code);
    expect(mapped.status).toBe(status);
  });
});
