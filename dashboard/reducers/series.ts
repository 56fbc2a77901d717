/** A chart's data in uPlot's aligned form: shared x values (unix seconds), one y array per series. */
export interface SeriesView {
  times: number[];
  series: { label: string; values: (number | null)[] }[];
}

/** One aggregated row from InfluxDB: window time, the series key (cluster, tag), the count. */
export interface KeyedRow {
  time: number;
  key: string;
  value: number;
}

/** Reads the `_time`, `key`, `_value` columns Flux returns; rows that lack them are dropped. */
export function keyedRowsFromFlux(rows: Record<string, unknown>[]): KeyedRow[] {
  return rows.flatMap((row) => {
    const time = Date.parse(String(row._time)) / 1000;
    const value = Number(row._value);
    // A key copied from an integer field (a cluster) arrives as a number.
    const key = typeof row.key === 'number' ? String(row.key) : row.key;
    return Number.isFinite(time) && Number.isFinite(value) && typeof key === 'string'
      ? [{ time, key, value }]
      : [];
  });
}

/**
 * Aligns keyed rows on the step grid from their first to their last window. A window with no
 * row had no points: 0, so a quiet stretch shows as zero instead of a line drawn across it.
 * Rows whose time is off the grid belong to a window still filling up, and are dropped so the
 * last point does not dip with each refresh.
 */
export function alignRows(rows: KeyedRow[], stepSeconds: number, label = (key: string) => key): SeriesView {
  const complete = rows.filter((row) => Number.isInteger(row.time / stepSeconds));
  if (complete.length === 0) return { times: [], series: [] };
  const first = Math.min(...complete.map((row) => row.time));
  const last = Math.max(...complete.map((row) => row.time));
  const times = Array.from({ length: (last - first) / stepSeconds + 1 }, (_, i) => first + i * stepSeconds);
  const keys = [...new Set(complete.map((row) => row.key))].sort((a, b) =>
    a.localeCompare(b, 'en', { numeric: true }),
  );
  const series = keys.map((key) => ({ label: label(key), values: times.map((): number | null => 0) }));
  const seriesIndex = new Map(keys.map((key, i) => [key, i]));
  for (const row of complete)
    series[seriesIndex.get(row.key)!]!.values[(row.time - first) / stepSeconds]! += row.value;
  return { times, series };
}

/** Counts per window -> per second. */
export function perSecond(view: SeriesView, stepSeconds: number): SeriesView {
  return {
    times: view.times,
    series: view.series.map((s) => ({
      label: s.label,
      values: s.values.map((v) => (v === null ? null : v / stepSeconds)),
    })),
  };
}

/** The share (in percent) of one key among all keys per window, e.g. the anomaly rate. */
export function shareOf(view: SeriesView, key: string, label: string): SeriesView {
  const target = view.series.find((s) => s.label === key);
  const values = view.times.map((_, i) => {
    const total = view.series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0);
    return total > 0 ? (100 * (target?.values[i] ?? 0)) / total : null;
  });
  return { times: view.times, series: [{ label, values }] };
}

/** Sum of each series over the whole view. */
export function totals(view: SeriesView): Map<string, number> {
  return new Map(view.series.map((s) => [s.label, s.values.reduce<number>((sum, v) => sum + (v ?? 0), 0)]));
}
