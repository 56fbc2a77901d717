import { describe, expect, it } from 'vitest';
import { countPoints } from './support/influx.ts';
import { loaderUnderTest } from './support/loader.ts';
import { kafkaRecords, provided, rawRow } from './support/records.ts';

const loader = loaderUnderTest('load-data');
const { target, database, store } = loader;

describe('load-data writes cdn_client_data', () => {
  it('stores a batch once even when it is delivered twice', async () => {
    const rows = Array.from({ length: 300 }, (_, i) =>
      rawRow({
        timestamp: `2088-05-17 13:0${i % 10}:${String(i % 60).padStart(2, '0')}`,
        geo_location: String(i),
      }),
    );
    const records = kafkaRecords('cdn_client_data_storage', provided(rows));
    await store(records);
    await store(records);
    expect(await countPoints(target, database, 'cdn_client_data')).toBe(300);
  });

  it('keeps every one of many distinct records with the same timestamp, user and host', async () => {
    // Identical rows at identical coordinates-free content: only their cdn_raw offsets differ.
    const rows = Array.from({ length: 2000 }, () =>
      rawRow({ timestamp: '2088-05-18 00:00:00', user_id: '31.0', host_id: '7' }),
    );
    const values = provided(rows, 10_000);
    expect(new Set(values.map((value) => value.sample_id)).size).toBe(2000);
    await store(kafkaRecords('cdn_client_data_storage', values));
    const stored = await loader.rows(
      `SELECT sample_id FROM cdn_client_data WHERE user_id = '31' AND host_id = '7'`,
    );
    expect(stored).toHaveLength(2000);
    expect(new Set(stored.map((row) => row.sample_id)).size).toBe(2000);
    expect(stored.every((row) => String(row.time).startsWith('2088-05-18T00:00:00.'))).toBe(true);
  });

  it('stores tags, fields and time as the design says', async () => {
    const [value] = provided(
      [
        rawRow({
          timestamp: '2088-05-19 06:59:59',
          user_id: '13.0',
          host_id: '120',
          content_id: '42',
          geo_location: '4411',
        }),
      ],
      50_000,
    );
    await store(kafkaRecords('cdn_client_data_storage', [value]));
    const rows = await loader.rows(`SELECT * FROM cdn_client_data WHERE sample_id = '${value!.sample_id}'`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      user_id: '13',
      host_id: '120',
      channel_id: 8,
      content_type: 5,
      protocol: 1,
      content_id: 42,
      geo_location: 4411,
    });
    expect(String(rows[0]!.time)).toMatch(/^2088-05-19T06:59:59(\.\d{1,9})?Z$/);
    const tagKeys = await loader.rows('SHOW TAG KEYS FROM cdn_client_data');
    expect(tagKeys.map((row) => row.tagKey).sort()).toEqual(['host_id', 'user_id']);
  });

  it('stores an ad-hoc ClientData', async () => {
    const [value] = provided([rawRow({ timestamp: '2088-05-19 07:00:00', user_id: '99' })], 60_000);
    await loader.storeOne(value);
    const rows = await loader.rows(`SELECT sample_id FROM cdn_client_data WHERE user_id = '99'`);
    expect(rows.map((row) => row.sample_id)).toEqual([value!.sample_id]);
  });
});
