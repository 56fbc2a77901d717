import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { IHeaders } from 'kafkajs';
import { groupIdFor } from '../../contracts/kafka-names.ts';
import { dlqHeader } from '../../connectors/kafka/publish-plan.ts';
import { readTopic, waitForZeroLag } from './support/kafka.ts';
import { uniqueName } from './support/harness.ts';
import { stageSuite } from './support/suite.ts';
import { waitFor, waitForLagStatus, waitForLogLine } from './support/wait.ts';

// What producers outside cdnfaas can put on an input topic, against the running connector:
// records of 1 MiB and beyond, bytes that are not text, empty and null values, tombstones, odd
// headers, and a topic deleted while it is consumed. Each gets a clear outcome (a dead letter
// naming the reason, or a logged refusal), no partition stalls, and every good record around
// them reaches the output topic exactly once.

const image = 'cdnfaas/connector-stage:0.1.0';
const MiB = 1024 * 1024;

interface Odd {
  key: string;
  value: Buffer | string | null;
  headers?: IHeaders;
}

/** A JSON record of the stage's shape padded to exactly `bytes` bytes. */
function paddedJson(id: string, n: number, bytes: number): string {
  const bare = JSON.stringify({ id, n, padding: '' });
  return JSON.stringify({ id, n, padding: 'x'.repeat(bytes - bare.length) });
}

function good(id: string, n: number, headers?: IHeaders): Odd {
  return { key: id, value: JSON.stringify({ id, n }), headers };
}

/** `count` good records with ids `<prefix><from>`, `<prefix><from + 1>`, … */
function goodRecords(prefix: string, count: number, from = 0): Odd[] {
  return Array.from({ length: count }, (_, i) => good(`${prefix}${from + i}`, from + i));
}

