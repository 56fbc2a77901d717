import { createServer } from 'node:net';
import type { HostPort } from './address.ts';

/** True when nothing listens on host:port, found by trying to bind it (connecting misses wildcard listeners). */
export function isPortFree({ host, port }: HostPort): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export async function busyPorts(ports: HostPort[]): Promise<HostPort[]> {
  const free = await Promise.all(ports.map(isPortFree));
  return ports.filter((_, index) => !free[index]);
}
