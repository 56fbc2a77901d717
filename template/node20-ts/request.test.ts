import { describe, expect, it } from 'vitest';
import { bodyKind, decodeBody, splitTarget } from './request.ts';

describe('splitTarget', () => {
  it.each([
    ['/', { path: '/', query: {} }],
    ['/sub/path?a=1&b=x%20y&a=2', { path: '/sub/path', query: { a: ['1', '2'], b: 'x y' } }],
    ['/?', { path: '/', query: {} }],
    ['?q=1', { path: '/', query: { q: '1' } }],
  ])('%s', (url, expected) => expect(splitTarget(url)).toEqual(expected));
});

describe('bodyKind', () => {
  it.each([
    [undefined, false, 'text'],
    ['text/plain; charset=utf-8', false, 'text'],
    ['text/csv', false, 'text'],
    ['application/json', false, 'json'],
    ['Application/JSON; charset=utf-8', false, 'json'],
    ['application/vnd.cdnfaas.batch+json', false, 'json'],
    ['application/x-www-form-urlencoded', false, 'form'],
    ['application/octet-stream', false, 'raw'],
    ['image/png', false, 'raw'],
    ['application/json', true, 'raw'],
  ] as const)('%s (raw %s) -> %s', (type, raw, kind) => expect(bodyKind(type, raw)).toBe(kind));
});

describe('decodeBody', () => {
  it('parses JSON, keeps text as a string, forms as an object and anything else as bytes', () => {
    expect(decodeBody(Buffer.from('{"a":[1,2]}'), 'json')).toEqual({ ok: true, body: { a: [1, 2] } });
    expect(decodeBody(Buffer.from(''), 'json')).toEqual({ ok: true, body: undefined });
    expect(decodeBody(Buffer.from('héllo'), 'text')).toEqual({ ok: true, body: 'héllo' });
    expect(decodeBody(Buffer.from('a=1&b=two'), 'form')).toEqual({ ok: true, body: { a: '1', b: 'two' } });
    const raw = decodeBody(Buffer.from([0, 255]), 'raw');
    expect(raw.ok && Buffer.isBuffer(raw.body) && [...raw.body]).toEqual([0, 255]);
  });

  it('reports malformed JSON instead of throwing', () => {
    const decoded = decodeBody(Buffer.from('{"a":'), 'json');
    expect(decoded.ok).toBe(false);
    expect(!decoded.ok && decoded.message).toMatch(/^malformed JSON body/);
  });
});
