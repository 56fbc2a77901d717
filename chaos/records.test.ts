import { describe, expect, it } from 'vitest';
import { rawRecordSchema } from '../contracts/raw-record.ts';
import { toClientData } from '../functions/provide/to-client-data.ts';
import { createRng } from '../lib/prng.ts';
import { validRow } from '../test/fuzz/support/inputs.ts';
import { chaosRecords, rowToRaw, spoil, spoilKinds } from './records.ts';

/** provide's verdict on a cdn_raw value, as the connector and provide reach it. */
function accepted(value: string): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return false;
  }
  const raw = rawRecordSchema.safeParse(parsed);
  return raw.success && toClientData(raw.data, { topic: 'cdn_raw', partition: 0, offset: '1' }).ok;
}

const row = {
  timestamp: '2088-05-13 07:00:03',
  channel_id: 3,
  host_id: 12,
  content_type: 1,
  protocol: 2,
  content_id: null,
  geo_location: 40,
  user_id: 77,
};

describe('chaos records', () => {
  it('writes a generated row as the CSV reader would: strings, floats for the gap columns', () => {
    // The same row as the valid one the fuzz tests start from.
    expect(rowToRaw(row)).toEqual(validRow);
    expect(accepted(JSON.stringify(rowToRaw(row)))).toBe(true);
  });

  it.each(spoilKinds)('a row spoiled by %s is refused', (kind) => {
    const rng = createRng(kind);
    for (let i = 0; i < 20; i++) expect(accepted(spoil(rowToRaw(row), kind, rng))).toBe(false);
  });

  it('spoils about the asked share, the same records for the same seed, and keeps the rest valid', () => {
    const records = chaosRecords(5_000, 0.05, 3);
    expect(chaosRecords(5_000, 0.05, 3)).toEqual(records);
    const spoiled = records.filter((record) => record.spoiled !== null);
    expect(spoiled.length).toBeGreaterThan(180);
    expect(spoiled.length).toBeLessThan(320);
    expect(new Set(spoiled.map((record) => record.spoiled)).size).toBe(spoilKinds.length);
    for (const record of records) expect(accepted(record.value)).toBe(record.spoiled === null);
  });
});
