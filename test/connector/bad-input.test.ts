import { describe, expect, it } from 'vitest';
import { groupIdFor } from '../../contracts/kafka-names.ts';
import { dlqHeader } from '../../connectors/kafka/publish-plan.ts';
import { readGroupLag } from '../../scaling/lag/reader.ts';
import { produce, readTopic, waitForZeroLag } from './support/kafka.ts';
import { uniqueName } from './support/harness.ts';
import { createStageTopics } from './support/stage.ts';
import { stageSuite } from './support/suite.ts';
import { waitFor, waitForLagStatus, waitForLogLine } from './support/wait.ts';

const image = 'cdnfaas/connector-stage:0.1.0';

function records(prefix: string, count: number): { key: string; value: string }[] {
  return Array.from({ length: count }, (_, n) => ({
    key: `${prefix}${n}`,
    value: JSON.stringify({ id: `${prefix}${n}`, n }),
  }));
}

describe('bad input never stops the other partitions or functions', () => {
  const suite = stageSuite({ connector: true });

  const logLines = (): Record<string, unknown>[] => suite.harness.logLines();

  it('dead-letters a record the function hangs on (by timeout) and one over the byte limit', async () => {
    const name = uniqueName('hang');
    await createStageTopics(suite.harness, name, 2);
    await suite.harness.deploy({
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
    await produce(suite.harness.kafka, `${name}-in`, input);
    await waitForZeroLag(suite.harness.admin, groupIdFor(name), `${name}-in`, 90_000);

    const dead = await readTopic(suite.harness.kafka, `${name}-in.dlq`, 2, 10_000, 1_000);
    const byKey = new Map(dead.map((record) => [record.key, record.headers]));
    expect([...byKey.keys()].sort()).toEqual(['h13', 'h27']);
    expect(byKey.get('h13')![dlqHeader.reason]).toContain('did not answer within 1500 ms');
    expect(byKey.get('h13')![dlqHeader.rejectedBy]).toBe('poison');
    expect(byKey.get('h27')![dlqHeader.reason]).toMatch(
      /record of \d+ bytes exceeds the batch limit of 4096 bytes/,
    );
    expect(byKey.get('h27')![dlqHeader.rejectedBy]).toBe('connector');
    expect(await readTopic(suite.harness.kafka, `${name}-out`, 38, 10_000, 1_000)).toHaveLength(38);
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
    await createStageTopics(suite.harness, name, 2);
    const spec = {
      service: name,
      image,
      annotations: { topic: `${name}-in`, 'cdnfaas.output': `${name}-out` },
      labels: {},
    };
    await suite.harness.deploy({ name, image, annotations: spec.annotations, envVars: { GARBAGE: '1' } });
    await produce(suite.harness.kafka, `${name}-in`, records('g', 20));
    await waitFor(
      'a garbage answer in the log',
      () =>
        logLines().some(
          (line) => line.function === name && String(line.reason ?? '').includes('not a batch response'),
        ),
      20_000,
    );
    // The consumer is there but does not get past its records: the lag monitor calls that STALL.
    await waitForLagStatus(suite.connector.url, name, 'STALL', 20_000);
    expect(
      (
        await readGroupLag(suite.harness.admin, {
          function: name,
          groupId: groupIdFor(name),
          topic: `${name}-in`,
        })
      ).totalLag,
    ).toBe(20);
    expect(await readTopic(suite.harness.kafka, `${name}-in.dlq`, 0, 2_000, 1_000)).toHaveLength(0);

    const update = await suite.harness.system('/system/functions', {
      method: 'PUT',
      body: { ...spec, envVars: {} },
    });
    expect(update.status).toBeLessThan(300);
    await waitForZeroLag(suite.harness.admin, groupIdFor(name), `${name}-in`, 60_000);
    expect(await readTopic(suite.harness.kafka, `${name}-out`, 20, 10_000, 1_000)).toHaveLength(20);
    await waitForLagStatus(suite.connector.url, name, 'OK', 10_000);
    expect(await readTopic(suite.harness.kafka, `${name}-in.dlq`, 0, 2_000, 1_000)).toHaveLength(0);
  });

  it('stops the consumer of a deleted function cleanly; the connector and the other functions go on', async () => {
    const gone = uniqueName('gone');
    const stays = uniqueName('stays');
    for (const name of [gone, stays]) {
      await createStageTopics(suite.harness, name, 2);
      await suite.harness.deploy({
        name,
        image,
        annotations: { topic: `${name}-in`, 'cdnfaas.output': `${name}-out` },
      });
      await produce(suite.harness.kafka, `${name}-in`, records(name, 50));
      await waitForZeroLag(suite.harness.admin, groupIdFor(name), `${name}-in`, 60_000);
    }
    await suite.harness.remove(gone);
    await waitFor(
      'the consumer to stop',
      () => !suite.connector.connector.snapshot().some((entry) => entry.function === gone),
      10_000,
    );
    await waitFor(
      'the group to be empty',
      async () => {
        const { groups } = await suite.harness.admin.describeGroups([groupIdFor(gone)]);
        return groups[0]?.members.length === 0;
      },
      30_000,
    );
    // The consumer leaves the map (and then the group) before it has disconnected its producer and
    // logged; the log file is also written asynchronously. So the line is awaited, not read at once.
    await waitForLogLine(
      suite.harness,
      'the stopped consumer in the log',
      { function: gone, msg: 'stopped consuming' },
      15_000,
    );

    await produce(suite.harness.kafka, `${stays}-in`, records(`${stays}-more`, 30));
    await waitForZeroLag(suite.harness.admin, groupIdFor(stays), `${stays}-in`, 30_000);
    expect((await fetch(`${suite.connector.url}/healthz`)).status).toBe(200);
  });

  it('logs an input topic that does not exist and consumes it once it is created', async () => {
    const name = uniqueName('late');
    await suite.harness.deploy({
      name,
      image,
      annotations: { topic: `${name}-in`, 'cdnfaas.output': `${name}-out` },
    });
    await waitForLogLine(
      suite.harness,
      'the missing topic in the log',
      {
        function: name,
        msg: 'input topic does not exist; retrying at the next discovery',
        topic: `${name}-in`,
      },
      15_000,
    );
    expect((await fetch(`${suite.connector.url}/healthz`)).status).toBe(200);

    await createStageTopics(suite.harness, name, 2);
    await produce(suite.harness.kafka, `${name}-in`, records('l', 10));
    await waitFor(
      'the consumer to start',
      () =>
        suite.connector.connector
          .snapshot()
          .some((entry) => entry.function === name && entry.state === 'running'),
      15_000,
    );
    await waitForZeroLag(suite.harness.admin, groupIdFor(name), `${name}-in`, 30_000);
    expect(await readTopic(suite.harness.kafka, `${name}-out`, 10, 10_000, 1_000)).toHaveLength(10);
  });
});
