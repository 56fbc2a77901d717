import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { parseAllDocuments } from 'yaml';
import { projectRoot } from '../../../system/config.ts';

/**
 * Validates manifests offline against the JSON Schemas kept in deploy/kubernetes/schemas:
 * Kubernetes' own (vendored from kubernetes-validate) for built-in kinds, and schemas written
 * for cdnfaas from the documented specs of KEDA, Strimzi and OpenFaaS for their resources.
 */

export const schemasDir = join(projectRoot, 'deploy', 'kubernetes', 'schemas');
export const kubernetesSchemaSet = 'v1.33.0-local-strict';

/** apiVersion/kind -> schema file, relative to schemasDir. */
export const schemaFiles: Record<string, string> = {
  'v1/Namespace': `kubernetes/${kubernetesSchemaSet}/namespace-v1.json`,
  'v1/ConfigMap': `kubernetes/${kubernetesSchemaSet}/configmap-v1.json`,
  'v1/Service': `kubernetes/${kubernetesSchemaSet}/service-v1.json`,
  'v1/ServiceAccount': `kubernetes/${kubernetesSchemaSet}/serviceaccount-v1.json`,
  'apps/v1/Deployment': `kubernetes/${kubernetesSchemaSet}/deployment-apps-v1.json`,
  'apps/v1/StatefulSet': `kubernetes/${kubernetesSchemaSet}/statefulset-apps-v1.json`,
  'networking.k8s.io/v1/NetworkPolicy': `kubernetes/${kubernetesSchemaSet}/networkpolicy-networking-v1.json`,
  'keda.sh/v1alpha1/TriggerAuthentication': 'crds/keda-triggerauthentication.json',
  'kafka.strimzi.io/v1beta2/KafkaUser': 'crds/strimzi-kafkauser.json',
  'keda.sh/v1alpha1/ScaledObject': 'crds/keda-scaledobject.json',
  'kafka.strimzi.io/v1beta2/Kafka': 'crds/strimzi-kafka.json',
  'kafka.strimzi.io/v1beta2/KafkaNodePool': 'crds/strimzi-kafkanodepool.json',
  'kafka.strimzi.io/v1beta2/KafkaTopic': 'crds/strimzi-kafkatopic.json',
  'openfaas.com/v1/Function': 'crds/openfaas-function.json',
};

export interface ManifestProblem {
  file: string;
  /** `Kind/name`, or `document N` when the document has no kind. */
  object: string;
  message: string;
}

/** Just the fields used to find the schema and name the object. */
interface Manifestish {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string };
  spec?: unknown;
}

export type ManifestValidator = (file: string, text: string) => ManifestProblem[];

function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

function describe(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map(
    (e) =>
      `${e.instancePath || '/'} ${e.message ?? e.keyword}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`,
  );
}

/** Semantic checks JSON Schema cannot express. */
function crossFieldProblems(doc: Manifestish): string[] {
  const spec = (doc.spec ?? {}) as { minReplicaCount?: number; maxReplicaCount?: number };
  if (
    doc.kind === 'ScaledObject' &&
    spec.minReplicaCount !== undefined &&
    spec.maxReplicaCount !== undefined &&
    spec.minReplicaCount > spec.maxReplicaCount
  ) {
    return [`/spec minReplicaCount ${spec.minReplicaCount} is above maxReplicaCount ${spec.maxReplicaCount}`];
  }
  return [];
}

/** Compiles every schema once; the returned function validates one YAML file of manifests. */
export function createValidator(dir: string = schemasDir): ManifestValidator {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema(readJson(join(dir, 'kubernetes', kubernetesSchemaSet, '_definitions.json')));
  for (const file of readdirSync(join(dir, 'crds')))
    if (file.endsWith('.json')) ajv.addSchema(readJson(join(dir, 'crds', file)));
  const compiled = new Map<string, ValidateFunction>();
  for (const [key, file] of Object.entries(schemaFiles)) {
    const schema = readJson(join(dir, file));
    const id = schema.$id as string;
    if (!ajv.getSchema(id)) ajv.addSchema(schema);
    compiled.set(key, ajv.getSchema(id)!);
  }

  return (file, text) => {
    const problems: ManifestProblem[] = [];
    parseAllDocuments(text).forEach((document, index) => {
      if (document.errors.length > 0) {
        problems.push({
          file,
          object: `document ${index + 1}`,
          message: document.errors.map((e) => e.message).join('; '),
        });
        return;
      }
      const doc = document.toJS() as Manifestish | null;
      if (doc === null) return;
      const object = `${doc.kind ?? `document ${index + 1}`}/${doc.metadata?.name ?? '?'}`;
      const validate = compiled.get(`${doc.apiVersion}/${doc.kind}`);
      if (validate === undefined) {
        problems.push({ file, object, message: `no schema for ${doc.apiVersion} ${doc.kind} in ${dir}` });
        return;
      }
      const messages = validate(doc) ? [] : describe(validate.errors);
      for (const message of [...messages, ...crossFieldProblems(doc)])
        problems.push({ file, object, message });
    });
    return problems;
  };
}
