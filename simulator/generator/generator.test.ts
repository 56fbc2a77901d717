import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../lib/prng.ts';
import { createExactSelector } from './anomalies.ts';
import { defaultStart, generateRows, type GenerateOptions } from './generate.ts';
import { csvHeader, formatRow } from './row.ts';
import { formatTimestamp, parseStart } from './timeline.ts';
import { hostCodes } from './world.ts';
import { labelsHeader, labelsPathFor, writeDataset } from './write.ts';

const options = (overrides: Partial<GenerateOptions> = {}): GenerateOptions => ({
  rows: 20_000,
  seed: 5,
  anomalyFraction: 0.01,
  startMs: parseStart(defaultStart),
  ...overrides,
});

const rows = (overrides: Partial<GenerateOptions> = {}) => [...generateRows(options(overrides))];

function shareOfTop(values: readonly (number | null)[]): { distinct: number; top: number } {
  const counts = new Map<number | null, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return { distinct: counts.size, top: Math.max(...counts.values()) / values.length };
}

describe('generateRows', () => {
  const generated = rows();
  const normal = generated.filter((row) => row.anomaly === null).map((row) => row.row);

  it('is deterministic for a seed and differs across seeds', () => {
    expect(rows({ rows: 2000 })).toEqual(rows({ rows: 2000 }));
    expect(rows({ rows: 2000, seed: 6 }).map((row) => formatRow(row.row))).not.toEqual(
      rows({ rows: 2000 }).map((row) => formatRow(row.row)),
    );
  });

  it('writes exactly the requested number of rows, anomalies and indices', () => {
    expect(generated).toHaveLength(20_000);
    expect(generated.filter((row) => row.anomaly !== null)).toHaveLength(200);
    expect(generated.map((row) => row.index)).toEqual(Array.from({ length: 20_000 }, (_, i) => i));
  });

  it('changes only the anomalous rows when the anomaly fraction changes', () => {
    const clean = rows({ anomalyFraction: 0 });
    generated.forEach((row, i) => {
      if (row.anomaly === null) expect(row.row).toEqual(clean[i]!.row);
    });
  });

  it('has unique, sorted timestamps in the published format, from the start time', () => {
    const stamps = generated.map((row) => row.row.timestamp);
    expect(stamps[0]).toBe('2088-05-13 07:00:00');
    for (const stamp of stamps.slice(0, 100)) expect(stamp).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const sorted = [...stamps].sort();
    expect(stamps).toEqual(sorted);
    expect(new Set(stamps).size).toBe(stamps.length);
  });

  it('has bursts: long runs of one record per second, and quiet gaps', () => {
    const times = generated.map((row) => parseStart(row.row.timestamp));
    let run = 1;
    let longestRun = 1;
    let gaps = 0;
    for (let i = 1; i < times.length; i++) {
      const gap = times[i]! - times[i - 1]!;
      run = gap === 1000 ? run + 1 : 1;
      longestRun = Math.max(longestRun, run);
      if (gap >= 30_000) gaps++;
    }
    expect(longestRun).toBeGreaterThanOrEqual(120);
    expect(gaps).toBeGreaterThan(100);
  });

  it('has skewed categorical codes with the published cardinalities', () => {
    const column = (name: keyof (typeof normal)[number]) =>
      shareOfTop(normal.map((row) => row[name] as number | null));
    const channel = column('channel_id');
    expect(channel.distinct).toBeLessThanOrEqual(8);
    expect(channel.top).toBeGreaterThan(0.3);
    expect(column('protocol').distinct).toBe(2);
    expect(column('protocol').top).toBeGreaterThan(0.85);
    expect(column('content_type').distinct).toBeLessThanOrEqual(8);
    expect(column('user_id').distinct).toBeLessThanOrEqual(35);
    expect(column('user_id').top).toBeGreaterThan(0.2);
    expect(column('host_id').top).toBeGreaterThan(0.35);
    expect(column('geo_location').top).toBeGreaterThan(0.4);
    expect(column('geo_location').distinct).toBeGreaterThan(300);
    expect(new Set(hostCodes)).toEqual(new Set([...hostCodes, ...normal.map((row) => row.host_id)]));
    expect(normal.filter((row) => row.content_id === null).length / normal.length).toBeGreaterThan(0.99);
  });

  it('makes anomalies out of unseen or foreign codes, naming each change', () => {
    for (const row of generated.filter((r) => r.anomaly !== null)) {
      expect(row.anomaly!.length).toBeGreaterThanOrEqual(2);
      if (row.anomaly!.includes('unseen_host')) expect(hostCodes).not.toContain(row.row.host_id);
      if (row.anomaly!.includes('content_id_present')) expect(row.row.content_id).not.toBeNull();
    }
  });
});

describe('formatRow', () => {
  it('writes user_id and content_id as floats and missing values as empty cells', () => {
    const row = {
      timestamp: '2088-05-13 07:00:00',
      channel_id: 8,
      host_id: 156,
      content_type: 2,
      protocol: 1,
      content_id: null,
      geo_location: 1,
      user_id: 13,
    };
    expect(formatRow(row)).toBe('2088-05-13 07:00:00,8,156,2,1,,1,13.0');
    expect(formatRow({ ...row, content_id: 1145, user_id: null })).toBe(
      '2088-05-13 07:00:00,8,156,2,1,1145.0,1,',
    );
  });

  it('formats timestamps as UTC without a zone marker', () => {
    expect(formatTimestamp(Date.UTC(2088, 4, 13, 7, 0, 5))).toBe('2088-05-13 07:00:05');
    expect(parseStart('2088-05-13 07:00:05')).toBe(Date.UTC(2088, 4, 13, 7, 0, 5));
    expect(parseStart('not a date')).toBeNaN();
  });
});

describe('createExactSelector', () => {
  it.each([
    [1000, 10],
    [1000, 0],
    [7, 7],
    [50_000, 500],
  ])('picks exactly the wanted count (%i rows, %i wanted)', (total, wanted) => {
    const pick = createExactSelector(total, wanted, createRng(1));
    let picked = 0;
    for (let i = 0; i < total; i++) if (pick(i)) picked++;
    expect(picked).toBe(wanted);
  });
});

describe('writeDataset', () => {
  it('writes the header, the rows and a labels side file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cdnfaas-gen-'));
    const csvPath = join(dir, 'sample.csv');
    const result = await writeDataset(csvPath, options({ rows: 3000, anomalyFraction: 0.02 }));
    expect(result).toMatchObject({ rows: 3000, anomalies: 60, labelsPath: labelsPathFor(csvPath) });
    const lines = (await readFile(csvPath, 'utf8')).trimEnd().split('\n');
    expect(lines[0]).toBe(csvHeader);
    expect(lines).toHaveLength(3001);
    expect(lines[1]).toBe(formatRow(rows({ rows: 1, anomalyFraction: 0.02 })[0]!.row));
    const labels = (await readFile(result.labelsPath, 'utf8')).trimEnd().split('\n');
    expect(labels[0]).toBe(labelsHeader);
    expect(labels).toHaveLength(3001);
    expect(labels.filter((line) => line.includes(',anomaly,'))).toHaveLength(60);
    expect(labels[1]).toMatch(/^0,2088-05-13 07:00:00,(normal|anomaly),/);
  });

  it('names the labels file after the data file', () => {
    expect(labelsPathFor('out/data.csv')).toBe('out/data.labels.csv');
    expect(labelsPathFor('out/data')).toBe('out/data.labels.csv');
  });
});
