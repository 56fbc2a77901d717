/* eslint-disable @typescript-eslint/no-explicit-any -- the tests read and mutate nested manifest objects */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { scaledObject } from './keda.ts';
import { functionResource } from './functions.ts';
import { connectorDeployment } from './connector.ts';
import { connectorKafkaUser } from './kafka-users.ts';
import { kafkaTriggerAuthentication } from './keda.ts';
import { influxdbNetworkPolicy } from './network-policies.ts';
import { kafkaCluster, kafkaTopic } from './strimzi.ts';
import { renderGoYaml } from './go-yaml.ts';
import { createValidator } from './validate.ts';

const validate = createValidator();
const check = (object: unknown) =>
  validate('test.yaml', stringify(object)).map((p) => `${p.object}: ${p.message}`);

const settings = {
  topic: 'cdn_raw',
  lagTarget: 5000,
  outputs: [],
  minReplicas: 1,
  maxReplicas: 4,
  batch: {},
};
const goodScaledObject = () => scaledObject('provide', settings) as any;
const goodDeployment = () => connectorDeployment('cdnfaas/connector:0.1.0') as any;
/** A manifest from `make` with `change` applied: what a broken-manifest case checks. */
const changed = (make: () => unknown, change: (object: any) => void) => (): unknown => {
  const object = make();
  change(object);
  return object;
};

describe('offline validation catches broken manifests', () => {
  it('accepts the objects the generator builds', () => {
    expect(check(goodScaledObject())).toEqual([]);
    expect(check(goodDeployment())).toEqual([]);
    expect(check(kafkaTopic({ name: 'cdn_raw', partitions: 6 }))).toEqual([]);
    expect(check(kafkaCluster())).toEqual([]);
    expect(check(connectorKafkaUser())).toEqual([]);
    expect(check(kafkaTriggerAuthentication())).toEqual([]);
    expect(check(influxdbNetworkPolicy(['load-data']))).toEqual([]);
  });

  it.each<[string, () => unknown, RegExp]>([
    [
      'a Deployment container field Kubernetes does not know',
      changed(goodDeployment, (d) => {
        d.spec.template.spec.containers[0].imagePullPolicey = 'Always';
      }),
      /must NOT have additional properties \(imagePullPolicey\)/,
    ],
    [
      'a Deployment without a selector',
      changed(goodDeployment, (d) => {
        delete d.spec.selector;
      }),
      /must have required property 'selector'/,
    ],
    [
      'a container port given as text',
      changed(goodDeployment, (d) => {
        d.spec.template.spec.containers[0].ports[0].containerPort = '8081';
      }),
      /containerPort must be integer/,
    ],
    [
      'a misspelt KEDA kafka trigger parameter',
      changed(goodScaledObject, (s) => {
        s.spec.triggers[0].metadata.lagTreshold = '10';
      }),
      /additional properties \(lagTreshold\)/,
    ],
    [
      'a KEDA lag threshold that is not a number',
      changed(goodScaledObject, (s) => {
        s.spec.triggers[0].metadata.lagThreshold = 'lots';
      }),
      /lagThreshold must match pattern/,
    ],
    [
      'limitToPartitionsWithLag together with idle consumers',
      changed(goodScaledObject, (s) => {
        s.spec.triggers[0].metadata.allowIdleConsumers = 'true';
      }),
      /must NOT be valid/,
    ],
    [
      'a ScaledObject whose minimum exceeds its maximum',
      changed(goodScaledObject, (s) => {
        s.spec.minReplicaCount = 5;
      }),
      /minReplicaCount 5 is above maxReplicaCount 4/,
    ],
    [
      'a KafkaTopic named with an underscore',
      changed(
        () => kafkaTopic({ name: 'cdn_raw', partitions: 6 }),
        (t) => {
          t.metadata.name = 'cdn_raw';
        },
      ),
      /metadata\/name must match pattern/,
    ],
    [
      'a KafkaTopic with zero partitions',
      () => kafkaTopic({ name: 'cdn_raw', partitions: 0 }),
      /partitions must be >= 1/,
    ],
    [
      'a KafkaUser ACL with an operation Kafka does not have',
      changed(connectorKafkaUser, (u) => {
        u.spec.authorization.acls[0].operations.push('Consume');
      }),
      /operations\/5 must be equal to one of the allowed values/,
    ],
    [
      'a KafkaUser topic ACL without a name',
      changed(connectorKafkaUser, (u) => {
        delete u.spec.authorization.acls[0].resource.name;
      }),
      /must have required property 'name'/,
    ],
    [
      'a Kafka listener with a SASL mechanism Strimzi does not offer',
      changed(kafkaCluster, (k) => {
        k.spec.kafka.listeners[0].authentication.type = 'scram-sha-256';
      }),
      /authentication\/type must be equal to one of the allowed values/,
    ],
    [
      'a Kafka listener peer with a misspelt selector',
      changed(kafkaCluster, (k) => {
        k.spec.kafka.listeners[0].networkPolicyPeers[0].podSelectr = {};
      }),
      /additional properties \(podSelectr\)/,
    ],
    [
      'a TriggerAuthentication secret reference without its key',
      changed(kafkaTriggerAuthentication, (a) => {
        delete a.spec.secretTargetRef[1].key;
      }),
      /must have required property 'key'/,
    ],
    [
      'a NetworkPolicy with a misspelt field',
      changed(
        () => influxdbNetworkPolicy(['load-data']),
        (p) => {
          p.spec.ingres = p.spec.ingress;
        },
      ),
      /additional properties \(ingres\)/,
    ],
    [
      'a kind without a schema',
      () => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }),
      /no schema for example.com\/v1 Widget/,
    ],
  ])('%s', (_name, build, message) => {
    const problems = check(build());
    expect(problems.join('\n')).toMatch(message);
  });

  it('checks the Function resource as faas-cli renders it', () => {
    const fn = {
      name: 'Bad_Name',
      lang: 'node20-ts',
      handler: '/x',
      image: 'x:1',
      imageRef: 'x:1',
      environment: {},
      environmentFiles: [],
      secrets: [],
      labels: {},
      annotations: {},
      buildArgs: {},
      buildOptions: [],
      skipBuild: false,
      constraints: [],
      readonlyRootFilesystem: false,
    };
    const problems = validate('functions.yaml', `---\n${renderGoYaml(functionResource(fn))}`);
    expect(problems.map((p) => p.message).join('\n')).toMatch(/name must match pattern/);
  });
});
