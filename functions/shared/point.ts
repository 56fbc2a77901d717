import { Point } from '@influxdata/influxdb-client';

/** An InfluxDB point as plain data: built by pure functions, serialised at the edge. */
export interface PointSpec {
  measurement: string;
  tags: Record<string, string>;
  intFields: Record<string, number>;
  stringFields: Record<string, string>;
  /** Nanoseconds since 1970. */
  timeNs: bigint;
}

/** The line-protocol line of a point (escaping by the InfluxDB client). */
export function toLine(spec: PointSpec): string {
  const point = new Point(spec.measurement).timestamp(spec.timeNs.toString());
  for (const [name, value] of Object.entries(spec.tags)) point.tag(name, value);
  for (const [name, value] of Object.entries(spec.intFields)) point.intField(name, value);
  for (const [name, value] of Object.entries(spec.stringFields)) point.stringField(name, value);
  const line = point.toLineProtocol();
  if (line === undefined) throw new TypeError(`point of ${spec.measurement} has no fields`);
  return line;
}

/**
 * What InfluxDB identifies a point by: measurement, tag set and time. Two points with the same
 * identity are one point (the later write replaces the fields of the earlier).
 */
export function pointIdentity(spec: PointSpec): string {
  const tags = Object.entries(spec.tags)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join(',');
  return `${spec.measurement},${tags} ${spec.timeNs}`;
}
