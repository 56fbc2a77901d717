import {
  defaultNamespace,
  type FunctionSpec,
  type FunctionStatus,
} from '../../contracts/openfaas/function.ts';

export interface DeploymentCounts {
  invocationCount: number;
  /** Desired replicas. */
  replicas: number;
  /** Replicas that passed their health check. */
  availableReplicas: number;
  createdAt: Date;
}

/** The OpenFaaS FunctionStatus of a deployed spec: optional fields only when set, as faas-provider encodes them. */
export function functionStatusOf(spec: FunctionSpec, counts: DeploymentCounts): FunctionStatus {
  return {
    name: spec.name,
    image: spec.image,
    namespace: defaultNamespace,
    ...(spec.envProcess === undefined ? {} : { envProcess: spec.envProcess }),
    envVars: spec.envVars,
    constraints: spec.constraints,
    secrets: spec.secrets,
    labels: spec.labels,
    annotations: spec.annotations,
    ...(spec.limits === undefined ? {} : { limits: spec.limits }),
    ...(spec.requests === undefined ? {} : { requests: spec.requests }),
    readOnlyRootFilesystem: spec.readOnlyRootFilesystem,
    invocationCount: counts.invocationCount,
    replicas: counts.replicas,
    availableReplicas: counts.availableReplicas,
    createdAt: counts.createdAt.toISOString(),
  };
}
