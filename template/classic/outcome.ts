/**
 * How a finished fprocess becomes an answer, in the classic watchdog's words (handler.go): the
 * error text Go's os/exec gives a failed process leads a 500 body, followed by the output.
 */

const signalWords: Record<string, string> = {
  SIGKILL: 'killed',
  SIGTERM: 'terminated',
  SIGINT: 'interrupt',
  SIGSEGV: 'segmentation fault',
  SIGABRT: 'aborted',
  SIGPIPE: 'broken pipe',
  SIGHUP: 'hangup',
  SIGBUS: 'bus error',
  SIGFPE: 'floating point exception',
  SIGILL: 'illegal instruction',
};

/** Go's *exec.ExitError text: "exit status 2", "signal: killed"; undefined for a clean exit. */
export function exitErrorText(code: number | null, signal: string | null): string | undefined {
  if (signal !== null) return `signal: ${signalWords[signal] ?? signal.replace(/^SIG/, '').toLowerCase()}`;
  if (code !== null && code !== 0) return `exit status ${code}`;
  return undefined;
}

/** Go's text for a process that could not start: not found on PATH, or not executable. */
export function startErrorText(program: string, error: NodeJS.ErrnoException): string {
  if (error.code === 'ENOENT' && !program.includes('/'))
    return `exec: ${JSON.stringify(program)}: executable file not found in $PATH`;
  const reason =
    error.code === 'ENOENT'
      ? 'no such file or directory'
      : error.code === 'EACCES'
        ? 'permission denied'
        : error.message;
  return `fork/exec ${program}: ${reason}`;
}

/** What to do about a start failure, for the log line beside it. */
export function startErrorHint(program: string, error: NodeJS.ErrnoException): string {
  if (error.code === 'EACCES')
    return `${program} is not executable: image files carry no execute bit locally; run it through its interpreter, e.g. fprocess="sh ${program.replace(/^\.\//, '')}"`;
  if (error.code === 'ENOENT')
    return program.includes('/')
      ? `${program} does not exist; paths are relative to the function folder`
      : `install ${program} on this machine or change fprocess`;
  return 'check fprocess';
}

/** The 500 body: the error text, a newline, then whatever the process wrote (handler.go). */
export function failureBody(errorText: string, output: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${errorText}\n`), output]);
}
