import type { FastifyReply, FastifyRequest } from 'fastify';
import { CdnfaasError } from '../../../lib/errors.ts';
import { assertFunctionName, assertNamespace } from '../../provider/names.ts';
import type { LogMessage, LogQuery } from '../../provider/types.ts';
import type { GatewayDeps } from '../deps.ts';

type RawQuery = Record<string, string | string[] | undefined>;
type Request = FastifyRequest<{ Querystring: RawQuery }>;

/** The last value of a repeated parameter, as faas-provider's getValue. */
function lastValue(query: RawQuery, key: string): string | undefined {
  const value = query[key];
  return Array.isArray(value) ? value[value.length - 1] : value;
}

/** Go's strconv.ParseBool, with anything unparsable read as false (faas-provider ignores the error). */
function parseGoBool(value: string | undefined): boolean {
  return value !== undefined && ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value);
}

/** faas-provider logs.Request from the query string: name, namespace, instance, tail, since (RFC 3339), follow. */
export function parseLogQuery(query: RawQuery): LogQuery {
  const name = lastValue(query, 'name');
  if (name === undefined || name === '') {
    throw new CdnfaasError('INVALID_INPUT', 'the name parameter is required', {
      hint: 'GET /system/logs?name=<function>',
    });
  }
  assertFunctionName(name);
  assertNamespace(lastValue(query, 'namespace'));
  const result: LogQuery = { name, follow: parseGoBool(lastValue(query, 'follow')) };
  const instance = lastValue(query, 'instance');
  if (instance) result.instance = instance;
  const tail = lastValue(query, 'tail');
  if (tail !== undefined && tail !== '') {
    if (!/^[-+]?\d+$/.test(tail))
      throw new CdnfaasError('INVALID_INPUT', `tail=${JSON.stringify(tail)} is not a whole number`, {
        hint: 'tail=100, or <= 0 for all',
      });
    result.tail = Number(tail);
  }
  const since = lastValue(query, 'since');
  if (since !== undefined && since !== '') {
    const parsed = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(since)
      ? new Date(since)
      : undefined;
    if (parsed === undefined || Number.isNaN(parsed.getTime())) {
      throw new CdnfaasError('INVALID_INPUT', `since=${JSON.stringify(since)} is not an RFC 3339 time`, {
        hint: 'e.g. since=2026-01-01T00:00:00Z',
      });
    }
    result.since = parsed;
  }
  return result;
}

const line = (message: LogMessage): string => `${JSON.stringify(message)}\n`;

/**
 * GET /system/logs: ndjson of faas-provider logs.Message; with follow=true new lines stream until
 * the client hangs up, the function is removed or the gateway stops (`followers` holds the
 * open streams so that closing the gateway can end them).
 */
export function makeLogsHandler({ provider }: Pick<GatewayDeps, 'provider'>, followers: Set<() => void>) {
  return async (request: Request, reply: FastifyReply) => {
    const query = parseLogQuery(request.query);
    const stream = provider.logs(query);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-cache' });
    for (const message of stream.history) res.write(line(message));
    if (!query.follow) {
      res.end();
      return;
    }
    const end = (): void => {
      unsubscribe();
      followers.delete(end);
      res.end();
    };
    const unsubscribe = stream.subscribe((message) => res.write(line(message)), end);
    followers.add(end);
    res.once('close', end);
  };
}
