import { describe, expect, it } from 'vitest';
import {
  describeFault,
  forCluster,
  longProfile,
  planFaults,
  shortProfile,
  type ChaosProfile,
} from './plan.ts';

describe('planFaults', () => {
  it('is the same plan for the same seed and another for another seed', () => {
    expect(planFaults(longProfile, 1)).toEqual(planFaults(longProfile, 1));
    expect(planFaults(longProfile, 2)).not.toEqual(planFaults(longProfile, 1));
  });

  it.each([longProfile, shortProfile])(
    'holds every fault of the $name profile, in time order, inside the window',
    (profile) => {
      const plan = planFaults(profile, 7);
      const count = (kind: string) => plan.filter((fault) => fault.kind === kind).length;
      expect(count('kill-replica')).toBe(profile.replicaKills);
      expect(count('restart-kafka')).toBe(profile.kafkaRestarts);
      expect(count('stop-influxdb')).toBe(profile.influxOutages);
      expect(count('restart-gateway')).toBe(profile.gatewayRestarts);
      expect(count('restart-connector')).toBe(profile.connectorRestarts);
      expect(plan.map((fault) => fault.atMs)).toEqual(
        [...plan.map((fault) => fault.atMs)].sort((a, b) => a - b),
      );
      for (const fault of plan) {
        expect(fault.atMs).toBeGreaterThanOrEqual(profile.windowMs[0]);
        expect(fault.atMs).toBeLessThanOrEqual(profile.windowMs[1]);
      }
    },
  );

  it('keeps whole-service disruptions apart by at least 40 % of their slot', () => {
    for (let seed = 0; seed < 50; seed++) {
      const disruptions = planFaults(longProfile, seed).filter((fault) => fault.kind !== 'kill-replica');
      const slot = (longProfile.windowMs[1] - longProfile.windowMs[0]) / disruptions.length;
      for (let i = 1; i < disruptions.length; i++) {
        expect(disruptions[i]!.atMs - disruptions[i - 1]!.atMs).toBeGreaterThanOrEqual(
          Math.floor(0.4 * slot),
        );
      }
    }
  });

  it('restarts by kill -9 first, then by SIGTERM, alternating', () => {
    const signals = planFaults(longProfile, 3)
      .filter((fault) => fault.kind === 'restart-connector')
      .map((fault) => (fault.kind === 'restart-connector' ? fault.signal : undefined));
    expect(signals).toEqual(['SIGKILL', 'SIGTERM']);
  });

  it('stops InfluxDB for the profile duration and spreads kills over all four functions', () => {
    const profile: ChaosProfile = { ...longProfile, replicaKills: 200 };
    const plan = planFaults(profile, 5);
    expect(plan.find((fault) => fault.kind === 'stop-influxdb')).toMatchObject({ downMs: 30_000 });
    const targets = new Set(plan.flatMap((fault) => (fault.kind === 'kill-replica' ? [fault.function] : [])));
    expect([...targets].sort()).toEqual(['load-data', 'load-predictions', 'predict', 'provide']);
  });

  it('plans nothing but kills when no disruption is asked for', () => {
    const profile: ChaosProfile = {
      ...shortProfile,
      kafkaRestarts: 0,
      influxOutages: 0,
      gatewayRestarts: 0,
      connectorRestarts: 0,
      replicaKills: 2,
    };
    expect(planFaults(profile, 1).map((fault) => fault.kind)).toEqual(['kill-replica', 'kill-replica']);
  });

  it('describes each fault in words', () => {
    expect(describeFault({ kind: 'restart-kafka', atMs: 0, signal: 'SIGKILL' })).toBe(
      'restart the Kafka broker (kill -9)',
    );
    expect(describeFault({ kind: 'stop-influxdb', atMs: 0, downMs: 30_000 })).toBe('stop InfluxDB for 30 s');
    expect(describeFault({ kind: 'kill-replica', atMs: 0, function: 'predict' })).toBe(
      'kill -9 a replica of predict',
    );
  });
});

describe('planFaults for a three-node cluster', () => {
  it.each([1, 2, 3, 4, 5])(
    'kills the leader, later the controller, then restarts every node (seed %i)',
    (seed) => {
      const profile = forCluster(shortProfile);
      const plan = planFaults(profile, seed, 3);
      expect(plan.filter((fault) => fault.kind === 'restart-kafka')).toEqual([]);
      const kafka = plan.filter(
        (fault) => fault.kind.endsWith('-kafka') || fault.kind.startsWith('kill-kafka'),
      );
      expect(kafka.map((fault) => fault.kind)).toEqual([
        'kill-kafka-leader',
        'kill-kafka-controller',
        'rolling-restart-kafka',
      ]);
      expect(plan.filter((fault) => fault.kind === 'stop-influxdb')).toHaveLength(profile.influxOutages);
    },
  );

  it('names each cluster fault in the fault table', () => {
    expect(describeFault({ kind: 'kill-kafka-leader', atMs: 0, topic: 'cdn_raw' })).toContain('leader');
    expect(describeFault({ kind: 'kill-kafka-controller', atMs: 0 })).toContain('controller');
    expect(describeFault({ kind: 'rolling-restart-kafka', atMs: 0 })).toContain('rolling restart');
  });

  it('stretches the window and slows the replay so the faults happen under load', () => {
    const profile = forCluster(shortProfile);
    expect(profile.windowMs[1]).toBeGreaterThan(shortProfile.windowMs[1]);
    expect((profile.records / profile.rate) * 1000).toBeGreaterThanOrEqual(profile.windowMs[1]);
  });
});
