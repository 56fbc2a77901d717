// Each bad input ends with one clear, typed message: what, where, what to do. These tests use
// their own home and ports, so the services the other tests use are never touched.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { servicesUp } from '../../deploy/local/index.ts';
import { obtainInfluxd } from '../../deploy/local/influx-obtain.ts';
import { obtainKafka, type ObtainOptions } from '../../deploy/local/kafka-obtain.ts';
import { silentProgress } from '../../deploy/local/progress.ts';
import type { CdnfaasError } from '../../lib/errors.ts';
import { projectRoot } from '../../system/config.ts';
import { freePort } from '../../lib/ports.ts';
import { occupyPort, servicePorts, tempConfig } from './support.ts';
import type { Server } from 'node:net';

const listeners: Server[] = [];
afterEach(async () => {
  await Promise.all(listeners.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

const ports = servicePorts;

describe('an occupied port', () => {
  it('fails Kafka with PORT_IN_USE naming the port and what to do', async () => {
    const taken = await occupyPort();
    listeners.push(taken.server);
    const setup = tempConfig({ ...(await ports()), kafka: taken.port });
    const error = await servicesUp(setup.config, { only: ['kafka'], env: setup.env }).catch((e) => e);
    expect(error.code).toBe('PORT_IN_USE');
    expect(error.message).toContain(`127.0.0.1:${taken.port}`);
    expect(error.hint).toContain(`KAFKA_BROKERS=127.0.0.1:${taken.port}`);
    expect(error.hint).toContain('system/sources.yaml');
  });

  it('fails InfluxDB with PORT_IN_USE before building anything', async () => {
    const taken = await occupyPort();
    listeners.push(taken.server);
    const setup = tempConfig({ ...(await ports()), influx: taken.port });
    const started = Date.now();
    const error = await servicesUp(setup.config, { only: ['influxdb'], env: setup.env }).catch((e) => e);
    expect(error.code).toBe('PORT_IN_USE');
    expect(error.message).toContain(`influxdb cannot start: 127.0.0.1:${taken.port}`);
    expect(error.hint).toContain('INFLUX_URL=');
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('two services on one port', () => {
  it('fails with CONFIG_INVALID naming both and the keys to change', async () => {
    const port = await freePort();
    const setup = tempConfig({ kafka: port, controller: port, influx: await freePort() });
    const error = await servicesUp(setup.config, { only: ['kafka'], env: setup.env }).catch((e) => e);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toBe(`the kafka broker and the kafka KRaft controller would both use port ${port}`);
    expect(error.hint).toContain('kafka.controllerPort');
  });
});

describe('an external server that does not answer', () => {
  it('fails Kafka from KAFKA_BROKERS with SERVICE_UNREACHABLE within seconds', async () => {
    const dead = await freePort();
    const setup = tempConfig(await ports(), { KAFKA_BROKERS: `127.0.0.1:${dead}` });
    const started = Date.now();
    const error = await servicesUp(setup.config, { only: ['kafka'], env: setup.env }).catch((e) => e);
    expect(error.code).toBe('SERVICE_UNREACHABLE');
    expect(error.message).toContain(`kafka at 127.0.0.1:${dead} does not answer`);
    expect(error.hint).toContain('KAFKA_BROKERS');
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('fails InfluxDB from INFLUX_URL with SERVICE_UNREACHABLE within seconds', async () => {
    const dead = await freePort();
    const setup = tempConfig(await ports(), { INFLUX_URL: `http://127.0.0.1:${dead}` });
    const started = Date.now();
    const error = await servicesUp(setup.config, { only: ['influxdb'], env: setup.env }).catch((e) => e);
    expect(error.code).toBe('SERVICE_UNREACHABLE');
    expect(error.message).toContain('connection refused');
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});

describe('a malformed configuration file', () => {
  function runCli(sources: string) {
    const dir = mkdtempSync(join(tmpdir(), 'cdnfaas-config-'));
    const file = join(dir, 'sources.yaml');
    writeFileSync(file, sources);
    const env: NodeJS.ProcessEnv = { ...process.env, CDNFAAS_SOURCES: file, CDNFAAS_HOME: join(dir, 'home') };
    delete env.KAFKA_BROKERS;
    delete env.INFLUX_URL;
    return {
      file,
      result: spawnSync(process.execPath, [join(projectRoot, 'bin', 'cdnfaas.mjs'), 'services', 'up'], {
        env,
        encoding: 'utf8',
        timeout: 60_000,
      }),
    };
  }

  it('names the key, the value and what was expected, without a stack trace', () => {
    const { file, result } = runCli(
      `kafka:\n  brokers: ['kafka-without-port']\n  topics: {}\ninfluxdb:\n  url: http://127.0.0.1:8086\n  org: o\n  bucket: b\n  tokenFile: t\ngateway:\n  port: 8080\n`,
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('kafka.brokers.0 = "kafka-without-port"');
    expect(result.stderr).toContain(file);
    expect(result.stderr).toContain('host:port');
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it('points at the line of a YAML syntax error', () => {
    const { result } = runCli('kafka:\n  brokers: [127.0.0.1:9092\ninfluxdb: {}\n');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('is not valid YAML');
    expect(result.stderr).toMatch(/line \d+/);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});

describe('a failed download or build', () => {
  const missing = '0.0.0-cdnfaas-missing';
  /** What obtaining the missing version into a fresh cache fails with, and that cache folder. */
  const obtainMissing = async (
    obtain: (options: ObtainOptions) => Promise<unknown>,
    envFor?: (cacheDir: string) => ObtainOptions['env'],
  ): Promise<{ cacheDir: string; error: CdnfaasError }> => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'cdnfaas-cache-'));
    const env = envFor?.(cacheDir);
    const options = { cacheDir, home: cacheDir, version: missing, onProgress: silentProgress };
    const error = await obtain(env === undefined ? options : { ...options, env }).catch((e) => e);
    return { cacheDir, error: error as CdnfaasError };
  };

  it('reports OBTAIN_FAILED with the mvn command and the end of its log', async () => {
    const { cacheDir, error } = await obtainMissing(obtainKafka);
    expect(error.code).toBe('OBTAIN_FAILED');
    expect(error.message).toContain('mvn -B -q dependency:copy-dependencies');
    expect(error.message).toContain(join(cacheDir, 'kafka', missing, 'obtain.log'));
    expect(error.message).toContain(`kafka_2.13:jar:${missing}`);
    expect(error.hint).toContain('run the command again');
  });

  it('reports OBTAIN_FAILED with the go install command and the reason', async () => {
    const { error } = await obtainMissing(obtainInfluxd);
    expect(error.code).toBe('OBTAIN_FAILED');
    expect(error.message).toContain(`github.com/influxdata/influxdb/cmd/influxd@v${missing}`);
    // The go command's own explanation, whatever the proxy answered (404, 410 or 403).
    expect(error.message).toMatch(
      /go: github\.com\/influxdata\/influxdb\/cmd\/influxd@v0\.0\.0-cdnfaas-missing: .+/,
    );
  });

  it('reports TOOL_MISSING with how to install mvn when it is not on the PATH', async () => {
    const { error } = await obtainMissing(obtainKafka, (cache) => ({
      PATH: join(cache, 'empty-bin'),
    }));
    expect(error.code).toBe('TOOL_MISSING');
    expect(error.hint).toContain('apt-get install maven');
  });
});
