import type { IncomingMessage } from 'node:http';

/**
 * Turning an HTTP request into the handler's event: the path and query from the URL, the body
 * decoded by content type as the OpenFaaS node template does (JSON parsed, text as a string,
 * form fields as an object, anything else a Buffer; no content type counts as text/plain).
 */

export type Query = Record<string, string | string[] | undefined>;

export function splitTarget(url: string): { path: string; query: Query } {
  const mark = url.indexOf('?');
  if (mark < 0) return { path: url || '/', query: {} };
  return { path: url.slice(0, mark) || '/', query: parseQuery(url.slice(mark + 1)) };
}

export function parseQuery(search: string): Query {
  const query: Query = {};
  if (search === '') return query;
  for (const [key, value] of new URLSearchParams(search)) {
    const existing = query[key];
    if (existing === undefined) query[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else query[key] = [existing, value];
  }
  return query;
}

export type BodyKind = 'json' | 'text' | 'form' | 'raw';

/** Which decoding a content type gets; parameters such as charset are ignored. */
export function bodyKind(contentType: string | undefined, rawBody: boolean): BodyKind {
  if (rawBody) return 'raw';
  const type = (contentType ?? 'text/plain').split(';', 1)[0]!.trim().toLowerCase();
  if (type === '' || type.startsWith('text/')) return 'text';
  if (type === 'application/json' || type.endsWith('+json')) return 'json';
  if (type === 'application/x-www-form-urlencoded') return 'form';
  return 'raw';
}

export type DecodedBody = { ok: true; body: unknown } | { ok: false; message: string };

export function decodeBody(bytes: Buffer, kind: BodyKind): DecodedBody {
  switch (kind) {
    case 'raw':
      return { ok: true, body: bytes };
    case 'text':
      return { ok: true, body: bytes.toString('utf8') };
    case 'form':
      return { ok: true, body: Object.fromEntries(new URLSearchParams(bytes.toString('utf8'))) };
    case 'json': {
      // An empty JSON body (a GET, or a POST without data) is no value rather than a syntax error.
      if (bytes.length === 0) return { ok: true, body: undefined };
      try {
        return { ok: true, body: JSON.parse(bytes.toString('utf8')) };
      } catch (error) {
        return { ok: false, message: `malformed JSON body: ${(error as Error).message}` };
      }
    }
  }
}

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body exceeds the limit of ${limit} bytes`);
  }
}

const empty = Buffer.alloc(0);

/** Reads the whole body, refusing more than `limit` bytes (early when Content-Length says so). */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) return Promise.reject(new BodyTooLargeError(limit));
  if (declared === '0' || (declared === undefined && req.headers['transfer-encoding'] === undefined)) {
    return Promise.resolve(empty);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}
