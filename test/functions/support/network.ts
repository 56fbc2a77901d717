import { freePort } from '../../../lib/ports.ts';
import { createServer, Socket, type AddressInfo, type Server } from 'node:net';

/** A loopback port nothing listens on (bound, then released). */
export const closedPort = freePort;

/**
 * A TCP proxy in front of a service that a test can cut and restore, as if the service went
 * down and came back: `down()` refuses new connections and drops open ones.
 */
export interface Switchable {
  url: string;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function switchableProxy(targetUrl: string): Promise<Switchable> {
  const target = new URL(targetUrl);
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const up = async () => {
    server = createServer((client) => {
      const upstream = new Socket();
      sockets.add(client).add(upstream);
      const forget = () => {
        sockets.delete(client);
        sockets.delete(upstream);
      };
      upstream.connect(Number(target.port), target.hostname, () => client.pipe(upstream).pipe(client));
      upstream.on('error', () => client.destroy()).on('close', forget);
      client.on('error', () => upstream.destroy()).on('close', forget);
    });
    await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  };
  const down = async () => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
  };
  await up();
  return { url: `http://127.0.0.1:${port}`, down, up, close: down };
}

/** A server that accepts connections and never answers, like a hung InfluxDB. */
export async function silentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
