import { poisson, type Rng } from '../../lib/prng.ts';

/**
 * When errors happen. Per minute, a count is drawn around a daily rhythm; now and then a
 * burst (an error storm, mostly from one customer) multiplies the rate for some minutes.
 * As in the published data, a minute's records get consecutive seconds from the start of the
 * minute (a busy minute spills into the next), so timestamps are unique and sorted, and a
 * burst shows as a long run of one record per second.
 */
export interface TimelineOptions {
  /** Mean records per minute outside bursts. */
  baseRatePerMinute: number;
  /** Chance per minute that a burst starts. */
  burstStartChance: number;
  /** Mean burst length in minutes (geometric). */
  meanBurstMinutes: number;
  /** Burst rate multiplier range. */
  burstMultiplier: readonly [number, number];
}

export const defaultTimeline: TimelineOptions = {
  baseRatePerMinute: 9,
  burstStartChance: 0.004,
  meanBurstMinutes: 20,
  burstMultiplier: [3, 10],
};

/** One minute of the timeline: how many records, and whether a burst is on. */
export interface Minute {
  /** Epoch milliseconds of the minute's start. */
  start: number;
  count: number;
  /** Index of the burst this minute belongs to, or -1. */
  burst: number;
}

/** The daily rhythm: quiet at night, busy in the evening (UTC hours). */
export function dailyFactor(epochMs: number): number {
  const hour = (epochMs / 3_600_000) % 24;
  return 1 + 0.7 * Math.sin(((hour - 12) / 24) * 2 * Math.PI);
}

/** An endless sequence of minutes from `startMs`, deterministic for the rng's seed. */
export function* minutes(
  startMs: number,
  rng: Rng,
  options: TimelineOptions = defaultTimeline,
): Generator<Minute> {
  let burstLeft = 0;
  let burstMultiplier = 1;
  let burstIndex = -1;
  for (let start = startMs; ; start += 60_000) {
    if (burstLeft === 0 && rng.chance(options.burstStartChance)) {
      burstIndex++;
      burstLeft = 1 + Math.floor(Math.log(1 - rng.next()) / Math.log(1 - 1 / options.meanBurstMinutes));
      const [low, high] = options.burstMultiplier;
      burstMultiplier = low + rng.next() * (high - low);
    }
    const inBurst = burstLeft > 0;
    const mean = options.baseRatePerMinute * dailyFactor(start) * (inBurst ? burstMultiplier : 1);
    yield { start, count: poisson(rng, mean), burst: inBurst ? burstIndex : -1 };
    if (inBurst) burstLeft--;
  }
}

/**
 * Seconds for a minute's records: consecutive from the minute's start, or from `cursorMs`
 * when the previous minute spilled over. Returns the timestamps and the new cursor.
 */
export function placeInMinute(minute: Minute, cursorMs: number): { times: number[]; cursorMs: number } {
  let next = Math.max(minute.start, cursorMs);
  const times: number[] = [];
  for (let i = 0; i < minute.count; i++) {
    times.push(next);
    next += 1000;
  }
  return { times, cursorMs: next };
}

/** `2088-05-13 07:00:00`: the published files' format (UTC, no zone marker). */
export function formatTimestamp(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 19).replace('T', ' ');
}

/** Parses `2088-05-13 07:00:00` or an ISO 8601 date-time, as UTC. */
export function parseStart(text: string): number {
  const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text) ? `${text.replace(' ', 'T')}Z` : text;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? Number.NaN : Math.floor(ms / 1000) * 1000;
}
