import { describe, expect, it } from 'vitest';
import { batchRequestSchema } from '../../contracts/batch.ts';
import { batchBody, encodeRecord, recordSize, type BufferedRecord } from './records.ts';

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
    producedAt: 0,
  };
}

function decoded(record: BufferedRecord): unknown {
  const encoded = encodeRecord(record, 1024);
  if (!encoded.ok) throw new Error(encoded.reason);
  return JSON.parse(encoded.record.json);
}

describe('encodeRecord', () => {
  it('embeds JSON values as they are and keeps the coordinates', () => {
    expect(decoded(buffered('{"a":1}'))).toEqual({
      topic: 't',
      partition: 3,
      offset: '42',
      key: 'k',
      value: { a: 1 },
    });
    expect(decoded(buffered(' "x" ', null))).toEqual({
      topic: 't',
      partition: 3,
      offset: '42',
      key: null,
      value: 'x',
    });
  });

  it('escapes keys that need it', () => {
    expect(decoded(buffered('1', 'a"b\\c\n'))).toMatchObject({ key: 'a"b\\c\n', value: 1 });
  });

  it.each([
    [buffered('not json'), 'value is not JSON'],
    [buffered('{"a":'), 'value is not JSON'],
    [buffered('{"a":1} {"b":2}'), 'value is not JSON'],
    [buffered(''), 'value is not JSON'],
    [buffered(null), 'no value'],
    [buffered(`"${'x'.repeat(2000)}"`), 'exceeds the batch limit of 1024 bytes'],
  ])('rejects %#: %s', (record, reason) => {
    const encoded = encodeRecord(record, 1024);
    expect(encoded.ok).toBe(false);
    if (!encoded.ok) expect(encoded.reason).toContain(reason);
  });

  it("passes a value the stack wrote without parsing it, and still refuses what it can't send", () => {
    // Not JSON, so this shows the value was not parsed: outside the stack it would be refused.
    const encoded = encodeRecord(buffered('{"a":'), 1024, true);
    expect(encoded.ok && encoded.record.json).toBe(
      '{"topic":"t","partition":3,"offset":"42","key":"k","value":{"a":}',
    );
    expect(encodeRecord(buffered(null), 1024, true)).toMatchObject({ ok: false });
    expect(encodeRecord(buffered(`"${'x'.repeat(2000)}"`), 1024, true)).toMatchObject({ ok: false });
  });
});

describe('batchBody', () => {
  it('is a batch request the contract accepts, in record order', () => {
    const records = ['{"n":1}', '[2]', '"three"'].map((value, index) => {
      const encoded = encodeRecord({ ...buffered(value), offset: String(index) }, 1024);
      if (!encoded.ok) throw new Error(encoded.reason);
      return encoded.record;
    });
    const request = batchRequestSchema.parse(JSON.parse(batchBody(records)));
    expect(request.records.map((record) => record.value)).toEqual([{ n: 1 }, [2], 'three']);
    expect(request.records.map((record) => record.offset)).toEqual(['0', '1', '2']);
  });

  it('is an empty batch for no records', () => {
    expect(JSON.parse(batchBody([]))).toEqual({ records: [] });
  });
});
