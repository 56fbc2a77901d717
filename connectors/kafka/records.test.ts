import { describe, expect, it } from 'vitest';
import { batchLength, decodeRecord, flushDelay, recordSize, type BufferedRecord } from './records.ts';

function buffered(value: string | null, key: string | null = 'k'): BufferedRecord {
  const keyBytes = key === null ? null : Buffer.from(key);
  const valueBytes = value === null ? null : Buffer.from(value);
  return {
    topic: 't',
    partition: 3,
    offset: '42',
    key: keyBytes,
    value: valueBytes,
    size: recordSize(keyBytes, valueBytes),
    commitOffset: '43',
    receivedAt: 0,
  };
}

describe('decodeRecord', () => {
  it('parses JSON values and keeps the coordinates', () => {
    expect(decodeRecord(buffered('{"a":1}'), 1024)).toEqual({
      ok: true,
      record: { topic: 't', partition: 3, offset: '42', key: 'k', value: { a: 1 } },
    });
    expect(decodeRecord(buffered('"x"', null), 1024)).toEqual({
      ok: true,
      record: { topic: 't', partition: 3, offset: '42', key: null, value: 'x' },
    });
  });

  it.each([
    [buffered('not json'), 'value is not JSON'],
    [buffered('{"a":'), 'value is not JSON'],
    [buffered(null), 'no value'],
    [buffered(`"${'x'.repeat(2000)}"`), 'exceeds the batch limit of 1024 bytes'],
  ])('rejects %#: %s', (record, reason) => {
    const decoded = decodeRecord(record, 1024);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.reason).toContain(reason);
  });
});

describe('batchLength', () => {
  const limits = { maxRecords: 3, maxBytes: 100, maxWaitMs: 10 };
  it.each([
    [[10, 10, 10, 10], 3],
    [[40, 40, 40], 2],
    [[150, 10], 1],
    [[10], 1],
    [[], 0],
  ])('sizes %j -> %d records', (sizes, expected) => expect(batchLength(sizes, limits)).toBe(expected));
});

describe('flushDelay', () => {
  const limits = { maxRecords: 10, maxBytes: 1000, maxWaitMs: 50 };
  it.each([
    [{ records: 0, bytes: 0, oldestAgeMs: 0 }, Infinity],
    [{ records: 10, bytes: 10, oldestAgeMs: 0 }, 0],
    [{ records: 1, bytes: 1000, oldestAgeMs: 0 }, 0],
    [{ records: 1, bytes: 10, oldestAgeMs: 20 }, 30],
    [{ records: 1, bytes: 10, oldestAgeMs: 80 }, 0],
  ])('%j -> %d ms', (state, expected) => expect(flushDelay(state, limits)).toBe(expected));
});
