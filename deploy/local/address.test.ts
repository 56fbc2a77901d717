import { describe, expect, it } from 'vitest';
import { formatHostPort, hostPortOfUrl, isLoopbackHost, parseHostPort } from './address.ts';

describe('parseHostPort', () => {
  it.each([
    ['127.0.0.1:9092', { host: '127.0.0.1', port: 9092 }],
    ['localhost:19092', { host: 'localhost', port: 19092 }],
  ])('%s', (value, expected) => expect(parseHostPort(value)).toEqual(expected));

  it.each(['9092', ':9092', 'host:0', 'host:70000', 'host:x'])('rejects %s with CONFIG_INVALID', (value) => {
    expect(() => parseHostPort(value)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});

describe('hostPortOfUrl', () => {
  it.each([
    ['http://127.0.0.1:8086', { host: '127.0.0.1', port: 8086 }],
    ['http://localhost', { host: 'localhost', port: 80 }],
    ['https://influx.example', { host: 'influx.example', port: 443 }],
    ['http://[::1]:8086/', { host: '::1', port: 8086 }],
  ])('%s', (url, expected) => expect(hostPortOfUrl(url)).toEqual(expected));
});

describe('isLoopbackHost', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['localhost', true],
    ['::1', true],
    ['10.0.0.5', false],
    ['kafka.internal', false],
  ])('%s -> %s', (host, expected) => expect(isLoopbackHost(host)).toBe(expected));
});

describe('formatHostPort', () => {
  it('brackets IPv6 hosts', () => {
    expect(formatHostPort({ host: '::1', port: 9092 })).toBe('[::1]:9092');
    expect(formatHostPort({ host: '127.0.0.1', port: 9092 })).toBe('127.0.0.1:9092');
  });
});
