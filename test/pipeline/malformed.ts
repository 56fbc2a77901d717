// 200 malformed inputs for cdn_raw, 25 of each kind, made from real rows of the CDN file so they
// look like what a broken source sends. Each carries the reason the pipeline must give for it.
import type { RawRecord } from '../../contracts/raw-record.ts';

export type MalformedKind =
  | 'missing column'
  | 'empty field'
  | 'garbled number'
  | 'negative id'
  | 'impossible date'
  | 'extra column'
  | 'not JSON'
  | 'JSON but not a record';

export interface Malformed {
  kind: MalformedKind;
  /** Published by the replay (a record) or produced to Kafka as these bytes. */
  input: { record: RawRecord } | { bytes: string | Buffer };
  /** What the dead letter's reason must say. */
  reason: RegExp;
  /** Who refuses it: the connector (not JSON) or `provide`. */
  rejectedBy: 'connector' | 'function';
}

export const perKind = 25;

const required = ['timestamp', 'channel_id', 'host_id', 'content_type', 'protocol', 'geo_location'] as const;
const codes = ['channel_id', 'host_id', 'content_type', 'protocol', 'geo_location'] as const;
const garbled = ['abc', '12x', '13.5', '1e3', '0x1F', 'NaN', '7 7', '+-3', '∞', '12,5'];

const two = (n: number) => String(n % 60).padStart(2, '0');
/** Impossible dates; the part that is not at fault varies with i, so every input is distinct. */
const impossibleDates: ((i: number) => [string, RegExp])[] = [
  (i) => [`2088-02-30 00:${two(i)}:00`, /impossible date .*day 30/],
  (i) => [`2087-02-29 12:${two(i)}:00`, /impossible date .*day 29/],
  (i) => [`2088-13-01 10:${two(i)}:00`, /impossible date .*month 13/],
  (i) => [`2088-05-13 25:${two(i)}:00`, /impossible date .*hour 25/],
  (i) => [`2088-05-13 07:61:${two(i)}`, /impossible date .*minute 61/],
  (i) => [`2088-05-13 07:${two(i)}:60`, /impossible date .*second 60/],
  (i) => [`2088-04-31 08:${two(i)}:00`, /impossible date .*day 31/],
  (i) => [`yesterday at noon +${i}`, /timestamp is not a date-time/],
];

function without(record: RawRecord, column: string): RawRecord {
  const copy = { ...record };
  delete copy[column];
  return copy;
}

/** The i-th malformed input of a kind, from base row `row`. */
function make(kind: MalformedKind, i: number, row: RawRecord): Omit<Malformed, 'rejectedBy'> {
  const column = required[i % required.length]!;
  const code = codes[i % codes.length]!;
  switch (kind) {
    case 'missing column': {
      // Rows without their timestamp can be alike: a content_id of its own keeps each distinct.
      const record =
        column === 'timestamp'
          ? { ...without(row, column), content_id: String(100 + i) }
          : without(row, column);
      return { kind, input: { record }, reason: new RegExp(`missing column\\(s\\): ${column}`) };
    }
    case 'empty field':
      return {
        kind,
        input: { record: { ...row, [column]: i % 2 === 0 ? '' : '   ' } },
        reason: new RegExp(`${column} is empty`),
      };
    case 'garbled number':
      return {
        kind,
        input: { record: { ...row, [code]: garbled[i % garbled.length]! } },
        reason: new RegExp(`${code} is not an integer`),
      };
    case 'negative id': {
      // -1 is the missing marker of user_id and content_id, so the values start at -2.
      const target = i % 6 === 5 ? 'user_id' : code;
      return {
        kind,
        input: { record: { ...row, [target]: `-${(i % 9) + 2}${i % 2 ? '.0' : ''}` } },
        reason: new RegExp(`${target} is negative`),
      };
    }
    case 'impossible date': {
      const [text, reason] = impossibleDates[i % impossibleDates.length]!(i);
      return { kind, input: { record: { ...row, timestamp: text } }, reason };
    }
    case 'extra column':
      return i % 5 === 4
        ? {
            kind,
            input: { record: { ...row, ' host_id ': String(i) } },
            reason: /duplicated column\(s\): host_id/,
          }
        : {
            kind,
            input: { record: { ...row, [i % 2 ? 'referrer' : 'column_9']: String(i) } },
            reason: /unexpected column\(s\)/,
          };
    case 'not JSON': {
      const variants: (string | Buffer)[] = [
        Object.values(row).join(','),
        JSON.stringify(row).slice(0, 30 + i),
        Buffer.from([0xff, 0xfe, 0x41 + i, 0x00, 0x81]),
        `{timestamp: '${String(row.timestamp)}'}`,
        `${JSON.stringify(row)}}${i}`,
      ];
      return { kind, input: { bytes: variants[i % variants.length]! }, reason: /value is not JSON/ };
    }
    case 'JSON but not a record': {
      const variants: [string, RegExp][] = [
        [JSON.stringify(Object.values(row)), /expected record/i],
        [String(1000 + i), /expected record/i],
        [JSON.stringify(`row ${i}`), /not JSON/],
        [JSON.stringify({ ...row, host_id: { value: i } }), /host_id/],
        [JSON.stringify({ ...row, channel_id: [i] }), /channel_id/],
      ];
      const [bytes, reason] = variants[i % variants.length]!;
      return { kind, input: { bytes }, reason };
    }
  }
}

const kinds: MalformedKind[] = [
  'missing column',
  'empty field',
  'garbled number',
  'negative id',
  'impossible date',
  'extra column',
  'not JSON',
  'JSON but not a record',
];

/** 25 inputs of each kind (200), each from its own row of `rows`. Deterministic. */
export function malformedInputs(rows: readonly RawRecord[]): Malformed[] {
  const out: Malformed[] = [];
  kinds.forEach((kind, k) => {
    for (let i = 0; i < perKind; i++) {
      const row = rows[((k * perKind + i) * 97) % rows.length]!;
      out.push({ ...make(kind, i, row), rejectedBy: kind === 'not JSON' ? 'connector' : 'function' });
    }
  });
  return out;
}

/** The text of the Kafka value a malformed input becomes (how a dead letter is matched to it). */
export function valueText(malformed: Malformed): string {
  if ('record' in malformed.input) return JSON.stringify(malformed.input.record);
  const bytes = malformed.input.bytes;
  return Buffer.isBuffer(bytes) ? bytes.toString('utf8') : bytes;
}
