import { describe, expect, it } from 'vitest';
import { isCdnfaasError } from '../../lib/errors.ts';
import {
  describeFigures,
  median,
  newCounters,
  parseEchoArgs,
  percentile,
  shapeFigures,
} from './echo-figures.ts';
import { nextOffsets } from './echo-rdkafka.ts';

describe('percentile', () => {
  it('takes the nearest rank of unsorted values', () => {
    const values = [5, 1, 4, 2, 3];
    expect(percentile(values, 50)).toBe(3);
    expect(percentile(values, 99)).toBe(5);
    expect(percentile(values, 0)).toBe(1);
    expect(median([10, 30, 20, 40])).toBe(20);
  });

  it('is NaN without values and refuses a p outside 0..100', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 101)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('does not reorder its input', () => {
    const values = [3, 1, 2];
    percentile(values, 50);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('shapeFigures', () => {
  it('times the drain from the first record to the last commit and divides CPU by records', () => {
    const counters = {
      ...newCounters(),
      records: 10_000,
      transactions: 4,
      commitLatenciesMs: [4, 8, 6, 30],
      firstRecordAt: 1_000,
      lastCommitAt: 1_500,
    };
    expect(shapeFigures(counters, 150_000)).toEqual({
      recordsPerSecond: 20_000,
      commitLatencyMs: { p50: 6, p99: 30 },
      transactions: 4,
      cpuMicrosPerRecord: 15,
    });
  });

  it('refuses a drain that committed nothing', () => {
    expect(() => shapeFigures(newCounters(), 0)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});

describe('describeFigures', () => {
  it('says why a client is missing', () => {
    expect(describeFigures('librdkafka', { status: 'missing', reason: 'not installed' })).toBe(
      'librdkafka: missing (not installed)',
    );
  });

  it('prints every figure of a measured client', () => {
    const line = describeFigures('kafkajs', {
      recordsPerSecond: 1000,
      commitLatencyMs: { p50: 5, p99: 9 },
      transactions: 3,
      cpuMicrosPerRecord: 20,
      oneRecordLatencyMs: 12,
    });
    expect(line).toBe(
      'kafkajs: 1000 records/s, commit p50 5 ms p99 9 ms, 3 transactions, 20 µs CPU/record, one-record latency 12 ms',
    );
  });
});

describe('nextOffsets', () => {
  it('keeps, per partition, the offset after the highest consumed one', () => {
    const messages = [
      { topic: 't', partition: 0, offset: 7 },
      { topic: 't', partition: 1, offset: 3 },
      { topic: 't', partition: 0, offset: 9 },
      { topic: 't', partition: 0, offset: 8 },
    ];
    expect(nextOffsets(messages)).toEqual([
      { topic: 't', partition: 0, offset: 10 },
      { topic: 't', partition: 1, offset: 4 },
    ]);
  });
});

describe('parseEchoArgs', () => {
  const defaults = { records: 200_000, partitions: 6, brokers: ['127.0.0.1:9092'] };

  it('reads records, partitions and brokers over the defaults', () => {
    expect(parseEchoArgs(['--records', '500', '--brokers', 'a:1,b:2'], defaults)).toEqual({
      records: 500,
      partitions: 6,
      brokers: ['a:1', 'b:2'],
    });
  });

  it('refuses unknown options and values that are not positive integers', () => {
    for (const argv of [['--speed', '2'], ['--records', '0'], ['--partitions', '1.5'], ['--records']]) {
      expect(() => parseEchoArgs(argv, defaults)).toThrow();
      try {
        parseEchoArgs(argv, defaults);
      } catch (error) {
        expect(isCdnfaasError(error, 'INVALID_INPUT')).toBe(true);
      }
    }
  });
});
