import { describe, expect, it } from 'vitest';
import { faasCliStackArg, locateStack } from './locate-stack.ts';

describe('faasCliStackArg', () => {
  it.each([
    [['/usr/local/bin/faas-cli', 'up', '-f', 'stack.yml'], 'stack.yml'],
    [['faas-cli', 'build', '--yaml', 'a.yml', '--filter', 'echo'], 'a.yml'],
    [['faas-cli', 'build', '--yaml=b.yml'], 'b.yml'],
    [['faas-cli', 'up', '-f=c.yml'], 'c.yml'],
    [['faas-cli', 'up', '-fd.yml'], 'd.yml'],
    [['node', '/tmp/bin/faas-cli', 'up', '-f', '/abs/stack.yml'], '/abs/stack.yml'],
    [['faas', 'up', '-f', 'e.yml'], 'e.yml'],
    [['faas-cli', 'up', '--filter', 'echo'], undefined],
    [['node', 'vitest', '-f', 'x.yml'], undefined],
  ])('%j -> %s', (argv, expected) => expect(faasCliStackArg(argv)).toBe(expected));
});

describe('locateStack', () => {
  const contextDir = '/project/build/echo';
  const none = () => false;

  it('prefers CDNFAAS_STACK_FILE, relative to the folder faas-cli runs in', () => {
    expect(locateStack({ contextDir, env: { CDNFAAS_STACK_FILE: 'stacks/s.yml' }, exists: none })).toEqual({
      stackFile: '/project/stacks/s.yml',
      functionName: 'echo',
      source: 'CDNFAAS_STACK_FILE',
    });
  });

  it("takes faas-cli's -f from its command line, relative to its working folder", () => {
    const parent = { argv: ['faas-cli', 'up', '-f', 'stack.yml'], cwd: '/project' };
    expect(locateStack({ contextDir, env: {}, parent, exists: none })).toEqual({
      stackFile: '/project/stack.yml',
      functionName: 'echo',
      source: 'faas-cli -f',
    });
  });

  it("falls back to faas-cli's default stack.yaml, then stack.yml", () => {
    const exists = (path: string) => path === '/project/stack.yml';
    expect(
      locateStack({ contextDir, env: {}, parent: { argv: ['faas-cli', 'build'], cwd: '/project' }, exists }),
    ).toEqual({
      stackFile: '/project/stack.yml',
      functionName: 'echo',
      source: 'default',
    });
  });

  it('refuses a stack read from a URL and says what to do when nothing is found', () => {
    const parent = { argv: ['faas-cli', 'up', '-f', 'https://example.com/stack.yml'], cwd: '/project' };
    expect(() => locateStack({ contextDir, env: {}, parent, exists: none })).toThrow(/from a URL/);
    expect(() => locateStack({ contextDir, env: {}, exists: none })).toThrow(
      expect.objectContaining({
        code: 'CONFIG_NOT_FOUND',
        hint: expect.stringContaining('CDNFAAS_STACK_FILE'),
      }),
    );
  });
});
