import { describe, expect, it } from 'vitest';
import { isMutableReference, parseImageReference } from './reference.ts';
import { cdnfaasErrorFrom } from '../../test/support/thrown.ts';

describe('parseImageReference', () => {
  it.each([
    ['cdnfaas/predict:0.2.0', { name: 'cdnfaas/predict', tag: '0.2.0', ref: 'cdnfaas/predict:0.2.0' }],
    ['cdnfaas/predict', { name: 'cdnfaas/predict', tag: 'latest', ref: 'cdnfaas/predict:latest' }],
    ['echo', { name: 'echo', tag: 'latest', ref: 'echo:latest' }],
    [
      'localhost:5000/team/echo:v1',
      { name: 'localhost:5000/team/echo', tag: 'v1', ref: 'localhost:5000/team/echo:v1' },
    ],
    [
      'ghcr.io/org/fn_a.b-c:1.0.0-rc_1',
      { name: 'ghcr.io/org/fn_a.b-c', tag: '1.0.0-rc_1', ref: 'ghcr.io/org/fn_a.b-c:1.0.0-rc_1' },
    ],
    [
      `cdnfaas/echo@sha256:${'a'.repeat(64)}`,
      {
        name: 'cdnfaas/echo',
        tag: 'latest',
        digest: `sha256:${'a'.repeat(64)}`,
        ref: `cdnfaas/echo@sha256:${'a'.repeat(64)}`,
      },
    ],
    // Docker's normalisation: Docker Hub spelt out, official images under library/, no tag.
    [
      'docker.io/functions/alpine:latest',
      { name: 'functions/alpine', tag: 'latest', ref: 'functions/alpine:latest' },
    ],
    [
      'index.docker.io/functions/alpine',
      { name: 'functions/alpine', tag: 'latest', ref: 'functions/alpine:latest' },
    ],
    ['docker.io/library/alpine:3.20', { name: 'alpine', tag: '3.20', ref: 'alpine:3.20' }],
    ['library/alpine', { name: 'alpine', tag: 'latest', ref: 'alpine:latest' }],
    ['docker.io/alpine', { name: 'alpine', tag: 'latest', ref: 'alpine:latest' }],
    ['docker.io/library/team/fn:1', { name: 'library/team/fn', tag: '1', ref: 'library/team/fn:1' }],
    [
      'ghcr.io/library/alpine:1',
      { name: 'ghcr.io/library/alpine', tag: '1', ref: 'ghcr.io/library/alpine:1' },
    ],
  ])('accepts %s', (input, expected) => {
    expect(parseImageReference(input)).toEqual(expected);
  });

  it.each([
    ['', 'empty'],
    ['../etc/passwd', '".."'],
    ['cdnfaas/../../x:1', '".."'],
    ['cdnfaas/./x', '"."'],
    ['/abs/path:1', 'file path'],
    ['~/x', 'file path'],
    ['a\\b', 'backslash'],
    ['cdnfaas/echo:1 ', 'whitespace'],
    ['cdn\nfaas', 'control'],
    ['cdnfaas//echo', 'empty path component'],
    ['CdnFaas/Echo:1', 'lowercase'],
    ['cdnfaas/echo:-bad', 'tag'],
    ['cdnfaas/echo:' + 'x'.repeat(129), 'tag'],
    ['cdnfaas/echo@sha256:abc', 'digest'],
    ['cdnfaas/echo:', 'tag'],
    ['bad_host:port/x', 'registry'],
  ])('rejects %j naming the reference (%s)', (input, reason) => {
    const error = cdnfaasErrorFrom(() => parseImageReference(input), 'INVALID_INPUT');
    expect(error.message).toContain(JSON.stringify(input));
    expect(error.message).toContain(reason);
  });
});

describe('isMutableReference', () => {
  it.each([
    ['cdnfaas/predict:0.1.0', false],
    ['cdnfaas/predict:latest', true],
    ['cdnfaas/predict', true],
    ['docker.io/functions/alpine', true],
    [`cdnfaas/predict@sha256:${'b'.repeat(64)}`, false],
  ])('%s -> %s', (input, expected) => {
    expect(isMutableReference(parseImageReference(input))).toBe(expected);
  });
});
