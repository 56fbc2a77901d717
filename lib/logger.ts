import { pino, type Logger } from 'pino';

export type { Logger };

export interface LoggerOptions {
  /** The service writing the log: gateway, connector, autoscaler, a function name. */
  service: string;
  level?: string;
  /** Extra fields on every line (replica id, image tag). */
  base?: Record<string, unknown>;
  destination?: NodeJS.WritableStream;
}

/**
 * Structured JSON logs for every service: a constant message plus a context object.
 * Keys that could carry a secret are redacted wherever they appear.
 */
export function createLogger(options: LoggerOptions): Logger {
  const logger = pino(
    {
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      base: { service: options.service, pid: process.pid, ...options.base },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: {
        paths: [
          'token',
          '*.token',
          'password',
          '*.password',
          'authorization',
          '*.authorization',
          '*.headers.authorization',
        ],
        censor: '[redacted]',
      },
    },
    options.destination as pino.DestinationStream | undefined,
  );
  return logger;
}
