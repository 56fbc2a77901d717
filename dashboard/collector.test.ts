import { describe, expect, it } from 'vitest';
import { createCollector, describeFailure, type CollectorOptions } from './collector.ts';
import type { DashboardSources } from './sources/types.ts';

function options(sources: DashboardSources, now: () => number): CollectorOptions {
  return {
    sources,
    intervalMs: 1000,
    sourceTimeoutMs: 50,
    now,
    state: {
      historyLength: 10,
      invocationMetric: 'gateway_function_invocation_total',
      latencyMetric: 'gateway_functions_seconds',
    },
    view: {
      incomingTopic: 'cdn_raw',
      predictionWindowSeconds: 600,
      predictionStepSeconds: 5,
      measurements: ['predictions'],
    },
  };
}

describe('createCollector', () => {
  it('reads every source per tick; a throwing or hanging source fails only its own panels', async () => {
    let clock = 0;
    let offset = 0;
    const collector = createCollector(
      options(
        {
          topicOffsets: async () => [{ topic: 'cdn_raw', endOffset: (offset += 100) }],
          lag: async () => {
            throw new Error('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:8081') });
          },
          functions: () => new Promise(() => {}),
        },
        () => clock,
      ),
    );
    const seen: number[] = [];
    const unsubscribe = collector.subscribe((view) => seen.push(view.at));
    await collector.tick();
    clock = 2000;
    const view = await collector.tick();
    unsubscribe();
    await collector.tick();
    expect(seen).toEqual([0, 2000]);
    expect(view.stats.find((s) => s.id === 'incoming')!.value).toBe(50);
    expect(view.panels.find((p) => p.id === 'lag')).toMatchObject({
      state: 'error',
      message: 'consumer lag unavailable: fetch failed: connect ECONNREFUSED 127.0.0.1:8081',
    });
    expect(view.panels.find((p) => p.id === 'replicas')).toMatchObject({
      state: 'error',
      message: 'gateway functions unavailable: no answer within 50 ms',
    });
    expect(view.panels.find((p) => p.id === 'clusters')!.state).toBe('off');
  });

  it('runs on its own after start() and stops cleanly', async () => {
    let calls = 0;
    const collector = createCollector({
      ...options(
        {
          host: async () => {
            calls++;
            throw new Error('x');
          },
        },
        Date.now,
      ),
      intervalMs: 10,
    });
    collector.start();
    await new Promise((resolve) => setTimeout(resolve, 60));
    await collector.stop();
    const after = calls;
    expect(after).toBeGreaterThan(1);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(calls).toBe(after);
  });
});

describe('describeFailure', () => {
  it('keeps non-errors readable', () => {
    expect(describeFailure('boom')).toBe('boom');
    expect(describeFailure(new Error('a', { cause: new Error('a') }))).toBe('a');
  });
});

describe('idle readings', () => {
  it('reads at the idle interval while nobody watches, and at once when someone subscribes', async () => {
    let calls = 0;
    const collector = createCollector({
      ...options({ host: async () => (calls++, Promise.reject(new Error('x'))) }, Date.now),
      intervalMs: 10,
      idleIntervalMs: 10_000,
      watched: () => false,
    });
    collector.start();
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(calls).toBe(1);
    collector.subscribe(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(calls).toBe(2);
    await collector.stop();
  });
});
