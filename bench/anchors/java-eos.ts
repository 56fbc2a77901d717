/**
 * The exactly-once anchor: the most one exactly-once topic-to-topic hop reaches on this broker,
 * measured with the official Java client the way Kafka Streams runs exactly-once v2 (one
 * transactional producer, a read_committed consumer, offsets committed inside the transaction).
 * The pipeline's exactly-once stages are read beside it.
 *
 * The Maven project in ./java-eos/ is built once per content hash in the cache (java-eos-build.ts).
 *
 * CLI: `npx tsx bench/anchors/java-eos.ts --records 200000 [--partitions 6] [--max-seconds 300]
 * [--commit-interval-ms 0]` prints the figures as JSON on stdout, progress on stderr.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Admin } from 'kafkajs';
import { z } from 'zod';
import { formatCommand, lastLines } from '../../deploy/local/log-tail.ts';
import { missingTool } from '../../deploy/local/run-command.ts';
import { CdnfaasError } from '../../lib/errors.ts';
import { createKafka, plainConnection } from '../../lib/kafka.ts';
import { loadConfig } from '../../system/config.ts';
import { anchorClasspath, buildAnchor } from './java-eos-build.ts';

export interface JavaEosAnchor {
  /** Records whose transaction committed (fewer than asked only when the time limit cut the run). */
  records: number;
  seconds: number;
  recordsPerSecond: number;
  transactions: number;
  /** sendOffsetsToTransaction + commitTransaction, per transaction. */
  commitLatencyMs: { p50: number; p99: number };
  recordsPerTransaction: number;
  partitions: number;
  recordBytes: number;
}

export interface JavaEosOptions {
  brokers: string[];
  records: number;
  partitions: number;
  onProgress?: (line: string) => void;
  /** Where builds are cached; the project's cache dir (system/config.ts) when not given. */
  cacheDir?: string;
  /** The Java program stops here even when records remain. */
  maxSeconds?: number;
  /** 0 commits once per poll; Kafka Streams commits every commit.interval.ms (100 under exactly-once). */
  commitIntervalMs?: number;
}

const mainClass = 'cdnfaas.bench.EosAnchor';
const recordBytes = 200;
const javaInstallHint = 'install Java 17+ (Debian: apt-get install openjdk-17-jdk-headless) or set JAVA_HOME';

// ---- pure parts ----

/**
 * A JSON record of exactly `recordBytes` bytes shaped like a ClientData message (a few fields fewer,
 * so the padding can even out the lengths); the n-th carries n in its sample_id.
 */
export function anchorRecord(n: number): string {
  const body = {
    sample_id: `${n.toString(16).padStart(8, '0')}-0b7d-5c3e-9a1f-2d4b6c8e0f13`,
    channel_id: n % 7,
    timestamp: new Date(Date.UTC(2088, 4, 17) + n * 1000).toISOString().replace('.000Z', 'Z'),
    host_id: n % 211,
    content_type: n % 5,
    protocol: n % 3,
    geo_location: n % 9973,
    user_id: n % 101,
    pad: '',
  };
  const bare = Buffer.byteLength(JSON.stringify(body));
  return JSON.stringify({ ...body, pad: 'x'.repeat(Math.max(0, recordBytes - bare)) });
}

const figuresSchema = z.object({
  records: z.number().int().nonnegative(),
  seconds: z.number().nonnegative(),
  recordsPerSecond: z.number().nonnegative(),
  transactions: z.number().int().nonnegative(),
  commitLatencyMs: z.object({ p50: z.number().nonnegative(), p99: z.number().nonnegative() }),
  recordsPerTransaction: z.number().nonnegative(),
});
export type AnchorOutput = z.infer<typeof figuresSchema>;

/** The figures from the program's stdout: its last line that is a JSON object. */
export function parseAnchorOutput(stdout: string): AnchorOutput {
  const line = stdout
    .split(/\r?\n/)
    .map((text) => text.trim())
    .filter((text) => text.startsWith('{'))
    .at(-1);
  const fail = (why: string) =>
    new CdnfaasError('UPSTREAM_FAILED', `the Java exactly-once anchor printed ${why}`, {
      context: { stdout: stdout.slice(-500) },
    });
  if (line === undefined) throw fail('no JSON line on stdout');
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    throw fail(`a line that is not JSON: ${line.slice(0, 200)}`);
  }
  const parsed = figuresSchema.safeParse(json);
  if (!parsed.success) {
    throw fail(
      `figures of the wrong shape (${parsed.error.issues[0]?.path.join('.')}): ${line.slice(0, 200)}`,
    );
  }
  return parsed.data;
}

// ---- run ----

/** Fills the input topic evenly across partitions, in batches under the broker's 1 MB per partition. */
async function fillTopic(brokers: string[], topic: string, records: number, partitions: number) {
  const producer = createKafka(plainConnection(brokers), {
    clientId: 'cdnfaas-bench-java-eos-fill',
  }).producer();
  await producer.connect();
  try {
    const chunk = 2_000 * partitions;
    for (let start = 0; start < records; start += chunk) {
      const messages = [];
      for (let n = start; n < Math.min(records, start + chunk); n++) {
        messages.push({ partition: n % partitions, value: anchorRecord(n) });
      }
      await producer.send({ topic, messages, acks: -1 });
    }
  } finally {
    await producer.disconnect();
  }
}

