/**
 * What OpenFaaS Community Edition on Kubernetes (faas-netes) enforces, with where it does so.
 * Read from faas-netes: pkg/handlers/replica_reader.go (MaxReplicas, MaxFunctions),
 * pkg/handlers/validate.go (names, image, scaling labels), pkg/handlers/deploy.go (namespace,
 * function count, public images only), pkg/handlers/informers.go (replicas clamped to 1..5),
 * pkg/handlers/replica_updater.go (scale to 0 refused), main.go (operator mode not in CE).
 */
export const ceLimits = {
  /** faas-netes CE: replicas above this are set back to it; scale labels above it are refused. */
  maxReplicas: 5,
  /** faas-netes CE: deploying a 16th function is refused. */
  maxFunctions: 15,
  /** faas-netes CE: `namespace must be: openfaas-fn` for any other namespace. */
  functionNamespace: 'openfaas-fn',
  /** Kubernetes: a Service name is a DNS-1035 label of at most 63 characters. */
  maxNameLength: 63,
} as const;

/** Scaling labels faas-netes CE refuses at deploy time (validateScalingLabels). */
export const proOnlyScalingLabels: Record<string, string> = {
  'com.openfaas.scale.zero':
    'scale to zero is an OpenFaaS Pro feature; CE refuses "true" and keeps at least 1 replica',
  'com.openfaas.scale.zero-duration': 'the idle time before scaling to zero is an OpenFaaS Pro setting',
  'com.openfaas.scale.target': 'the autoscaling target is an OpenFaaS Pro setting (CE has no autoscaler)',
  'com.openfaas.scale.type': 'the autoscaling type (rps, capacity, cpu) is an OpenFaaS Pro setting',
};

/** Scaling labels CE accepts but nothing in CE acts on (they belong to the Pro autoscaler). */
export const ignoredScalingLabels: Record<string, string> = {
  'com.openfaas.scale.target-proportion': 'read only by the OpenFaaS Pro autoscaler',
};

/** Kubernetes DNS-1035 label: what a function's Service name must be. */
export const dns1035Label = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** faas-netes validateService: RFC 1123 label, checked before anything else. */
export const faasNetesServiceName = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Kubernetes label value: at most 63 characters, alphanumeric at both ends, `-_.` inside. */
export const labelValuePattern = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
/** Kubernetes qualified name (label and annotation keys): optional DNS prefix, `/`, name. */
export const qualifiedKeyPattern =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
/** Kubernetes Secret names are DNS-1123 subdomains. */
export const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
