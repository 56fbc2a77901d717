import { describe, expect, it } from 'vitest';
import { parseDockerArgs } from './docker-args.ts';

describe('parseDockerArgs', () => {
  it('reads the build command line of faas-cli 0.17+ (builder/build.go getDockerBuildCommand)', () => {
    const argv = [
      'build',
      '--no-cache',
      '--build-arg',
      'http_proxy=http://p:3128',
      '--build-arg',
      'ADDITIONAL_PACKAGE=',
      '--label',
      'org.x=1',
      '--pull',
      '--tag',
      'cdnfaas/echo:0.1.0',
      '.',
      '--secret',
      'id=npm,src=/tmp/npmrc',
    ];
    expect(parseDockerArgs(argv)).toEqual({
      kind: 'build',
      tags: ['cdnfaas/echo:0.1.0'],
      context: '.',
      buildArgs: { http_proxy: 'http://p:3128', ADDITIONAL_PACKAGE: '' },
      labels: { 'org.x': '1' },
    });
  });

  it('reads the older form (-t IMAGE .) and --flag=value spellings', () => {
    expect(
      parseDockerArgs(['build', '--squash', '-t', 'a/b:1', '--build-arg=K=V=W', '--tag=a/b:latest', '.']),
    ).toEqual({
      kind: 'build',
      tags: ['a/b:1', 'a/b:latest'],
      context: '.',
      buildArgs: { K: 'V=W' },
      labels: {},
    });
  });

  it('reads push as faas-cli runs it (commands/push.go)', () => {
    expect(parseDockerArgs(['push', 'cdnfaas/echo:0.1.0'])).toEqual({
      kind: 'push',
      image: 'cdnfaas/echo:0.1.0',
    });
    expect(parseDockerArgs(['push', 'cdnfaas/echo:0.1.0', '--quiet'])).toEqual({
      kind: 'push',
      image: 'cdnfaas/echo:0.1.0',
    });
  });

  it.each([
    [['run', 'alpine'], 'docker run is not supported'],
    [['buildx', 'build', '--push', '.'], 'faas-cli publish'],
    [[], 'no command given'],
    [['build', '.'], 'needs --tag'],
    [['build', '-t', 'a/b:1'], 'exactly one build context'],
    [['build', '-t', 'a/b:1', '.', 'other'], 'exactly one build context'],
    [['build', '-t', 'a/b:1', '-'], 'stdin'],
    [['build', '--network', 'host', '-t', 'a/b:1', '.'], 'flag --network is not supported'],
    [['build', '--build-arg', 'NOEQUALS', '-t', 'a/b:1', '.'], 'not KEY=VALUE'],
    [['build', '--tag'], '--tag needs a value'],
    [['push'], 'exactly one image'],
    [['push', '--all-tags', 'a/b'], 'flag --all-tags'],
  ])('refuses %j with a message saying what the shim supports', (argv, message) => {
    expect(() => parseDockerArgs(argv)).toThrow(
      expect.objectContaining({
        code: 'INVALID_INPUT',
        message: expect.stringContaining(message),
        hint: expect.stringContaining('never calls a real Docker'),
      }),
    );
  });
});
