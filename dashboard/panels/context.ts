import type { SeriesView } from '../reducers/series.ts';
import type { DashboardState, HistoryPoint, Outcome } from '../state.ts';
import type { ChartPanel, PanelState, StatTile, TablePanel, Unit } from '../view-model.ts';

export interface ViewOptions {
  intervalMs: number;
  /** The topic whose growth is the incoming record rate. */
  incomingTopic: string;
  predictionWindowSeconds: number;
  predictionStepSeconds: number;
  /** The InfluxDB measurements shown as stat tiles. */
  measurements: string[];
}

/** What every panel builder reads: the latest reading, the history and the page's options. */
export interface ViewContext {
  latest: DashboardState['latest'];
  history: HistoryPoint[];
  options: ViewOptions;
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
  drift: 'model drift',
} as const;

export type Status = { state: PanelState; message?: string };

/** A panel's state from its source's outcome; `isEmpty` decides between ok and empty. */
export function statusOf<T>(
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

/** The value of an outcome that answered, else undefined. */
export const valueOf = <T>(outcome: Outcome<T> | undefined): T | undefined =>
  outcome?.state === 'ok' ? outcome.value : undefined;

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

/** The newest value a picker finds in the history. */
export function lastOf<T>(history: HistoryPoint[], pick: (p: HistoryPoint) => T | undefined): T | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    const value = pick(history[i]!);
    if (value !== undefined) return value;
  }
  return undefined;
}

export interface PanelText {
  id: string;
  title: string;
  description: string;
}

export function chart(text: PanelText, unit: Unit, data: SeriesView, status: Status): ChartPanel {
  return { kind: 'chart', ...text, unit, data, ...status };
}

export function table(
  text: PanelText,
  columns: string[],
  rows: TablePanel['rows'],
  status: Status,
): TablePanel {
  return { kind: 'table', ...text, columns, rows, ...status };
}

/** A stat tile; its note is the source's message when the source failed or is off. */
export function tile(
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

export const round = (value: number) => Math.round(value * 10) / 10;

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
