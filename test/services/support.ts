// Helpers for tests that need a configuration of their own: a temporary home and sources file,
// and ports nobody uses, so they never disturb the services the other tests run against.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { influxRpcPort } from '../../deploy/local/influx-files.ts';
import { freePort } from '../../lib/ports.ts';
import { defaultSourcesFile, loadConfig, type SystemConfig } from '../../system/config.ts';

/** A listener on a free port that is not any service cdnfaas knows: "something else". */
export function occupyPort(): Promise<{ port: number; server: Server }> {
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => socket.destroy());
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () =>
      resolve({ port: (server.address() as { port: number }).port, server }),
    );
  });
}

export interface TempSetup {
  dir: string;
  sourcesFile: string;
  env: Record<string, string | undefined>;
  config: SystemConfig;
}

/**
 * Free ports for a temporary system's Kafka broker, its controller and InfluxDB, all distinct
 * and none of them InfluxDB's backup RPC port (its HTTP port + 2), which services up refuses to
 * share: picked one at a time, two of them could otherwise meet.
 */
export async function servicePorts(): Promise<{ kafka: number; controller: number; influx: number }> {
  for (;;) {
    const [kafka, controller, influx] = [await freePort(), await freePort(), await freePort()];
    const used = [kafka, controller, influx, influxRpcPort(influx)];
    if (new Set(used).size === used.length) return { kafka, controller, influx };
  }
}

/**
 * A configuration with its own home and the given ports; the cache stays shared so obtained
 * services are reused. `env` lets a test add KAFKA_BROKERS / INFLUX_URL.
 */
export function tempConfig(
  ports: { kafka: number; controller: number; influx: number },
  env: Record<string, string> = {},
): TempSetup {
  const dir = mkdtempSync(join(tmpdir(), 'cdnfaas-test-'));
  const sources = parse(readFileSync(defaultSourcesFile, 'utf8'));
  sources.kafka.brokers = [`127.0.0.1:${ports.kafka}`];
  sources.kafka.controllerPort = ports.controller;
  sources.influxdb.url = `http://127.0.0.1:${ports.influx}`;
  const sourcesFile = join(dir, 'sources.yaml');
  writeFileSync(sourcesFile, stringify(sources));
  const base = loadConfig();
  const fullEnv: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    JAVA_HOME: process.env.JAVA_HOME,
    CDNFAAS_HOME: join(dir, 'home'),
    CDNFAAS_CACHE: base.cacheDir,
    ...env,
  };
  return { dir, sourcesFile, env: fullEnv, config: loadConfig({ file: sourcesFile, env: fullEnv }) };
}