/** How many times each id appears in the output topic's values. */
function idCounts(values: (Buffer | null)[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) {
    const id = (JSON.parse(value!.toString('utf8')) as { id: string }).id;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

describe('odd records from outside producers get a clear outcome and lose nothing else', () => {
  const suite = stageSuite({ connector: true });

  /** The sorted ids of the first `count` records on `<name>-out`, each checked to be there once. */
  async function idsDeliveredOnce(name: string, count: number): Promise<string[]> {
    const out = await readTopic(suite.harness.kafka, `${name}-out`, count, 20_000, 1_500);
    const counts = idCounts(out.map((record) => record.value));
    expect([...counts.values()].every((times) => times === 1)).toBe(true);
    return [...counts.keys()].sort();
  }

  const logLines = (): Record<string, unknown>[] => suite.harness.logLines();

  async function deployStage(
    name: string,
    inputConfig: { name: string; value: string }[] = [],
  ): Promise<void> {
    await suite.harness.admin.createTopics({
      topics: [
        { topic: `${name}-in`, numPartitions: 2, configEntries: inputConfig },
        { topic: `${name}-out`, numPartitions: 2 },
      ],
      waitForLeaders: true,
    });
    await suite.harness.deploy({
      name,
      image,
      annotations: { topic: `${name}-in`, 'cdnfaas.output': `${name}-out` },
    });
  }

  async function send(topic: string, records: Odd[]): Promise<void> {
    const producer = suite.harness.kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    try {
      // One record a request: a 2 MiB record must not share a request with the others.
      for (const record of records) await producer.send({ topic, acks: -1, messages: [record] });
    } finally {
      await producer.disconnect();
    }
  }

  it('dead-letters huge, binary, empty, null and tombstone records with their reason; odd headers pass', async () => {
    const name = uniqueName('odd');
    // The input topic takes records up to 4 MiB, as a producer's own topic may; the dead-letter
    // topic the connector creates has the broker's default limit (1 MiB).
    await deployStage(name, [{ name: 'max.message.bytes', value: String(4 * MiB) }]);
    const odd: Odd[] = [
      { key: 'mib1', value: paddedJson('mib1', 1, MiB) },
      // Small, but the stage answers it with an output too large for the output topic.
      { key: 'inflate', value: JSON.stringify({ id: 'inflate', n: 7, kind: 'inflate' }) },
      { key: 'mib2', value: paddedJson('mib2', 2, 2 * MiB) },
      { key: 'binary', value: randomBytes(4096) },
      { key: 'empty', value: Buffer.alloc(0) },
      { key: 'tombstone', value: null },
      { key: 'json-null', value: 'null' },
      { key: 'not-an-object', value: '[1,2,3]' },
      { key: 'binary-huge-header', value: randomBytes(64), headers: { blob: randomBytes(256 * 1024) } },
    ];
    const fine: Odd[] = [
      good('bin-header', 1, { trace: randomBytes(32) }),
      good('dup-header', 2, { seen: ['first', 'second'], 'seen ': 'space' }),
      good('huge-header', 3, { blob: randomBytes(512 * 1024) }),
      good('empty-header', 4, { '': '', none: Buffer.alloc(0) }),
      { key: 'half-mib', value: paddedJson('half-mib', 5, 512 * 1024) },
      // Its echo is about 100 bytes below the broker's limit: stored, not dead-lettered.
      { key: 'near-mib', value: paddedJson('near-mib', 6, 1_048_400) },
    ];
    const records: Odd[] = [];
    for (let n = 0; n < 60; n += 1) {
      records.push(good(`g${n}`, n));
      if (n % 5 === 0 && odd.length > 0) records.push(odd.shift()!);
      if (n % 7 === 3 && fine.length > 0) records.push(fine.shift()!);
    }
    records.push(...odd, ...fine);
    await send(`${name}-in`, records);
    await waitForZeroLag(suite.harness.admin, groupIdFor(name), `${name}-in`, 90_000);

    const goodIds = [
      ...Array.from({ length: 60 }, (_, n) => `g${n}`),
      'bin-header',
      'dup-header',
      'huge-header',
      'empty-header',
      'half-mib',
      'near-mib',
    ];
    expect(await idsDeliveredOnce(name, goodIds.length)).toEqual([...goodIds].sort());

    const dead = await readTopic(suite.harness.kafka, `${name}-in.dlq`, 9, 20_000, 1_500);
    const byKey = new Map(dead.map((record) => [record.key, record]));
    expect([...byKey.keys()].sort()).toEqual(
      [
        'binary',
        'binary-huge-header',
        'empty',
        'json-null',
        'mib1',
        'mib2',
        'inflate',
        'not-an-object',
        'tombstone',
      ].sort(),
    );
    const reason = (key: string): string => byKey.get(key)!.headers[dlqHeader.reason]!;
    const by = (key: string): string => byKey.get(key)!.headers[dlqHeader.rejectedBy]!;
    for (const key of ['mib1', 'mib2']) {
      expect(reason(key)).toMatch(/record of \d+ bytes exceeds the batch limit of 1048576 bytes/);
      expect(by(key)).toBe('connector');
      // Too big for the dead-letter topic (1 MiB): the value is left out, and its size named.
      expect(byKey.get(key)!.value).toBeNull();
      expect(Number(byKey.get(key)!.headers[dlqHeader.valueOmittedBytes])).toBeGreaterThanOrEqual(MiB);
    }
    expect(reason('inflate')).toMatch(
      /^function output of 1100\d\d\d bytes \(as a record batch\) exceeds 1048588 bytes, the broker's default max.message.bytes$/,
    );
    expect(by('inflate')).toBe('connector');
    for (const key of ['binary', 'empty', 'binary-huge-header']) {
      expect(reason(key)).toContain('value is not JSON');
      expect(by(key)).toBe('connector');
    }
    expect(reason('tombstone')).toContain('tombstone');
    expect(byKey.get('tombstone')!.value).toBeNull();
    for (const key of ['json-null', 'not-an-object']) expect(by(key)).toBe('function');
    // A dead letter keeps the record's own bytes where the dead-letter topic can hold them, so it
    // can be replayed; the source coordinates lead back to it otherwise.
    expect(byKey.get('binary')!.value).toHaveLength(4096);
    for (const record of dead) {
      expect(record.headers[dlqHeader.sourceTopic]).toBe(`${name}-in`);
      expect(Number(record.headers[dlqHeader.sourceOffset])).toBeGreaterThanOrEqual(0);
    }
    expect((await fetch(`${suite.connector.url}/healthz`)).status).toBe(200);
  });

  it('a record beyond the broker limit is refused to its producer; the partition goes on', async () => {
    const name = uniqueName('refused');
    await deployStage(name);
    const producer = suite.harness.kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
    await producer.connect();
    try {
      await expect(
        producer.send({
          topic: `${name}-in`,
          acks: -1,
          messages: [{ key: 'big', value: paddedJson('big', 0, 2 * MiB) }],
        }),
      ).rejects.toThrow(/too large|larger than/i);
    } finally {
      await producer.disconnect();
    }
    await send(`${name}-in`, goodRecords('r', 20));
    await waitForZeroLag(suite.harness.admin, groupIdFor(name), `${name}-in`, 60_000);
    expect(await idsDeliveredOnce(name, 20)).toHaveLength(20);
  });

  it('an input topic deleted while consumed is logged; other functions go on; a recreated topic is consumed', async () => {
    const doomed = uniqueName('doomed');
    const other = uniqueName('other');
    await deployStage(doomed);
    await deployStage(other);
    await send(`${doomed}-in`, goodRecords('d', 20));
    await send(`${other}-in`, goodRecords('o', 20));
    await waitForZeroLag(suite.harness.admin, groupIdFor(doomed), `${doomed}-in`, 60_000);
    await waitForZeroLag(suite.harness.admin, groupIdFor(other), `${other}-in`, 60_000);

    await suite.harness.admin.deleteTopics({ topics: [`${doomed}-in`] });
    await waitForLogLine(
      suite.harness,
      'the deleted topic in the connector log',
      {
        function: doomed,
        topic: `${doomed}-in`,
        msg: 'input topic was deleted; stopping its consumer until the topic exists again',
      },
      30_000,
    );
    // Stopped, not crashing and restarting in a loop while the topic is gone.
    const crashes = (): number =>
      logLines().filter((line) => line.function === doomed && line.msg === 'consumer crashed').length;
    const crashesAtStop = crashes();
    await sleep(3_000);
    expect(crashes()).toBe(crashesAtStop);
    expect(suite.connector.connector.snapshot().some((entry) => entry.function === doomed)).toBe(false);
    // The other function keeps consuming while the doomed one has no topic.
    await send(`${other}-in`, goodRecords('o', 20, 20));
    await waitForZeroLag(suite.harness.admin, groupIdFor(other), `${other}-in`, 60_000);
    expect(await idsDeliveredOnce(other, 40)).toHaveLength(40);
    expect((await fetch(`${suite.connector.url}/healthz`)).status).toBe(200);

    // The topic comes back (a producer's redeploy): the function consumes it again.
    await waitFor(
      'the topic deletion to finish',
      async () => !(await suite.harness.admin.listTopics()).includes(`${doomed}-in`),
      30_000,
    );
    await suite.harness.admin.createTopics({
      topics: [{ topic: `${doomed}-in`, numPartitions: 2 }],
      waitForLeaders: true,
    });
    await send(`${doomed}-in`, goodRecords('again', 10));
    await waitForZeroLag(suite.harness.admin, groupIdFor(doomed), `${doomed}-in`, 90_000);
    expect(await idsDeliveredOnce(doomed, 30)).toHaveLength(30);
  });

  it('an output topic deleted under the connector holds its input (logged, STALL) and delivers exactly once when it is back', async () => {
    const name = uniqueName('outgone');
    await deployStage(name);
    await send(`${name}-in`, goodRecords('a', 10));
    await waitForZeroLag(suite.harness.admin, groupIdFor(name), `${name}-in`, 60_000);

    await suite.harness.admin.deleteTopics({ topics: [`${name}-out`] });
    await waitFor(
      'the topic deletion to finish',
      async () => !(await suite.harness.admin.listTopics()).includes(`${name}-out`),
      30_000,
    );
    await send(`${name}-in`, goodRecords('b', 10));
    await waitForLogLine(
      suite.harness,
      'a failed publish in the log',
      { function: name, msg: 'publishing a batch failed; retrying' },
      30_000,
    );
    await waitForLagStatus(suite.connector.url, name, 'STALL', 30_000);
    expect((await fetch(`${suite.connector.url}/healthz`)).status).toBe(200);

    await suite.harness.admin.createTopics({
      topics: [{ topic: `${name}-out`, numPartitions: 2 }],
      waitForLeaders: true,
    });
    await waitForZeroLag(suite.harness.admin, groupIdFor(name), `${name}-in`, 90_000);
    expect(await idsDeliveredOnce(name, 10)).toEqual(Array.from({ length: 10 }, (_, n) => `b${n}`).sort());
  });
});
