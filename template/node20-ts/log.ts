/**
 * JSON log lines on stdout in the shape of the rest of cdnfaas (lib/logger.ts: level, time,
 * service, pid, msg, then context). A few lines of code instead of pino: the template must build
 * on its own in a container, and a replica's cold start matters more than logging throughput.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'fatal';

const levelRank: Record<LogLevel, number> = { debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

export interface Log {
  debug(msg: string, context?: Record<string, unknown>): void;
  info(msg: string, context?: Record<string, unknown>): void;
  warn(msg: string, context?: Record<string, unknown>): void;
  error(msg: string, context?: Record<string, unknown>): void;
  fatal(msg: string, context?: Record<string, unknown>): void;
  enabled(level: LogLevel): boolean;
}

export interface LogOptions {
  base: Record<string, unknown>;
  level?: string;
  write?: (line: string) => void;
}

/** An Error as a plain object, the way pino serialises `err`. */
export function serializeError(error: unknown): Record<string, unknown> {
  if (error instanceof Error) {
    const extra = Object.fromEntries(
      Object.entries(error).filter(([key]) => key !== 'stack' && key !== 'message'),
    );
    return { type: error.name, message: error.message, stack: error.stack, ...extra };
  }
  return { type: typeof error, message: String(error) };
}

export function createLog(options: LogOptions): Log {
  const write = options.write ?? ((line: string) => process.stdout.write(line));
  const threshold = levelRank[(options.level as LogLevel) ?? 'info'] ?? levelRank.info;
  const prefix = JSON.stringify({ ...options.base, pid: process.pid }).slice(1, -1);
  const emit = (level: LogLevel, msg: string, context?: Record<string, unknown>): void => {
    if (levelRank[level] < threshold) return;
    const fields = context === undefined ? '' : JSON.stringify(context, errorReplacer).slice(1, -1);
    const time = new Date().toISOString();
    write(
      `{"level":"${level}","time":"${time}",${prefix},"msg":${JSON.stringify(msg)}${fields ? `,${fields}` : ''}}\n`,
    );
  };
  return {
    debug: (msg, context) => emit('debug', msg, context),
    info: (msg, context) => emit('info', msg, context),
    warn: (msg, context) => emit('warn', msg, context),
    error: (msg, context) => emit('error', msg, context),
    fatal: (msg, context) => emit('fatal', msg, context),
    enabled: (level) => levelRank[level] >= threshold,
  };
}

function errorReplacer(_key: string, value: unknown): unknown {
  return value instanceof Error ? serializeError(value) : value;
}
