import type { Reading } from './state.ts';

/** A tick where every source is off, to be overridden field by field in tests. */
export function readingAt(at: number, overrides: Partial<Reading> = {}): Reading {
  return {
    at,
    topicOffsets: { state: 'off' },
    deadLetters: { state: 'off' },
    lag: { state: 'off' },
    functions: { state: 'off' },
    metrics: { state: 'off' },
    predictions: { state: 'off' },
    storedCounts: { state: 'off' },
    host: { state: 'off' },
    drift: { state: 'off' },
    ...overrides,
  };
}

/** A successful outcome. */
export function ok<T>(value: T): { state: 'ok'; value: T } {
  return { state: 'ok', value };
}
