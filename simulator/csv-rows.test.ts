import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isCdnfaasError } from '../lib/errors.ts';
import { readCsvRecords, rowToRecord } from './csv-rows.ts';

describe('rowToRecord', () => {
  it('keys fields by the header and keeps extra fields under column_<n>', () => {
    expect(rowToRecord(['a', 'b'], ['1', '2', '3'])).toEqual({ a: '1', b: '2', column_3: '3' });
    expect(rowToRecord(['a', 'b'], ['1'])).toEqual({ a: '1' });
  });
});

describe('readCsvRecords', () => {
  const dir = mkdtempSync(join(tmpdir(), 'csv-rows-'));

  it('reads rows of any column order as strings', async () => {
    const file = join(dir, 'ok.csv');
    writeFileSync(file, 'user_id,timestamp\n13.0,2088-05-13 07:00:00\n');
    expect(await readCsvRecords(file)).toEqual([{ user_id: '13.0', timestamp: '2088-05-13 07:00:00' }]);
  });

  it.each([
    ['a missing file', join(dir, 'missing.csv'), /does not exist/],
    ['a folder', dir, /cannot read CSV/],
  ])('fails clearly on %s', async (_label, file, message) => {
    const error = await readCsvRecords(file).catch((caught: unknown) => caught);
    expect(isCdnfaasError(error, 'INVALID_INPUT')).toBe(true);
    expect((error as Error).message).toMatch(message);
  });

  it('fails clearly on an empty file', async () => {
    const file = join(dir, 'empty.csv');
    writeFileSync(file, '');
    await expect(readCsvRecords(file)).rejects.toThrow(/is empty/);
  });
});
