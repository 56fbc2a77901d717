import type { Socket } from 'node:net';
import { CdnfaasError, type ErrorCode } from '../../lib/errors.ts';

/**
 * Requests Node's HTTP parser refuses before any route sees them (a body cut short, a
 * Content-Length that is not a number, an unfinished chunked body, headers too large) get the
 * gateway's one error body too, with what was wrong, instead of fastify's bare "Client Error".
 */
export function clientErrorResponse(error: NodeJS.ErrnoException & { reason?: string }): string {
  const [status, code, message]: [number, ErrorCode, string] =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'TIMEOUT', 'the request did not arrive in time']
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'PAYLOAD_TOO_LARGE', 'the request headers exceed the size limit']
        : [400, 'INVALID_INPUT', `malformed HTTP request: ${describeParseError(error)}`];
  const body = JSON.stringify(
    new CdnfaasError(code, message, {
      hint: 'send a complete HTTP/1.1 request whose body matches its Content-Length',
    }).toJSON(),
  );
  const reason = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' }[
    status
  ];
  return (
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
  );
}

function describeParseError(error: NodeJS.ErrnoException & { reason?: string }): string {
  if (error.code === 'HPE_INVALID_EOF_STATE') return 'the connection ended before the whole body arrived';
  return `${error.reason ?? error.message} (${error.code ?? 'parse error'})`;
}

/** fastify's clientErrorHandler: answers when the socket can still take it, else lets it go. */
export function handleClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) socket.end(clientErrorResponse(error));
  else socket.destroy(error);
}
