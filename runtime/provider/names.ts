import { CdnfaasError } from '../../lib/errors.ts';
import { defaultNamespace } from '../../contracts/openfaas/function.ts';

/** RFC 1123 label as Kubernetes uses it for object names: what OpenFaaS accepts as a function name. */
const dns1123Label = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?$/;
const maxLabelLength = 63;
/** RFC 1123 subdomain: Kubernetes secret names. Dots allowed, but never an empty or dot-only segment. */
const dns1123Subdomain = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/;
const maxSubdomainLength = 253;

export function isFunctionName(name: string): boolean {
  return name.length <= maxLabelLength && dns1123Label.test(name);
}

export function assertFunctionName(name: unknown): string {
  if (typeof name !== 'string' || !isFunctionName(name)) {
    throw new CdnfaasError('INVALID_INPUT', `function name ${JSON.stringify(name)} is not a DNS-1123 label`, {
      hint: 'use 1-63 lowercase letters, digits or "-", starting and ending with a letter or digit, e.g. predict',
      context: { name },
    });
  }
  return name;
}

export function assertSecretName(name: unknown): string {
  if (typeof name !== 'string' || name.length > maxSubdomainLength || !dns1123Subdomain.test(name)) {
    throw new CdnfaasError(
      'INVALID_INPUT',
      `secret name ${JSON.stringify(name)} is not a DNS-1123 subdomain`,
      {
        hint: 'use lowercase letters, digits, "-" and ".", starting and ending with a letter or digit, e.g. influxdb-token',
        context: { name },
      },
    );
  }
  return name;
}

/** Only openfaas-fn is served; an empty namespace means the default, as in faas-provider. */
export function assertNamespace(namespace: string | null | undefined): string {
  if (namespace === undefined || namespace === null || namespace === '' || namespace === defaultNamespace)
    return defaultNamespace;
  throw new CdnfaasError(
    'INVALID_INPUT',
    `namespace ${JSON.stringify(namespace)} is not served by this runtime`,
    {
      hint: `omit the namespace or use ${defaultNamespace}, the only namespace of the local runtime`,
      context: { namespace },
    },
  );
}

/**
 * Splits the `{name}` of /function/{name} into function and namespace at the last dot,
 * as the OpenFaaS gateway does (`echo.openfaas-fn` -> echo, openfaas-fn).
 */
export function splitQualifiedName(qualified: string): { name: string; namespace: string } {
  const dot = qualified.lastIndexOf('.');
  if (dot <= 0) return { name: qualified, namespace: defaultNamespace };
  return { name: qualified.slice(0, dot), namespace: qualified.slice(dot + 1) };
}
