import { alignRows, perSecond, shareOf, totals, type SeriesView } from './reducers/series.ts';
import type { DashboardState, HistoryPoint, Outcome } from './state.ts';
import type {
  ChartPanel,
  DashboardView,
  Panel,
  PanelState,
  StatTile,
  TablePanel,
  Unit,
} from './view-model.ts';

export interface ViewOptions {
  intervalMs: number;
  /** The topic whose growth is the incoming record rate. */
  incomingTopic: string;
  predictionWindowSeconds: number;
  predictionStepSeconds: number;
  /** The InfluxDB measurements shown as stat tiles. */
  measurements: string[];
}

const sourceLabels = {
  topicOffsets: 'Kafka topic offsets',
  deadLetters: 'dead-letter counts',
  lag: 'consumer lag',
  functions: 'gateway functions',
  metrics: 'gateway metrics',
  predictions: 'InfluxDB predictions',
  storedCounts: 'InfluxDB point counts',
  host: 'host metrics',
} as const;

type Status = { state: PanelState; message?: string };

/** A panel's state from its source's outcome; `isEmpty` decides between ok and empty. */
function statusOf<T>(
  outcome: Outcome<T> | undefined,
  source: keyof typeof sourceLabels,
  isEmpty: (value: T) => boolean,
  emptyMessage: string,
): Status {
  if (outcome === undefined) return { state: 'empty', message: 'waiting for the first reading' };
  if (outcome.state === 'off')
    return { state: 'off', message: `not configured: no ${sourceLabels[source]} source` };
  if (outcome.state === 'error')
    return { state: 'error', message: `${sourceLabels[source]} unavailable: ${outcome.message}` };
  return isEmpty(outcome.value) ? { state: 'empty', message: emptyMessage } : { state: 'ok' };
}

/** Series over the history for each key a picker returns; null where the key or the tick is missing. */
export function historySeries(
  history: HistoryPoint[],
  pick: (point: HistoryPoint) => Record<string, number | null> | undefined,
  label: (key: string) => string = (key) => key,
): SeriesView {
  const keys = new Set<string>();
  for (const point of history) for (const key of Object.keys(pick(point) ?? {})) keys.add(key);
  const sorted = [...keys].sort();
  return {
    times: history.map((point) => point.t),
    series: sorted.map((key) => ({
      label: label(key),
      values: history.map((point) => pick(point)?.[key] ?? null),
    })),
  };
}

function chart(
  id: string,
  title: string,
  description: string,
  unit: Unit,
  data: SeriesView,
  status: Status,
): ChartPanel {
  return { kind: 'chart', id, title, description, unit, data, ...status };
}

function table(
  id: string,
  title: string,
  description: string,
  columns: string[],
  rows: TablePanel['rows'],
  status: Status,
): TablePanel {
  return { kind: 'table', id, title, description, columns, rows, ...status };
}

const lastOf = <T>(history: HistoryPoint[], pick: (p: HistoryPoint) => T | undefined): T | undefined => {
  for (let i = history.length - 1; i >= 0; i--) {
    const value = pick(history[i]!);
    if (value !== undefined) return value;
  }
  return undefined;
};

/** Tables with many columns take two grid columns. */
const wideTables = new Set(['lag-status']);

const isDlq = (topic: string) => topic.endsWith('.dlq');

