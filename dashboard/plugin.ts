import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { FastifyInstance } from 'fastify';
import type { Logger } from '../lib/logger.ts';
import { createCollector, type Collector } from './collector.ts';
import type { DashboardSources } from './sources/types.ts';
import type { DashboardView } from './view-model.ts';

export interface DashboardDeps {
  sources: DashboardSources;
  /** Where the page is served; the gateway mounts it at /ui. */
  prefix?: string;
  /** Refresh interval of the page and its readings (at most 2 s keeps it live). */
  intervalMs?: number;
  /** Interval of the readings while no page is open (default 10 s). */
  idleIntervalMs?: number;
  sourceTimeoutMs?: number;
  /** Ticks of history the charts keep (default 10 minutes' worth). */
  historyLength?: number;
  incomingTopic?: string;
  /** InfluxDB measurements shown as "stored" tiles. */
  measurements?: string[];
  /** Names of the runtime's invocation counter and latency histogram. */
  invocationMetric?: string;
  latencyMetric?: string;
  predictionWindowSeconds?: number;
  predictionStepSeconds?: number;
  logger?: Logger;
  /** Called when the app closes, after the collector stopped (e.g. to disconnect Kafka). */
  close?: () => Promise<void>;
}

const clientDir = fileURLToPath(new URL('./client/', import.meta.url));
const require = createRequire(import.meta.url);

/** The browser code, bundled with uPlot from node_modules once per process. */
let bundle: Promise<string> | undefined;
function clientBundle(): Promise<string> {
  bundle ??= build({
    entryPoints: [`${clientDir}app.ts`],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
  }).then((result) => result.outputFiles[0]!.text);
  bundle.catch(() => (bundle = undefined));
  return bundle;
}

function sendEvent(response: ServerResponse, view: DashboardView): void {
  response.write(`data: ${JSON.stringify(view)}\n\n`);
}

/**
 * The live dashboard as a fastify plugin: the page at `prefix` (default /ui), its script and
 * styles, the current view as JSON at `prefix`/api/view and a server-sent event stream of views
 * at `prefix`/api/events. Readings start when the app listens and stop when it closes.
 */
export function registerDashboard(app: FastifyInstance, deps: DashboardDeps): Collector {
  const prefix = (deps.prefix ?? '/ui').replace(/\/$/, '');
  const intervalMs = deps.intervalMs ?? 2000;
  const streams = new Set<ServerResponse>();
  let viewAskedAt = -Infinity;
  const collector = createCollector({
    sources: deps.sources,
    intervalMs,
    idleIntervalMs: deps.idleIntervalMs ?? 10_000,
    watched: () => streams.size > 0 || Date.now() - viewAskedAt < 30_000,
    sourceTimeoutMs: deps.sourceTimeoutMs ?? Math.max(1000, Math.min(5000, intervalMs * 1.5)),
    state: {
      historyLength: deps.historyLength ?? Math.ceil(600_000 / intervalMs),
      invocationMetric: deps.invocationMetric ?? 'gateway_function_invocation_total',
      latencyMetric: deps.latencyMetric ?? 'gateway_functions_seconds',
    },
    view: {
      incomingTopic: deps.incomingTopic ?? 'cdn_raw',
      predictionWindowSeconds: deps.predictionWindowSeconds ?? 600,
      predictionStepSeconds: deps.predictionStepSeconds ?? 5,
      measurements: deps.measurements ?? [],
    },
    ...(deps.logger ? { logger: deps.logger } : {}),
  });
  let first: Promise<DashboardView> | undefined;
  const ready = () => (first ??= collector.tick());

  // Started once the server listens: a source may be the server's own /metrics.
  app.addHook('onListen', async () => {
    collector.start();
  });
  app.addHook('preClose', async () => {
    for (const stream of streams) stream.end();
    streams.clear();
  });
  app.addHook('onClose', async () => {
    await collector.stop();
    await deps.close?.();
  });

  const page = readFile(`${clientDir}index.html`, 'utf8').then((html) => html.replaceAll('{{base}}', prefix));
  page.catch(() => undefined);

  app.get(prefix, async (_request, reply) => reply.redirect(`${prefix}/`));
  app.get(`${prefix}/`, async (_request, reply) => reply.type('text/html; charset=utf-8').send(await page));
  app.get(`${prefix}/app.js`, async (_request, reply) =>
    reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(await clientBundle()),
  );
  app.get(`${prefix}/style.css`, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').send(await readFile(`${clientDir}style.css`, 'utf8')),
  );
  app.get(`${prefix}/uPlot.min.css`, async (_request, reply) =>
    reply
      .type('text/css; charset=utf-8')
      .send(await readFile(require.resolve('uplot/dist/uPlot.min.css'), 'utf8')),
  );
  app.get(`${prefix}/api/view`, async () => {
    viewAskedAt = Date.now();
    await ready();
    return collector.current();
  });
  app.get(`${prefix}/api/events`, async (request, reply) => {
    reply.hijack();
    const response = reply.raw;
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    response.write(`retry: ${intervalMs}\n\n`);
    streams.add(response);
    const unsubscribe = collector.subscribe((view) => sendEvent(response, view));
    request.raw.on('close', () => {
      unsubscribe();
      streams.delete(response);
    });
    sendEvent(response, await ready().then(() => collector.current()));
  });
  return collector;
}
