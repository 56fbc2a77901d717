import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectorService } from '../../connectors/kafka/service.ts';
import { groupIdFor } from '../../contracts/kafka-names.ts';
import { dlqHeader } from '../../connectors/kafka/publish-plan.ts';
import { readGroupLag } from '../../scaling/lag/reader.ts';
import { createTopics, produce, readTopic, waitForZeroLag } from './support/kafka.ts';
import { stageStack, startHarness, uniqueName, type Harness } from './support/harness.ts';
import { waitFor } from './support/wait.ts';

const image = 'cdnfaas/connector-stage:0.1.0';

function records(prefix: string, count: number): { key: string; value: string }[] {
  return Array.from({ length: count }, (_, n) => ({
    key: `${prefix}${n}`,
    value: JSON.stringify({ id: `${prefix}${n}`, n }),
  }));
}

describe('bad input never stops the other partitions or functions', () => {
  let harness: Harness;
  let connector: ConnectorService;
  beforeAll(async () => {
    harness = await startHarness([{ stack: stageStack, function: 'stage' }]);
    connector = await harness.startConnector();
  });
  afterAll(async () => harness?.close());

  const logLines = (): Record<string, unknown>[] => harness.logLines();

  it('dead-letters a record the function hangs on (by timeout) and one over the byte limit', async () => {
    const name = uniqueName('hang');
    await createTopics(harness.admin, [
      { topic: `${name}-in`, partitions: 2 },
      { topic: `${name}-out`, partitions: 2 },
    ]);
    await harness.deploy({
      name,
      image,
      annotations: {
        topic: `${name}-in`,
        'cdnfaas.output': `${name}-out`,
        'cdnfaas.timeout-ms': '1500',
        'cdnfaas.batch.max-records': '8',
        'cdnfaas.batch.max-bytes': '4096',
      },
    });
    const input = records('h', 40);
    input[13] = { key: 'h13', value: JSON.stringify({ id: 'h13', n: 13, kind: 'hang' }) };
    input[27] = { key: 'h27', value: JSON.stringify({ id: 'h27', n: 27, padding: 'x'.repeat(8_000) }) };
    await produce(harness.kafka, `${name}-in`, input);
    await waitForZeroLag(harness.admin, groupIdFor(name), `${name}-in`, 90_000);

    const dead = await readTopic(harness.kafka, `${name}-in.dlq`, 2, 10_000, 1_000);
    const byKey = new Map(dead.map((record) => [record.key, record.headers]));
    expect([...byKey.keys()].sort()).toEqual(['h13', 'h27']);
    expect(byKey.get('h13')![dlqHeader.reason]).toContain('did not answer within 1500 ms');
    expect(byKey.get('h13')![dlqHeader.rejectedBy]).toBe('poison');
    expect(byKey.get('h27')![dlqHeader.reason]).toMatch(
      /record of \d+ bytes exceeds the batch limit of 4096 bytes/,
    );
    expect(byKey.get('h27')![dlqHeader.rejectedBy]).toBe('connector');
    expect(await readTopic(harness.kafka, `${name}-out`, 38, 10_000, 1_000)).toHaveLength(38);
    const isolated = logLines().find(
      (line) => line.msg === 'poison record isolated' && line.function === name,
    );
    expect(isolated).toMatchObject({
      topic: `${name}-in`,
      firstOffset: expect.any(String),
      partition: expect.any(Number),
    });
  });

  it('holds the records of a function that answers garbage (no commit, no DLQ) and delivers them once it is fixed', async () => {
    const name = uniqueName('garbage');
    await createTopics(harness.admin, [
      { topic: `${name}-in`, partitions: 2 },
      { topic: `${name}-out`, partitions: 2 },
    ]);
    const spec = {
      service: name,
      image,
      annotations: { topic: `${name}-in`, 'cdnfaas.output': `${name}-out` },
      labels: {},
    };
    await harness.deploy({ name, image, annotations: spec.annotations, envVars: { GARBAGE: '1' } });
    await produce(harness.kafka, `${name}-in`, records('g', 20));
    await waitFor(
      'a garbage answer in the log',
      () =>
        logLines().some(
          (line) => line.function === name && String(line.reason ?? '').includes('not a batch response'),
        ),
      20_000,
    );
    // The consumer is there but does not get past its records: the lag monitor calls that STALL.
    await waitFor(
      'the lag monitor to report STALL',
      async () => {
        const response = await fetch(`${connector.url}/lag/${groupIdFor(name)}`);
        return response.status === 200 && ((await response.json()) as { status: string }).status === 'STALL';
      },
      20_000,
    );
    expect(
      (await readGroupLag(harness.admin, { function: name, groupId: groupIdFor(name), topic: `${name}-in` }))
        .totalLag,
    ).toBe(20);
    expect(await readTopic(harness.kafka, `${name}-in.dlq`, 0, 2_000, 1_000)).toHaveLength(0);

    const update = await harness.system('/system/functions', {
      method: 'PUT',
      body: { ...spec, envVars: {} },
    });
    expect(update.status).toBeLessThan(300);
    await waitForZeroLag(harness.admin, groupIdFor(name), `${name}-in`, 60_000);
    expect(await readTopic(harness.kafka, `${name}-out`, 20, 10_000, 1_000)).toHaveLength(20);
    await waitFor(
      'the lag monitor to report OK again',
      async () =>
        ((await (await fetch(`${connector.url}/lag/${groupIdFor(name)}`)).json()) as { status: string })
          .status === 'OK',
      10_000,
    );
    expect(await readTopic(harness.kafka, `${name}-in.dlq`, 0, 2_000, 1_000)).toHaveLength(0);
  });

  it('stops the consumer of a deleted function cleanly; the connector and the other functions go on', async () => {
    const gone = uniqueName('gone');
    const stays = uniqueName('stays');
    for (const name of [gone, stays]) {
      await createTopics(harness.admin, [
        { topic: `${name}-in`, partitions: 2 },
        { topic: `${name}-out`, partitions: 2 },
      ]);
      await harness.deploy({
        name,
        image,
        annotations: { topic: `${name}-in`, 'cdnfaas.output': `${name}-out` },
      });
      await produce(harness.kafka, `${name}-in`, records(name, 50));
      await waitForZeroLag(harness.admin, groupIdFor(name), `${name}-in`, 60_000);
    }
    await harness.remove(gone);
    await waitFor(
      'the consumer to stop',
      () => !connector.connector.snapshot().some((entry) => entry.function === gone),
      10_000,
    );
    await waitFor(
      'the group to be empty',
      async () => {
        const { groups } = await harness.admin.describeGroups([groupIdFor(gone)]);
        return groups[0]?.members.length === 0;
      },
      30_000,
    );
    // The consumer leaves the map (and then the group) before it has disconnected its producer and
    // logged; the log file is also written asynchronously. So the line is awaited, not read at once.
    await waitFor(
      'the stopped consumer in the log',
      () => logLines().some((line) => line.function === gone && line.msg === 'stopped consuming'),
      15_000,
    );

    await produce(harness.kafka, `${stays}-in`, records(`${stays}-more`, 30));
    await waitForZeroLag(harness.admin, groupIdFor(stays), `${stays}-in`, 30_000);
    expect((await fetch(`${connector.url}/healthz`)).status).toBe(200);
  });

  it('logs an input topic that does not exist and consumes it once it is created', async () => {
    const name = uniqueName('late');
    await harness.deploy({
      name,
      image,
      annotations: { topic: `${name}-in`, 'cdnfaas.output': `${name}-out` },
    });
    await waitFor(
      'the missing topic in the log',
      () =>
        logLines().some(
          (line) =>
            line.function === name &&
            line.msg === 'input topic does not exist; retrying at the next discovery' &&
            line.topic === `${name}-in`,
        ),
      15_000,
    );
    expect((await fetch(`${connector.url}/healthz`)).status).toBe(200);

    await createTopics(harness.admin, [
      { topic: `${name}-in`, partitions: 2 },
      { topic: `${name}-out`, partitions: 2 },
    ]);
    await produce(harness.kafka, `${name}-in`, records('l', 10));
    await waitFor(
      'the consumer to start',
      () =>
        connector.connector.snapshot().some((entry) => entry.function === name && entry.state === 'running'),
      15_000,
    );
    await waitForZeroLag(harness.admin, groupIdFor(name), `${name}-in`, 30_000);
    expect(await readTopic(harness.kafka, `${name}-out`, 10, 10_000, 1_000)).toHaveLength(10);
  });
});
