import { describe, expect, it } from 'vitest';
import { maxCode, missingCode, parseCode } from './parse-code.ts';

describe('parseCode', () => {
  it.each([
    ['13', 13],
    ['13.0', 13],
    ['13.', 13],
    ['13.000', 13],
    [' 42 ', 42],
    ['+7', 7],
    ['0', 0],
    ['-0', 0],
    ['0007', 7],
    [156, 156],
    [2.0, 2],
    [String(maxCode), maxCode],
  ])('accepts %j as %d', (raw, expected) => {
    expect(parseCode('host_id', raw)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['13.5', 'host_id is not an integer (got "13.5")'],
    ['abc', 'host_id is not an integer (got "abc"): garbled value'],
    ['1e3', 'host_id is not an integer (got "1e3")'],
    ['0x1F', 'host_id is not an integer (got "0x1F")'],
    ['12 3', 'host_id is not an integer (got "12 3"): garbled value'],
    [1.5, 'host_id is not an integer (got "1.5")'],
    ['-3', 'host_id is negative (got "-3"): ids are >= 0'],
    [-1, 'host_id is negative (got "-1"): ids are >= 0'],
    [String(maxCode + 1), `host_id is out of range (got "${maxCode + 1}"): ids are <= ${maxCode}`],
    ['', 'host_id is empty'],
    ['   ', 'host_id is empty'],
    [null, 'host_id is empty'],
    [undefined, 'host_id is empty'],
  ])('refuses %j: %s', (raw, reason) => {
    expect(parseCode('host_id', raw)).toEqual({ ok: false, reason });
  });

  it('gives an optional column its missing code when empty, and accepts that code explicitly', () => {
    const rules = { whenEmpty: missingCode };
    expect(parseCode('content_id', '', rules)).toEqual({ ok: true, value: -1 });
    expect(parseCode('content_id', undefined, rules)).toEqual({ ok: true, value: -1 });
    expect(parseCode('content_id', '-1', rules)).toEqual({ ok: true, value: -1 });
    expect(parseCode('content_id', '-1.0', rules)).toEqual({ ok: true, value: -1 });
    expect(parseCode('content_id', '-2', rules)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('negative'),
    });
  });

  it('cuts a huge value short in the reason', () => {
    const result = parseCode('host_id', 'x'.repeat(10_000));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason.length).toBeLessThan(120);
  });
});
