import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { acceptJsonText } from './json-text.ts';

const schema = acceptJsonText(z.object({ n: z.number() }).strict());

describe('acceptJsonText', () => {
  it.each([
    ['a parsed value', { n: 1 }],
    ['JSON text', '{"n":1}'],
    ['JSON bytes', Buffer.from('{"n":1}')],
  ])('accepts %s', (_label, input) => {
    expect(schema.parse(input)).toEqual({ n: 1 });
  });

  it('says when text is not JSON', () => {
    const result = schema.safeParse('n=1');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/^not JSON: /);
  });

  it('still validates what the text holds', () => {
    const result = schema.safeParse('{"n":"1"}');
    expect(result.error?.issues[0]?.path).toEqual(['n']);
  });
});
