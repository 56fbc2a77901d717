// A pass-through HTTP proxy in front of InfluxDB that notes, for every sample_id written, the
// moment InfluxDB acknowledged the write holding it. The loaders write synchronously (the call
// answers only after InfluxDB did), so this is the moment the point became stored and
// queryable: the end of the pipeline, seen without querying InfluxDB while it works.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Pool } from 'undici';

export interface Acknowledged {
  /** sample_id -> ms (performance.now()) of the first acknowledged write, per measurement. */
  first: Map<string, Map<string, number>>;
  /** Lines acknowledged per measurement, re-deliveries included. */
  lines: Map<string, number>;
}

export interface WriteProxy {
  url: string;
  acknowledged: Acknowledged;
  /** Distinct sample_ids acknowledged in a measurement. */
  stored(measurement: string): number;
  /** Called after each acknowledged write (for progress and completion). */
  onWrite(listener: () => void): void;
  close(): Promise<void>;
}

/** measurement and sample_id of each line-protocol line. Pure; lines without a sample_id are skipped. */
export function sampleIdsOf(body: string): { measurement: string; sampleId: string }[] {
  const out: { measurement: string; sampleId: string }[] = [];
  for (const line of body.split('\n')) {
    const at = line.indexOf('sample_id="');
    if (at < 0) continue;
    const end = line.indexOf('"', at + 11);
    let nameEnd = 0;
    while (nameEnd < line.length && line[nameEnd] !== ',' && line[nameEnd] !== ' ')
      nameEnd += line[nameEnd] === '\\' ? 2 : 1;
    out.push({ measurement: line.slice(0, nameEnd), sampleId: line.slice(at + 11, end) });
  }
  return out;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startWriteProxy(upstream: string): Promise<WriteProxy> {
  const pool = new Pool(upstream, { connections: 16 });
  const acknowledged: Acknowledged = { first: new Map(), lines: new Map() };
  const listeners: (() => void)[] = [];

  function record(body: Buffer, at: number): void {
    for (const { measurement, sampleId } of sampleIdsOf(body.toString('utf8'))) {
      let first = acknowledged.first.get(measurement);
      if (first === undefined) acknowledged.first.set(measurement, (first = new Map()));
      if (!first.has(sampleId)) first.set(sampleId, at);
      acknowledged.lines.set(measurement, (acknowledged.lines.get(measurement) ?? 0) + 1);
    }
    for (const listener of listeners) listener();
  }

  async function forward(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    const headers = { ...request.headers };
    delete headers.host;
    delete headers.connection;
    const answer = await pool.request({
      path: request.url ?? '/',
      method: (request.method ?? 'GET') as 'GET',
      headers,
      body: body.length > 0 ? body : undefined,
    });
    const reply = Buffer.from(await answer.body.arrayBuffer());
    const at = performance.now();
    if (answer.statusCode < 300 && request.url?.startsWith('/api/v2/write')) record(body, at);
    const replyHeaders = { ...answer.headers };
    delete replyHeaders['transfer-encoding'];
    delete replyHeaders.connection;
    response.writeHead(answer.statusCode, { ...replyHeaders, 'content-length': String(reply.length) });
    response.end(reply);
  }

  const server = createServer((request, response) => {
    forward(request, response).catch((error: unknown) => {
      // As InfluxDB being unreachable looks to the loader: it fails the call and is retried.
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain' });
      response.end(`proxy: ${(error as Error).message}`);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    acknowledged,
    stored: (measurement) => acknowledged.first.get(measurement)?.size ?? 0,
    onWrite: (listener) => listeners.push(listener),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.close();
    },
  };
}
