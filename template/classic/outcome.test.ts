import { describe, expect, it } from 'vitest';
import { exitErrorText, failureBody, startErrorHint, startErrorText } from './outcome.ts';

describe('exitErrorText (Go os/exec ExitError)', () => {
  it.each([
    [0, null, undefined],
    [1, null, 'exit status 1'],
    [127, null, 'exit status 127'],
    [null, 'SIGKILL', 'signal: killed'],
    [null, 'SIGTERM', 'signal: terminated'],
    [null, 'SIGUSR1', 'signal: usr1'],
  ] as const)('code %s, signal %s -> %s', (code, signal, text) =>
    expect(exitErrorText(code, signal)).toBe(text),
  );
});

describe('startErrorText and its hint', () => {
  const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(code), { code });
  it.each([
    ['nope', 'ENOENT', 'exec: "nope": executable file not found in $PATH', 'install nope'],
    [
      './handler.sh',
      'ENOENT',
      'fork/exec ./handler.sh: no such file or directory',
      'relative to the function folder',
    ],
    ['./handler.sh', 'EACCES', 'fork/exec ./handler.sh: permission denied', 'fprocess="sh handler.sh"'],
  ])('%s, %s', (program, code, text, hint) => {
    expect(startErrorText(program, errno(code))).toBe(text);
    expect(startErrorHint(program, errno(code))).toContain(hint);
  });
});

describe('failureBody', () => {
  it('is the error text, a newline, then the output', () => {
    expect(failureBody('exit status 3', Buffer.from('out\nerr\n')).toString()).toBe(
      'exit status 3\nout\nerr\n',
    );
  });
});
