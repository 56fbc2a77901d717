/**
 * The scaling rule, as a pure function of what was observed. KEDA's Kafka rule
 * (desired = ceil(lag / lag target), clamped) without its traps:
 * - lag of a partition that is stuck (its committed offset does not move although it has lag,
 *   e.g. a record the function cannot get past) does not count toward scale-out: more replicas
 *   would not move it;
 * - no more replicas than partitions that have lag and are moving (more could not get work);
 * - any lag at all wakes a function from zero to one;
 * - scaling down waits for a stabilisation window (the highest recommendation within it wins),
 *   so a burst that just drained does not make the function flap;
 * - scale to zero only where allowed, after the lag stayed at zero for the idle period.
 */
export interface ScaleSettings {
  min: number;
  max: number;
  zeroAllowed: boolean;
  /** Lag must stay at zero this long before scaling to zero. */
  zeroAfterMs: number;
  /** Lag per replica. */
  lagTarget: number;
  /** Scale-down stabilisation window. */
  downWindowMs: number;
}

export interface PartitionView {
  partition: number;
  lag: number;
  stuck: boolean;
}

export interface ScaleMemory {
  /** Recent recommendations, for the scale-down window. */
  recommendations: { at: number; replicas: number }[];
  /** Last time any partition had lag. */
  lastActiveAt: number | undefined;
}

export interface DecisionInput {
  now: number;
  current: number;
  settings: ScaleSettings;
  partitions: PartitionView[];
  memory: ScaleMemory;
}

export interface Decision {
  replicas: number;
  /** What the lag alone asks for, before the stabilisation window. */
  recommended: number;
  reason: string;
  memory: ScaleMemory;
  totalLag: number;
}

export const emptyMemory: ScaleMemory = { recommendations: [], lastActiveAt: undefined };

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

function recommend(input: DecisionInput, lastActiveAt: number): { replicas: number; reason: string } {
  const { settings, partitions, now } = input;
  const totalLag = partitions.reduce((sum, p) => sum + p.lag, 0);
  if (totalLag === 0) {
    const idleMs = now - lastActiveAt;
    if (settings.zeroAllowed && input.current === 0) return { replicas: 0, reason: 'idle at zero' };
    if (settings.zeroAllowed && idleMs >= settings.zeroAfterMs)
      return { replicas: 0, reason: `idle for ${Math.round(idleMs / 1000)} s` };
    return { replicas: settings.min, reason: 'no lag' };
  }
  const moving = partitions.filter((p) => p.lag > 0 && !p.stuck);
  const movingLag = moving.reduce((sum, p) => sum + p.lag, 0);
  const stuck = partitions.filter((p) => p.lag > 0 && p.stuck);
  const byLag = Math.ceil(movingLag / settings.lagTarget);
  const useful = Math.max(1, moving.length);
  const wanted = clamp(Math.max(1, Math.min(byLag, useful)), Math.max(1, settings.min), settings.max);
  const stuckNote =
    stuck.length > 0
      ? `; ${stuck.length} stuck partition(s) with lag ${totalLag - movingLag} not counted`
      : '';
  return {
    replicas: wanted,
    reason: `lag ${movingLag} / target ${settings.lagTarget} over ${moving.length} moving partition(s)${stuckNote}`,
  };
}

export function decide(input: DecisionInput): Decision {
  const { now, current, settings, memory } = input;
  const totalLag = input.partitions.reduce((sum, p) => sum + p.lag, 0);
  const lastActiveAt = totalLag > 0 ? now : (memory.lastActiveAt ?? now);
  const { replicas: recommended, reason } = recommend(input, lastActiveAt);
  const recommendations = [
    ...memory.recommendations.filter((entry) => entry.at > now - settings.downWindowMs),
    { at: now, replicas: recommended },
  ];
  const nextMemory: ScaleMemory = { recommendations, lastActiveAt };
  if (recommended >= current)
    return { replicas: recommended, recommended, reason, memory: nextMemory, totalLag };
  if (recommended === 0) {
    // The idle period already is the stabilisation for scaling to zero.
    return { replicas: 0, recommended, reason, memory: nextMemory, totalLag };
  }
  const highest = Math.max(...recommendations.map((entry) => entry.replicas));
  const replicas = clamp(Math.min(current, highest), recommended, settings.max);
  const held =
    replicas > recommended
      ? ` (held at ${replicas} by the ${Math.round(settings.downWindowMs / 1000)} s scale-down window)`
      : '';
  return { replicas, recommended, reason: `${reason}${held}`, memory: nextMemory, totalLag };
}

/**
 * Whether a partition is stuck: it has lag and its committed offset has not changed for
 * `stuckAfterMs`, judged from observations (oldest first). Too little history: not stuck.
 */
export function isStuck(
  observations: readonly { at: number; offset: number | null; lag: number }[],
  now: number,
  stuckAfterMs: number,
): boolean {
  const last = observations[observations.length - 1];
  if (last === undefined || last.lag === 0) return false;
  let since = last.at;
  for (let i = observations.length - 1; i >= 0; i -= 1) {
    const observation = observations[i]!;
    if (observation.offset !== last.offset || observation.lag === 0) return now - since >= stuckAfterMs;
    since = observation.at;
  }
  // Unchanged over the whole history: stuck only if that history is long enough to tell.
  return now - since >= stuckAfterMs;
}
