import { describe, expect, it } from 'vitest';
import { compareIds, expectedSampleId, reconcile, type ReadBack, type ReadRecord } from './reconcile.ts';
import type { ChaosRecord } from './records.ts';

const valid = (minute: number) =>
  JSON.stringify({
    timestamp: `2088-05-13 07:${String(minute).padStart(2, '0')}:00`,
    channel_id: '1',
    host_id: '2',
    content_type: '3',
    protocol: '1',
    content_id: '',
    geo_location: '5',
    user_id: '6.0',
  });

function rawAt(partition: number, offset: number, value: string): ReadRecord {
  return { partition, offset: String(offset), key: null, value, headers: {} };
}

function dlqFor(record: ReadRecord): ReadRecord {
  return {
    ...record,
    headers: { 'cdnfaas-source-partition': String(record.partition), 'cdnfaas-source-offset': record.offset },
  };
}

/** A run where everything went right: 3 valid records and 1 invalid one. */
function cleanRun(): { sent: ChaosRecord[]; back: ReadBack } {
  const sent: ChaosRecord[] = [
    { value: valid(1), spoiled: null },
    { value: valid(2), spoiled: null },
    { value: '{"timestamp":', spoiled: 'not-json' },
    { value: valid(3), spoiled: null },
  ];
  const raw = [
    rawAt(0, 0, sent[0]!.value),
    rawAt(1, 0, sent[1]!.value),
    rawAt(1, 1, sent[2]!.value),
    rawAt(0, 1, sent[3]!.value),
  ];
  const ids = [raw[0]!, raw[1]!, raw[3]!].map((record) => expectedSampleId(record)!);
  return {
    sent,
    back: {
      raw,
      rawDlq: [dlqFor(raw[2]!)],
      topics: { cdn_data: [...ids], cdn_client_data_storage: [...ids], cdn_result: [...ids] },
      laterDlqs: { 'cdn_data.dlq': 0, 'cdn_result.dlq': 0 },
      stored: { cdn_client_data: [...ids], predictions: [...ids] },
    },
  };
}

const row = (result: ReturnType<typeof reconcile>, check: string) =>
  result.rows.find((entry) => entry.check === check)!;

/** The row `check` of a reconciliation failed, with these counts. */
function expectFailedRow(
  result: ReturnType<typeof reconcile>,
  check: string,
  counts: Record<string, number>,
): void {
  expect(row(result, check)).toMatchObject({ ...counts, ok: false });
}

describe('compareIds', () => {
  it('counts missing ids, extra copies and strangers', () => {
    expect(compareIds('t', ['a', 'b', 'c', 'c'], ['a', 'a', 'c', 'x'])).toMatchObject({
      expected: 4,
      found: 4,
      missing: 2,
      duplicated: 1,
      unexpected: 1,
      ok: false,
      examples: { missing: ['b', 'c'], duplicated: ['a'], unexpected: ['x'] },
    });
    expect(compareIds('t', ['a', 'b'], ['b', 'a'])).toEqual({
      check: 't',
      expected: 2,
      found: 2,
      missing: 0,
      duplicated: 0,
      unexpected: 0,
      ok: true,
    });
  });
});

describe('expectedSampleId', () => {
  it('is provide’s sample_id for a valid row, tied to its coordinates, and undefined for a refused one', () => {
    const a = expectedSampleId(rawAt(0, 5, valid(1)));
    expect(a).toMatch(/^[0-9a-f-]{36}$/);
    expect(expectedSampleId(rawAt(0, 5, valid(1)))).toBe(a);
    expect(expectedSampleId(rawAt(0, 6, valid(1)))).not.toBe(a);
    expect(expectedSampleId(rawAt(0, 5, '{"timestamp":'))).toBeUndefined();
    expect(expectedSampleId(rawAt(0, 5, '["2088-05-13 07:00:00"]'))).toBeUndefined();
    expect(
      expectedSampleId(rawAt(0, 5, JSON.stringify({ ...JSON.parse(valid(1)), protocol: 'abc' }))),
    ).toBeUndefined();
    expect(expectedSampleId({ ...rawAt(0, 5, ''), value: null })).toBeUndefined();
  });
});

describe('reconcile', () => {
  it('passes a run where every record is where it belongs, once', () => {
    const { sent, back } = cleanRun();
    const result = reconcile(sent, back);
    expect(result.rows.filter((entry) => !entry.ok)).toEqual([]);
    expect(result).toMatchObject({ valid: 3, invalid: 1, ok: true });
  });

  it('finds a prediction stored twice and one lost record', () => {
    const { sent, back } = cleanRun();
    back.stored.predictions.push(back.stored.predictions[0]!);
    back.stored.cdn_client_data.pop();
    const result = reconcile(sent, back);
    expect(result.ok).toBe(false);
    expectFailedRow(result, 'valid -> InfluxDB predictions', { duplicated: 1, missing: 0 });
    expectFailedRow(result, 'valid -> InfluxDB cdn_client_data', { missing: 1, duplicated: 0 });
  });

  it('finds a record lost or doubled on the way into cdn_raw', () => {
    const { sent, back } = cleanRun();
    back.raw = [...back.raw, rawAt(2, 0, sent[0]!.value)];
    expectFailedRow(reconcile(sent, back), 'replay -> cdn_raw (same values)', { duplicated: 1 });
    back.raw = back.raw.slice(1, 3);
    expectFailedRow(reconcile(sent, back), 'replay -> cdn_raw (same values)', { missing: 2, duplicated: 0 });
  });

  it('finds an invalid record missing from the DLQ, and a valid record dead-lettered later', () => {
    const { sent, back } = cleanRun();
    back.rawDlq = [];
    back.laterDlqs['cdn_result.dlq'] = 2;
    const result = reconcile(sent, back);
    expectFailedRow(result, 'invalid -> cdn_raw.dlq', { missing: 1 });
    expectFailedRow(result, 'nothing in cdn_data.dlq, cdn_result.dlq', { found: 2, unexpected: 2 });
  });

  it('flags a spoiled record that provide would accept (a broken test set, not a pipeline fault)', () => {
    const { sent, back } = cleanRun();
    sent[0] = { ...sent[0]!, spoiled: 'garbled-code' };
    expectFailedRow(reconcile(sent, back), 'spoiled records refused, others accepted', { missing: 1 });
  });
});

describe('reconcile with a source that resent', () => {
  it('accepts cdn_raw copies up to the records resent, and expects both copies downstream', () => {
    const { sent, back } = cleanRun();
    const copy = rawAt(3, 0, sent[0]!.value);
    back.raw = [...back.raw, copy];
    const copyId = expectedSampleId(copy)!;
    for (const list of [
      back.topics.cdn_data,
      back.topics.cdn_client_data_storage,
      back.topics.cdn_result,
      back.stored.cdn_client_data,
      back.stored.predictions,
    ])
      list.push(copyId);
    expect(reconcile(sent, back).ok).toBe(false);
    const result = reconcile(sent, back, 2);
    expect(result.rows[0]).toMatchObject({
      check: 'replay -> cdn_raw (same values; up to 2 resent)',
      duplicated: 1,
      ok: true,
    });
    expect(result).toMatchObject({ valid: 4, ok: true });
  });
});
