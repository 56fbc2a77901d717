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
      () => {
        const d = goodDeployment();
        d.spec.template.spec.containers[0].imagePullPolicey = 'Always';
        return d;
      },
      /must NOT have additional properties \(imagePullPolicey\)/,
    ],
    [
      'a Deployment without a selector',
      () => {
        const d = goodDeployment();
        delete d.spec.selector;
        return d;
      },
      /must have required property 'selector'/,
    ],
    [
      'a container port given as text',
      () => {
        const d = goodDeployment();
        d.spec.template.spec.containers[0].ports[0].containerPort = '8081';
        return d;
      },
      /containerPort must be integer/,
    ],
    [
      'a misspelt KEDA kafka trigger parameter',
      () => {
        const s = goodScaledObject();
        s.spec.triggers[0].metadata.lagTreshold = '10';
        return s;
      },
      /additional properties \(lagTreshold\)/,
    ],
    [
      'a KEDA lag threshold that is not a number',
      () => {
        const s = goodScaledObject();
        s.spec.triggers[0].metadata.lagThreshold = 'lots';
        return s;
      },
      /lagThreshold must match pattern/,
    ],
    [
      'limitToPartitionsWithLag together with idle consumers',
      () => {
        const s = goodScaledObject();
        s.spec.triggers[0].metadata.allowIdleConsumers = 'true';
        return s;
      },
      /must NOT be valid/,
    ],
    [
      'a ScaledObject whose minimum exceeds its maximum',
      () => {
        const s = goodScaledObject();
        s.spec.minReplicaCount = 5;
        return s;
      },
      /minReplicaCount 5 is above maxReplicaCount 4/,
    ],
    [
      'a KafkaTopic named with an underscore',
      () => {
        const t = kafkaTopic({ name: 'cdn_raw', partitions: 6 }) as any;
        t.metadata.name = 'cdn_raw';
        return t;
      },
      /metadata\/name must match pattern/,
    ],
    [
      'a KafkaTopic with zero partitions',
      () => kafkaTopic({ name: 'cdn_raw', partitions: 0 }),
      /partitions must be >= 1/,
    ],
    [
      'a KafkaUser ACL with an operation Kafka does not have',
      () => {
        const u = connectorKafkaUser() as any;
        u.spec.authorization.acls[0].operations.push('Consume');
        return u;
      },
      /operations\/5 must be equal to one of the allowed values/,
    ],
    [
      'a KafkaUser topic ACL without a name',
      () => {
        const u = connectorKafkaUser() as any;
        delete u.spec.authorization.acls[0].resource.name;
        return u;
      },
      /must have required property 'name'/,
    ],
    [
      'a Kafka listener with a SASL mechanism Strimzi does not offer',
      () => {
        const k = kafkaCluster() as any;
        k.spec.kafka.listeners[0].authentication.type = 'scram-sha-256';
        return k;
      },
      /authentication\/type must be equal to one of the allowed values/,
    ],
    [
      'a Kafka listener peer with a misspelt selector',
      () => {
        const k = kafkaCluster() as any;
        k.spec.kafka.listeners[0].networkPolicyPeers[0].podSelectr = {};
        return k;
      },
      /additional properties \(podSelectr\)/,
    ],
    [
      'a TriggerAuthentication secret reference without its key',
      () => {
        const a = kafkaTriggerAuthentication() as any;
        delete a.spec.secretTargetRef[1].key;
        return a;
      },
      /must have required property 'key'/,
    ],
    [
      'a NetworkPolicy with a misspelt field',
      () => {
        const p = influxdbNetworkPolicy(['load-data']) as any;
        p.spec.ingres = p.spec.ingress;
        return p;
      },
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
