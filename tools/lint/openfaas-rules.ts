// Rules for what faas-cli or OpenFaaS CE on Kubernetes refuses, or silently ignores: one file
// per rule in openfaas/, listed here in the order lint reports them.
import { stackSchemaRule } from './openfaas/stack-schema.ts';
import { providerRule } from './openfaas/provider.ts';
import { functionCountRule } from './openfaas/function-count.ts';
import { functionNameRule } from './openfaas/function-name.ts';
import { namespaceRule } from './openfaas/namespace.ts';
import { imageRule } from './openfaas/image.ts';
import { templateRule } from './openfaas/template.ts';
import { scalingLabelsRule } from './openfaas/scaling-labels.ts';
import { kubernetesSyntaxRule } from './openfaas/kubernetes-syntax.ts';
import { loopbackEnvironmentRule } from './openfaas/loopback-environment.ts';
import type { Rule } from './types.ts';

export const openfaasRules: Rule[] = [
  stackSchemaRule,
  providerRule,
  functionCountRule,
  functionNameRule,
  namespaceRule,
  imageRule,
  templateRule,
  scalingLabelsRule,
  kubernetesSyntaxRule,
  loopbackEnvironmentRule,
];
