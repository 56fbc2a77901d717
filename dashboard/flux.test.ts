import { describe, expect, it } from 'vitest';
import { countPerFieldValueQuery, countPerTagQuery, countPointsQuery, topTagValuesQuery } from './flux.ts';

describe('flux queries', () => {
  it('count all points over every record time, even 2088', () => {
    expect(
      countPointsQuery({ bucket: 'cdn_client_data_storage', measurement: 'predictions', field: 'sample_id' }),
    ).toBe(
      [
        'from(bucket: "cdn_client_data_storage")',
        '  |> range(start: 1970-01-01T00:00:00Z, stop: 2200-01-01T00:00:00Z)',
        '  |> filter(fn: (r) => r._measurement == "predictions" and r._field == "sample_id")',
        '  |> group()',
        '  |> count()',
      ].join('\n'),
    );
  });

  it('take Flux expressions as bounds, so Grafana passes its own time range', () => {
    const query = countPerFieldValueQuery(
      { bucket: 'b', measurement: 'predictions', field: 'prediction' },
      { start: 'v.timeRangeStart', stop: 'v.timeRangeStop' },
      'v.windowPeriod',
    );
    expect(query).toContain('range(start: v.timeRangeStart, stop: v.timeRangeStop)');
    expect(query).toContain('window(every: v.windowPeriod)');
    const perTag = countPerTagQuery(
      { bucket: 'b', measurement: 'predictions', field: 'prediction' },
      'tag',
      { start: '-10m' },
      '5s',
    );
    expect(perTag).toContain('aggregateWindow(every: 5s, fn: count, createEmpty: false, timeSrc: "_start")');
    expect(perTag).toContain('rename(columns: {tag: "key"})');
  });

  it('refuse a tag that cannot be a Flux identifier', () => {
    expect(() =>
      countPerTagQuery({ bucket: 'b', measurement: 'm', field: 'f' }, 'bad-tag', { start: '-1h' }, '5s'),
    ).toThrow(/Flux identifier/);
  });

  it('quote names so a quote in a name cannot end the string', () => {
    expect(
      topTagValuesQuery({ bucket: 'b"x', measurement: 'm', field: 'f' }, 'host_id', { start: '-1h' }, 10),
    ).toContain('from(bucket: "b\\"x")');
  });
});
