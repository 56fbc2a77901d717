import { describe, expect, it } from 'vitest';
import {
  CoordinatorEpoch,
  cachedCoordinatorLookup,
  type CoordinatorQuery,
} from './kafka-coordinator-cache.ts';

class FakeBroker {
  connected = true;
  constructor(readonly nodeId: number) {}
  isConnected(): boolean {
    return this.connected;
  }
}

function counted(answer: (query: CoordinatorQuery) => FakeBroker) {
  const asked: CoordinatorQuery[] = [];
  const lookup = async (query: CoordinatorQuery) => {
    asked.push(query);
    return answer(query);
  };
  return { asked, lookup };
}

describe('cachedCoordinatorLookup', () => {
  it('asks once per transactional id while nothing fails, and for a group every time', async () => {
    const broker = new FakeBroker(1);
    const { asked, lookup } = counted(() => broker);
    const cached = cachedCoordinatorLookup(lookup, new CoordinatorEpoch(), 10_000, () => 0);

    for (let i = 0; i < 3; i++) {
      expect(await cached({ groupId: 'txn-1', coordinatorType: 1 })).toBe(broker);
      expect(await cached({ groupId: 'txn-2', coordinatorType: 1 })).toBe(broker);
      expect(await cached({ groupId: 'g' })).toBe(broker);
    }
    expect(asked).toEqual([
      { groupId: 'txn-1', coordinatorType: 1 },
      { groupId: 'txn-2', coordinatorType: 1 },
      { groupId: 'g' },
      { groupId: 'g' },
      { groupId: 'g' },
    ]);
  });

  it('asks again after any coordinator request failed', async () => {
    let node = 1;
    const { asked, lookup } = counted(() => new FakeBroker(node));
    const epoch = new CoordinatorEpoch();
    const cached = cachedCoordinatorLookup(lookup, epoch, 10_000, () => 0);

    expect((await cached({ groupId: 't', coordinatorType: 1 })).nodeId).toBe(1);
    node = 2;
    epoch.bump();
    expect((await cached({ groupId: 't', coordinatorType: 1 })).nodeId).toBe(2);
    expect((await cached({ groupId: 't', coordinatorType: 1 })).nodeId).toBe(2);
    expect(asked).toHaveLength(2);
  });

  it('does not keep an answer when a failure happened while it was asked for', async () => {
    const epoch = new CoordinatorEpoch();
    const { asked, lookup } = counted(() => {
      epoch.bump();
      return new FakeBroker(1);
    });
    const cached = cachedCoordinatorLookup(lookup, epoch, 10_000, () => 0);

    await cached({ groupId: 't', coordinatorType: 1 });
    await cached({ groupId: 't', coordinatorType: 1 });
    expect(asked).toHaveLength(2);
  });

  it('asks again when the kept broker is disconnected or the answer is older than its age limit', async () => {
    const first = new FakeBroker(1);
    let clock = 0;
    const { asked, lookup } = counted(() => first);
    const cached = cachedCoordinatorLookup(lookup, new CoordinatorEpoch(), 1_000, () => clock);

    await cached({ groupId: 't', coordinatorType: 1 });
    first.connected = false;
    await cached({ groupId: 't', coordinatorType: 1 });
    first.connected = true;
    clock = 999;
    await cached({ groupId: 't', coordinatorType: 1 });
    clock = 2_000;
    await cached({ groupId: 't', coordinatorType: 1 });
    expect(asked).toHaveLength(3);
  });

  it('passes a failed lookup on and keeps nothing from it', async () => {
    let fail = true;
    const broker = new FakeBroker(1);
    const cached = cachedCoordinatorLookup(
      async () => {
        if (fail) throw new Error('GROUP_COORDINATOR_NOT_AVAILABLE');
        return broker;
      },
      new CoordinatorEpoch(),
      10_000,
      () => 0,
    );
    await expect(cached({ groupId: 't', coordinatorType: 1 })).rejects.toThrow(
      'GROUP_COORDINATOR_NOT_AVAILABLE',
    );
    fail = false;
    expect(await cached({ groupId: 't', coordinatorType: 1 })).toBe(broker);
  });
});