function javaCommand(): string {
  const javaHome = process.env.JAVA_HOME;
  const exe = process.platform === 'win32' ? 'java.exe' : 'java';
  return javaHome && existsSync(join(javaHome, 'bin', exe)) ? join(javaHome, 'bin', exe) : 'java';
}

/** Runs the program; its stderr lines go to `say`, its stdout is returned. */
async function runJava(args: string[], timeoutMs: number, say: (line: string) => void): Promise<string> {
  const command = javaCommand();
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
  let stdout = '';
  let stderr = '';
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    stderr += text;
    const lines = (pending + text).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) say(`  ${line}`);
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  try {
    const { code, signal } = await new Promise<{ code: number | null; signal: string | null }>(
      (resolve, reject) => {
        child.once('error', (error: NodeJS.ErrnoException) =>
          reject(error.code === 'ENOENT' ? missingTool(command, javaInstallHint) : error),
        );
        child.once('close', (code: number | null, signal: string | null) => resolve({ code, signal }));
      },
    );
    if (code === 0) return stdout;
    const why = timedOut
      ? `did not finish within ${Math.round(timeoutMs / 1000)} s`
      : `exited with ${code === null ? `signal ${signal}` : `code ${code}`}`;
    throw new CdnfaasError(
      'UPSTREAM_FAILED',
      `the Java exactly-once anchor failed: \`${formatCommand(command, args)}\` ${why}.\nLast lines of its stderr:\n  ${lastLines(stderr, 15).join('\n  ')}`,
      {
        hint: 'is the broker up (npx cdnfaas services up) and does it allow transactions (a transaction state log with replication factor 1 on one node)?',
        context: { command: formatCommand(command, args) },
      },
    );
  } finally {
    clearTimeout(timer);
  }
}

/** The group's committed offsets on the input, summed: what the transactions really committed. */
async function committedRecords(admin: Admin, groupId: string, topic: string): Promise<number> {
  const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return (offsets?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
}

/** A count the program is given: a whole number of at least `min`. */
export function checkCount(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw new CdnfaasError(
      'INVALID_INPUT',
      `${name} must be a whole number of at least ${min}, not ${value}`,
    );
  }
  return value;
}

export async function measureJavaEosAnchor(options: JavaEosOptions): Promise<JavaEosAnchor> {
  checkCount('records', options.records, 1);
  checkCount('partitions', options.partitions, 1);
  const say = options.onProgress ?? (() => undefined);
  const paths = await buildAnchor(options.cacheDir ?? loadConfig().cacheDir, say);
  const id = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const [input, output, group] = [`anchor_in_${id}`, `anchor_out_${id}`, `anchor_eos_${id}`];
  const maxSeconds = checkCount('maxSeconds', options.maxSeconds ?? 300, 1);
  const commitIntervalMs = checkCount('commitIntervalMs', options.commitIntervalMs ?? 0, 0);
  const admin = createKafka(plainConnection(options.brokers), { clientId: 'cdnfaas-bench-java-eos' }).admin();
  await admin.connect();
  try {
    await admin.createTopics({
      topics: [input, output].map((topic) => ({ topic, numPartitions: options.partitions })),
      waitForLeaders: true,
    });
    say(
      `  java-eos: filling ${input} with ${options.records.toLocaleString('en-US')} records of ${recordBytes} bytes`,
    );
    await fillTopic(options.brokers, input, options.records, options.partitions);
    const cadence =
      commitIntervalMs === 0 ? 'one transaction per poll' : `a commit every ${commitIntervalMs} ms`;
    say(`  java-eos: consume-transform-produce ${input} -> ${output}, ${cadence}`);
    const args = ['-cp', anchorClasspath(paths), mainClass, options.brokers.join(','), input, output, group];
    args.push(String(options.records), String(maxSeconds), String(commitIntervalMs));
    const figures = parseAnchorOutput(await runJava(args, (maxSeconds + 60) * 1000, say));
    const committed = await committedRecords(admin, group, input);
    if (committed !== figures.records) {
      throw new CdnfaasError(
        'UPSTREAM_FAILED',
        `the Java exactly-once anchor reports ${figures.records} records but its group ${group} committed ${committed}`,
      );
    }
    return { ...figures, partitions: options.partitions, recordBytes };
  } finally {
    await admin.deleteTopics({ topics: [input, output] }).catch(() => undefined);
    await admin.deleteGroups([group]).catch(() => undefined);
    await admin.disconnect();
  }
}

// ---- CLI ----

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      records: { type: 'string', default: '200000' },
      partitions: { type: 'string', default: '6' },
      'max-seconds': { type: 'string', default: '300' },
      'commit-interval-ms': { type: 'string', default: '0' },
    },
  });
  const config = loadConfig();
  const figures = await measureJavaEosAnchor({
    brokers: config.kafka.brokers,
    cacheDir: config.cacheDir,
    records: Number(values.records),
    partitions: Number(values.partitions),
    maxSeconds: Number(values['max-seconds']),
    commitIntervalMs: Number(values['commit-interval-ms']),
    onProgress: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `java-eos anchor failed: ${error instanceof CdnfaasError ? error.describe() : String((error as Error).stack ?? error)}\n`,
    );
    process.exit(1);
  });
}
