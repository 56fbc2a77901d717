// HTTP/1.1 by hand over a socket: the requests a well-behaved client library will not send
// (bodies shorter than their Content-Length, unterminated chunked bodies, odd headers).
import { connect } from 'node:net';

export interface RawRequest {
  port: number;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: Buffer;
  /** Send only this many body bytes, then close our side: a client that went away mid-upload. */
  truncateAt?: number;
  /** Send the body as one chunk of chunked encoding without the final empty chunk. */
  unterminatedChunked?: boolean;
}

export type RawResponse =
  { kind: 'answered'; status: number; body: string } | { kind: 'dropped'; detail: string };

/** Sends one request on a fresh connection and reads the answer, if any comes within 15 s. */
export function rawRequest(request: RawRequest): Promise<RawResponse> {
  const body = request.body ?? Buffer.alloc(0);
  const headers: Record<string, string> = { host: '127.0.0.1', connection: 'close', ...request.headers };
  if (request.unterminatedChunked) headers['transfer-encoding'] = 'chunked';
  else if (headers['content-length'] === undefined) headers['content-length'] = String(body.length);
  const head = `${request.method} ${request.path} HTTP/1.1\r\n${Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('')}\r\n`;
  return new Promise((resolve) => {
    const socket = connect(request.port, '127.0.0.1');
    const received: Buffer[] = [];
    let done = false;
    const finish = (result: RawResponse) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish({ kind: 'dropped', detail: 'no answer within 15 s' }), 15_000);
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('error', (error) => {
      if (received.length === 0)
        finish({ kind: 'dropped', detail: (error as NodeJS.ErrnoException).code ?? error.message });
    });
    socket.on('close', () => {
      const text = Buffer.concat(received).toString('utf8');
      const match = /^HTTP\/1\.1 (\d{3})/.exec(text);
      if (match === null)
        return finish({
          kind: 'dropped',
          detail: text === '' ? 'closed without an answer' : `unparsable answer: ${text.slice(0, 80)}`,
        });
      const split = text.indexOf('\r\n\r\n');
      finish({
        kind: 'answered',
        status: Number(match[1]),
        body: split < 0 ? '' : dechunk(text.slice(0, split), text.slice(split + 4)),
      });
    });
    socket.on('connect', () => {
      socket.write(head);
      if (request.unterminatedChunked) {
        socket.write(`${body.length.toString(16)}\r\n`);
        socket.write(body);
        socket.end('\r\n');
      } else if (request.truncateAt !== undefined) {
        socket.end(body.subarray(0, request.truncateAt));
      } else {
        socket.write(body);
      }
    });
  });
}

/** The body of a chunked answer, or the text as it is. */
function dechunk(head: string, rest: string): string {
  if (!/transfer-encoding:\s*chunked/i.test(head)) return rest;
  let out = '';
  let at = 0;
  for (;;) {
    const line = rest.indexOf('\r\n', at);
    if (line < 0) return out;
    const size = parseInt(rest.slice(at, line), 16);
    if (!(size > 0)) return out;
    out += rest.slice(line + 2, line + 2 + size);
    at = line + 2 + size + 2;
  }
}
