// Turning a long command log into the few lines a person needs to see. Pure.

/** Java stack frames say where, not what; the exception line above them already says what. */
function isStackFrame(line: string): boolean {
  return /^\s+at\s/.test(line) || /^\s*\.\.\. \d+ more$/.test(line);
}

/** The last `count` non-empty lines of a log without stack frames, each cut to a readable width. */
export function lastLines(text: string, count: number, width = 300): string[] {
  return text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '' && !isStackFrame(line))
    .slice(-count)
    .map((line) => (line.length > width ? `${line.slice(0, width)}...` : line));
}

/**
 * The reason a `go install` failed, from its output: the first line that says what went wrong
 * (Go prints "go: <module>@<version>: <reason>" and then details), without a "go: " prefix.
 */
export function goFailureReason(output: string): string {
  const lines = output
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
  const reason = lines.find((line) => line.startsWith('go: ')) ?? lines[0] ?? 'no output';
  const detail = lines.find((line) => /server response:/i.test(line));
  const text = reason.replace(/^go: /, '');
  return detail ? `${text} (${detail})` : text;
}

export function formatCommand(command: string, args: string[]): string {
  return [command, ...args]
    .map((part) => (/[\s'"*]/.test(part) ? `'${part.replace(/'/g, "'\\''")}'` : part))
    .join(' ');
}
