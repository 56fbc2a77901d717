import { describe, expect, it } from 'vitest';
import {
  coordinateSlot,
  deliveryPointTime,
  eventPointTime,
  hashSlot,
  nsPerMillisecond,
  nsPerSecond,
  offsetSlots,
  parseInstant,
  partitionSlots,
} from './point-time.ts';

const second = 3_735_270_000n * nsPerSecond; // 2088-05-13T07:00:00Z

describe('parseInstant', () => {
  it.each([
    ['2088-05-13T07:00:00Z', second, nsPerSecond],
    ['2088-05-13T07:00:00.000Z', second, nsPerSecond],
    ['2088-05-13T07:00:00.123Z', second + 123_000_000n, nsPerMillisecond],
    ['2088-05-13T07:00:00.5Z', second + 500_000_000n, nsPerMillisecond],
    ['2088-05-13T07:00:00.123456Z', second + 123_456_000n, 1000n],
    ['2088-05-13T07:00:00.123456789Z', second + 123_456_789n, 1n],
    ['2088-05-13T09:00:00.250+02:00', second + 250_000_000n, nsPerMillisecond],
  ])('%s is %d ns at a precision of %d ns', (iso, ns, precisionNs) => {
    expect(parseInstant(iso)).toEqual({ ns, precisionNs });
  });

  it('refuses text that is not a date-time', () => {
    expect(() => parseInstant('yesterday')).toThrow(RangeError);
  });
});

describe('eventPointTime (cdn_client_data)', () => {
  it.each([
    ['a whole second', '2088-05-13T07:00:00.000Z', second, nsPerSecond],
    ['a millisecond', '2088-05-13T07:00:00.042Z', second + 42_000_000n, nsPerMillisecond],
    ['a microsecond', '2088-05-13T07:00:00.000042Z', second + 42_000n, 1000n],
  ])('keeps %s inside its own precision', (_label, iso, floor, precision) => {
    for (let i = 0; i < 200; i++) {
      const time = eventPointTime(iso, `sample-${i}`);
      expect(time >= floor && time < floor + precision).toBe(true);
    }
  });

  it('puts the same record on the same nanosecond every time', () => {
    const id = '0b6f5c2e-8a4d-5d1e-9c3b-2f7a1e4d6c8b';
    expect(eventPointTime('2088-05-13T07:00:00.000Z', id)).toBe(eventPointTime('2088-05-13T07:00:00Z', id));
    expect(eventPointTime('2088-05-13T09:00:00+02:00', id)).toBe(eventPointTime('2088-05-13T07:00:00Z', id));
  });

  it('spreads 2,000 records of one second over distinct nanoseconds', () => {
    const times = new Set(
      Array.from({ length: 2000 }, (_, i) => eventPointTime('2088-05-13T07:00:00Z', `id-${i}`)),
    );
    expect(times.size).toBe(2000);
  });
});

describe('coordinateSlot', () => {
  it('maps 64 partitions x 15,625 offsets one-to-one onto the million nanoseconds of a millisecond', () => {
    expect(partitionSlots * offsetSlots).toBe(nsPerMillisecond);
    const seen = new Uint8Array(Number(nsPerMillisecond));
    let repeats = 0;
    for (let partition = 0; partition < 64; partition++) {
      for (let offset = 0; offset < 15_625; offset++) {
        const slot = Number(coordinateSlot({ partition, offset: String(offset) }));
        if (seen[slot] === 1) repeats += 1;
        seen[slot] = 1;
      }
    }
    expect(repeats).toBe(0);
    expect(seen.every((value) => value === 1)).toBe(true);
  });

  it.each([
    [
      'the same partition, offsets 15,625 apart',
      { partition: 3, offset: '100' },
      { partition: 3, offset: '15725' },
    ],
    ['partitions 64 apart, the same offset', { partition: 1, offset: '7' }, { partition: 65, offset: '7' }],
  ])('shares a slot only past its bounds: %s', (_label, a, b) => {
    expect(coordinateSlot(a)).toBe(coordinateSlot(b));
  });

  it('takes 64-bit offsets', () => {
    expect(coordinateSlot({ partition: 0, offset: '9223372036854775807' })).toBe(
      (9223372036854775807n % 15625n) * 64n,
    );
  });
});

describe('deliveryPointTime (predictions)', () => {
  const stamp = '2088-05-13T07:00:00.123Z';
  const ms = second + 123_000_000n;

  it('keeps the prediction inside its millisecond', () => {
    const time = deliveryPointTime(stamp, 'a', { topic: 'cdn_result', partition: 5, offset: '123456' });
    expect(time >= ms && time < ms + nsPerMillisecond).toBe(true);
  });

  it('gives a re-delivered record the same time and every record of a batch its own', () => {
    const batch = Array.from({ length: 6 * 2000 }, (_, i) => ({
      topic: 'cdn_result',
      partition: i % 6,
      offset: String(1_000_000 + Math.floor(i / 6)),
    }));
    const times = batch.map((source, i) => deliveryPointTime(stamp, `id-${i}`, source));
    expect(new Set(times).size).toBe(batch.length);
    const again = batch.map((source, i) => deliveryPointTime(stamp, `id-${i}`, { ...source }));
    expect(again).toEqual(times);
  });

  it('is why coordinates are used: hashing 12,000 ids into one millisecond collides', () => {
    const hashed = new Set(
      Array.from({ length: 12_000 }, (_, i) => deliveryPointTime(stamp, `id-${i}`, undefined)),
    );
    expect(hashed.size).toBeLessThan(12_000);
  });

  it('falls back to the sample_id hash for an ad-hoc record', () => {
    expect(deliveryPointTime(stamp, 'id-1', undefined)).toBe(ms + hashSlot('id-1', nsPerMillisecond));
  });
});
