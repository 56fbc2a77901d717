import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Handler } from './function.ts';
import { exitCleanly, graceAfter, readSettingsOrExit, replicaLog } from './lifecycle.ts';
import { createFunctionServer } from './server.ts';
import { readSettings, type ServerSettings } from './settings.ts';

/**
 * The replica's entry point: `node index.mjs` in an image, the fprocess behind of-watchdog in a
 * container. Listens at once (health answers 503), then imports the handler module, which may
 * take its time (an ONNX session created with top-level await); health answers 200 from then on.
 * SIGTERM stops accepting connections, lets calls in flight answer, and exits 0.
 */

const settings: ServerSettings = readSettingsOrExit(() => readSettings(process.env), 'invalid settings');
const log = replicaLog(settings.functionName, settings.replicaId);

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
exitCleanly({ log, server, graceMs: graceAfter(settings.execTimeoutMs), what: 'the function' });

try {
  await server.start();
} catch (error) {
  log.fatal('the function failed to start', { err: error });
  process.exit(1);
}
