import { describe, expect, it } from 'vitest';
import { nodeArgsForLimits, parseMemoryQuantity } from './resources.ts';

describe('memory quantities', () => {
  it.each([
    ['128Mi', 128 * 1024 ** 2],
    ['1Gi', 1024 ** 3],
    ['512M', 512e6],
    ['1.5Gi', 1.5 * 1024 ** 3],
    ['65536', 65536],
    ['64k', 64e3],
  ])('%s = %i bytes', (text, bytes) => expect(parseMemoryQuantity(text)).toBe(bytes));

  it.each(['', 'lots', '128MB', '-1Mi', '1e3'])('%j is not a quantity', (text) =>
    expect(parseMemoryQuantity(text)).toBeUndefined(),
  );
});

describe('node flags for limits', () => {
  it.each([
    [undefined, []],
    [{}, []],
    [{ memory: '256Mi' }, ['--max-old-space-size=192']],
    [{ memory: '8Mi' }, ['--max-old-space-size=16']],
    [{ cpu: '500m' }, []],
  ])('%j -> %j', (limits, args) => expect(nodeArgsForLimits(limits)).toEqual(args));

  it('refuses a malformed quantity with INVALID_INPUT', () => {
    expect(() => nodeArgsForLimits({ memory: '1 gigabyte' })).toThrow(/limits.memory/);
  });
});
