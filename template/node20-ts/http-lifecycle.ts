import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The HTTP side of a replica's lifecycle, shared by the node20-ts server and the classic
 * watchdog: listening, and closing once the calls in flight have answered.
 */

/** Listens and resolves with the port (0 picks a free one); rejects when the port is taken. */
export async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

/** Counts calls in flight; once draining, resolves `drained` when the last one ends. */
export class InflightCalls {
  count = 0;
  private onDrained: (() => void) | undefined;
  private draining = false;

  begin(): void {
    this.count += 1;
  }

  end(): void {
    this.count -= 1;
    if (this.draining && this.count === 0) this.onDrained?.();
  }

  /** Stops the server taking connections; resolves once it is closed and no call is in flight. */
  drain(server: Server): Promise<void> {
    this.draining = true;
    const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const idle =
      this.count === 0 ? Promise.resolve() : new Promise<void>((resolve) => (this.onDrained = resolve));
    // In-flight calls end their keep-alive connections (Connection: close); wait for both.
    return Promise.all([idle, stopped]).then(() => undefined);
  }
}
