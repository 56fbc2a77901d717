import type { Logger } from '../lib/logger.ts';
import {
  advance,
  emptyState,
  type DashboardState,
  type Outcome,
  type Reading,
  type StateOptions,
} from './state.ts';
import type { DashboardSources, SourceName } from './sources/types.ts';
import { buildView, type ViewOptions } from './view.ts';
import type { DashboardView } from './view-model.ts';

export interface CollectorOptions {
  sources: DashboardSources;
  /** Time between the starts of two readings while someone watches. */
  intervalMs: number;
  /**
   * Time between readings while nobody watches: the history keeps going at a lower cost to the
   * machine the pipeline runs on (the InfluxDB queries are the expensive part).
   */
  idleIntervalMs?: number;
  /** Whether a page is open (or the view was asked for recently). */
  watched?: () => boolean;
  /** A source slower than this counts as failed for the tick. */
  sourceTimeoutMs: number;
  state: StateOptions;
  view: Omit<ViewOptions, 'intervalMs'>;
  logger?: Logger;
  now?: () => number;
}

export interface Collector {
  /** Reads every source now and returns the new view (also sent to subscribers). */
  tick(): Promise<DashboardView>;
  current(): DashboardView;
  /** Calls the listener with each new view; returns the unsubscribe function. */
  subscribe(listener: (view: DashboardView) => void): () => void;
  start(): void;
  /** Stops the timer and waits for a reading in progress. */
  stop(): Promise<void>;
}

const sourceNames: SourceName[] = [
  'topicOffsets',
  'deadLetters',
  'lag',
  'functions',
  'metrics',
  'predictions',
  'storedCounts',
  'host',
  'drift',
];

/** A message for a panel: the error's own text plus its cause (fetch failures hide the reason there). */
export function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  return cause && !error.message.includes(cause) ? `${error.message}: ${cause}` : error.message;
}

async function withTimeout<T>(call: () => Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([call(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Reads all sources every interval (never two readings at once), folds them into the state and
 * pushes the new view to subscribers. A failing source fails only its own panels.
 */
export function createCollector(options: CollectorOptions): Collector {
  const now = options.now ?? Date.now;
  const viewOptions: ViewOptions = { ...options.view, intervalMs: options.intervalMs };
  let state: DashboardState = emptyState;
  let view = buildView(state, viewOptions);
  const listeners = new Set<(view: DashboardView) => void>();
  const failing = new Set<SourceName>();
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  let running: Promise<DashboardView> | undefined;
  let stopped = true;

  async function read<K extends SourceName>(name: K): Promise<Outcome<unknown>> {
    const source = options.sources[name];
    if (!source) return { state: 'off' };
    const call = () =>
      name === 'predictions'
        ? options.sources.predictions!(
            options.view.predictionWindowSeconds,
            options.view.predictionStepSeconds,
          )
        : (source as () => Promise<unknown>)();
    try {
      const value = await withTimeout(call, options.sourceTimeoutMs);
      if (failing.delete(name)) options.logger?.info({ source: name }, 'dashboard source recovered');
      return { state: 'ok', value };
    } catch (error) {
      const message = describeFailure(error);
      if (!failing.has(name))
        options.logger?.warn({ source: name, error: message }, 'dashboard source failed');
      failing.add(name);
      return { state: 'error', message };
    }
  }

  async function readAll(): Promise<DashboardView> {
    const at = now();
    const outcomes = await Promise.all(sourceNames.map((name) => read(name)));
    const reading = {
      at,
      ...Object.fromEntries(sourceNames.map((name, i) => [name, outcomes[i]])),
    } as Reading;
    state = advance(state, reading, options.state);
    view = buildView(state, viewOptions);
    for (const listener of listeners) listener(view);
    return view;
  }

  function tick(): Promise<DashboardView> {
    running ??= readAll().finally(() => (running = undefined));
    return running;
  }

  return {
    tick,
    current: () => view,
    subscribe(listener) {
      listeners.add(listener);
      // A new viewer ends an idle wait at once.
      wake?.();
      return () => listeners.delete(listener);
    },
    start() {
      if (!stopped) return;
      stopped = false;
      const loop = async () => {
        while (!stopped) {
          const started = now();
          await tick();
          const interval =
            (options.watched?.() ?? true)
              ? options.intervalMs
              : (options.idleIntervalMs ?? options.intervalMs);
          const wait = Math.max(0, interval - (now() - started));
          await new Promise<void>((resolve) => {
            wake = resolve;
            timer = setTimeout(resolve, stopped ? 0 : wait);
          });
        }
      };
      void loop();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      wake?.();
      await running?.catch(() => undefined);
    },
  };
}
