import { describe, expect, it } from 'vitest';
import type { InjectedFault } from './injectors.ts';
import { faultSummary, faultTable, markdownTable, reconciliationTable } from './tables.ts';

describe('tables', () => {
  it('pads columns and right-aligns the numeric ones', () => {
    expect(
      markdownTable(
        ['name', 'n'],
        [
          ['a', '1'],
          ['bbb', '22'],
        ],
        [1],
      ),
    ).toBe(['| name |  n |', '|------|---:|', '| a    |  1 |', '| bbb  | 22 |'].join('\n'));
  });

  it('lists the faults with their outcomes and sums them by kind', () => {
    const faults: InjectedFault[] = [
      {
        fault: { kind: 'kill-replica', atMs: 1_000, function: 'predict' },
        startedAtMs: 1_200,
        outageMs: 0,
        outcome: 'done',
        detail: 'killed pid 5 (1 of 2)',
      },
      {
        fault: { kind: 'kill-replica', atMs: 2_000, function: 'provide' },
        startedAtMs: 2_000,
        outageMs: 0,
        outcome: 'skipped',
        detail: 'no replica running',
      },
      {
        fault: { kind: 'stop-influxdb', atMs: 3_000, downMs: 30_000 },
        startedAtMs: 3_000,
        outageMs: 41_500,
        outcome: 'done',
        detail: 'down 30 s, started again',
      },
    ];
    const table = faultTable(faults);
    expect(table).toContain(
      '|    1.2 | kill -9 a replica of predict | done    |              - | killed pid 5 (1 of 2)    |',
    );
    expect(table).toContain('| stop InfluxDB for 30 s');
    expect(table).toContain('41.5');
    expect(faultSummary(faults)).toContain('| kill-replica  |       2 |    1 |       1 |      0 |');
  });

  it('shows each reconciliation row with thousands separators and its result', () => {
    const table = reconciliationTable({
      valid: 98_000,
      invalid: 2_000,
      ok: false,
      rows: [
        {
          check: 'valid -> cdn_result',
          expected: 98_000,
          found: 98_006,
          missing: 0,
          duplicated: 6,
          unexpected: 0,
          ok: false,
        },
      ],
    });
    expect(table).toContain(
      '| valid -> cdn_result |   98,000 | 98,006 |       0 |          6 |          0 | FAIL   |',
    );
  });
});
