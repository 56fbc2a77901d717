import type { FunctionSettings } from '../../../tools/lint/function-settings.ts';
import { cluster, consumerGroupFor, kafkaBootstrap, partOf, secrets } from './cluster.ts';
import type { Manifest } from './manifest.ts';

/** The TriggerAuthentication every function's kafka trigger refers to, beside the ScaledObjects. */
export const triggerAuthenticationName = 'cdnfaas-kafka';

/** KEDA's Kafka user, its password and the cluster CA, from the cdnfaas-keda-kafka Secret in openfaas-fn. */
export function kafkaTriggerAuthentication(): Manifest {
  const secret = secrets.kedaKafka;
  const ref = (parameter: string, key: string) => ({ parameter, name: secret.name, key });
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'TriggerAuthentication',
    metadata: {
      name: triggerAuthenticationName,
      namespace: cluster.namespaces.functions,
      labels: { ...partOf },
    },
    spec: {
      secretTargetRef: [
        ref('username', secret.userKey),
        ref('password', secret.passwordKey),
        ref('ca', secret.caKey),
      ],
    },
  };
}

/**
 * A KEDA ScaledObject per Kafka-triggered function, with the bounds and lag target the local
 * autoscaler uses: desired replicas = ceil(total lag / lag target), clamped to min..max and to
 * the partitions that have lag. It scales the Deployment OpenFaaS creates for the function.
 */
export function scaledObject(
  functionName: string,
  settings: FunctionSettings & { topic: string; lagTarget: number },
): Manifest {
  const spec: Record<string, unknown> = {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: functionName },
    pollingInterval: cluster.keda.pollingInterval,
    minReplicaCount: settings.minReplicas,
    maxReplicaCount: settings.maxReplicas,
  };
  if (settings.downWindowSeconds !== undefined) {
    spec.advanced = {
      horizontalPodAutoscalerConfig: {
        behavior: { scaleDown: { stabilizationWindowSeconds: settings.downWindowSeconds } },
      },
    };
  }
  spec.triggers = [
    {
      type: 'kafka',
      metadata: {
        bootstrapServers: kafkaBootstrap,
        consumerGroup: consumerGroupFor(functionName),
        topic: settings.topic,
        lagThreshold: String(settings.lagTarget),
        // A group with no committed offset yet reads from the start, so its lag is the whole topic.
        offsetResetPolicy: 'earliest',
        // Replicas beyond the partitions with lag would sit idle: per-partition order allows one batch each.
        allowIdleConsumers: 'false',
        limitToPartitionsWithLag: 'true',
        // A partition without a committed offset keeps one replica instead of none.
        scaleToZeroOnInvalidOffset: 'false',
        // Lag on a partition whose offset does not move (a record being retried) does not drive scale-out.
        excludePersistentLag: 'true',
        version: cluster.keda.kafkaProtocolVersion,
        // Kafka serves only TLS with SCRAM users; the user, password and CA come from the
        // TriggerAuthentication (Secrets), never from this object.
        sasl: 'scram_sha512',
        tls: 'enable',
      },
      authenticationRef: { name: triggerAuthenticationName },
    },
  ];
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: {
      name: functionName,
      namespace: cluster.namespaces.functions,
      labels: { faas_function: functionName, ...partOf },
    },
    spec,
  };
}
