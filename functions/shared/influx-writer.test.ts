import { HttpError, RequestTimedOutError } from '@influxdata/influxdb-client';
import { describe, expect, it } from 'vitest';
import { writeError } from './influx-writer.ts';

const settings = { url: 'http://127.0.0.1:8086', bucket: 'cdn_client_data_storage' };

describe('writeError', () => {
  // What InfluxDB's own failures map to: a 502 the connector retries.
  const upstreamFailure = ['UPSTREAM_FAILED', 502, true] as const;
  it.each([
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      'SERVICE_UNREACHABLE',
      503,
      true,
    ],
    ['a timeout', new RequestTimedOutError(), 'TIMEOUT', 504, true],
    [
      'a server error',
      new HttpError(500, 'Internal Server Error', 'engine: cache maximum memory size exceeded'),
      ...upstreamFailure,
    ],
    ['an overloaded server', new HttpError(503, 'Service Unavailable'), ...upstreamFailure],
    [
      'a missing database',
      new HttpError(404, 'Not Found', '{"error":"database not found"}'),
      ...upstreamFailure,
    ],
    ['a wrong token', new HttpError(401, 'Unauthorized'), ...upstreamFailure],
    [
      'points InfluxDB refuses',
      new HttpError(400, 'Bad Request', '{"error":"partial write: field type conflict"}'),
      'INVALID_INPUT',
      400,
      false,
    ],
  ])('maps %s to %s (%d, retried by the connector: %s)', (_label, error, code, status, retried) => {
    const mapped = writeError(error, settings);
    expect(mapped).toMatchObject({ code, status });
    // The status is what crosses HTTP: the connector retries a 5xx and rejects the record on a 4xx.
    expect(mapped.status >= 500).toBe(retried);
    expect(mapped.context).toEqual(settings);
  });

  it('explains a missing database and a wrong token', () => {
    expect(writeError(new HttpError(404, 'Not Found'), settings).hint).toContain(
      'create the database/bucket cdn_client_data_storage',
    );
    expect(writeError(new HttpError(403, 'Forbidden'), settings).hint).toContain('influxdb-token');
  });

  it('quotes what InfluxDB said about refused points', () => {
    expect(
      writeError(new HttpError(400, 'Bad Request', 'unable to parse line 3'), settings).message,
    ).toContain('unable to parse line 3');
  });
});
