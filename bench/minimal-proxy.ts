/**
 * The floor for any gateway on this machine: a pass-through proxy with node:http and undici and
 * nothing else (no routing, auth, metrics, call ids or retries). The bench measures it beside the
 * gateway, so the cost of the extra hop is told apart from the cost of the gateway's own work.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';

export async function startMinimalProxy(origin: string): Promise<{ url: string; close(): Promise<void> }> {
  const pool = new Pool(origin, { connections: 64, pipelining: 1 });
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      pool.dispatch(
        {
          path: req.url ?? '/',
          method: req.method as 'POST',
          headers: { 'content-type': req.headers['content-type'] ?? 'text/plain' },
          body: Buffer.concat(chunks),
        },
        {
          onRequestStart() {},
          onResponseStart(_controller, status, headers) {
            res.writeHead(status, { 'content-type': String(headers['content-type'] ?? 'text/plain') });
          },
          onResponseData(_controller, chunk) {
            res.write(chunk);
          },
          onResponseEnd() {
            res.end();
          },
          onResponseError(_controller, error) {
            res.writeHead(502).end(error.message);
          },
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.close();
    },
  };
}
