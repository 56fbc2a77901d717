import { describe, expect, it } from 'vitest';
import { planRollout, type SlotState, type SlotView } from './rollout.ts';

/** `r1:ready` -> a slot of revision 1 in state ready; ids are revision-index. */
function slots(...specs: string[]): SlotView[] {
  const counters = new Map<number, number>();
  return specs.map((spec) => {
    const [rev, state] = spec.split(':') as [string, SlotState];
    const revision = Number(rev.slice(1));
    const index = counters.get(revision) ?? 0;
    counters.set(revision, index + 1);
    return { id: `${revision}-${index}`, revision, index, state };
  });
}

describe('planRollout', () => {
  it.each([
    [
      'first deploy starts the desired replicas',
      { current: 1, desired: 2, stable: undefined, slots: slots() },
      { start: 2, stop: [], stable: undefined },
    ],
    [
      'steady state does nothing',
      { current: 1, desired: 2, stable: 1, slots: slots('r1:ready', 'r1:ready') },
      { start: 0, stop: [], stable: 1 },
    ],
    [
      'becomes stable once all desired are ready',
      { current: 1, desired: 2, stable: undefined, slots: slots('r1:ready', 'r1:ready') },
      { start: 0, stop: [], stable: 1 },
    ],
    [
      'scale up starts the difference',
      { current: 1, desired: 3, stable: 1, slots: slots('r1:ready') },
      { start: 2, stop: [], stable: 1 },
    ],
    [
      'scale down stops crashed before ready, higher index first',
      { current: 1, desired: 1, stable: 1, slots: slots('r1:ready', 'r1:backoff', 'r1:ready') },
      { start: 0, stop: ['1-1', '1-2'], stable: 1 },
    ],
    [
      'scale to zero stops all, higher index first',
      { current: 1, desired: 0, stable: 1, slots: slots('r1:ready', 'r1:ready') },
      { start: 0, stop: ['1-1', '1-0'], stable: 1 },
    ],
    [
      'a crashed replica is kept: it restarts itself',
      { current: 1, desired: 2, stable: 1, slots: slots('r1:ready', 'r1:backoff') },
      { start: 0, stop: [], stable: 1 },
    ],
    [
      'stopping slots are replaced',
      { current: 1, desired: 1, stable: 1, slots: slots('r1:stopping') },
      { start: 1, stop: [], stable: 1 },
    ],
    [
      'rolling update starts the new revision beside the old',
      { current: 2, desired: 2, stable: 1, slots: slots('r1:ready', 'r1:ready') },
      { start: 2, stop: [], stable: 1 },
    ],
    [
      'old keeps serving while the new starts',
      { current: 2, desired: 2, stable: 1, slots: slots('r1:ready', 'r1:ready', 'r2:ready', 'r2:starting') },
      { start: 0, stop: [], stable: 1 },
    ],
    [
      'old drains once the new is fully ready',
      { current: 2, desired: 2, stable: 1, slots: slots('r1:ready', 'r1:ready', 'r2:ready', 'r2:ready') },
      { start: 0, stop: ['1-0', '1-1'], stable: 2 },
    ],
    [
      'a crashed stable replica restarts during a rollout',
      { current: 2, desired: 1, stable: 1, slots: slots('r1:backoff', 'r2:starting') },
      { start: 0, stop: [], stable: 1 },
    ],
    [
      'a superseded revision that never served stops at once',
      { current: 3, desired: 1, stable: 1, slots: slots('r1:ready', 'r2:backoff', 'r3:starting') },
      { start: 0, stop: ['2-0'], stable: 1 },
    ],
    [
      'a superseded revision that serves stays until the newest is ready',
      { current: 3, desired: 1, stable: 1, slots: slots('r1:ready', 'r2:ready', 'r3:starting') },
      { start: 0, stop: [], stable: 1 },
    ],
    [
      'rollback: the newest drains all older revisions',
      { current: 3, desired: 1, stable: 1, slots: slots('r1:ready', 'r2:ready', 'r3:ready') },
      { start: 0, stop: ['1-0', '2-0'], stable: 3 },
    ],
    [
      'a new revision while scaled to zero replaces at once',
      { current: 2, desired: 0, stable: 1, slots: slots() },
      { start: 0, stop: [], stable: 2 },
    ],
  ])('%s', (_name, input, plan) => {
    expect(planRollout(input)).toEqual(plan);
  });
});
