// `services up --secure` in a home of its own on free ports: Kafka only on SASL_SSL with
// SCRAM-SHA-512, a CA and broker certificate made on first use, SCRAM users whose credentials are
// files of the home (0600) and never on a command line or in a log; clients of the one factory
// get in with them, clients without them (or with a wrong password) are refused, and
// `cdnfaas credentials --kafka` is a properties file kcat connects with.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servicesDown, servicesUp } from '../../deploy/local/index.ts';
import { createKafkaService } from '../../deploy/local/kafka-service.ts';
import { readRecord } from '../../deploy/local/processes.ts';
import { createKafka, type KafkaConnection } from '../../lib/kafka.ts';
import { projectRoot, type SystemConfig } from '../../system/config.ts';
import { defaultSecurityFiles, kafkaConnection } from '../../system/kafka-connection.ts';
import { servicePorts, tempConfig, type TempSetup } from './support.ts';

const run = promisify(execFile);
let setup: TempSetup;
let config: SystemConfig;
let env: Record<string, string | undefined>;
let progress = '';

async function canConnect(connection: KafkaConnection): Promise<string> {
  const admin = createKafka(connection, {
    clientId: 'secure-test',
    retry: { retries: 0 },
    connectionTimeout: 3_000,
  }).admin();
  try {
    await admin.connect();
    await admin.listTopics();
    return 'connected';
  } catch (error) {
    return `refused: ${(error as Error).name}: ${(error as Error).message}`;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** What `cdnfaas credentials --kafka` prints, also written to a file of the setup (0600) for librdkafka clients. */
async function printedProperties(fileName: string): Promise<{ text: string; file: string }> {
  const cli = join(projectRoot, 'bin', 'cdnfaas.mjs');
  const { stdout } = await run(process.execPath, [cli, 'credentials', '--kafka'], { cwd: projectRoot, env });
  const file = join(setup.dir, fileName);
  writeFileSync(file, stdout, { mode: 0o600 });
  return { text: stdout, file };
}

/** librdkafka before 2.6.1 sends the nonce twice in its final SCRAM message, which Kafka 4 refuses (librdkafka#4895). */
function finishesScram(librdkafkaVersion: string): boolean {
  const [major, minor, patch] = librdkafkaVersion.split('.').map(Number) as [number, number, number];
  return major * 10_000 + minor * 100 + patch >= 20_601;
}

beforeAll(async () => {
  setup = tempConfig(await servicePorts(), { CDNFAAS_SECURE: 'true' });
  env = { ...setup.env, CDNFAAS_SOURCES: setup.sourcesFile };
  config = setup.config;
  await servicesUp(config, {
    only: ['kafka'],
    env,
    onProgress: (event) => (progress += `${event.message}\n`),
  });
}, 600_000);

afterAll(async () => {
  if (config) await servicesDown(config, { only: ['kafka'], env });
}, 120_000);

describe('Kafka in secure mode', () => {
  it('keeps the CA, the users and their passwords in files only their owner reads', () => {
    expect(config.secure).toBe(true);
    for (const role of ['admin', 'connector', 'tools'] as const) {
      const files = defaultSecurityFiles(config.home, role);
      for (const file of [files.userFile, files.passwordFile])
        expect((statSync(file).mode & 0o777).toString(8), file).toBe('600');
    }
    expect(readFileSync(defaultSecurityFiles(config.home, 'tools').caFile, 'utf8')).toContain(
      'BEGIN CERTIFICATE',
    );
  });

  it('lets the connector and the tools in over SASL_SSL, and they read what they wrote', async () => {
    const kafka = createKafka(kafkaConnection(config, 'connector'), { clientId: 'secure-test' });
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic: 'cdn_raw', acks: -1, messages: [{ key: 'k', value: 'secured' }] });
    await producer.disconnect();
    const admin = createKafka(kafkaConnection(config, 'tools'), { clientId: 'secure-test' }).admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets('cdn_raw');
    await admin.disconnect();
    expect(offsets.reduce((sum, p) => sum + Number(p.high), 0)).toBe(1);
  });

  it('refuses a client without credentials, one without TLS, and one with a wrong password', async () => {
    const good = kafkaConnection(config, 'tools');
    expect(await canConnect({ brokers: good.brokers })).toMatch(/^refused/);
    expect(await canConnect({ brokers: good.brokers, tlsCa: good.tlsCa })).toMatch(/^refused/);
    expect(await canConnect({ ...good, sasl: { ...good.sasl!, password: 'not-the-password' } })).toMatch(
      /^refused: KafkaJSSASLAuthenticationError/,
    );
    expect(await canConnect(good)).toBe('connected');
  });

  it('prints a librdkafka properties file with which a client gets in, and kcat checks the broker against its CA', async () => {
    const { text, file } = await printedProperties('kafka.properties');
    const properties = new Map(
      text
        .trim()
        .split('\n')
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const),
    );
    expect(properties.get('bootstrap.servers')).toBe(config.kafka.brokers.join(','));
    expect(properties.get('security.protocol')).toBe('sasl_ssl');
    expect(properties.get('sasl.mechanisms')).toBe('SCRAM-SHA-512');
    // What the file says is enough to get in.
    expect(
      await canConnect({
        brokers: properties.get('bootstrap.servers')!.split(','),
        tlsCa: readFileSync(properties.get('ssl.ca.location')!, 'utf8'),
        sasl: {
          mechanism: 'scram-sha-512',
          username: properties.get('sasl.username')!,
          password: properties.get('sasl.password')!,
        },
      }),
    ).toBe('connected');

    const kcat = spawnSync('kcat', ['-F', file, '-L', '-t', 'cdn_raw', '-m', '10', '-d', 'security'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    if ((kcat.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
      expect(process.env.CI, 'kcat is missing (apt-get install kcat)').not.toBe('true');
      return;
    }
    const version = /librdkafka v(\d+\.\d+\.\d+)/.exec(kcat.stderr);
    expect(version, kcat.stderr).not.toBeNull();
    // The file's CA verifies the broker and its user and password go to the broker in a SCRAM
    // exchange, where Debian 12's kcat (librdkafka 2.0.2) stops (finishesScram).
    expect(kcat.stderr).toContain('Broker SSL certificate verified');
    expect(kcat.stderr).toContain('SASL SCRAM client in state server-first-message');
    if (finishesScram(version![1]!)) {
      expect(kcat.status, kcat.stderr).toBe(0);
      expect(kcat.stdout).toContain('topic "cdn_raw" with 6 partitions');
    } else expect(kcat.stderr).toContain('invalid credentials');
  });

  it('prints a properties file with which a current librdkafka (2.6.1 and later) lists the topics, and without its SASL lines is refused', async () => {
    // Debian's kcat cannot finish SCRAM with Kafka 4 (above); PyPI's confluent-kafka bundles a
    // current librdkafka, which .ci/run installs into this Python.
    const python =
      process.env.CDNFAAS_LIBRDKAFKA_PYTHON ??
      join(homedir(), '.cache', 'cdnfaas', 'librdkafka-python', 'bin', 'python');
    if (!existsSync(python)) {
      expect(process.env.CI, `${python} is missing (.ci/run installs confluent-kafka)`).not.toBe('true');
      return;
    }
    const { file } = await printedProperties('kafka-librdkafka.properties');
    const script = join(projectRoot, 'test', 'services', 'support', 'librdkafka-topics.py');

    const listed = spawnSync(python, [script, file], { encoding: 'utf8', timeout: 60_000 });
    expect(listed.status, listed.stderr).toBe(0);
    const answer = JSON.parse(listed.stdout) as { librdkafka: string; topics: Record<string, number> };
    expect(finishesScram(answer.librdkafka), answer.librdkafka).toBe(true);
    expect(answer.topics.cdn_raw).toBe(6);

    const refused = spawnSync(python, [script, file, '--without-sasl'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(refused.status, refused.stdout).toBe(1);
    expect(refused.stderr).toContain('refused');
  });

  it('never puts a password on a command line, in a log or in the progress it reports', () => {
    const passwords = (['admin', 'connector', 'tools'] as const).map((role) =>
      readFileSync(defaultSecurityFiles(config.home, role).passwordFile, 'utf8').trim(),
    );
    const service = createKafkaService(config, { env });
    const record = readRecord(service.run)!;
    const commandLine = readFileSync(`/proc/${record.pid}/cmdline`, 'utf8');
    const logs = [service.run.logFile, join(service.run.dir, 'format.log')].map((file) =>
      readFileSync(file, 'utf8'),
    );
    for (const password of passwords) {
      expect(commandLine).not.toContain(password);
      expect(JSON.stringify(record)).not.toContain(password);
      for (const log of logs) expect(log).not.toContain(password);
      expect(progress).not.toContain(password);
    }
  });
});
