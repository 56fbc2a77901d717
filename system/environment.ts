// The environment variables that override system/sources.yaml, and the validation messages
// that name the variable (or the file) a wrong value came from.
import type { z } from 'zod';
import { CdnfaasError } from '../lib/errors.ts';

/** CDNFAAS_SECURE=true|1|yes|on or false|0|no|off; anything else is refused with the variable named. */
function parseBooleanVariable(name: string, value: string): boolean {
  const normalised = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(normalised)) return true;
  if (['false', '0', 'no', 'off', ''].includes(normalised)) return false;
  throw new CdnfaasError(
    'CONFIG_INVALID',
    `environment variable ${name} = ${JSON.stringify(value)} is not a boolean`,
    {
      hint: `set ${name} to true or false`,
    },
  );
}

export type Env = Record<string, string | undefined>;

/** The YAML as read, before validation: only the sections the environment may override are named. */
type RawSection = Record<string, unknown>;
export interface RawSources {
  kafka?: RawSection;
  influxdb?: RawSection;
  gateway?: RawSection;
  prometheus?: RawSection;
  alertmanager?: RawSection;
  connector?: RawSection;
  [key: string]: unknown;
}

/** Applies environment overrides to the raw YAML object before validation, so errors name the variable. */
export function applyEnvironment(raw: RawSources, env: Env): RawSources {
  const copy = structuredClone(raw);
  copy.kafka ??= {};
  copy.influxdb ??= {};
  copy.gateway ??= {};
  if (env.CDNFAAS_SECURE !== undefined)
    copy.secure = parseBooleanVariable('CDNFAAS_SECURE', env.CDNFAAS_SECURE);
  if (env.KAFKA_NODES) copy.kafka.nodes = Number(env.KAFKA_NODES);
  if (env.KAFKA_BROKERS) copy.kafka.brokers = env.KAFKA_BROKERS.split(',').map((b) => b.trim());
  if (env.INFLUX_URL) copy.influxdb.url = env.INFLUX_URL;
  if (env.INFLUX_ORG) copy.influxdb.org = env.INFLUX_ORG;
  if (env.INFLUX_BUCKET) copy.influxdb.bucket = env.INFLUX_BUCKET;
  if (env.INFLUX_TOKEN_FILE) copy.influxdb.tokenFile = env.INFLUX_TOKEN_FILE;
  if (env.GATEWAY_PORT) copy.gateway.port = Number(env.GATEWAY_PORT);
  if (env.CONNECTOR_KAFKA_CLIENT)
    copy.connector = { ...copy.connector, kafkaClient: env.CONNECTOR_KAFKA_CLIENT };
  if (env.PROMETHEUS_PORT) copy.prometheus = { ...copy.prometheus, port: Number(env.PROMETHEUS_PORT) };
  if (env.ALERTMANAGER_PORT)
    copy.alertmanager = { ...copy.alertmanager, port: Number(env.ALERTMANAGER_PORT) };
  return copy;
}

const envNameForPath: Record<string, string> = {
  secure: 'CDNFAAS_SECURE',
  'kafka.nodes': 'KAFKA_NODES',
  'connector.kafkaClient': 'CONNECTOR_KAFKA_CLIENT',
  'kafka.brokers': 'KAFKA_BROKERS',
  'influxdb.url': 'INFLUX_URL',
  'influxdb.org': 'INFLUX_ORG',
  'influxdb.bucket': 'INFLUX_BUCKET',
  'influxdb.tokenFile': 'INFLUX_TOKEN_FILE',
  'gateway.port': 'GATEWAY_PORT',
  'prometheus.port': 'PROMETHEUS_PORT',
  'alertmanager.port': 'ALERTMANAGER_PORT',
};

function valueAt(object: unknown, path: PropertyKey[]): unknown {
  return path.reduce<unknown>(
    (node, key) => (node as Record<PropertyKey, unknown> | undefined)?.[key],
    object,
  );
}

export function describeIssues(file: string, raw: unknown, issues: z.core.$ZodIssue[], env: Env): string {
  return issues
    .map((issue) => {
      const key = issue.path.map(String).join('.') || '(root)';
      const topKey = issue.path.slice(0, 2).map(String).join('.');
      const envName = envNameForPath[topKey];
      const source = envName && env[envName] !== undefined ? `environment variable ${envName}` : file;
      const value =
        issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : JSON.stringify(valueAt(raw, issue.path));
      return `${key} = ${value ?? 'missing'} (from ${source}): ${issue.message}`;
    })
    .join('\n');
}
