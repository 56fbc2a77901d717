import { describe, expect, it } from 'vitest';
import { splitFprocess } from './fprocess.ts';
import { cdnfaasErrorFrom } from '../../test/support/thrown.ts';

describe('splitFprocess', () => {
  it.each([
    ['sha512sum', ['sha512sum']],
    ['cat', ['cat']],
    ['python3 handler.py', ['python3', 'handler.py']],
    ['  sh   handler.sh  ', ['sh', 'handler.sh']],
    [
      "python3 -c 'import sys; print(sys.stdin.read().upper())'",
      ['python3', '-c', 'import sys; print(sys.stdin.read().upper())'],
    ],
    ['sh -c "echo \\"hi\\" \\$HOME"', ['sh', '-c', 'echo "hi" $HOME']],
    ['sh -c "a\\nb"', ['sh', '-c', 'a\\nb']],
    ["echo 'it'\\''s'", ['echo', "it's"]],
    ['echo a\\ b', ['echo', 'a b']],
    ["echo ''", ['echo', '']],
    ['echo "$HOME" *', ['echo', '$HOME', '*']],
    ['env\tFOO=1', ['env', 'FOO=1']],
  ])('%j -> %j', (fprocess, argv) => expect(splitFprocess(fprocess)).toEqual(argv));

  it.each([
    ["echo 'open", 'quote is not closed'],
    ['echo "open', 'quote is not closed'],
    ['echo \\', 'ends with a backslash'],
    ['   ', 'names no program'],
    ['', 'names no program'],
  ])('%j is CONFIG_INVALID (%s)', (fprocess, reason) => {
    const error = cdnfaasErrorFrom(() => splitFprocess(fprocess), 'CONFIG_INVALID');
    expect(error.message).toContain(reason);
  });
});