/** The whole page from the state: stat tiles, charts and tables, each with its own state. */
export function buildView(state: DashboardState, options: ViewOptions): DashboardView {
  const latest = state.latest;
  const history = state.history;
  const step = options.predictionStepSeconds;
  const windowMinutes = Math.round(options.predictionWindowSeconds / 60);

  const offsets = latest?.topicOffsets;
  const offsetStatus = statusOf(offsets, 'topicOffsets', (v) => v.length === 0, 'no topics yet');
  const throughput = historySeries(
    history,
    (p) =>
      p.topicRates && Object.fromEntries(Object.entries(p.topicRates).filter(([topic]) => !isDlq(topic))),
    (topic) => (topic === options.incomingTopic ? `${topic} (incoming)` : topic),
  );
  const incomingNow = lastOf(history, (p) => p.topicRates?.[options.incomingTopic]);
  const dlqTopics = offsets?.state === 'ok' ? offsets.value.filter((t) => isDlq(t.topic)) : [];
  // Exact counts where a dead-letter counter runs; else end offsets, which count commit markers too.
  const deadLetters = latest?.deadLetters;
  const exact =
    deadLetters?.state === 'ok' ? new Map(deadLetters.value.map((d) => [d.topic, d.records])) : undefined;
  const byOffset = 'records counted by end offset: transaction markers included';
  const dlqStatus: Status =
    exact || offsetStatus.state !== 'ok'
      ? offsetStatus
      : {
          state: 'ok',
          message:
            deadLetters?.state === 'error'
              ? `dead-letter counts unavailable (${deadLetters.message}); ${byOffset}`
              : byOffset,
        };
  const dlqRecords = (topic: string, endOffset: number) => (exact ? (exact.get(topic) ?? 0) : endOffset);

  const stored = latest?.storedCounts;
  const storedStatus = statusOf(
    stored,
    'storedCounts',
    (v) => v.every((s) => s.points === 0),
    'no points stored yet',
  );
  const storedRates = lastOf(history, (p) => p.storedRates) ?? {};
  const storedRows = stored?.state === 'ok' ? stored.value : [];

  const predictions = latest?.predictions;
  const noPredictions = `no predictions in the last ${windowMinutes} min`;
  const predictionStatus = statusOf(predictions, 'predictions', (v) => v.perTag.length === 0, noPredictions);
  const clusters = perSecond(
    alignRows(predictions?.state === 'ok' ? predictions.value.perCluster : [], step, (k) => `cluster ${k}`),
    step,
  );
  const tags = alignRows(predictions?.state === 'ok' ? predictions.value.perTag : [], step);
  const tagTotals = totals(tags);
  const predictedInWindow = [...tagTotals.values()].reduce((a, b) => a + b, 0);
  const anomalyRate =
    predictedInWindow > 0 ? (100 * (tagTotals.get('anomaly') ?? 0)) / predictedInWindow : null;

  const lag = latest?.lag;
  const lagStatus = statusOf(lag, 'lag', (v) => v.length === 0, 'no consumer groups yet');
  const withoutStatus =
    lag?.state === 'ok' && lag.value.length > 0 && lag.value.every((g) => g.status === 'UNKNOWN');
  const lagTableStatus: Status = withoutStatus
    ? {
        state: 'ok',
        message: "no Burrow status: the connector's lag monitor does not answer, lag read from Kafka",
      }
    : lagStatus;
  const lagGroups = lag?.state === 'ok' ? lag.value : [];

  const fns = latest?.functions;
  const fnStatus = statusOf(fns, 'functions', (v) => v.length === 0, 'no functions deployed');
  const fnRows = fns?.state === 'ok' ? fns.value : [];

  const metrics = latest?.metrics;
  const noInvocations = 'no invocations yet';
  const invocations = historySeries(history, (p) => p.invocations);
  const metricsStatus = statusOf(metrics, 'metrics', () => invocations.series.length === 0, noInvocations);
  const latency = historySeries(
    history,
    (p) =>
      p.latencyMeanMs && {
        ...Object.fromEntries(Object.entries(p.latencyMeanMs).map(([fn, v]) => [`${fn} mean`, v])),
        ...Object.fromEntries(Object.entries(p.latencyP95Ms ?? {}).map(([fn, v]) => [`${fn} p95`, v])),
      },
  );

  const host = latest?.host;
  const hostStatus = statusOf(host, 'host', () => false, '');
  const network = historySeries(
    history,
    (p) => p.network && { received: p.network.rxPerSecond, sent: p.network.txPerSecond },
  );
  const networkStatus: Status =
    host?.state === 'ok' && host.value.network === undefined
      ? { state: 'off', message: 'network counters are not available on this platform' }
      : hostStatus;

  const totalLag = lagGroups.reduce((sum, g) => sum + g.totalLag, 0);
  const fnReady = fnRows.reduce((s, f) => s + f.availableReplicas, 0);
  const fnDesired = fnRows.reduce((s, f) => s + f.replicas, 0);
  const stats: StatTile[] = [
    tile(
      'incoming',
      'incoming records/s',
      incomingNow ?? null,
      'per-second',
      offsetStatus,
      options.incomingTopic,
    ),
    ...options.measurements.map((measurement) =>
      tile(
        `stored-${measurement}`,
        `${measurement} stored`,
        storedRows.find((s) => s.measurement === measurement)?.points ?? null,
        'count',
        storedStatus,
      ),
    ),
    tile(
      'anomaly-rate',
      'anomaly rate',
      anomalyRate,
      'percent',
      predictionStatus,
      `last ${windowMinutes} min`,
    ),
    tile(
      'dlq',
      'DLQ records',
      offsets?.state === 'ok' || exact
        ? dlqTopics.reduce((sum, t) => sum + dlqRecords(t.topic, t.endOffset), 0)
        : null,
      'count',
      offsetStatus,
    ),
    tile('lag', 'consumer lag', lag?.state === 'ok' ? totalLag : null, 'count', lagStatus),
    tile(
      'replicas',
      'replicas ready',
      fns?.state === 'ok' ? fnReady : null,
      'count',
      fnStatus,
      `of ${fnDesired} desired`,
    ),
  ];

  const panels: Panel[] = [
    chart(
      'throughput',
      'Records/s per topic',
      `Growth of each pipeline topic's end offsets; ${options.incomingTopic} is the incoming stream.`,
      'per-second',
      throughput,
      offsetStatus,
    ),
    chart(
      'clusters',
      'Predictions/s per cluster',
      `Points of the predictions measurement per ${step} s window, by predicted cluster, last ${windowMinutes} min.`,
      'per-second',
      clusters,
      predictionStatus,
    ),
    chart(
      'anomaly',
      'Anomaly rate',
      `Share of predictions tagged anomaly per ${step} s window.`,
      'percent',
      shareOf(tags, 'anomaly', 'anomaly'),
      predictionStatus,
    ),
    table(
      'stored',
      'Records stored',
      'Points per InfluxDB measurement over all time, and their growth.',
      ['measurement', 'points', 'points/s'],
      storedRows.map((s) => [s.measurement, s.points, round(storedRates[s.measurement] ?? 0)]),
      storedStatus,
    ),
    chart(
      'lag',
      'Consumer lag per group',
      'Log-end offset minus committed offset, summed over partitions.',
      'count',
      historySeries(history, (p) => p.lag),
      lagStatus,
    ),
    table(
      'lag-status',
      'Lag status (Burrow rules)',
      'Per consumer group: lag and status from the recent commit history.',
      ['function', 'group', 'topic', 'lag', 'status', 'partitions (partition:lag)'],
      lagGroups.map((g) => [
        g.function ?? '',
        g.group,
        g.topic,
        g.totalLag,
        g.status,
        g.partitions
          .map(
            (p) =>
              `${p.partition}:${p.lag}${p.status === 'OK' || p.status === 'UNKNOWN' ? '' : ` ${p.status}`}`,
          )
          .join(' '),
      ]),
      lagTableStatus,
    ),
    chart(
      'replicas',
      'Ready replicas per function',
      'Replicas that passed their health check.',
      'count',
      historySeries(history, (p) => p.replicas),
      fnStatus,
    ),
    table(
      'functions',
      'Functions',
      'Deployed functions, their image and replicas (ready / desired).',
      ['function', 'image', 'replicas'],
      fnRows.map((f) => [f.name, f.image, `${f.availableReplicas} / ${f.replicas}`]),
      fnStatus,
    ),
    chart(
      'invocations',
      'Invocations/s per function',
      'Rate of gateway_function_invocation_total.',
      'per-second',
      invocations,
      metricsStatus,
    ),
    chart(
      'latency',
      'Invocation latency',
      'Mean and p95 of gateway_functions_seconds per refresh interval.',
      'ms',
      latency,
      metricsStatus,
    ),
    table(
      'dlq',
      'Dead-letter topics',
      'Records rejected by a function, per *.dlq topic: read and counted (read_committed), beside the end offset, which also counts transaction markers.',
      ['topic', 'records', 'end offset'],
      dlqTopics.map((t) => [t.topic, dlqRecords(t.topic, t.endOffset), t.endOffset]),
      dlqStatus,
    ),
    chart(
      'host',
      'Host CPU and memory',
      'CPU busy over all cores, memory in use (not available to programs).',
      'percent',
      historySeries(
        history,
        (p) => p.host && { 'cpu %': p.host.cpuPercent, 'memory %': p.host.memoryPercent },
      ),
      hostStatus,
    ),
    chart(
      'network',
      'Host network',
      'Bytes/s received and sent on all interfaces but loopback.',
      'bytes-per-second',
      network,
      networkStatus,
    ),
    table(
      'disks',
      'Disks',
      'Size and free space of the file systems the system writes to.',
      ['path', 'size', 'free', 'used %'],
      host?.state === 'ok'
        ? host.value.disks.map((d) => [
            d.path,
            formatBytes(d.totalBytes),
            formatBytes(d.freeBytes),
            round(d.totalBytes > 0 ? (100 * (d.totalBytes - d.freeBytes)) / d.totalBytes : 0),
          ])
        : [],
      hostStatus,
    ),
  ];
  return {
    at: latest?.at ?? Date.now(),
    intervalMs: options.intervalMs,
    stats,
    panels: panels.map((panel) => (wideTables.has(panel.id) ? { ...panel, wide: true } : panel)),
  };
}

/** A stat tile; its note is the source's message when the source failed or is off. */
function tile(
  id: string,
  label: string,
  value: number | null,
  unit: Unit,
  status: Status,
  note?: string,
): StatTile {
  const failed = status.state === 'error' || status.state === 'off';
  const shownNote = failed ? status.message : note;
  return {
    id,
    label,
    value: failed ? null : value,
    unit,
    state: status.state,
    ...(shownNote ? { note: shownNote } : {}),
  };
}

const round = (value: number) => Math.round(value * 10) / 10;

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}
