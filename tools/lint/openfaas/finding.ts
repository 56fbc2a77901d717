import type { LintFunction } from '../stack-view.ts';
import type { Finding, Rule, Severity } from '../types.ts';

/** A finding about one function, or about the whole stack when fn is undefined. */
export function finding(
  rule: string,
  severity: Severity,
  fn: LintFunction | undefined,
  message: string,
  why: string,
): Finding {
  return fn === undefined
    ? { rule, severity, message, why }
    : { rule, severity, function: fn.name, message, why };
}

/** A rule checked function by function. */
export const perFunction =
  (check: (fn: LintFunction, context: Parameters<Rule['check']>[1]) => Finding[]): Rule['check'] =>
  (stack, context) =>
    stack.functions.flatMap((fn) => check(fn, context));
