/**
 * The running system end to end: the published CDN test file and 200 malformed inputs go into
 * cdn_raw (through the replay, and straight to Kafka for bytes that are not JSON); the gateway,
 * the connector and the four deployed functions do the rest. Checked against what is really
 * stored: InfluxDB points and sample_ids, the dead letters with their reasons, and every
 * message on cdn_result read as a read_committed consumer.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { predictionSchema } from '../../contracts/prediction.ts';
import type { RawRecord } from '../../contracts/raw-record.ts';
import { createRng } from '../../lib/prng.ts';
import { readCsvRecords } from '../../simulator/csv-rows.ts';
import { projectRoot } from '../../system/config.ts';
import { startSystem, type RunningSystem } from '../support/system.ts';
import { malformedInputs, valueText, type Malformed } from './malformed.ts';

const dataDir = join(projectRoot, '..', 'shared', 'data');
const testFile = join(dataDir, 'test_cdn.csv');
const present = existsSync(testFile);
const suite = present ? describe : describe.skip;
const rowsInFile = 22_109;
const modelMetadata = join(projectRoot, 'functions', 'predict', 'model', 'metadata.json');

function progress(line: string): void {
  process.stderr.write(`  ${line}\n`);
}

/** Every timestamp cut to its minute (many records per instant), rows in a seeded random order. */
function truncatedAndShuffled(rows: readonly RawRecord[]): RawRecord[] {
  const out = rows.map((row) => ({ ...row, timestamp: `${String(row.timestamp).slice(0, 16)}:00` }));
  const rng = createRng(2088);
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** The malformed records spread evenly through the good ones. */
function interleave(good: readonly RawRecord[], bad: readonly RawRecord[]): RawRecord[] {
  const out: RawRecord[] = [];
  const every = Math.floor(good.length / (bad.length + 1));
  good.forEach((row, index) => {
    out.push(row);
    const slot = (index + 1) / every - 1;
    if (Number.isInteger(slot) && slot < bad.length) out.push(bad[slot]!);
  });
  return out;
}

async function distinctSampleIds(system: RunningSystem, measurement: string): Promise<Set<string>> {
  const rows = await system.query(`SELECT sample_id FROM "${measurement}"`);
  return new Set(rows.map((row) => String(row.sample_id)));
}

async function topicIsEmpty(system: RunningSystem, topic: string): Promise<boolean> {
  const offsets = await system.admin.fetchTopicOffsets(topic);
  return offsets.every((partition) => partition.high === '0');
}

suite(
  `the running system on ${present ? 'test_cdn.csv' : `test_cdn.csv (skipped: ${dataDir} is missing)`}`,
  () => {
    let system: RunningSystem | undefined;
    afterEach(async () => {
      await system?.stop();
      system = undefined;
    });

    it.each([
      ['as published', false],
      ['with every timestamp truncated to the minute and the rows shuffled', true],
    ])(
      'stores every record once and dead-letters the 200 malformed inputs: %s',
      async (label, coarse) => {
        const rows = await readCsvRecords(testFile);
        expect(rows).toHaveLength(rowsInFile);
        const good = coarse ? truncatedAndShuffled(rows) : rows;
        const malformed = malformedInputs(rows);
        const byValue = new Map<string, Malformed>(malformed.map((entry) => [valueText(entry), entry]));
        expect(byValue.size, 'malformed inputs are distinct').toBe(200);
        const replayed = malformed.flatMap((entry) => ('record' in entry.input ? [entry.input.record] : []));
        const direct = malformed.flatMap((entry) => ('bytes' in entry.input ? [entry.input.bytes] : []));

        system = await startSystem({ label: coarse ? 'e2ecoarse' : 'e2e', log: progress });
        const run = system;
        progress(
          `${label}: replaying ${good.length} rows + ${replayed.length} malformed records, producing ${direct.length} raw messages`,
        );
        const [replay] = await Promise.all([run.replay(interleave(good, replayed)), run.produceRaw(direct)]);
        expect(replay.sent).toBe(rowsInFile + replayed.length);

        const counts = await run.waitForStored(rowsInFile, {
          timeoutMs: 240_000,
          onChange: (now) => progress(`stored ${now.clientData} records, ${now.predictions} predictions`),
        });
        expect(counts).toEqual({ clientData: rowsInFile, predictions: rowsInFile });
        const storedData = await distinctSampleIds(run, 'cdn_client_data');
        const storedPredictions = await distinctSampleIds(run, 'predictions');
        expect(storedData.size).toBe(rowsInFile);
        expect(storedPredictions).toEqual(storedData);

        // Dead letters: exactly the 200, each with the reason its kind calls for.
        const deadLetters = await run.deadLetters('cdn_raw', 200, 60_000);
        expect(deadLetters).toHaveLength(200);
        const unmatched = new Set(byValue.keys());
        for (const letter of deadLetters) {
          const source = byValue.get(letter.value);
          expect(
            source,
            `dead letter ${letter.value.slice(0, 80)} is one of the malformed inputs`,
          ).toBeDefined();
          expect(letter.reason, `reason for ${source!.kind}: ${letter.value.slice(0, 80)}`).toMatch(
            source!.reason,
          );
          expect(letter.headers['cdnfaas-rejected-by']).toBe(source!.rejectedBy);
          expect(letter.headers['cdnfaas-source-topic']).toBe(run.topic('cdn_raw'));
          unmatched.delete(letter.value);
        }
        expect([...unmatched], 'malformed inputs without a dead letter').toEqual([]);
        for (const name of ['cdn_data', 'cdn_client_data_storage', 'cdn_result']) {
          expect(await topicIsEmpty(run, run.topic(`${name}.dlq`)), `${name}.dlq is empty`).toBe(true);
        }

        // Every committed message on cdn_result is a valid Prediction, one per stored record.
        const results = await run.readTopic('cdn_result', rowsInFile, 60_000);
        expect(results).toHaveLength(rowsInFile);
        const model = JSON.parse(readFileSync(modelMetadata, 'utf8')) as { name: string; version: string };
        const resultIds = new Set<string>();
        for (const message of results) {
          const prediction = predictionSchema.parse(JSON.parse(message.value!.toString('utf8')));
          expect(message.key).toBe(prediction.sample_id);
          expect(['normal', 'anomaly']).toContain(prediction.tag);
          expect(prediction.pipeline_type).toBe(`${model.name}@${model.version}`);
          resultIds.add(prediction.sample_id);
        }
        expect(resultIds).toEqual(storedData);
      },
      420_000,
    );
  },
);
