import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isCdnfaasError } from '../lib/errors.ts';
import { readAnomalyLabels, readTrainingCsv } from './dataset.ts';
import { featureRecord } from './support/records.ts';

const header = 'timestamp,channel_id,host_id,content_type,protocol,content_id,geo_location,user_id';

async function csvFile(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cdnfaas-ml-'));
  const file = join(dir, 'data.csv');
  await writeFile(file, text);
  return file;
}

async function readError(file: string): Promise<string> {
  try {
    await readTrainingCsv(file);
  } catch (error) {
    expect(isCdnfaasError(error, 'INVALID_INPUT')).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected the read to fail');
}

describe('readTrainingCsv', () => {
  it('reads float-formatted codes, and empty codes as -1', async () => {
    const file = await csvFile(
      `${header}\n2088-05-13 07:00:00,8,156,2,1,,1,13.0\n2088-05-13 07:00:01,8,156,2,1,1145.0,802,\n`,
    );
    expect(await readTrainingCsv(file)).toEqual([
      { timestamp: '2088-05-13 07:00:00', ...featureRecord() },
      {
        timestamp: '2088-05-13 07:00:01',
        ...featureRecord({ content_id: 1145, geo_location: 802, user_id: -1 }),
      },
    ]);
  });

  it('accepts any column order', async () => {
    const file = await csvFile(
      'user_id,timestamp,channel_id,host_id,content_type,protocol,content_id,geo_location\n7.0,t,2,123,4,1,,0\n',
    );
    expect((await readTrainingCsv(file))[0]).toMatchObject({ user_id: 7, host_id: 123 });
  });

  it('names a missing column', async () => {
    const file = await csvFile('timestamp,channel_id\n2088-05-13 07:00:00,8\n');
    expect(await readError(file)).toMatch(/missing column\(s\) host_id, content_type/);
  });

  it('names the line and column of a bad code', async () => {
    const file = await csvFile(
      `${header}\n2088-05-13 07:00:00,8,156,2,1,,1,13.0\n2088-05-13 07:00:01,8,abc,2,1,,1,13.5\n`,
    );
    const message = await readError(file);
    expect(message).toContain('line 3');
    expect(message).toContain('host_id');
    expect(message).toContain('user_id');
  });

  it('fails clearly on a missing or empty file', async () => {
    expect(await readError('/nonexistent/data.csv')).toContain('does not exist');
    expect(await readError(await csvFile(`${header}\n`))).toContain('no data rows');
  });
});

describe('readAnomalyLabels', () => {
  it('maps anomalous row indices to their kinds', async () => {
    const file = await csvFile(
      'row,timestamp,label,kinds\n0,t,normal,\n1,t,anomaly,unseen_host+foreign_protocol\n',
    );
    expect(await readAnomalyLabels(file)).toEqual(new Map([[1, 'unseen_host+foreign_protocol']]));
  });
});
