/**
 * Splitting `fprocess` into a program and its arguments. The classic watchdog splits on single
 * spaces (strings.Split(fprocess, " ")) and runs the result without a shell. This split gives the
 * same result for every fprocess written that way (`sha512sum`, `python3 handler.py`), and also
 * honours the quoting a shell would (`python3 -c 'print(1)'`, `sh -c "exec env"`), so a one-liner
 * does not have to live in a file. No shell runs: no variables, globs, pipes or redirections.
 */
import { CdnfaasError } from '../../lib/errors.ts';

function syntaxError(fprocess: string, reason: string): CdnfaasError {
  return new CdnfaasError(
    'CONFIG_INVALID',
    `fprocess ${JSON.stringify(fprocess)} cannot be split into a command: ${reason}`,
    {
      hint: `set fprocess to a program and its arguments, e.g. "python3 handler.py"; quote an argument with '...' or "..." and close every quote`,
      context: { fprocess },
    },
  );
}

/** The program and arguments of `fprocess`; CONFIG_INVALID on an open quote, a trailing backslash or no program. */
export function splitFprocess(fprocess: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < fprocess.length; i += 1) {
    const char = fprocess[i]!;
    if (quote === "'") {
      if (char === "'") quote = undefined;
      else word += char;
      continue;
    }
    if (quote === '"') {
      if (char === '"') quote = undefined;
      else if (char === '\\' && i + 1 < fprocess.length && '"\\$`'.includes(fprocess[i + 1]!)) {
        // Inside double quotes a backslash only escapes the characters a shell treats specially.
        word += fprocess[i + 1];
        i += 1;
      } else word += char;
      continue;
    }
    if (char === "'" || char === '"') {
      quote = char;
      inWord = true;
    } else if (char === '\\') {
      if (i + 1 >= fprocess.length) throw syntaxError(fprocess, 'it ends with a backslash');
      word += fprocess[i + 1];
      i += 1;
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += char;
      inWord = true;
    }
  }
  if (quote !== undefined) throw syntaxError(fprocess, `a ${quote} quote is not closed`);
  if (inWord) words.push(word);
  if (words.length === 0) throw syntaxError(fprocess, 'it names no program');
  return words;
}
