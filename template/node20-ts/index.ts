import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Handler } from './function.ts';
import { createLog, serializeError } from './log.ts';
import { createFunctionServer } from './server.ts';
import { readSettings, type ServerSettings } from './settings.ts';

/**
 * The replica's entry point: `node index.mjs` in an image, the fprocess behind of-watchdog in a
 * container. Listens at once (health answers 503), then imports the handler module, which may
 * take its time (an ONNX session created with top-level await); health answers 200 from then on.
 * SIGTERM stops accepting connections, lets calls in flight answer, and exits 0.
 */

let settings: ServerSettings;
try {
  settings = readSettings(process.env);
} catch (error) {
  process.stdout.write(
    `${JSON.stringify({ level: 'fatal', time: new Date().toISOString(), msg: 'invalid settings', err: serializeError(error) })}\n`,
  );
  process.exit(2);
}

const log = createLog({
  base: {
    service: settings.functionName,
    function: settings.functionName,
    replica: settings.replicaId,
    image: process.env.CDNFAAS_IMAGE,
  },
  level: process.env.LOG_LEVEL,
});

// Stack traces of bundled code point at the TypeScript sources (the bundles carry source maps).
process.setSourceMapsEnabled(true);

/** The bundled handler beside this file, or CDNFAAS_HANDLER (a module path) when running from source. */
function handlerUrl(): string {
  const override = process.env.CDNFAAS_HANDLER;
  if (override) return pathToFileURL(isAbsolute(override) ? override : resolve(override)).href;
  return new URL('./function/handler.mjs', import.meta.url).href;
}

async function loadHandler(): Promise<Handler> {
  const url = handlerUrl();
  const module = (await import(url)) as { default?: unknown; handler?: unknown };
  const candidate = typeof module.default === 'function' ? module.default : module.handler;
  if (typeof candidate !== 'function') {
    throw new TypeError(
      `${url} must default-export the handler function (export default async (event, context) => ...)`,
    );
  }
  return candidate as Handler;
}

const server = createFunctionServer({ settings, log, loadHandler });

process.on('unhandledRejection', (reason) => {
  // A promise the handler forgot to await: report it, keep serving.
  log.error('unhandled promise rejection in the function', { err: reason });
});
process.on('uncaughtException', (error) => {
  log.fatal('uncaught exception in the function; exiting', { err: error });
  process.exit(1);
});

function shutdown(signal: string): void {
  const graceMs = settings.execTimeoutMs > 0 ? settings.execTimeoutMs + 2000 : 30_000;
  log.info('draining', { signal, inflight: server.inflight, graceMs });
  const force = setTimeout(() => {
    log.error('calls still in flight after the grace period; exiting', {
      inflight: server.inflight,
      graceMs,
    });
    process.exit(1);
  }, graceMs);
  force.unref();
  void server.drain().then(() => {
    log.info('stopped', { signal });
    process.exit(0);
  });
}
process.once('SIGTERM', () => shutdown('SIGTERM'));
process.once('SIGINT', () => shutdown('SIGINT'));

try {
  await server.start();
} catch (error) {
  log.fatal('the function failed to start', { err: error });
  process.exit(1);
}
