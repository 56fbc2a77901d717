import { createServer } from 'node:net';

/**
 * A TCP port free on 127.0.0.1 right now, picked by the kernel (listen on port 0). Whoever asked
 * binds it a moment later, so another process can in principle take it first; callers that start
 * a server of their own should prefer listening on port 0 directly.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
