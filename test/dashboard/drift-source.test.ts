/**
 * Drift of live traffic, read as the dashboard and `cdnfaas status` read it: a real model trained
 * on generated data, records and predictions produced to real Kafka topics of this test, the
 * newest of them read back. Traffic drawn like the training data is ok; traffic whose hosts moved
 * and whose anomaly rate rose says retrain, naming host_id.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Admin, Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDriftSource } from '../../dashboard/sources/drift.ts';
import { createKafka } from '../../lib/kafka.ts';
import { loadModelBundle, pipelineType } from '../../ml/model-bundle.ts';
import { defaultTrainOptions } from '../../ml/train.ts';
import { runTraining } from '../../ml/training-run.ts';
import type { TrainingRecord } from '../../ml/dataset.ts';
import { defaultStart, generateRows } from '../../simulator/generator/generate.ts';
import { parseStart } from '../../simulator/generator/timeline.ts';
import { loadConfig } from '../../system/config.ts';
import { kafkaConnection } from '../../system/kafka-connection.ts';

function generated(rows: number, seed: number): TrainingRecord[] {
  return [...generateRows({ rows, seed, anomalyFraction: 0.01, startMs: parseStart(defaultStart) })].map(
    ({ row }) => ({ ...row, content_id: row.content_id ?? -1, user_id: row.user_id ?? -1 }),
  );
}

describe('the drift source on real Kafka', () => {
  const config = loadConfig();
  const run = `drift-${process.pid}-${Date.now().toString(36)}`;
  const topics = { input: `${run}.cdn_data`, output: `${run}.cdn_result` };
  let dir: string;
  let kafka: Kafka;
  let admin: Admin;
  let model: string;

  async function produce(records: TrainingRecord[], anomalyRate: number): Promise<void> {
    const producer = kafka.producer();
    await producer.connect();
    const sampleIds = records.map((_, i) => `${run}-${Date.now()}-${i}`);
    await producer.send({
      topic: topics.input,
      messages: records.map((record, i) => ({
        key: sampleIds[i]!,
        value: JSON.stringify({ sample_id: sampleIds[i], ...record }),
      })),
    });
    await producer.send({
      topic: topics.output,
      messages: records.map((_, i) => ({
        key: sampleIds[i]!,
        value: JSON.stringify({
          sample_id: sampleIds[i],
          prediction_timestamp: new Date().toISOString(),
          prediction: i % 3,
          tag: i < records.length * anomalyRate ? 'anomaly' : 'normal',
          pipeline_type: model,
        }),
      })),
    });
    await producer.disconnect();
  }

  const source = () =>
    createDriftSource({
      config,
      functions: async () => [
        {
          name: 'predict',
          image: 'cdnfaas/predict:test',
          replicas: 1,
          availableReplicas: 1,
          topic: topics.input,
        },
      ],
      predictionsTopic: topics.output,
      modelDirOf: () => join(dir, 'model'),
      perPartition: 2000,
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cdnfaas-drift-'));
    await runTraining({
      records: generated(6000, 31),
      dataFile: 'generated',
      name: 'cdn-kmeans',
      out: join(dir, 'model'),
      options: { ...defaultTrainOptions, kMax: 6 },
    });
    model = pipelineType((await loadModelBundle(join(dir, 'model'))).metadata);
    kafka = createKafka(kafkaConnection(config), { clientId: run });
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        { topic: topics.input, numPartitions: 1 },
        { topic: topics.output, numPartitions: 1 },
      ],
      waitForLeaders: true,
    });
  }, 120_000);

  afterAll(async () => {
    await admin?.deleteTopics({ topics: [topics.input, topics.output] }).catch(() => undefined);
    await admin?.disconnect();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('is ok for traffic like the training data, and says retrain when hosts move and anomalies rise', async () => {
    await produce(generated(2000, 32), 0.01);
    const first = source();
    const like = await first.drift().finally(() => first.close());
    expect(like.model).toBe(model);
    expect(like.records).toBe(2000);
    expect(like.predictions).toBe(2000);
    expect(like.anomalyRate.live).toBeCloseTo(0.01, 10);
    expect(like.columns.map((column) => [column.column, column.state])).toEqual(
      like.columns.map((column) => [column.column, 'ok']),
    );
    expect(like.state).toBe('ok');

    // The newest 2,000 records: half of them from hosts the model never saw, 5 % tagged anomalous.
    await produce(
      generated(2000, 33).map((record, i) =>
        i % 2 === 0 ? { ...record, host_id: 90_000 + (i % 40) } : record,
      ),
      0.05,
    );
    const second = source();
    const moved = await second.drift().finally(() => second.close());
    expect(moved.records).toBe(2000);
    const host = moved.columns.find((column) => column.column === 'host_id')!;
    expect(host.psi).toBeGreaterThan(0.25);
    expect(host.state).toBe('retrain');
    expect(moved.anomalyRate).toMatchObject({ live: 0.05, state: 'retrain' });
    expect(moved.state).toBe('retrain');
  }, 120_000);
});
