import { describe, expect, it } from 'vitest';
import { parseLogQuery } from './logs.ts';

describe('parseLogQuery (faas-provider logs.Request)', () => {
  it('reads what faas-cli logs sends', () => {
    expect(parseLogQuery({ name: 'echo', follow: 'false', tail: '-1' })).toEqual({
      name: 'echo',
      follow: false,
      tail: -1,
    });
  });

  it('takes the last of repeated values and parses Go booleans', () => {
    expect(
      parseLogQuery({
        name: ['a', 'echo'],
        follow: 'T',
        instance: 'echo-r1-0',
        since: '2026-01-01T00:00:00Z',
      }),
    ).toEqual({
      name: 'echo',
      follow: true,
      instance: 'echo-r1-0',
      since: new Date('2026-01-01T00:00:00Z'),
    });
  });

  it('reads an unparsable follow as false, as faas-provider does', () => {
    expect(parseLogQuery({ name: 'echo', follow: 'yes' }).follow).toBe(false);
  });

  it.each([
    [{}, 'name parameter is required'],
    [{ name: 'Echo' }, 'DNS-1123'],
    [{ name: 'echo', namespace: 'dev' }, 'namespace'],
    [{ name: 'echo', tail: '1.5' }, 'whole number'],
    [{ name: 'echo', since: '2026-01-01' }, 'RFC 3339'],
  ])('%j is INVALID_INPUT', (query, message) => {
    expect(() => parseLogQuery(query)).toThrow(message);
  });
});
