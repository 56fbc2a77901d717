import { isEmptyValue, type RawValue } from './parse-code.ts';
import { accept, quote, refuse, type Parsed } from './parsed.ts';

// `2088-05-13 07:00:00` (the CDN files) and ISO 8601 (`2088-05-13T07:00:00.123Z`, `+02:00`).
// Seconds and fractions are optional; a time without a zone is UTC, as the CDN files are.
const timestampText =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * InfluxDB stores nanoseconds since 1970 in a signed 64-bit integer (until 2262-04-11); the
 * loaders need a non-negative time, so records must fall in these years.
 */
export const earliestYear = 1970;
export const latestYear = 2261;

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

/** Minutes east of UTC for `Z`, `+02`, `+0200` or `+02:00`; undefined when out of range. */
function offsetMinutes(zone: string | undefined): number | undefined {
  if (zone === undefined || zone.toUpperCase() === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  if (hours > 23 || minutes > 59) return undefined;
  return sign * (hours * 60 + minutes);
}

/**
 * Parses a record's timestamp and normalises it to ISO 8601 UTC with milliseconds. Every part
 * is range-checked, so impossible dates (2088-02-30, 25:00) are refused instead of rolling over
 * as `Date` would. Precision finer than a millisecond is refused unless it is zero: the
 * normalised form cannot carry it and silently dropping it would merge distinct instants.
 */
export function parseTimestamp(column: string, raw: RawValue): Parsed<string> {
  if (isEmptyValue(raw)) return refuse(`${column} is empty`);
  if (typeof raw !== 'string') return refuse(`${column} is not a date-time string (got ${quote(raw)})`);
  const match = timestampText.exec(raw.trim());
  if (match === null) {
    return refuse(
      `${column} is not a date-time (got ${quote(raw)}): expected YYYY-MM-DD HH:MM:SS or ISO 8601`,
    );
  }
  const [, y, mo, d, h, mi, s, fraction, zone] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s ?? '0'].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const impossible = (part: string) => refuse(`${column} is an impossible date (got ${quote(raw)}): ${part}`);
  if (month < 1 || month > 12) return impossible(`month ${month}`);
  if (day < 1 || day > daysInMonth(year, month)) return impossible(`day ${day} of ${year}-${mo}`);
  if (hour > 23) return impossible(`hour ${hour}`);
  if (minute > 59) return impossible(`minute ${minute}`);
  if (second > 59) return impossible(`second ${second}`);
  const offset = offsetMinutes(zone);
  if (offset === undefined) return impossible(`zone offset ${zone}`);
  const digits = (fraction ?? '').padEnd(9, '0');
  if (/[1-9]/.test(digits.slice(3))) {
    return refuse(
      `${column} has sub-millisecond precision (got ${quote(raw)}): at most 3 fraction digits are kept`,
    );
  }
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute - offset, second, Number(digits.slice(0, 3)));
  const utcYear = date.getUTCFullYear();
  if (utcYear < earliestYear || utcYear > latestYear) {
    return refuse(`${column} is outside ${earliestYear}..${latestYear} (got ${quote(raw)})`);
  }
  return accept(date.toISOString());
}
