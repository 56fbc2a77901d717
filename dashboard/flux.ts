/**
 * Flux query texts, shared by the live page and the generated Grafana dashboards so that both
 * read the same thing. Time bounds are Flux expressions: `-10m` here, `v.timeRangeStart` in Grafana.
 */
export interface FluxRange {
  start: string;
  stop?: string;
}

/** Every point ever written: record timestamps lie anywhere, even in the year 2088. */
export const allTime: FluxRange = { start: '1970-01-01T00:00:00Z', stop: '2200-01-01T00:00:00Z' };

const quote = (value: string) => JSON.stringify(value);

function from(bucket: string, range: FluxRange): string {
  const stop = range.stop === undefined ? '' : `, stop: ${range.stop}`;
  return `from(bucket: ${quote(bucket)})\n  |> range(start: ${range.start}${stop})`;
}

/** The points a query reads: one measurement's, each counted once on a field every point carries. */
export interface FluxPoints {
  bucket: string;
  measurement: string;
  field: string;
}

/** The points in the range, then `steps`, as one query. */
function pointsQuery(points: FluxPoints, range: FluxRange, steps: string[]): string {
  const filter = `  |> filter(fn: (r) => r._measurement == ${quote(points.measurement)} and r._field == ${quote(points.field)})`;
  return [from(points.bucket, range), filter, ...steps].join('\n');
}

/** Number of points of a measurement. One row, `_value`. */
export function countPointsQuery(points: FluxPoints, range = allTime): string {
  return pointsQuery(points, range, ['  |> group()', '  |> count()']);
}

/** A tag or column name written into Flux as an identifier (rename takes a record, not strings). */
function identifier(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    throw new TypeError(`${name} cannot be written as a Flux identifier`);
  return name;
}

/**
 * Points per window for each value of an integer field, as column `key` (e.g. predictions per
 * cluster), timed at the window's start. Windowing first and grouping on a copy of the value
 * avoids a per-row map(), several times faster on InfluxDB 1.8.
 */
export function countPerFieldValueQuery(points: FluxPoints, range: FluxRange, every: string): string {
  return pointsQuery(points, range, [
    '  |> group()',
    `  |> window(every: ${every})`,
    '  |> duplicate(column: "_value", as: "key")',
    '  |> group(columns: ["_start", "key"])',
    '  |> count()',
    '  |> group(columns: ["key"])',
    '  |> rename(columns: {_start: "_time"})',
    '  |> keep(columns: ["_time", "key", "_value"])',
  ]);
}

/** Points per window for each value of a tag, as column `key` (e.g. per normal/anomaly tag), timed at the window's start. */
export function countPerTagQuery(points: FluxPoints, tag: string, range: FluxRange, every: string): string {
  return pointsQuery(points, range, [
    `  |> group(columns: [${quote(tag)}])`,
    `  |> aggregateWindow(every: ${every}, fn: count, createEmpty: false, timeSrc: "_start")`,
    `  |> rename(columns: {${identifier(tag)}: "key"})`,
    '  |> keep(columns: ["_time", "key", "_value"])',
  ]);
}

/** Points per window of one measurement (all series together), as `_value` per `_time`. */
export function countPerWindowQuery(points: FluxPoints, range: FluxRange, every: string): string {
  return pointsQuery(points, range, [
    '  |> group()',
    `  |> aggregateWindow(every: ${every}, fn: count, createEmpty: false)`,
  ]);
}

/** Points per value of the Flux expression `key` over the whole range, the `limit` largest first, as `key` and `_value`. */
function topKeysQuery(points: FluxPoints, range: FluxRange, key: string, limit: number): string {
  return pointsQuery(points, range, [
    `  |> map(fn: (r) => ({ r with key: ${key} }))`,
    '  |> group(columns: ["key"])',
    '  |> count()',
    '  |> group()',
    '  |> sort(columns: ["_value"], desc: true)',
    `  |> limit(n: ${limit})`,
    '  |> keep(columns: ["key", "_value"])',
  ]);
}

/** Points per value of a tag over the whole range, the `limit` largest first, as `key` and `_value`. */
export function topTagValuesQuery(points: FluxPoints, tag: string, range: FluxRange, limit: number): string {
  return topKeysQuery(points, range, `r[${quote(tag)}]`, limit);
}

/** Points per value of an integer field over the whole range, the `limit` largest first. */
export function topFieldValuesQuery(points: FluxPoints, range: FluxRange, limit: number): string {
  return topKeysQuery(points, range, 'string(v: r._value)', limit);
}

/** The share in percent of points whose tag has one value, over the whole range: one row, `_value`. */
export function tagShareQuery(points: FluxPoints, tag: string, value: string, range: FluxRange): string {
  return pointsQuery(points, range, [
    '  |> group()',
    `  |> reduce(identity: { matching: 0, total: 0 }, fn: (r, accumulator) => ({ matching: accumulator.matching + (if r[${quote(tag)}] == ${quote(value)} then 1 else 0), total: accumulator.total + 1 }))`,
    '  |> map(fn: (r) => ({ _value: if r.total > 0 then 100.0 * float(v: r.matching) / float(v: r.total) else 0.0 }))',
  ]);
}
