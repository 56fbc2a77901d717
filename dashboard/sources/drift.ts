import { join } from 'node:path';
import type { Admin } from 'kafkajs';
import { createKafka } from '../../lib/kafka.ts';
import { readTail, type TailRecord } from '../../lib/kafka-tail.ts';
import { driftReport, type DriftReport } from '../../ml/drift.ts';
import type { PartialFeatureRecord } from '../../ml/features.ts';
import { loadModelBundle, pipelineType } from '../../ml/model-bundle.ts';
import { openImageStore } from '../../runtime/images/index.ts';
import type { SystemConfig } from '../../system/config.ts';
import { kafkaConnection } from '../../system/kafka-connection.ts';
import type { FunctionSummary } from './gateway.ts';

/**
 * Drift of the live traffic from what the deployed predict was trained on (ml/drift.ts): its
 * model is read from its image in the local store (the training counts and expected anomaly
 * rate travel with it), the traffic from the newest records of its input topic and the newest
 * predictions of that model. A reading joins two short-lived consumer groups, too much for
 * every tick of the page: it is reused, and refreshed in the background once older than
 * `minIntervalMs` (a change of image waits for a new one).
 */
export interface DriftSourceOptions {
  config: SystemConfig;
  functions: () => Promise<FunctionSummary[]>;
  /** The function whose model is watched. */
  liveFunction?: string;
  /** Where its predictions go. */
  predictionsTopic?: string;
  /** Newest records read per partition of each topic. */
  perPartition?: number;
  minIntervalMs?: number;
  now?: () => number;
  /** The model folder of an image; default: function/model of the image in the local store. */
  modelDirOf?: (image: string) => string | undefined;
}

function parseAll(records: TailRecord[]): Record<string, unknown>[] {
  const values: Record<string, unknown>[] = [];
  for (const record of records) {
    try {
      const value = JSON.parse(record.value ?? 'null') as unknown;
      if (value !== null && typeof value === 'object') values.push(value as Record<string, unknown>);
    } catch {
      // Not JSON: not a record the model scored; drift leaves it out.
    }
  }
  return values;
}

export function createDriftSource(options: DriftSourceOptions): {
  drift: () => Promise<DriftReport>;
  close: () => Promise<void>;
} {
  const live = options.liveFunction ?? 'predict';
  const now = options.now ?? Date.now;
  const kafka = createKafka(kafkaConnection(options.config), { clientId: 'cdnfaas-drift' });
  let admin: Admin | undefined;
  let last: { at: number; image: string; report: DriftReport } | undefined;

  let refreshing: Promise<DriftReport> | undefined;
  const modelDirOf =
    options.modelDirOf ??
    ((ref: string) => {
      const image = openImageStore(options.config.home).resolve(ref);
      return image === undefined ? undefined : join(image.dir, 'function', 'model');
    });

  async function measure(fn: FunctionSummary & { topic: string }): Promise<DriftReport> {
    const modelDir = modelDirOf(fn.image);
    if (modelDir === undefined)
      throw new Error(`${fn.image} is not in the local image store: its model is unknown`);
    const bundle = await loadModelBundle(modelDir);
    const model = pipelineType(bundle.metadata);
    if (admin === undefined) {
      admin = kafka.admin();
      await admin.connect();
    }
    const perPartition = options.perPartition ?? 1000;
    const [inputs, outputs] = await Promise.all([
      readTail(kafka, admin, fn.topic, perPartition),
      readTail(kafka, admin, options.predictionsTopic ?? 'cdn_result', perPartition),
    ]);
    const report = driftReport(
      { name: model, rarity: bundle.rarity, expectedAnomalyRate: bundle.metadata.expectedAnomalyRate },
      {
        records: parseAll(inputs) as PartialFeatureRecord[],
        anomalies: parseAll(outputs)
          .filter((prediction) => prediction.pipeline_type === model)
          .map((prediction) => prediction.tag === 'anomaly'),
      },
    );
    last = { at: now(), image: fn.image, report };
    return report;
  }

  async function read(): Promise<DriftReport> {
    const fn = (await options.functions()).find((candidate) => candidate.name === live);
    if (fn === undefined || fn.topic === undefined) throw new Error(`${live} is not deployed with a topic`);
    const deployed = fn as FunctionSummary & { topic: string };
    const refresh = () => (refreshing ??= measure(deployed).finally(() => (refreshing = undefined)));
    if (last === undefined || last.image !== fn.image) return refresh();
    if (now() - last.at >= (options.minIntervalMs ?? 30_000)) refresh().catch(() => undefined);
    return last.report;
  }

  return {
    drift: read,
    close: async () => {
      await admin?.disconnect();
    },
  };
}
