// The records a chaos run replays: generated CDN rows as the CSV reader would hand them over
// (objects of strings), with a seeded share spoiled in ways `provide` or the connector refuses.
import { createRng, type Rng } from '../lib/prng.ts';
import { generateRows } from '../simulator/generator/generate.ts';
import { parseStart } from '../simulator/generator/timeline.ts';
import { defaultStart } from '../simulator/generator/generate.ts';
import { formatFloatCode, type CdnRow } from '../simulator/generator/row.ts';

export const spoilKinds = [
  'missing-column',
  'unexpected-column',
  'garbled-code',
  'negative-id',
  'fractional-code',
  'impossible-date',
  'not-json',
  'not-an-object',
] as const;
export type SpoilKind = (typeof spoilKinds)[number];

export interface ChaosRecord {
  /** The exact Kafka value sent to cdn_raw. */
  value: string;
  /** null for a valid record; else how it was spoiled (it must reach cdn_raw.dlq). */
  spoiled: SpoilKind | null;
}

/** A generated row as the CSV reader produces it: every cell a string, empty for a gap. */
export function rowToRaw(row: CdnRow): Record<string, string> {
  return {
    timestamp: row.timestamp,
    channel_id: String(row.channel_id),
    host_id: String(row.host_id),
    content_type: String(row.content_type),
    protocol: String(row.protocol),
    content_id: formatFloatCode(row.content_id),
    geo_location: String(row.geo_location),
    user_id: formatFloatCode(row.user_id),
  };
}

/** Spoils one raw row so that it is certainly refused; the kind names how. */
export function spoil(raw: Record<string, string>, kind: SpoilKind, rng: Rng): string {
  const copy = { ...raw };
  switch (kind) {
    case 'missing-column':
      delete copy[['host_id', 'channel_id', 'protocol', 'timestamp'][rng.int(4)]!];
      return JSON.stringify(copy);
    case 'unexpected-column':
      return JSON.stringify({ ...copy, referrer: 'https://example.invalid/' });
    case 'garbled-code':
      copy.protocol = 'abc';
      return JSON.stringify(copy);
    case 'negative-id':
      copy.host_id = `-${1 + rng.int(9)}`;
      return JSON.stringify(copy);
    case 'fractional-code':
      copy.content_type = `${rng.int(20)}.5`;
      return JSON.stringify(copy);
    case 'impossible-date':
      copy.timestamp = (copy.timestamp ?? '').replace(/^(\d{4})-\d{2}-\d{2}/, '$1-02-30');
      return JSON.stringify(copy);
    case 'not-json':
      // A row cut in the middle: the connector dead-letters what does not parse as JSON.
      return JSON.stringify(copy).slice(0, 20 + rng.int(40));
    case 'not-an-object':
      return JSON.stringify(Object.values(copy));
  }
}

/** `records` values for cdn_raw, valid and spoiled mixed in seeded positions; same seed, same list. */
export function chaosRecords(records: number, invalidFraction: number, seed: number): ChaosRecord[] {
  const rng = createRng(`${seed}:spoil`);
  const out: ChaosRecord[] = [];
  for (const generated of generateRows({
    rows: records,
    seed,
    anomalyFraction: 0.01,
    startMs: parseStart(defaultStart),
  })) {
    const raw = rowToRaw(generated.row);
    if (rng.chance(invalidFraction)) {
      const kind = spoilKinds[rng.int(spoilKinds.length)]!;
      out.push({ value: spoil(raw, kind, rng), spoiled: kind });
    } else {
      out.push({ value: JSON.stringify(raw), spoiled: null });
    }
  }
  return out;
}
