import type { Rng } from '../../lib/prng.ts';
import type { CdnRow } from './row.ts';
import { channelCodes, contentTypeCodes, geoMax, hostCodes, type Profile } from './world.ts';

/**
 * Anomalous records: a normal record with two or three of its codes replaced by codes that
 * its customer never uses or that no customer uses (an unknown edge host, a location code
 * out of range, a content id where there never is one). Each kind says what was changed.
 */
export type AnomalyKind =
  | 'unseen_host'
  | 'unseen_geo'
  | 'unseen_user'
  | 'content_id_present'
  | 'foreign_channel'
  | 'foreign_content_type'
  | 'foreign_protocol';

type Mutation = (row: CdnRow, profile: Profile, rng: Rng) => CdnRow | undefined;

function foreign(
  codes: readonly number[],
  habit: Readonly<Record<number, number>>,
  rng: Rng,
): number | undefined {
  const unused = codes.filter((code) => !((habit[code] ?? 0) > 0));
  return unused.length === 0 ? undefined : unused[rng.int(unused.length)];
}

const maxHost = Math.max(...hostCodes);

export const mutations: Record<AnomalyKind, Mutation> = {
  unseen_host: (row, _profile, rng) => ({ ...row, host_id: maxHost + 1 + rng.int(800) }),
  unseen_geo: (row, _profile, rng) => ({ ...row, geo_location: geoMax + 1 + rng.int(3000) }),
  unseen_user: (row, _profile, rng) => ({ ...row, user_id: 60 + rng.int(40) }),
  content_id_present: (row, _profile, rng) => ({ ...row, content_id: 100 + rng.int(2500) }),
  foreign_channel: (row, profile, rng) => {
    const channel = foreign(channelCodes, profile.channel, rng);
    return channel === undefined ? undefined : { ...row, channel_id: channel };
  },
  foreign_content_type: (row, profile, rng) => {
    const contentType = foreign(contentTypeCodes, profile.contentType, rng);
    return contentType === undefined ? undefined : { ...row, content_type: contentType };
  },
  foreign_protocol: (row, profile, rng) => {
    const protocol = foreign([0, 1], profile.protocol, rng);
    return protocol === undefined ? undefined : { ...row, protocol };
  },
};

const kinds = Object.keys(mutations) as AnomalyKind[];

/** Turns a normal row into an anomaly with 2 or 3 distinct mutations; returns the kinds applied. */
export function makeAnomalous(
  row: CdnRow,
  profile: Profile,
  rng: Rng,
): { row: CdnRow; kinds: AnomalyKind[] } {
  const wanted = 2 + rng.int(2);
  const applied: AnomalyKind[] = [];
  let current = row;
  const order = [...kinds];
  while (applied.length < wanted && order.length > 0) {
    const [kind] = order.splice(rng.int(order.length), 1) as [AnomalyKind];
    const mutated = mutations[kind](current, profile, rng);
    if (mutated !== undefined) {
      current = mutated;
      applied.push(kind);
    }
  }
  return { row: current, kinds: applied };
}

/**
 * Selection sampling (Knuth's algorithm S): picks exactly `wanted` of `total` indices, one
 * decision per index in order, so a stream can decide row by row without holding a set.
 */
export function createExactSelector(total: number, wanted: number, rng: Rng): (index: number) => boolean {
  let remainingWanted = Math.min(Math.max(0, Math.round(wanted)), total);
  return (index) => {
    const remainingRows = total - index;
    if (remainingWanted <= 0 || remainingRows <= 0) return false;
    if (rng.next() * remainingRows < remainingWanted) {
      remainingWanted--;
      return true;
    }
    return false;
  };
}
