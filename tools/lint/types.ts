import type { StackView } from './stack-view.ts';

export type Severity = 'error' | 'warning';

/** One thing the linter found: what is wrong, and why OpenFaaS CE (or cdnfaas) cares. */
export interface Finding {
  rule: string;
  severity: Severity;
  /** The function the finding is about; absent for stack-wide findings. */
  function?: string;
  message: string;
  /** Why it matters and what to do, in one or two sentences. */
  why: string;
}

/** Facts about the project the rules compare the stack with; gathered once at the edge. */
export interface LintContext {
  /** Template folders under ./template (faas-cli build looks there). */
  templates: string[];
  /** Whether ./template/<lang>/template.yml exists (faas-cli reads the template's settings from it). */
  templateHasManifest: (lang: string) => boolean;
  /** Whether a handler path (relative to the stack file) is an existing folder. */
  handlerExists: (path: string) => boolean;
  /** Kafka topics and their partition counts from system/sources.yaml. */
  topics: Record<string, number>;
}

export interface Rule {
  id: string;
  /** One line for `cdnfaas lint --rules`. */
  summary: string;
  check: (stack: StackView, context: LintContext) => Finding[];
}
