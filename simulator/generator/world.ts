import {
  codePicker,
  shuffled,
  weightedPicker,
  zipfWeights,
  type CodeWeights,
  type Picker,
} from './distributions.ts';
import { createRng, type Rng } from '../../lib/prng.ts';

/**
 * The synthetic CDN the generator samples from: customers (user_id) with habits. The shape
 * follows the published CDN data's aggregate statistics (cardinalities, the share of the top
 * codes, which columns go together): a customer mostly uses one channel and content type,
 * most traffic goes through one big edge host, locations are a few big codes and a long tail.
 * No row of real data is in here, only these hand-set proportions.
 */

/** A column's habit: named codes with weights, plus `tail` weight spread over the global long tail. */
export interface Habit {
  codes: CodeWeights;
  tail: number;
}

export interface Profile {
  /** null = the user_id cell is empty, as in a few real rows. */
  user: number | null;
  share: number;
  channel: CodeWeights;
  contentType: CodeWeights;
  protocol: CodeWeights;
  host: Habit;
  geo: Habit;
}

/**
 * Customers alike but for their share, protocols and locations: each one only channel 1 and
 * content type 6, all through edge host 156.
 */
function channelOneCustomers(users: number[], share: number, protocol: CodeWeights, geo: Habit): Profile[] {
  return users.map((user) => ({
    user,
    share,
    channel: { 1: 1 },
    contentType: { 6: 1 },
    protocol,
    host: { codes: { 156: 1 }, tail: 0 },
    geo,
  }));
}

/** The big customers, which make 99.6% of the traffic. */
const majorProfiles: Profile[] = [
  {
    user: 1,
    share: 0.3,
    channel: { 6: 0.96, 8: 0.02, 5: 0.01, 7: 0.01 },
    contentType: { 4: 0.97, 8: 0.03 },
    protocol: { 1: 1 },
    host: { codes: {}, tail: 1 },
    geo: { codes: { 1: 0.68, 0: 0.06 }, tail: 0.26 },
  },
  {
    user: 2,
    share: 0.227,
    channel: { 8: 1 },
    contentType: { 5: 1 },
    protocol: { 1: 1 },
    host: { codes: { 156: 1 }, tail: 0 },
    geo: { codes: { 1: 0.98, 0: 0.02 }, tail: 0.002 },
  },
  {
    user: 7,
    share: 0.147,
    channel: { 2: 0.89, 8: 0.09, 1: 0.02 },
    contentType: { 4: 0.89, 8: 0.09, 6: 0.02 },
    protocol: { 1: 1 },
    host: { codes: { 123: 0.89, 129: 0.07, 142: 0.02 }, tail: 0.02 },
    geo: { codes: { 0: 0.42, 285: 0.21, 1287: 0.03 }, tail: 0.34 },
  },
  {
    user: 13,
    share: 0.136,
    channel: { 8: 1 },
    contentType: { 2: 0.73, 0: 0.26, 6: 0.01 },
    protocol: { 1: 1 },
    host: { codes: { 156: 1 }, tail: 0 },
    geo: { codes: { 1: 0.71, 0: 0.1, 1051: 0.08 }, tail: 0.11 },
  },
  {
    user: 0,
    share: 0.099,
    channel: { 8: 1 },
    contentType: { 8: 1 },
    protocol: { 1: 1 },
    host: { codes: { 156: 1 }, tail: 0 },
    geo: { codes: { 1: 0.29, 1167: 0.19, 0: 0.1 }, tail: 0.42 },
  },
  ...channelOneCustomers([14, 53, 47], 0.024, { 0: 0.91, 1: 0.09 }, { codes: { 0: 0.995 }, tail: 0.005 }),
  ...channelOneCustomers(
    [54, 46, 16],
    0.0039,
    { 1: 0.87, 0: 0.13 },
    { codes: { 0: 0.87, 1586: 0.06 }, tail: 0.07 },
  ),
  {
    user: null,
    share: 0.003,
    channel: { 1: 0.82, 4: 0.18 },
    contentType: { 6: 0.82, 8: 0.18 },
    protocol: { 0: 1 },
    host: { codes: { 156: 1 }, tail: 0 },
    geo: { codes: { 0: 0.73, 1586: 0.18 }, tail: 0.09 },
  },
];

/** The small customers: ids and habits drawn from the world seed, shares decaying. */
const minorUsers = [11, 3, 5, 20, 26, 31, 32, 30, 50, 57, 9, 10, 45, 12, 17, 21, 40, 4, 55, 15, 48, 42];

