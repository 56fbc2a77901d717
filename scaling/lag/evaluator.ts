/**
 * Consumer health as Burrow judges it: not by a lag threshold but by how the committed offset
 * and the lag moved over a sliding window of recent observations of one partition.
 *
 * - OK:    some observation in the window has zero lag, or the offsets move and the lag does not
 *          grow at every step.
 * - WARN:  the offsets move, but the lag grew at every step of the window: falling behind.
 * - STALL: the offset did not move over the whole window while there is lag, and the group has
 *          members: a consumer is there but stuck (e.g. a record it cannot get past).
 * - STOP:  the offset did not move over the whole window while there is lag, and the group has
 *          no members: nobody is consuming.
 *
 * Burrow tells STALL from STOP by whether commits keep arriving; the connector commits only on
 * progress, so group membership (from the admin API) answers "is anyone still there" instead.
 */
export type LagStatus = 'OK' | 'WARN' | 'STALL' | 'STOP';

export const statusRank: Record<LagStatus, number> = { OK: 0, WARN: 1, STALL: 2, STOP: 3 };

export interface LagObservation {
  /** ms since epoch */
  at: number;
  /** Committed offset, null when the group never committed on the partition. */
  offset: number | null;
  lag: number;
}

export interface Evaluation {
  status: LagStatus;
  reason: string;
  /** Whether the window held enough observations to judge anything but OK. */
  complete: boolean;
}

export function evaluatePartition(
  window: readonly LagObservation[],
  windowSize: number,
  groupHasMembers: boolean,
): Evaluation {
  const complete = window.length >= windowSize;
  if (window.length === 0) return { status: 'OK', reason: 'no observations yet', complete };
  if (window.some((observation) => observation.lag === 0))
    return { status: 'OK', reason: 'caught up within the window', complete };
  if (!complete) return { status: 'OK', reason: `${window.length} of ${windowSize} observations`, complete };
  const first = window[0]!;
  const last = window[window.length - 1]!;
  if (first.offset === last.offset && window.every((observation) => observation.offset === first.offset)) {
    if (last.lag >= first.lag) {
      return groupHasMembers
        ? {
            status: 'STALL',
            reason: `offset ${last.offset ?? 'none'} has not moved for ${Math.round((last.at - first.at) / 1000)} s with lag ${last.lag}`,
            complete,
          }
        : {
            status: 'STOP',
            reason: `no consumer in the group and lag ${last.lag} is not shrinking`,
            complete,
          };
    }
  }
  let growing = true;
  for (let i = 1; i < window.length; i += 1) {
    if (window[i]!.lag <= window[i - 1]!.lag) growing = false;
  }
  if (growing)
    return {
      status: 'WARN',
      reason: `lag grew at every observation, from ${first.lag} to ${last.lag}`,
      complete,
    };
  return { status: 'OK', reason: 'consuming', complete };
}

/** A group is as healthy as its worst partition. */
export function worstStatus(statuses: readonly LagStatus[]): LagStatus {
  return statuses.reduce<LagStatus>(
    (worst, status) => (statusRank[status] > statusRank[worst] ? status : worst),
    'OK',
  );
}

/** Appends an observation and keeps the last `windowSize` of them. */
export function slide(
  window: readonly LagObservation[],
  observation: LagObservation,
  windowSize: number,
): LagObservation[] {
  return [...window, observation].slice(-windowSize);
}
