import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isCdnfaasError } from '../../lib/errors.ts';
import { anchorRecord, checkCount, parseAnchorOutput } from './java-eos.ts';
import { anchorClasspath, anchorPaths, listSources, sourcesDir, sourcesHash } from './java-eos-build.ts';

const line =
  '{"records":200000,"seconds":4.2,"recordsPerSecond":47619.0,"transactions":400,"commitLatencyMs":{"p50":3.1,"p99":12.5},"recordsPerTransaction":500.0}';

describe('parseAnchorOutput', () => {
  it('reads the figures from the last JSON line, past any other output', () => {
    const figures = parseAnchorOutput(`some banner\n{"records":1}\n${line}\n`);
    expect(figures).toEqual({
      records: 200000,
      seconds: 4.2,
      recordsPerSecond: 47619,
      transactions: 400,
      commitLatencyMs: { p50: 3.1, p99: 12.5 },
      recordsPerTransaction: 500,
    });
  });

  it.each([
    ['no JSON line', 'nothing here\n'],
    ['not JSON', '{records: 1}\n'],
    ['a field missing', '{"records":1,"seconds":1,"recordsPerSecond":1,"transactions":1}\n'],
    ['a negative count', line.replace('"transactions":400', '"transactions":-1')],
  ])('fails with UPSTREAM_FAILED on %s', (_why, stdout) => {
    expect(() => parseAnchorOutput(stdout)).toThrow(
      expect.objectContaining({
        code: 'UPSTREAM_FAILED',
        message: expect.stringContaining('anchor printed'),
      }),
    );
  });
});

describe('sourcesHash', () => {
  const files = [
    { path: 'pom.xml', content: '<project/>' },
    { path: 'src/A.java', content: 'class A {}' },
  ];

  it('does not depend on the order files are listed in', () => {
    expect(sourcesHash([...files].reverse())).toBe(sourcesHash(files));
    expect(sourcesHash(files)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('changes with any content or name', () => {
    expect(sourcesHash([files[0]!, { path: 'src/A.java', content: 'class A { }' }])).not.toBe(
      sourcesHash(files),
    );
    expect(sourcesHash([files[0]!, { path: 'src/B.java', content: 'class A {}' }])).not.toBe(
      sourcesHash(files),
    );
  });

  it('tells a moved boundary between name and content apart', () => {
    expect(sourcesHash([{ path: 'ab', content: 'c' }])).not.toBe(sourcesHash([{ path: 'a', content: 'bc' }]));
  });
});

describe('listSources', () => {
  let dir: string | undefined;
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('lists the project files and leaves build output out', () => {
    dir = mkdtempSync(join(tmpdir(), 'java-eos-'));
    mkdirSync(join(dir, 'src', 'main'), { recursive: true });
    mkdirSync(join(dir, 'target', 'lib'), { recursive: true });
    writeFileSync(join(dir, 'pom.xml'), '');
    writeFileSync(join(dir, 'src', 'main', 'A.java'), '');
    writeFileSync(join(dir, 'target', 'lib', 'x.jar'), '');
    expect(listSources(dir)).toEqual(['pom.xml', 'src/main/A.java']);
  });

  it('finds the committed Maven project', () => {
    const files = listSources(sourcesDir);
    expect(files).toContain('pom.xml');
    expect(files.some((file) => file.endsWith('EosAnchor.java'))).toBe(true);
  });
});

describe('anchorPaths and anchorClasspath', () => {
  it('keeps each build under the cache by its hash, and runs its jar with the runtime jars', () => {
    const paths = anchorPaths('/cache/cdnfaas', '0123456789abcdef');
    expect(paths.dir).toBe(join('/cache/cdnfaas', 'bench', 'java-eos', '0123456789abcdef'));
    expect(paths.partial).toBe(`${paths.dir}.partial`);
    expect(anchorClasspath(paths)).toBe(
      [join(paths.dir, 'target', 'java-eos-anchor.jar'), join(paths.dir, 'target', 'lib', '*')].join(
        delimiter,
      ),
    );
  });
});

describe('anchorRecord', () => {
  it('is a JSON object of 200 bytes that differs by record', () => {
    for (const n of [0, 1, 999, 199_999, 10_000_000]) {
      const record = anchorRecord(n);
      expect(Buffer.byteLength(record)).toBe(200);
      expect(JSON.parse(record).sample_id).toMatch(new RegExp(`^0*${n.toString(16)}-`));
    }
    expect(anchorRecord(1)).not.toBe(anchorRecord(2));
  });
});

describe('checkCount', () => {
  it('accepts whole numbers from the minimum and refuses the rest with INVALID_INPUT', () => {
    expect(checkCount('records', 5, 1)).toBe(5);
    expect(checkCount('commitIntervalMs', 0, 0)).toBe(0);
    for (const value of [0, -1, 1.5, Number.NaN]) {
      try {
        checkCount('records', value, 1);
        expect.unreachable();
      } catch (error) {
        expect(isCdnfaasError(error, 'INVALID_INPUT')).toBe(true);
      }
    }
  });
});
