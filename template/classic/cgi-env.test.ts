import { describe, expect, it } from 'vitest';
import { canonicalHeaderKey, cgiEnv, headerEnvName, splitRequestTarget } from './cgi-env.ts';

describe('header names as the classic watchdog spells them', () => {
  it.each([
    ['x-call-id', 'X-Call-Id', 'Http_X_Call_Id'],
    ['content-type', 'Content-Type', 'Http_Content_Type'],
    ['USER-AGENT', 'User-Agent', 'Http_User_Agent'],
    ['x-forwarded-by', 'X-Forwarded-By', 'Http_X_Forwarded_By'],
    ['accept', 'Accept', 'Http_Accept'],
    ['x_custom', 'X_custom', 'Http_X_custom'],
    ['x-b3-traceid', 'X-B3-Traceid', 'Http_X_B3_Traceid'],
    ['dnt', 'Dnt', 'Http_Dnt'],
  ])('%s -> %s -> %s', (name, canonical, variable) => {
    expect(canonicalHeaderKey(name)).toBe(canonical);
    expect(headerEnvName(name)).toBe(variable);
  });

  it('leaves a name with a non-token character as it is, as Go does', () => {
    expect(canonicalHeaderKey('bad name')).toBe('bad name');
  });
});

describe('cgiEnv', () => {
  const base = {
    method: 'POST',
    path: '/',
    rawQuery: '',
    host: '127.0.0.1:8080',
    contentLength: 5,
    headers: [] as [string, string][],
  };

  it.each([
    [
      'a POST with headers and a query',
      {
        ...base,
        path: '/sub/path',
        rawQuery: 'q=serverless&page=1',
        headers: [
          ['x-call-id', 'abc'],
          ['content-type', 'text/plain'],
        ] as [string, string][],
      },
      {
        Http_X_Call_Id: 'abc',
        Http_Content_Type: 'text/plain',
        Http_Method: 'POST',
        Http_ContentLength: '5',
        Http_Content_Length: '5',
        Http_Query: 'q=serverless&page=1',
        Http_Path: '/sub/path',
        Http_Host: '127.0.0.1:8080',
      },
    ],
    [
      'a chunked body: length -1 and the transfer encoding',
      { ...base, contentLength: -1, transferEncoding: 'chunked' },
      {
        Http_Method: 'POST',
        Http_ContentLength: '-1',
        Http_Content_Length: '-1',
        Http_Transfer_Encoding: 'chunked',
        Http_Path: '/',
        Http_Host: '127.0.0.1:8080',
      },
    ],
    [
      'a GET without body, query or host',
      { ...base, method: 'GET', contentLength: 0, host: '' },
      { Http_Method: 'GET', Http_ContentLength: '0', Http_Content_Length: '0', Http_Path: '/' },
    ],
    [
      'the request facts win over a header of the same variable',
      { ...base, headers: [['content-length', '999']] as [string, string][] },
      {
        Http_Content_Length: '5',
        Http_Method: 'POST',
        Http_ContentLength: '5',
        Http_Path: '/',
        Http_Host: '127.0.0.1:8080',
      },
    ],
    [
      'two spellings of one variable: the first header wins',
      {
        ...base,
        headers: [
          ['x-foo', 'dash'],
          ['x_foo', 'underscore'],
        ] as [string, string][],
      },
      {
        Http_X_Foo: 'dash',
        Http_X_foo: 'underscore',
        Http_Method: 'POST',
        Http_ContentLength: '5',
        Http_Content_Length: '5',
        Http_Path: '/',
        Http_Host: '127.0.0.1:8080',
      },
    ],
  ])('%s', (_name, facts, env) => expect(cgiEnv(facts)).toEqual(env));
});

describe('splitRequestTarget', () => {
  it.each([
    ['/', '/', ''],
    ['/a/b?x=1&y=2', '/a/b', 'x=1&y=2'],
    ['/a%20b?q=%20', '/a b', 'q=%20'],
    ['/bad%zz', '/bad%zz', ''],
    ['/?', '/', ''],
  ])('%s -> path %j, query %j', (target, path, rawQuery) =>
    expect(splitRequestTarget(target)).toEqual({ path, rawQuery }),
  );
});
