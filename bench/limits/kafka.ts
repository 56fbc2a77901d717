// The broker's own limit, measured with kcat (librdkafka, C): produce, consume, and a
// consume-to-produce pipe between two topics, the most a topic-to-topic stage could reach here.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Admin } from 'kafkajs';
import { CdnfaasError } from '../../lib/errors.ts';

export interface KafkaLimit {
  records: number;
  recordBytes: number;
  partitions: number;
  /** kcat -P, acks=all, from a file. */
  produceRecordsPerSecond: number;
  /** kcat -C from the beginning to the end. */
  consumeRecordsPerSecond: number;
  /** kcat -C | kcat -P: every record read from one topic and written to another. */
  passThroughRecordsPerSecond: number;
}

/** Runs a shell pipeline of kcat commands; resolves with the seconds it took. */
async function timed(script: string, args: string[]): Promise<number> {
  const started = performance.now();
  const child = spawn('sh', ['-c', script, 'sh', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const [code] = (await once(child, 'close')) as [number | null];
  if (code !== 0) {
    throw new CdnfaasError('UPSTREAM_FAILED', `kcat failed (${code}): ${stderr.trim().slice(0, 300)}`, {
      hint: 'is kcat installed (apt-get install -y kcat) and the broker up (npx cdnfaas services up)?',
    });
  }
  return (performance.now() - started) / 1000;
}

async function writeLines(file: string, lines: number, line: (n: number) => string): Promise<void> {
  const out = createWriteStream(file);
  for (let n = 0; n < lines; n++) if (!out.write(`${line(n)}\n`)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

export async function measureKafkaLimit(options: {
  brokers: string[];
  admin: Admin;
  records: number;
  partitions: number;
  /** One record's value (a cdn_raw row); the n-th record gets n appended to its timestamp. */
  sample: (n: number) => string;
  say: (line: string) => void;
}): Promise<KafkaLimit> {
  const id = Date.now().toString(36);
  const [a, b] = [`bench-kcat-${id}-a`, `bench-kcat-${id}-b`];
  const dir = mkdtempSync(join(tmpdir(), 'cdnfaas-kcat-'));
  const file = join(dir, 'records.txt');
  const brokers = options.brokers.join(',');
  const producer = `kcat -P -b "$1" -t "$2" -X acks=all -X linger.ms=5 -X batch.num.messages=10000 -X queue.buffering.max.messages=1000000`;
  const consumer = `kcat -C -b "$1" -t "$2" -o beginning -e -q -f '%s\\n'`;
  try {
    await options.admin.createTopics({
      topics: [a, b].map((topic) => ({ topic, numPartitions: options.partitions })),
      waitForLeaders: true,
    });
    await writeLines(file, options.records, options.sample);
    options.say(`  kcat: producing ${options.records.toLocaleString('en-US')} records`);
    const produce = await timed(`${producer} -l "$3"`, [brokers, a, file]);
    options.say('  kcat: consuming them');
    const consume = await timed(`${consumer} > /dev/null`, [brokers, a]);
    options.say('  kcat: piping them into a second topic');
    const pipe = await timed(`${consumer} | ${producer.replace('"$2"', '"$3"')}`, [brokers, a, b]);
    return {
      records: options.records,
      recordBytes: Buffer.byteLength(options.sample(0)),
      partitions: options.partitions,
      produceRecordsPerSecond: options.records / produce,
      consumeRecordsPerSecond: options.records / consume,
      passThroughRecordsPerSecond: options.records / pipe,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await options.admin.deleteTopics({ topics: [a, b] }).catch(() => undefined);
  }
}
