import { describe, expect, it } from 'vitest';
import { clientDataRecord } from '../shared/testing.ts';
import { sampleIdNamespace, sampleIdOf, uuidV5 } from './sample-id.ts';

const { sample_id: _sampleId, ...values } = clientDataRecord({ timestamp: '2088-05-17T13:02:00.000Z' });
const source = { topic: 'cdn_raw', partition: 3, offset: '1041' };

describe('uuidV5', () => {
  it('matches the RFC 9562 example (www.example.com in the DNS namespace)', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  it('refuses a namespace that is not a UUID', () => {
    expect(() => uuidV5('x', 'not-a-uuid')).toThrow(/not a UUID/);
  });
});

describe('sampleIdOf', () => {
  it('is a version 5 UUID in the project namespace', () => {
    expect(sampleIdOf(values, source)).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(sampleIdNamespace).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('is the same when the same record is processed again', () => {
    expect(sampleIdOf({ ...values }, { ...source })).toBe(sampleIdOf(values, source));
  });

  it('tells apart rows with identical content read at different coordinates', () => {
    const ids = new Set([
      sampleIdOf(values, source),
      sampleIdOf(values, { ...source, offset: '1042' }),
      sampleIdOf(values, { ...source, partition: 4 }),
      sampleIdOf(values, { ...source, topic: 'cdn_raw_replay' }),
    ]);
    expect(ids.size).toBe(4);
  });

  it.each(Object.keys(values) as (keyof typeof values)[])('changes when %s changes', (column) => {
    const changed = column === 'timestamp' ? '2088-05-17T13:02:01.000Z' : (values[column] as number) + 1;
    expect(sampleIdOf({ ...values, [column]: changed }, source)).not.toBe(sampleIdOf(values, source));
  });

  it('depends on content alone for an ad-hoc record', () => {
    expect(sampleIdOf(values)).toBe(sampleIdOf({ ...values }));
    expect(sampleIdOf(values)).not.toBe(sampleIdOf(values, source));
  });
});
