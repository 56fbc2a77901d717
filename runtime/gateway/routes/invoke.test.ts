import { describe, expect, it } from 'vitest';
import { splitFunctionUrl, targetFunction } from './invoke.ts';

describe('splitFunctionUrl', () => {
  it.each([
    ['/function/echo', { qualified: 'echo', path: '/', query: '' }],
    ['/function/echo/', { qualified: 'echo', path: '/', query: '' }],
    ['/function/echo.openfaas-fn?x=1', { qualified: 'echo.openfaas-fn', path: '/', query: 'x=1' }],
    ['/function/echo/a/b?x=1&y=%20', { qualified: 'echo', path: '/a/b', query: 'x=1&y=%20' }],
    // Forwarded as sent: an encoded slash stays encoded, as the OpenFaaS proxy keeps the raw path.
    ['/function/echo/a%2Fb', { qualified: 'echo', path: '/a%2Fb', query: '' }],
  ])('%s', (url, parts) => expect(splitFunctionUrl(url, '/function/')).toEqual(parts));

  it.each(['/function/', '/function//x', '/functions/echo', '/async-function/echo'])(
    '%s names no function',
    (url) => {
      expect(splitFunctionUrl(url, '/function/')).toBeUndefined();
    },
  );

  it('reads the async prefix too', () => {
    expect(splitFunctionUrl('/async-function/echo/p?q', '/async-function/')).toEqual({
      qualified: 'echo',
      path: '/p',
      query: 'q',
    });
  });
});

describe('targetFunction', () => {
  it.each(['echo', 'echo.openfaas-fn'])('%s is echo in openfaas-fn', (qualified) => {
    expect(targetFunction(qualified)).toEqual({ name: 'echo', qualifiedName: 'echo.openfaas-fn' });
  });
  it.each(['echo.dev', 'Echo', 'a%2e', '..'])('%s is NOT_FOUND', (qualified) => {
    expect(() => targetFunction(qualified)).toThrow(/not found/);
  });
});
