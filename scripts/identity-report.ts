/**
 * Point-identity report for a CDN CSV: runs every row through `provide` and the loaders' point
 * builders (no Kafka, no InfluxDB) and prints, for both measurements, how many distinct records
 * there are, how many distinct points they become (exact, for this run) and the odds of a
 * collision (analytic, over all possible ids).
 *
 *   npx tsx scripts/identity-report.ts ../shared/data/test_cdn.csv [--truncate-minute] [--shuffle SEED]
 *     [--partitions 6] [--batch 1000]
 *
 * cdn_raw coordinates are assigned round-robin over the partitions (the replay sends without a
 * key); predict batches of --batch records are each stamped in one millisecond, and their
 * outputs spread over the cdn_result partitions by key, as the connector publishes them.
 */
import { parseArgs } from 'node:util';
import type { BatchRecord } from '../contracts/batch.ts';
import type { ClientData } from '../contracts/client-data.ts';
import type { RawRecord } from '../contracts/raw-record.ts';
import { createRng, hashString } from '../lib/prng.ts';
import { readCsvRecords } from '../simulator/csv-rows.ts';
import { clientDataPoint } from '../functions/load-data/client-data-point.ts';
import { predictionPoint } from '../functions/load-predictions/prediction-point.ts';
import { sampleIdOf } from '../functions/provide/sample-id.ts';
import { provideRecord } from '../functions/provide/stage.ts';
import { collisionOdds, groupSizes } from '../functions/shared/identity-odds.ts';
import { pointIdentity } from '../functions/shared/point.ts';
import { parseInstant, nsPerMillisecond } from '../functions/shared/point-time.ts';

const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'truncate-minute': { type: 'boolean', default: false },
    shuffle: { type: 'string' },
    partitions: { type: 'string', default: '6' },
    batch: { type: 'string', default: '1000' },
  },
});
const csv = positionals[0];
if (csv === undefined) {
  console.error(
    'usage: npx tsx scripts/identity-report.ts CSV [--truncate-minute] [--shuffle SEED] [--partitions N] [--batch N]',
  );
  process.exit(2);
}
const partitions = Number(options.partitions);
const batchSize = Number(options.batch);

let rows: RawRecord[] = await readCsvRecords(csv);
if (options['truncate-minute']) {
  rows = rows.map((row) => ({ ...row, timestamp: `${String(row.timestamp).slice(0, 16)}:00` }));
}
if (options.shuffle !== undefined) {
  const rng = createRng(options.shuffle);
  for (let i = rows.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [rows[i], rows[j]] = [rows[j]!, rows[i]!];
  }
}
// The replay publishes in timestamp order (a stable sort keeps the shuffled order within a timestamp).
rows = rows
  .map((row, index) => ({ row, index, time: Date.parse(`${String(row.timestamp).replace(' ', 'T')}Z`) }))
  .sort((a, b) => a.time - b.time || a.index - b.index)
  .map(({ row }) => row);

const clientData: ClientData[] = [];
let rejected = 0;
rows.forEach((row, index) => {
  const record: BatchRecord & { value: RawRecord } = {
    topic: 'cdn_raw',
    partition: index % partitions,
    offset: String(Math.floor(index / partitions)),
    key: null,
    value: row,
  };
  const result = provideRecord(record);
  if (result.status === 'ok') clientData.push(result.outputs[0]!.value as ClientData);
  else rejected += 1;
});

// cdn_client_data: points at event time with a sample_id-derived offset.
const dataPoints = clientData.map((record) => clientDataPoint(record));
const dataOdds = collisionOdds(
  [
    ...groupSizes(clientData, (record) => {
      const { ns, precisionNs } = parseInstant(record.timestamp);
      return `${record.user_id}|${record.host_id}|${ns - (ns % precisionNs)}|${precisionNs}`;
    }),
  ].map(([key, size]) => ({ size, slots: Number(key.slice(key.lastIndexOf('|') + 1)) })),
);

// predictions: one millisecond per predict batch, outputs keyed by sample_id over cdn_result.
const resultOffsets = new Array<number>(partitions).fill(0);
const start = Date.parse('2088-05-19T07:00:00.000Z');
const predictionPoints = clientData.map((record, index) => {
  const partition = hashString(record.sample_id) % partitions;
  const offset = resultOffsets[partition]!++;
  const stamp = new Date(start + Math.floor(index / batchSize)).toISOString();
  // Every prediction the same tag and model: the worst case for identity.
  const prediction = {
    sample_id: record.sample_id,
    prediction_timestamp: stamp,
    prediction: 0,
    tag: 'normal',
    pipeline_type: 'm@1',
  };
  return {
    byCoordinates: predictionPoint(prediction, { topic: 'cdn_result', partition, offset: String(offset) }),
    byHash: predictionPoint(prediction, undefined),
  };
});
const hashOdds = collisionOdds(
  [...groupSizes(predictionPoints, (p) => String(p.byHash.timeNs / nsPerMillisecond))].map(([, size]) => ({
    size,
    slots: 1e6,
  })),
);

const distinct = (items: { measurement: string }[]) =>
  new Set(items.map((p) => pointIdentity(p as never))).size;
const format = (n: number) => (n === 0 ? '0' : n < 1e-3 ? n.toExponential(2) : n.toPrecision(3));
console.log(
  `${csv}${options['truncate-minute'] ? ', timestamps truncated to the minute' : ''}${options.shuffle ? `, shuffled (seed ${options.shuffle})` : ''}`,
);
const contentOnlyIds = new Set(clientData.map(({ sample_id: _id, ...values }) => sampleIdOf(values))).size;
console.log(
  `rows ${rows.length}, provided ${clientData.length}, rejected ${rejected}, ` +
    `distinct sample_ids ${new Set(clientData.map((r) => r.sample_id)).size} ` +
    `(${contentOnlyIds} if the id ignored the cdn_raw coordinates)`,
);
console.table([
  {
    scheme: 'cdn_client_data: floor + hash(sample_id)',
    records: dataPoints.length,
    points: distinct(dataPoints),
    'pairs at risk': dataOdds.pairs,
    'expected collisions': format(dataOdds.expected),
    'P(any collision)': format(dataOdds.probability),
  },
  {
    scheme: `predictions: ms + (partition, offset), batches of ${batchSize}`,
    records: predictionPoints.length,
    points: distinct(predictionPoints.map((p) => p.byCoordinates)),
    'pairs at risk': 0,
    'expected collisions': '0 (by construction)',
    'P(any collision)': '0',
  },
  {
    scheme: 'predictions: ms + hash(sample_id) (not used)',
    records: predictionPoints.length,
    points: distinct(predictionPoints.map((p) => p.byHash)),
    'pairs at risk': hashOdds.pairs,
    'expected collisions': format(hashOdds.expected),
    'P(any collision)': format(hashOdds.probability),
  },
]);
