import { cdnfaasRules } from './cdnfaas-rules.ts';
import { openfaasRules } from './openfaas-rules.ts';
import type { StackView } from './stack-view.ts';
import type { Finding, LintContext, Rule } from './types.ts';

/** Every rule, in the order findings are reported. */
export const rules: Rule[] = [...openfaasRules, ...cdnfaasRules];

export interface LintReport {
  findings: Finding[];
  errors: number;
  warnings: number;
}

/** Runs every rule over a stack; stack-wide findings first, then per function in file order. */
export function lintStack(stack: StackView, context: LintContext, selected: Rule[] = rules): LintReport {
  const order = new Map(stack.functions.map((fn, index) => [fn.name, index]));
  const findings = selected
    .flatMap((rule) => rule.check(stack, context))
    .map((finding, index) => ({ finding, index }))
    .sort((a, b) => {
      const fa = a.finding.function === undefined ? -1 : (order.get(a.finding.function) ?? 0);
      const fb = b.finding.function === undefined ? -1 : (order.get(b.finding.function) ?? 0);
      return fa - fb || a.index - b.index;
    })
    .map(({ finding }) => finding);
  return {
    findings,
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
  };
}

/** Human-readable report: one finding per paragraph, then a summary line. */
export function formatReport(report: LintReport, file: string): string {
  const lines = report.findings.map((f) => {
    const where = f.function === undefined ? file : `${file}: function ${f.function}`;
    return `${f.severity} [${f.rule}] ${where}: ${f.message}\n    why: ${f.why}`;
  });
  const summary =
    report.errors === 0
      ? `${file}: deployable on OpenFaaS CE (${report.warnings} warning${report.warnings === 1 ? '' : 's'})`
      : `${file}: ${report.errors} error${report.errors === 1 ? '' : 's'}, ${report.warnings} warning${report.warnings === 1 ? '' : 's'}: OpenFaaS CE would refuse or misread this stack`;
  return [...lines, summary].join('\n');
}
