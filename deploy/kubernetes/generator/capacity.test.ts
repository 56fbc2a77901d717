import { describe, expect, it } from 'vitest';
import { capacityTable, planCapacity, ratesFromReport } from './capacity.ts';

const options = { target: 20_000, utilisation: 0.5, catchUpSeconds: 2 };

describe('planCapacity', () => {
  it.each([
    // perReplica, partitions today -> replicas, partitions, lag target, fits CE
    [10_000, 6, 4, 6, 20_000, true],
    [40_000, 6, 1, 6, 80_000, true],
    [5_000, 6, 8, 8, 10_000, false],
    [7_000, 2, 6, 6, 14_000, false],
  ])(
    '%i records/s per replica, %i partitions -> %i replicas, %i partitions',
    (perReplica, partitions, replicas, needed, lagTarget, fitsCe) => {
      expect(planCapacity([{ function: 'predict', perReplica, partitions }], options)).toEqual([
        { function: 'predict', perReplica, replicas, partitions: needed, lagTarget, fitsCe },
      ]);
    },
  );

  it('refuses rates and options that cannot be planned with', () => {
    expect(() => planCapacity([{ function: 'x', perReplica: 0, partitions: 1 }], options)).toThrow(
      /must be > 0/,
    );
    expect(() => planCapacity([], { ...options, utilisation: 1.5 })).toThrow(RangeError);
  });

  it('renders a markdown table', () => {
    const table = capacityTable(
      planCapacity([{ function: 'provide', perReplica: 10_000, partitions: 6 }], options),
      options,
    );
    expect(table).toContain('| provide | 10000 | 4 | 6 | 20000 | yes |');
  });
});

describe('ratesFromReport', () => {
  it('reads stages.<function>.recordsPerSecondPerReplica and names what is missing', () => {
    const report = {
      stages: {
        provide: { recordsPerSecondPerReplica: 12_000 },
        predict: { recordsPerSecondPerReplica: 'n/a' },
      },
    };
    expect(ratesFromReport(report, ['provide', 'predict', 'load-data'])).toEqual({
      rates: { provide: 12_000 },
      missing: ['predict', 'load-data'],
    });
  });
});
