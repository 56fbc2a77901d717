/**
 * A call to a function as the gateway forwards it: its body (none, buffered, or streamed under a
 * limit) and its headers both ways, hop-by-hop ones dropped, as the OpenFaaS proxy does.
 */
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { Transform, type Readable } from 'node:stream';
import { CdnfaasError } from '../../lib/errors.ts';

export interface ForwardLimits {
  /** Largest request body accepted for a function, bytes (413 beyond). */
  maxBodyBytes: number;
  /** Bodies up to this size are read first, so a call can be retried on another replica. */
  bufferBodyBytes: number;
  /** How long a call waits for a ready replica (cold start, scale from zero), ms. */
  readyTimeoutMs: number;
  /** Deadline for a replica's response headers and for each gap in its body, ms. */
  upstreamTimeoutMs: number;
}

export type RequestBody = Buffer | Readable | undefined;

export interface ForwardCall {
  name: string;
  method: string;
  /** Path after /function/<name>, starting with '/'. */
  path: string;
  /** Raw query string without '?', possibly empty. */
  query: string;
  headers: IncomingHttpHeaders;
  body: RequestBody;
  callId: string;
  startTime: string;
  remoteAddress: string | undefined;
}

export interface UpstreamResponse {
  statusCode: number;
  headers: OutgoingHttpHeaders;
}

const hopByHop = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'host',
  'http2-settings',
]);

function payloadTooLarge(limit: number): CdnfaasError {
  return new CdnfaasError(
    'PAYLOAD_TOO_LARGE',
    `the request body exceeds the gateway limit of ${limit} bytes`,
    {
      hint: 'send a smaller body, or split the batch',
      context: { limit },
    },
  );
}

/** Reads at most `limit` bytes; PAYLOAD_TOO_LARGE beyond. */
export async function readBody(stream: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      stream.destroy();
      throw payloadTooLarge(limit);
    }
    chunks.push(chunk as Buffer);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

/** The body of an incoming call: none, read into memory (small, retriable), or streamed with a byte limit. */
export async function prepareBody(raw: IncomingMessage, limits: ForwardLimits): Promise<RequestBody> {
  const length = raw.headers['content-length'];
  const chunked = raw.headers['transfer-encoding'] !== undefined;
  if (length === undefined && !chunked) return undefined;
  if (length !== undefined) {
    const size = Number(length);
    if (size > limits.maxBodyBytes) throw payloadTooLarge(limits.maxBodyBytes);
    if (size === 0) return undefined;
    if (size <= limits.bufferBodyBytes) return readBody(raw, limits.maxBodyBytes);
  }
  let size = 0;
  return raw.pipe(
    new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        callback(size > limits.maxBodyBytes ? payloadTooLarge(limits.maxBodyBytes) : null, chunk);
      },
    }),
  );
}

export function upstreamHeaders(call: ForwardCall): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const key in call.headers) {
    const value = call.headers[key];
    if (value !== undefined && !hopByHop.has(key)) headers[key] = value;
  }
  if (call.body === undefined) delete headers['content-length'];
  if (headers['x-forwarded-host'] === undefined && call.headers.host !== undefined)
    headers['x-forwarded-host'] = call.headers.host;
  if (headers['x-forwarded-for'] === undefined && call.remoteAddress !== undefined)
    headers['x-forwarded-for'] = call.remoteAddress;
  headers['x-call-id'] = call.callId;
  headers['x-start-time'] = call.startTime;
  return headers;
}

/** Response headers for the caller: the replica's minus hop-by-hop, with OpenFaaS's content type fallback. */
export function downstreamHeaders(
  call: ForwardCall,
  upstream: Record<string, string | string[] | undefined>,
): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  for (const key in upstream) {
    const value = upstream[key];
    if (value !== undefined && !hopByHop.has(key)) headers[key] = value;
  }
  headers['content-type'] ??= call.headers['content-type'] ?? 'text/plain';
  headers['x-call-id'] = call.callId;
  headers['x-start-time'] = call.startTime;
  return headers;
}
