import { describe, expect, it } from 'vitest';
import { clientErrorResponse } from './client-error.ts';

function parse(response: string): { status: number; body: { code: string; message: string; hint?: string } } {
  const [head, body] = response.split('\r\n\r\n') as [string, string];
  expect(head).toContain(`Content-Length: ${Buffer.byteLength(body)}`);
  expect(head).toContain('Connection: close');
  return { status: Number(head.slice(9, 12)), body: JSON.parse(body) };
}

describe('clientErrorResponse', () => {
  it('answers a body cut short with the one error shape, saying what happened', () => {
    const error = Object.assign(new Error('Parse Error: Invalid EOF state'), {
      code: 'HPE_INVALID_EOF_STATE',
    });
    expect(parse(clientErrorResponse(error))).toEqual({
      status: 400,
      body: {
        code: 'INVALID_INPUT',
        message: 'malformed HTTP request: the connection ended before the whole body arrived',
        hint: 'send a complete HTTP/1.1 request whose body matches its Content-Length',
      },
    });
  });

  it('names the parser’s reason for other malformed requests', () => {
    const error = Object.assign(new Error('Parse Error: Invalid character in Content-Length'), {
      code: 'HPE_UNEXPECTED_CONTENT_LENGTH',
      reason: 'Invalid character in Content-Length',
    });
    expect(parse(clientErrorResponse(error)).body.message).toBe(
      'malformed HTTP request: Invalid character in Content-Length (HPE_UNEXPECTED_CONTENT_LENGTH)',
    );
  });

  it('keeps 408 for a slow request and 431 for oversized headers', () => {
    expect(
      parse(clientErrorResponse(Object.assign(new Error('t'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' }))),
    ).toMatchObject({ status: 408, body: { code: 'TIMEOUT' } });
    expect(
      parse(clientErrorResponse(Object.assign(new Error('h'), { code: 'HPE_HEADER_OVERFLOW' }))),
    ).toMatchObject({ status: 431, body: { code: 'PAYLOAD_TOO_LARGE' } });
  });
});
