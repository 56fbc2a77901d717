import { z } from 'zod';
import { CdnfaasError } from '../../lib/errors.ts';
import { readSecret } from './secrets.ts';

/** Where and how a loader writes: from the function's environment (stack.yml) and its secret. */
export interface InfluxSettings {
  url: string;
  org: string;
  bucket: string;
  /** Read from the influxdb-token secret file; never logged. */
  token: string;
  /** Per write request; below the function's exec_timeout so a hung InfluxDB fails the call in time. */
  timeoutMs: number;
}

export const influxTokenSecret = 'influxdb-token';

const envSchema = z.object({
  INFLUX_URL: z.url({ protocol: /^https?$/ }),
  INFLUX_ORG: z.string().min(1),
  INFLUX_BUCKET: z.string().min(1),
  INFLUX_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
});

type Env = Record<string, string | undefined>;

/** Reads the loader settings once at start; a missing or malformed variable names itself. */
export function readInfluxSettings(
  env: Env = process.env,
  readToken = () => readSecret(influxTokenSecret, env),
): InfluxSettings {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map(
        (issue) =>
          `${issue.path.join('.')} = ${JSON.stringify(env[String(issue.path[0])] ?? null)}: ${issue.message}`,
      )
      .join('; ');
    throw new CdnfaasError('CONFIG_INVALID', `invalid InfluxDB settings: ${problems}`, {
      hint: 'set INFLUX_URL, INFLUX_ORG and INFLUX_BUCKET in the function environment (stack.yml)',
    });
  }
  return {
    url: parsed.data.INFLUX_URL,
    org: parsed.data.INFLUX_ORG,
    bucket: parsed.data.INFLUX_BUCKET,
    token: readToken(),
    timeoutMs: parsed.data.INFLUX_TIMEOUT_MS,
  };
}

/** The settings as they may appear in logs. */
export function describeInfluxSettings(settings: InfluxSettings): Omit<InfluxSettings, 'token'> {
  const { token: _secret, ...visible } = settings;
  return visible;
}
