/**
 * The rollout rule as a pure function of the replicas' states, so rolling updates, rollbacks,
 * scaling and crash recovery are one decision, tested by table. The deployment applies the plan
 * and asks again whenever a replica changes state.
 */
export type SlotState = 'starting' | 'ready' | 'unready' | 'backoff' | 'stopping';

export interface SlotView {
  id: string;
  revision: number;
  /** Position within its revision: the higher ones go first when scaling down. */
  index: number;
  state: SlotState;
}

export interface RolloutInput {
  /** The revision new replicas are started from (the latest deploy). */
  current: number;
  desired: number;
  /** The last revision that was fully ready; its replicas keep serving until `current` is. */
  stable: number | undefined;
  slots: readonly SlotView[];
}

export interface RolloutPlan {
  /** Replicas of `current` to start. */
  start: number;
  /** Slots to drain and stop. */
  stop: string[];
  stable: number | undefined;
}

const stopPreference: Record<SlotState, number> = {
  backoff: 0,
  unready: 1,
  starting: 2,
  ready: 3,
  stopping: 4,
};

export function planRollout(input: RolloutInput): RolloutPlan {
  const live = input.slots.filter((slot) => slot.state !== 'stopping');
  const current = live.filter((slot) => slot.revision === input.current);
  const old = live.filter((slot) => slot.revision !== input.current);

  const stop: string[] = [];
  let start = 0;
  if (current.length < input.desired) start = input.desired - current.length;
  if (current.length > input.desired) {
    const surplus = [...current].sort(
      (a, b) => stopPreference[a.state] - stopPreference[b.state] || b.index - a.index,
    );
    stop.push(...surplus.slice(0, current.length - input.desired).map((slot) => slot.id));
  }

  const currentReady = current.filter((slot) => slot.state === 'ready' && !stop.includes(slot.id)).length;
  const rolledOut = currentReady >= input.desired;
  for (const slot of old) {
    // Until the new revision is fully ready, old replicas that serve stay, and so do the
    // stable revision's (a crashed one restarts); the rest never served and only cost CPU.
    const keep = !rolledOut && (slot.state === 'ready' || slot.revision === input.stable);
    if (!keep) stop.push(slot.id);
  }
  return { start, stop, stable: rolledOut ? input.current : input.stable };
}
