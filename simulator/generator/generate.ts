import { createExactSelector, makeAnomalous, type AnomalyKind } from './anomalies.ts';
import { createRng, type Rng } from '../../lib/prng.ts';
import type { CdnRow } from './row.ts';
import {
  defaultTimeline,
  formatTimestamp,
  minutes,
  placeInMinute,
  type TimelineOptions,
} from './timeline.ts';
import { buildWorld, profileSampler, type ProfileSampler, type World } from './world.ts';

export interface GenerateOptions {
  rows: number;
  seed: number;
  /** Share of rows made anomalous, exactly round(rows x fraction) of them. */
  anomalyFraction: number;
  /** Epoch milliseconds of the first minute. */
  startMs: number;
  timeline?: TimelineOptions;
  world?: World;
}

export interface GeneratedRow {
  /** 0-based data row index (the header is not counted). */
  index: number;
  row: CdnRow;
  /** The mutations that made this row anomalous, or null for a normal row. */
  anomaly: AnomalyKind[] | null;
}

/** The published files start here. */
export const defaultStart = '2088-05-13 07:00:00';

/** A handful of content ids appear, very rarely, in normal traffic. */
const contentIds = [176, 1145, 1460, 2152, 2323];
const contentIdChance = 0.0001;

/** Share of a burst's records that come from the burst's customer. */
const burstFocus = 0.75;

function sampleRow(sampler: ProfileSampler, timestamp: string, rng: Rng): CdnRow {
  return {
    timestamp,
    channel_id: sampler.channel(rng),
    host_id: sampler.host(rng),
    content_type: sampler.contentType(rng),
    protocol: sampler.protocol(rng),
    content_id: rng.chance(contentIdChance) ? contentIds[rng.int(contentIds.length)]! : null,
    geo_location: sampler.geo(rng),
    user_id: sampler.profile.user,
  };
}

/**
 * The rows of a data set, in time order; the same options always give the same rows. Timing,
 * record contents and anomalies draw from separate streams of the seed, so changing the
 * anomaly fraction changes only the rows that become anomalous.
 */
export function* generateRows(options: GenerateOptions): Generator<GeneratedRow> {
  const world = options.world ?? buildWorld();
  const samplers = new Map(world.profiles.map((profile) => [profile, profileSampler(profile, world)]));
  const samplerOf = (rng: Rng): ProfileSampler => samplers.get(world.pickProfile(rng))!;
  const timelineRng = createRng(`${options.seed}:timeline`);
  const rowRng = createRng(`${options.seed}:rows`);
  const anomalyRng = createRng(`${options.seed}:anomalies`);
  const isAnomaly = createExactSelector(options.rows, options.rows * options.anomalyFraction, anomalyRng);

  const burstSamplers = new Map<number, ProfileSampler>();
  let cursorMs = options.startMs;
  let index = 0;
  for (const minute of minutes(options.startMs, timelineRng, options.timeline ?? defaultTimeline)) {
    if (index >= options.rows) return;
    const placed = placeInMinute(minute, cursorMs);
    cursorMs = placed.cursorMs;
    if (minute.burst >= 0 && !burstSamplers.has(minute.burst)) {
      burstSamplers.clear();
      burstSamplers.set(minute.burst, samplerOf(rowRng));
    }
    const burstSampler = burstSamplers.get(minute.burst);
    for (const time of placed.times) {
      if (index >= options.rows) return;
      const sampler =
        burstSampler !== undefined && rowRng.chance(burstFocus) ? burstSampler : samplerOf(rowRng);
      const normal = sampleRow(sampler, formatTimestamp(time), rowRng);
      if (isAnomaly(index)) {
        const anomalous = makeAnomalous(normal, sampler.profile, anomalyRng);
        yield { index, row: anomalous.row, anomaly: anomalous.kinds };
      } else {
        yield { index, row: normal, anomaly: null };
      }
      index++;
    }
  }
}
