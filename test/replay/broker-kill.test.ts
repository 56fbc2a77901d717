// `npx cdnfaas replay` against a Kafka of its own that is killed with -9 halfway and started
// again: the command must come back by itself, every row must reach cdn_raw at least once, and
// what it printed must say how many records it sent again (the only ones that may be twice).
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servicesDown, servicesUp } from '../../deploy/local/index.ts';
import { createKafkaService } from '../../deploy/local/kafka-service.ts';
import { isPortFree } from '../../deploy/local/ports.ts';
import { isAlive, readRecord } from '../../deploy/local/processes.ts';
import { createKafka } from '../../lib/kafka.ts';
import { freePort } from '../../lib/ports.ts';
import { readCsvRecords } from '../../simulator/csv-rows.ts';
import { projectRoot } from '../../system/config.ts';
import { kafkaConnection } from '../../system/kafka-connection.ts';
import { readTopic } from '../connector/support/kafka.ts';
import { tempConfig, type TempSetup } from '../services/support.ts';

const rows = 4_000;
const rate = 400;
const cli = join(projectRoot, 'bin', 'cdnfaas.mjs');

let setup: TempSetup;
let env: Record<string, string | undefined>;

interface CliRun {
  /** Resolves with the exit code and the whole output once the command exits. */
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** Resolves once stderr (where progress goes) matches. */
  waitForStderr(pattern: RegExp, timeoutMs: number): Promise<void>;
}

function runCli(args: string[]): CliRun {
  const child = spawn(process.execPath, [cli, ...args], {
    cwd: projectRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
  return {
    done,
    async waitForStderr(pattern, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(stderr)) {
        if (Date.now() > deadline || child.exitCode !== null)
          throw new Error(`no ${pattern} from \`cdnfaas ${args[0]}\`; stderr: ${stderr}`);
        await sleep(50);
      }
    },
  };
}

/** kill -9 the broker, then wait until the process is gone and its ports are free. */
async function killKafka(): Promise<void> {
  const record = readRecord(createKafkaService(setup.config, { env }).run);
  if (record === undefined) throw new Error('the test Kafka has no process record');
  process.kill(record.pid, 'SIGKILL');
  const ports = [Number(setup.config.kafka.brokers[0]!.split(':')[1]), setup.config.kafka.controllerPort];
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const free = await Promise.all(ports.map((port) => isPortFree({ host: '127.0.0.1', port })));
    if (!isAlive(record.pid) && free.every(Boolean)) return;
    await sleep(100);
  }
  throw new Error(`Kafka (pid ${record.pid}) still holds its ports 30 s after kill -9`);
}

beforeAll(async () => {
  setup = tempConfig({ kafka: await freePort(), controller: await freePort(), influx: await freePort() });
  env = { ...setup.env, CDNFAAS_SOURCES: setup.sourcesFile, NODE_OPTIONS: process.env.NODE_OPTIONS };
  await servicesUp(setup.config, { only: ['kafka'], env });
});

afterAll(async () => {
  if (setup) {
    await servicesDown(setup.config, { only: ['kafka'], env }).catch(() => undefined);
    rmSync(setup.dir, { recursive: true, force: true });
  }
});

describe('`cdnfaas replay` through a broker kill -9', () => {
  it('returns by itself with every row in cdn_raw at least once and a count of the records sent again', async () => {
    const csv = join(setup.dir, 'rows.csv');
    const generated = await runCli(['generate-data', '--rows', String(rows), '--seed', '15', '--out', csv])
      .done;
    expect(generated.code, generated.stderr).toBe(0);
    const expected = (await readCsvRecords(csv)).map((record) => JSON.stringify(record));

    const replaying = runCli(['replay', csv, '--max-rate', String(rate)]);
    // Once records flow (the first progress line), and a few seconds on: the producer then has
    // sequence numbers the restarted broker will not know.
    await replaying.waitForStderr(/replay .*: [1-9]\d*\//, 30_000);
    await sleep(1_500);
    await killKafka();
    await servicesUp(setup.config, { only: ['kafka'], env });
    const replayed = await replaying.done;

    expect(replayed.code, replayed.stderr).toBe(0);
    expect(replayed.stdout).toContain(`replayed ${rows} of ${rows} records to cdn_raw`);
    const resends = /resends: (\d+)(?: \((\d+) records sent again)?/.exec(replayed.stdout);
    expect(resends, replayed.stdout).not.toBeNull();
    const resentRecords = Number(resends![2] ?? 0);

    const kafka = createKafka(kafkaConnection(setup.config), { clientId: 'replay-kill-test' });
    const stored = (await readTopic(kafka, 'cdn_raw', rows, 30_000)).map((record) =>
      record.value!.toString('utf8'),
    );
    const counts = new Map<string, number>();
    for (const value of stored) counts.set(value, (counts.get(value) ?? 0) + 1);
    const wanted = new Map<string, number>();
    for (const value of expected) wanted.set(value, (wanted.get(value) ?? 0) + 1);
    const missing = [...wanted].filter(([value, count]) => (counts.get(value) ?? 0) < count);
    expect(missing.length, `rows missing from cdn_raw, e.g. ${missing[0]?.[0]}`).toBe(0);
    // Only a resent chunk can have landed twice.
    expect(stored.length - expected.length).toBeLessThanOrEqual(resentRecords);
  }, 90_000);
});