export const channelCodes = [1, 2, 3, 4, 5, 6, 7, 8] as const;
export const contentTypeCodes = [0, 1, 2, 4, 5, 6, 7, 8] as const;
/** Edge hosts 0..156 except eight retired ones: 149 codes. */
export const hostCodes = Array.from({ length: 157 }, (_, code) => code).filter(
  (code) => code === 0 || code % 19 !== 0,
);
export const geoCount = 1250;
export const geoMax = 1586;

export interface World {
  profiles: Profile[];
  pickProfile: Picker<Profile>;
  pickTailHost: Picker<number>;
  pickTailGeo: Picker<number>;
  geoCodes: number[];
}

function minorProfile(user: number, share: number, rng: Rng, geoTail: readonly number[]): Profile {
  const channel = channelCodes[rng.int(channelCodes.length)]!;
  const contentType = contentTypeCodes[rng.int(contentTypeCodes.length)]!;
  const favouriteGeo = geoTail[rng.int(Math.min(200, geoTail.length))]!;
  return {
    user,
    share,
    channel: { [channel]: 1 },
    contentType: { [contentType]: 1 },
    protocol: rng.chance(0.8) ? { 1: 1 } : { 0: 1 },
    host: rng.chance(0.8)
      ? { codes: { 156: 1 }, tail: 0 }
      : { codes: { [hostCodes[rng.int(hostCodes.length)]!]: 1 }, tail: 0 },
    geo: { codes: { [favouriteGeo]: 0.5 }, tail: 0.5 },
  };
}

/** The world is fixed (its own seed), so data sets with different row seeds share one vocabulary. */
export function buildWorld(worldSeed: number | string = 'cdnfaas-world-v1'): World {
  const rng = createRng(worldSeed);
  const named = new Set([0, 1, 285, 1287, 1051, 1167, 1586]);
  const others = shuffled(
    Array.from({ length: geoMax + 1 }, (_, code) => code).filter((code) => !named.has(code)),
    rng,
  ).slice(0, geoCount - named.size);
  const geoCodes = [...named, ...others].sort((a, b) => a - b);
  const tailHosts = shuffled(
    hostCodes.filter((code) => code !== 156 && code !== 123),
    rng,
  );

  const remaining = 1 - majorProfiles.reduce((sum, profile) => sum + profile.share, 0);
  const minorWeights = minorUsers.map((_, rank) => 0.8 ** rank);
  const minorTotal = minorWeights.reduce((a, b) => a + b, 0);
  const minor = minorUsers.map((user, rank) =>
    minorProfile(user, (remaining * minorWeights[rank]!) / minorTotal, rng, others),
  );
  const profiles = [...majorProfiles, ...minor];

  const hostZipf = zipfWeights(tailHosts.length, 0.8);
  const geoZipf = zipfWeights(others.length, 1.2);
  return {
    profiles,
    pickProfile: weightedPicker(profiles.map((profile) => [profile, profile.share] as const)),
    pickTailHost: weightedPicker(tailHosts.map((code, rank) => [code, hostZipf[rank]!] as const)),
    pickTailGeo: weightedPicker(others.map((code, rank) => [code, geoZipf[rank]!] as const)),
    geoCodes,
  };
}

/** Samplers for one profile's columns, built once per profile. */
export interface ProfileSampler {
  profile: Profile;
  channel: Picker<number>;
  contentType: Picker<number>;
  protocol: Picker<number>;
  host: Picker<number>;
  geo: Picker<number>;
}

function habitPicker(habit: Habit, tail: Picker<number>): Picker<number> {
  const named = Object.keys(habit.codes).length > 0 ? codePicker(habit.codes) : undefined;
  const namedWeight = Object.values(habit.codes).reduce((a, b) => a + b, 0);
  const tailShare = habit.tail / (habit.tail + namedWeight);
  return (rng) => (named === undefined || rng.chance(tailShare) ? tail(rng) : named(rng));
}

export function profileSampler(profile: Profile, world: World): ProfileSampler {
  return {
    profile,
    channel: codePicker(profile.channel),
    contentType: codePicker(profile.contentType),
    protocol: codePicker(profile.protocol),
    host: habitPicker(profile.host, world.pickTailHost),
    geo: habitPicker(profile.geo, world.pickTailGeo),
  };
}
