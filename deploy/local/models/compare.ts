// `cdnfaas models compare`: the live model's and the shadow's predictions of the same records,
// read from the newest records of their output topics and joined by sample_id.
import type { Admin, Kafka } from 'kafkajs';
import { featureColumns } from '../../../contracts/client-data.ts';
import { predictionSchema, type Prediction } from '../../../contracts/prediction.ts';
import { compareVerdicts, type AgreementReport, type PairedVerdict } from '../../../ml/model-agreement.ts';
import { getFunction } from './gateway-functions.ts';
import { currentShadow, type ShadowContext } from './shadow.ts';
import { annotationKeys } from './shadow-plan.ts';
import { readTail, type TailRecord } from '../../../lib/kafka-tail.ts';

export interface ModelComparison extends AgreementReport {
  live: { name: string; model: string; topic: string; predictions: number };
  candidate: { name: string; model: string; topic: string; predictions: number };
  /** The codes of the disagreeing examples, by sample_id, when the input still holds them. */
  codes: Record<string, Record<string, unknown>>;
}

function predictions(records: TailRecord[], model: string | undefined): Map<string, Prediction> {
  const byId = new Map<string, Prediction>();
  for (const record of records) {
    const parsed = predictionSchema.safeParse(JSON.parse(record.value ?? 'null'));
    // The live topic also holds the predictions of models deployed before this one.
    if (parsed.success && (model === undefined || parsed.data.pipeline_type === model))
      byId.set(parsed.data.sample_id, parsed.data);
  }
  return byId;
}

const isAnomaly = (prediction: Prediction) => prediction.tag === 'anomaly';

/** Pairs of predictions of the same records, in the live topic's order. Pure. */
export function pairPredictions(live: Map<string, Prediction>, candidate: Map<string, Prediction>): PairedVerdict[] {
  const pairs: PairedVerdict[] = [];
  for (const [sampleId, ofLive] of live) {
    const ofCandidate = candidate.get(sampleId);
    if (ofCandidate === undefined) continue;
    pairs.push({
      sampleId,
      live: { cluster: ofLive.prediction, anomaly: isAnomaly(ofLive) },
      candidate: { cluster: ofCandidate.prediction, anomaly: isAnomaly(ofCandidate) },
    });
  }
  return pairs;
}

/** Compares over the newest `perPartition` predictions of each partition of both output topics. */
export async function compareShadow(
  context: ShadowContext & { kafka: Kafka; admin: Admin },
  perPartition = 2_000,
  examples = 5,
): Promise<ModelComparison> {
  const { shadow, candidate } = await currentShadow(context);
  const live = (await getFunction(context.access, context.live))!;
  const liveTopic = live.annotations![annotationKeys.output]!.split(',')[0]!;
  const shadowTopic = shadow.annotations![annotationKeys.output]!.split(',')[0]!;
  const liveModel = live.annotations?.[annotationKeys.model];
  const [liveRecords, shadowRecords] = await Promise.all([
    readTail(context.kafka, context.admin, liveTopic, perPartition),
    readTail(context.kafka, context.admin, shadowTopic, perPartition),
  ]);
  const ofLive = predictions(liveRecords, liveModel === 'unset' ? undefined : liveModel);
  const ofCandidate = predictions(shadowRecords, candidate.model);
  const report = compareVerdicts(pairPredictions(ofLive, ofCandidate), examples);
  const codes: Record<string, Record<string, unknown>> = {};
  const input = live.annotations![annotationKeys.topic]!;
  if (report.disagreements.length > 0) {
    const wanted = new Set(report.disagreements.map((d) => d.sampleId));
    for (const record of await readTail(context.kafka, context.admin, input, perPartition * 2)) {
      if (record.key === null || !wanted.has(record.key)) continue;
      const value = JSON.parse(record.value ?? '{}') as Record<string, unknown>;
      codes[record.key] = Object.fromEntries(featureColumns.map((column) => [column, value[column]]));
    }
  }
  return {
    ...report,
    live: { name: live.name, model: liveModel ?? 'unknown', topic: liveTopic, predictions: ofLive.size },
    candidate: { name: shadow.name, model: candidate.model, topic: shadowTopic, predictions: ofCandidate.size },
    codes,
  };
}

const percent = (share: number) => `${(share * 100).toFixed(1)} %`;

/** The comparison as `models compare` prints it. Pure. */
export function formatComparison(comparison: ModelComparison): string {
  const { live, candidate } = comparison;
  const lines = [
    `live       ${live.name}  ${live.model}  (${live.predictions} predictions read from ${live.topic})`,
    `candidate  ${candidate.name}  ${candidate.model}  (${candidate.predictions} predictions read from ${candidate.topic})`,
    `records predicted by both: ${comparison.records}`,
  ];
  if (comparison.records === 0) {
    lines.push('nothing to compare yet: let records stream through both (npx cdnfaas replay FILE.csv) and ask again');
    return lines.join('\n');
  }
  const matching = Object.entries(comparison.matching)
    .map(([from, to]) => `${from}->${to}`)
    .join(' ');
  lines.push(
    `cluster agreement: ${percent(comparison.clusterAgreement)} after matching the candidate's clusters to the live ones (candidate->live: ${matching})`,
    `tag agreement:     ${percent(comparison.tagAgreement)}`,
    `anomaly rate:      live ${percent(comparison.liveAnomalyRate)}, candidate ${percent(comparison.candidateAnomalyRate)}`,
    `disagreements:     ${comparison.disagreeing} of ${comparison.records}`,
  );
  for (const example of comparison.disagreements) {
    const mapped = example.candidateAsLive === undefined ? 'unmatched' : `~live ${example.candidateAsLive}`;
    const codes = comparison.codes[example.sampleId];
    lines.push(
      `  ${example.sampleId}  live: cluster ${example.live.cluster} ${example.live.anomaly ? 'anomaly' : 'normal'}  candidate: cluster ${example.candidate.cluster} (${mapped}) ${example.candidate.anomaly ? 'anomaly' : 'normal'}${codes === undefined ? '' : `  ${JSON.stringify(codes)}`}`,
    );
  }
  return lines.join('\n');
}
