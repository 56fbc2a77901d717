import { describe, expect, it } from 'vitest';
import { clientDataSchema } from '../../contracts/client-data.ts';
import { toClientData } from './to-client-data.ts';
import { clientDataRecord, csvRow } from '../shared/testing.ts';

// The first row of the CDN test file, as the CSV reader hands it over.
const row = csvRow();
const source = { topic: 'cdn_raw', partition: 0, offset: '17' };

function without(...columns: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(row).filter(([column]) => !columns.includes(column)));
}

function reasonOf(raw: Record<string, string | number | null>): string {
  const result = toClientData(raw, source);
  if (result.ok) throw new Error(`expected a rejection, got ${JSON.stringify(result.value)}`);
  return result.reason;
}

describe('toClientData', () => {
  it('turns a CDN CSV row into valid ClientData', () => {
    const result = toClientData(row, source);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(clientDataSchema.parse(result.value)).toEqual(result.value);
    const { sample_id: _sampleId, ...stored } = clientDataRecord();
    expect(result.value).toMatchObject(stored);
  });

  it('reads columns in any order and spelling of the same values into the same record', () => {
    const reordered = Object.fromEntries(Object.entries(row).reverse());
    const respelled = { ...row, user_id: '2', timestamp: '2088-05-17T13:02:08Z', host_id: 156 };
    const original = toClientData(row, source);
    expect(toClientData(reordered, source)).toEqual(original);
    expect(toClientData(respelled, source)).toEqual(original);
  });

  it('treats a missing content_id column like an empty one', () => {
    const { content_id: _dropped, ...withoutContent } = row;
    expect(toClientData(withoutContent, source)).toEqual(toClientData(row, source));
  });

  it('fills an empty or missing user_id with -1, as the original system did (94 rows of the CDN test file)', () => {
    const empty = toClientData({ ...row, user_id: '' }, source);
    expect(empty).toMatchObject({ ok: true, value: { user_id: -1 } });
    expect(toClientData(without('user_id'), source)).toEqual(empty);
  });

  it('accepts header names with blanks or a byte-order mark', () => {
    const { timestamp, ...rest } = row;
    expect(toClientData({ '\uFEFFtimestamp': timestamp, ...rest }, source)).toEqual(
      toClientData(row, source),
    );
  });

  it.each([
    ['a missing column', without('host_id'), 'missing column(s): host_id'],
    ['two missing columns', without('host_id', 'timestamp'), 'missing column(s): timestamp, host_id'],
    ['an extra column', { ...row, referrer: 'x' }, 'unexpected column(s): "referrer"'],
    ['a column twice', { ...row, ' host_id': '3' }, 'duplicated column(s): host_id'],
    ['an empty required value', { ...row, geo_location: '' }, 'geo_location is empty'],
    ['a float code', { ...row, user_id: '13.5' }, 'user_id is not an integer (got "13.5")'],
    ['garbled text', { ...row, protocol: 'abc' }, 'protocol is not an integer (got "abc"): garbled value'],
    ['a negative id', { ...row, host_id: '-4' }, 'host_id is negative (got "-4")'],
    ['a null value', { ...row, channel_id: null }, 'channel_id is empty'],
    ['an empty host', { ...row, host_id: ' ' }, 'host_id is empty'],
    ['an impossible date', { ...row, timestamp: '2088-02-30 00:00:00' }, 'timestamp is an impossible date'],
    ['an impossible hour', { ...row, timestamp: '2088-05-13 25:00:00' }, 'hour 25'],
    ['a garbled date', { ...row, timestamp: '17/05/2088' }, 'timestamp is not a date-time'],
  ])('refuses %s', (_label, raw, reason) => {
    expect(reasonOf(raw as Record<string, string>)).toContain(reason);
  });

  it('names every problem of a record in one reason', () => {
    const reason = reasonOf({ ...row, host_id: 'x', user_id: '-2', timestamp: '2088-13-01 00:00:00' });
    expect(reason).toContain('timestamp is an impossible date');
    expect(reason).toContain('host_id is not an integer');
    expect(reason).toContain('user_id is negative');
  });

  it('reports structure before values: a row with extra columns is not parsed further', () => {
    expect(reasonOf({ ...row, column_9: '1', host_id: 'x' })).toBe('unexpected column(s): "column_9"');
  });

  it('gives the same sample_id to a re-delivered record and different ones to identical rows', () => {
    const first = toClientData(row, source);
    const again = toClientData({ ...row }, { ...source });
    const twin = toClientData(row, { ...source, offset: '18' });
    expect(first.ok && again.ok && twin.ok).toBe(true);
    if (!first.ok || !again.ok || !twin.ok) return;
    expect(again.value.sample_id).toBe(first.value.sample_id);
    expect(twin.value.sample_id).not.toBe(first.value.sample_id);
  });
});
