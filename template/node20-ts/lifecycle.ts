import { createLog, serializeError, type Log } from './log.ts';

/**
 * A replica process's wiring, shared by both templates' entry points (node20-ts/index.ts and
 * classic/index.ts): settings read once or exit 2, one JSON log with the replica's identity,
 * exit on an uncaught exception, and SIGTERM/SIGINT draining calls in flight before exit 0.
 */

/** The settings, or a fatal JSON line and exit 2 when they cannot be read (the runtime reports it). */
export function readSettingsOrExit<T>(read: () => T, what: string): T {
  try {
    return read();
  } catch (error) {
    process.stdout.write(
      `${JSON.stringify({ level: 'fatal', time: new Date().toISOString(), msg: `${what}: ${(error as Error).message}`, err: serializeError(error) })}\n`,
    );
    process.exit(2);
  }
}

/** The replica's log: every line names the function, the replica and the image. */
export function replicaLog(functionName: string, replicaId: string | undefined): Log {
  return createLog({
    base: {
      service: functionName,
      function: functionName,
      replica: replicaId,
      image: process.env.CDNFAAS_IMAGE,
    },
    level: process.env.LOG_LEVEL,
  });
}

export interface Drainable {
  readonly inflight: number;
  /** Stops taking calls; resolves once the calls in flight have answered. */
  drain(): Promise<void>;
}

export interface ShutdownOptions {
  log: Log;
  server: Drainable;
  /** How long calls in flight may take after the signal before the process exits 1. */
  graceMs: number;
  /** Runs when the grace period is over, before exit 1 (the classic watchdog kills its children). */
  onGraceOver?: () => void;
  /** What dies on an uncaught exception, for its log line ("the function", "the watchdog"). */
  what: string;
}

/** SIGTERM/SIGINT drain and exit 0 (1 after the grace period); an uncaught exception exits 1. */
export function exitCleanly(options: ShutdownOptions): void {
  const { log, server, graceMs } = options;
  process.on('uncaughtException', (error) => {
    log.fatal(`uncaught exception in ${options.what}; exiting`, { err: error });
    process.exit(1);
  });
  const shutdown = (signal: string): void => {
    log.info('draining', { signal, inflight: server.inflight, graceMs });
    const force = setTimeout(() => {
      log.error('calls still in flight after the grace period; exiting', {
        inflight: server.inflight,
        graceMs,
      });
      options.onGraceOver?.();
      process.exit(1);
    }, graceMs);
    force.unref();
    void server.drain().then(() => {
      log.info('stopped', { signal });
      process.exit(0);
    });
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

/** The grace after SIGTERM: the longest a call may take plus 2 s, or 30 s when calls are unbounded. */
export const graceAfter = (longestCallMs: number): number =>
  longestCallMs > 0 ? longestCallMs + 2000 : 30_000;
