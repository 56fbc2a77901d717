import type { RawRecord } from '../contracts/raw-record.ts';

export interface PlannedRecord {
  record: RawRecord;
  /** Milliseconds after the start of the replay at which the record is due. */
  dueMs: number;
}

export interface PlanOptions {
  /** Replay speed relative to the records' own timing; undefined = as fast as possible. */
  speed?: number;
  /** Upper bound on records per second; undefined = no bound. */
  maxRate?: number;
}

/** Milliseconds since the epoch of a record's timestamp, or undefined when it cannot be read. */
export function recordTimeMs(record: RawRecord): number | undefined {
  const raw = record.timestamp;
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  const text = raw.trim();
  // The CDN files write `2088-05-13 07:00:00` in UTC; ISO strings carry their own zone.
  const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(text) ? `${text.replace(' ', 'T')}Z` : text;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Orders records by timestamp (stable, so equal timestamps keep file order) and gives each the
 * moment it is due. Records whose timestamp cannot be read keep their place relative to the record
 * before them, so malformed rows still reach the pipeline (which rejects them) in file order.
 */
export function planReplay(records: readonly RawRecord[], options: PlanOptions = {}): PlannedRecord[] {
  let lastKnown = Number.NEGATIVE_INFINITY;
  const keyed = records.map((record, index) => {
    const time = recordTimeMs(record);
    if (time !== undefined) lastKnown = Math.max(lastKnown, time);
    return { record, index, time: time ?? lastKnown };
  });
  keyed.sort((a, b) => a.time - b.time || a.index - b.index);

  const firstTime = keyed.find((entry) => Number.isFinite(entry.time))?.time ?? 0;
  const minGapMs = options.maxRate ? 1000 / options.maxRate : 0;
  let previousDue = -minGapMs;
  return keyed.map(({ record, time }) => {
    const byClock = options.speed && Number.isFinite(time) ? (time - firstTime) / options.speed : 0;
    const dueMs = Math.max(byClock, previousDue + minGapMs);
    previousDue = dueMs;
    return { record, dueMs };
  });
}
