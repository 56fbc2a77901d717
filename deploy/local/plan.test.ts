import { describe, expect, it } from 'vitest';
import { conflictingPorts, decideStart, planTopics, shouldRetryObtain } from './plan.ts';

const port = { host: '127.0.0.1', port: 9092 };

describe('decideStart', () => {
  it.each([
    [{ external: true, ownProcessAlive: false, busyPorts: [port] }, { action: 'check-external' }],
    [{ external: false, ownProcessAlive: true, busyPorts: [port] }, { action: 'adopt' }],
    [{ external: false, ownProcessAlive: false, busyPorts: [] }, { action: 'start' }],
    [
      { external: false, ownProcessAlive: false, busyPorts: [port] },
      { action: 'port-in-use', port },
    ],
  ])('%j -> %j', (observed, expected) => expect(decideStart(observed)).toEqual(expected));
});

describe('planTopics', () => {
  it('creates missing topics, grows smaller ones and reports ones it cannot shrink', () => {
    const desired = [
      { name: 'a', partitions: 6 },
      { name: 'b', partitions: 6 },
      { name: 'c', partitions: 1 },
      { name: 'd', partitions: 3 },
    ];
    const plan = planTopics(
      desired,
      new Map([
        ['b', 2],
        ['c', 4],
        ['d', 3],
        ['other', 9],
      ]),
    );
    expect(plan.create).toEqual([{ name: 'a', partitions: 6 }]);
    expect(plan.grow).toEqual([{ name: 'b', partitions: 6 }]);
    expect(plan.tooMany).toEqual([{ name: 'c', partitions: 1, actual: 4 }]);
    expect(plan.unchanged).toEqual([{ name: 'd', partitions: 3 }]);
  });

  it('changes nothing on a second run', () => {
    const desired = [{ name: 'a', partitions: 6 }];
    expect(planTopics(desired, new Map([['a', 6]]))).toEqual({
      create: [],
      grow: [],
      tooMany: [],
      unchanged: desired,
    });
  });
});

describe('shouldRetryObtain', () => {
  const now = new Date('2026-01-02T12:00:00Z');
  it.each([
    [undefined, true],
    ['2026-01-02T11:00:00Z', false],
    ['2026-01-01T11:59:59Z', true],
    ['not a date', true],
  ])('refused at %s -> retry %s', (refusedAt, expected) =>
    expect(shouldRetryObtain(refusedAt, now)).toBe(expected),
  );
});

describe('conflictingPorts', () => {
  it('pairs every port that an earlier role already uses', () => {
    const ports = [
      { host: '127.0.0.1', port: 9092, owner: 'kafka broker' },
      { host: '127.0.0.1', port: 9092, owner: 'kafka KRaft controller' },
      { host: '127.0.0.1', port: 8086, owner: 'influxdb HTTP API' },
    ];
    expect(conflictingPorts(ports)).toEqual([[ports[0], ports[1]]]);
    expect(conflictingPorts([ports[0]!, ports[2]!])).toEqual([]);
  });
});
