import { describe, expect, it } from 'vitest';
import { parseTimestamp } from './parse-timestamp.ts';

describe('parseTimestamp', () => {
  it.each([
    ['2088-05-13 07:00:00', '2088-05-13T07:00:00.000Z'],
    ['2088-05-13T07:00:00', '2088-05-13T07:00:00.000Z'],
    ['2088-05-13T07:00:00Z', '2088-05-13T07:00:00.000Z'],
    ['2088-05-13T07:00:00.123Z', '2088-05-13T07:00:00.123Z'],
    ['2088-05-13T07:00:00.5Z', '2088-05-13T07:00:00.500Z'],
    ['2088-05-13T07:00:00.123000000Z', '2088-05-13T07:00:00.123Z'],
    ['2088-05-13 07:00', '2088-05-13T07:00:00.000Z'],
    ['2088-05-13T09:00:00+02:00', '2088-05-13T07:00:00.000Z'],
    ['2088-05-13T09:00:00+0200', '2088-05-13T07:00:00.000Z'],
    ['2088-05-13T02:30:00-04:30', '2088-05-13T07:00:00.000Z'],
    ['2088-05-13T00:30:00+01:00', '2088-05-12T23:30:00.000Z'],
    ['2088-02-29 12:00:00', '2088-02-29T12:00:00.000Z'],
    ['2000-02-29 00:00:00', '2000-02-29T00:00:00.000Z'],
    ['  2088-05-13 07:00:00  ', '2088-05-13T07:00:00.000Z'],
    ['1970-01-01T00:00:00Z', '1970-01-01T00:00:00.000Z'],
  ])('normalises %s to %s', (raw, expected) => {
    expect(parseTimestamp('timestamp', raw)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['2088-02-30 00:00:00', 'impossible date', 'day 30'],
    ['2087-02-29 00:00:00', 'impossible date', 'day 29'],
    ['2100-02-29 00:00:00', 'impossible date', 'day 29'],
    ['2088-04-31 00:00:00', 'impossible date', 'day 31'],
    ['2088-13-01 00:00:00', 'impossible date', 'month 13'],
    ['2088-00-01 00:00:00', 'impossible date', 'month 0'],
    ['2088-05-13 25:00:00', 'impossible date', 'hour 25'],
    ['2088-05-13 07:60:00', 'impossible date', 'minute 60'],
    ['2088-05-13 07:00:60', 'impossible date', 'second 60'],
    ['2088-05-13T07:00:00+24:00', 'impossible date', 'zone offset'],
    ['2088-05-13', 'not a date-time', 'expected YYYY-MM-DD HH:MM:SS'],
    ['13/05/2088 07:00:00', 'not a date-time', 'ISO 8601'],
    ['yesterday', 'not a date-time', 'yesterday'],
    ['2088-05-13T07:00:00.123456Z', 'sub-millisecond precision', 'at most 3'],
    ['1969-12-31T23:59:59Z', 'outside 1970..2261', '1969'],
    ['2262-01-01T00:00:00Z', 'outside 1970..2261', '2262'],
    ['', 'is empty', 'timestamp'],
  ])('refuses %j (%s)', (raw, problem, detail) => {
    const result = parseTimestamp('timestamp', raw);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toContain(problem);
      expect(result.reason).toContain(detail);
      expect(result.reason.startsWith('timestamp ')).toBe(true);
    }
  });

  it('refuses a number where a date-time string belongs', () => {
    expect(parseTimestamp('timestamp', 3735270000)).toEqual({
      ok: false,
      reason: 'timestamp is not a date-time string (got "3735270000")',
    });
  });
});
