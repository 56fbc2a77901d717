import type { StackFile, StackFunction, FunctionResources } from '../../../runtime/stack/stack-file.ts';
import { GoMap, renderGoYaml, type GoStruct } from './go-yaml.ts';

/**
 * OpenFaaS Function resources (openfaas.com/v1), rendered as `faas-cli generate -f stack.yml`
 * renders them with its defaults (--api openfaas.com/v1, --namespace openfaas-fn, --tag latest):
 * one `---`-separated document per function, functions sorted by name, the image tagged
 * `:latest` when the stack gives no tag, the function's own `namespace:` ignored (faas-cli
 * writes the --namespace flag), empty maps and lists left out.
 */

export const functionApiVersion = 'openfaas.com/v1';
export const functionNamespace = 'openfaas-fn';

/** faas-cli's BuildImageName with the default tag format. */
export function imageWithTag(image: string): string {
  const lastSegment = image.split('/').at(-1) ?? image;
  return lastSegment.includes(':') ? image : `${image}:latest`;
}

function resources(value: FunctionResources | undefined): GoStruct | undefined {
  // faas-cli's FunctionResources has no omitempty: both fields are written once the block exists.
  return value === undefined ? undefined : { memory: value.memory ?? '', cpu: value.cpu ?? '' };
}

function nonEmptyMap(entries: Record<string, string>): GoMap | undefined {
  return Object.keys(entries).length === 0 ? undefined : new GoMap(entries);
}

/** The Function resource of one stack function, as a Go struct in faas-cli's field order. */
export function functionResource(fn: StackFunction, namespace: string = functionNamespace): GoStruct {
  return {
    apiVersion: functionApiVersion,
    kind: 'Function',
    metadata: { name: fn.name, namespace: namespace === '' ? undefined : namespace },
    spec: {
      name: fn.name,
      image: imageWithTag(fn.image),
      environment: nonEmptyMap(fn.environment),
      labels: nonEmptyMap(fn.labels),
      annotations: nonEmptyMap(fn.annotations),
      limits: resources(fn.limits),
      requests: resources(fn.requests),
      constraints: fn.constraints.length === 0 ? undefined : fn.constraints,
      secrets: fn.secrets.length === 0 ? undefined : fn.secrets,
      readOnlyRootFilesystem: fn.readonlyRootFilesystem ? true : undefined,
    },
  };
}

/** The whole `faas-cli generate` output for a stack (without the newline its Println adds). */
export function renderFunctionResources(stack: StackFile, namespace: string = functionNamespace): string {
  return [...stack.functions]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((fn) => `---\n${renderGoYaml(functionResource(fn, namespace))}`)
    .join('');
}
