import { HttpError, InfluxDB, RequestTimedOutError } from '@influxdata/influxdb-client';
import { CdnfaasError } from '../../lib/errors.ts';
import type { InfluxSettings } from './influx-settings.ts';

/** Writes line-protocol lines; resolves only once InfluxDB acknowledged every one of them. */
export interface LineWriter {
  write(lines: readonly string[]): Promise<void>;
}

export interface WriterOptions {
  /** Lines per HTTP request; a batch larger than this is sent as several requests, in order. */
  maxLinesPerRequest?: number;
}

/** Maps a failed write to the error registry: what went wrong, whether a retry can help. */
export function writeError(error: unknown, settings: Pick<InfluxSettings, 'url' | 'bucket'>): CdnfaasError {
  const where = { url: settings.url, bucket: settings.bucket };
  if (error instanceof HttpError) {
    const detail = `InfluxDB answered ${error.statusCode}: ${error.body ?? error.message}`.slice(0, 500);
    if (error.statusCode === 400 || error.statusCode === 422) {
      return new CdnfaasError('INVALID_INPUT', `InfluxDB refused the points: ${detail}`, {
        context: where,
        cause: error,
      });
    }
    const hint =
      error.statusCode === 401 || error.statusCode === 403
        ? 'check the influxdb-token secret of the function'
        : error.statusCode === 404
          ? `create the database/bucket ${settings.bucket}`
          : undefined;
    return new CdnfaasError('UPSTREAM_FAILED', detail, {
      context: where,
      cause: error,
      ...(hint ? { hint } : {}),
    });
  }
  if (error instanceof RequestTimedOutError) {
    return new CdnfaasError('TIMEOUT', `InfluxDB at ${settings.url} did not answer in time`, {
      context: where,
      cause: error,
    });
  }
  const reason = (error as NodeJS.ErrnoException)?.code ?? (error as Error)?.message ?? String(error);
  return new CdnfaasError('SERVICE_UNREACHABLE', `InfluxDB at ${settings.url} is unreachable (${reason})`, {
    hint: 'the connector retries the batch; check that InfluxDB is running',
    context: where,
    cause: error,
  });
}

/**
 * A synchronous writer: every call POSTs its lines to /api/v2/write and awaits the answer, with
 * no background buffer and no retries of its own, so a failure fails the invocation and the
 * connector (which has not committed the offsets) delivers the batch again.
 */
export function createInfluxWriter(settings: InfluxSettings, options: WriterOptions = {}): LineWriter {
  const maxLines = options.maxLinesPerRequest ?? 5000;
  const transport = new InfluxDB({ url: settings.url, token: settings.token, timeout: settings.timeoutMs })
    .transport;
  const path =
    `/api/v2/write?org=${encodeURIComponent(settings.org)}` +
    `&bucket=${encodeURIComponent(settings.bucket)}&precision=ns`;
  const sendOptions = { method: 'POST', headers: { 'content-type': 'text/plain; charset=utf-8' } };
  return {
    async write(lines) {
      for (let start = 0; start < lines.length; start += maxLines) {
        const body = lines.slice(start, start + maxLines).join('\n');
        try {
          await transport.request(path, body, sendOptions);
        } catch (error) {
          throw writeError(error, settings);
        }
      }
    },
  };
}
