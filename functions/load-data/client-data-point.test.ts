import { describe, expect, it } from 'vitest';
import type { ClientData } from '../../contracts/client-data.ts';
import { pointIdentity, toLine } from '../shared/point.ts';
import { hashSlot } from '../shared/point-time.ts';
import { clientDataPoint } from './client-data-point.ts';
import { clientDataRecord } from '../shared/testing.ts';

const record: ClientData = clientDataRecord();

/** Distinct records (distinct sample_ids) built to collide on everything but the sample_id. */
function twins(count: number, timestamp: string): ClientData[] {
  return Array.from({ length: count }, (_, i) => ({
    ...record,
    timestamp,
    sample_id: `0b6f5c2e-8a4d-5d1e-9c3b-${i.toString(16).padStart(12, '0')}`,
  }));
}

describe('clientDataPoint', () => {
  it('tags user_id and host_id and stores every other attribute as a field', () => {
    const time = 3_735_637_328_000_000_000n + hashSlot(record.sample_id, 1_000_000_000n);
    expect(toLine(clientDataPoint(record))).toBe(
      `cdn_client_data,host_id=156,user_id=2 channel_id=8i,content_id=-1i,content_type=5i,geo_location=1i,protocol=1i,sample_id="0b6f5c2e-8a4d-5d1e-9c3b-2f7a1e4d6c8b" ${time}`,
    );
  });

  it('lands a re-delivered record on the same point', () => {
    expect(pointIdentity(clientDataPoint({ ...record }))).toBe(pointIdentity(clientDataPoint(record)));
    expect(toLine(clientDataPoint({ ...record }))).toBe(toLine(clientDataPoint(record)));
  });

  it.each([
    ['one second (the CDN files)', '2088-05-17T13:02:00.000Z', 5000],
    ['one minute-truncated timestamp', '2088-05-17T13:02:00Z', 60],
    ['one millisecond', '2088-05-17T13:02:00.042Z', 100],
  ])('keeps distinct records with the same tags in %s apart', (_label, timestamp, count) => {
    const identities = new Set(twins(count, timestamp).map((twin) => pointIdentity(clientDataPoint(twin))));
    expect(identities.size).toBe(count);
  });

  it('keeps the point inside the second of a whole-second timestamp', () => {
    const floor = 3_735_637_328_000_000_000n;
    for (const twin of twins(100, record.timestamp)) {
      const { timeNs } = clientDataPoint(twin);
      expect(timeNs >= floor && timeNs < floor + 1_000_000_000n).toBe(true);
    }
  });
});
