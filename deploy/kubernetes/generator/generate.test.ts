/* eslint-disable @typescript-eslint/no-explicit-any -- the tests read and mutate nested manifest objects */
import { homedir } from 'node:os';
import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { readFunctionSettings } from '../../../tools/lint/function-settings.ts';
import { projectRoot, sourcesSchema } from '../../../system/config.ts';
import { consumerGroupFor, kafkaBootstrap, kafkaUsers, secrets } from './cluster.ts';
import { functionsFile, generateManifests, influxWriters } from './generate.ts';
import { findDrift, manifestsDir, readInputs } from './io.ts';
import { createValidator } from './validate.ts';

const inputs = readInputs();
const generated = generateManifests(inputs);
const objects = (file: string) =>
  parseAllDocuments(generated.get(file)!)
    .map((d) => d.toJS() as Record<string, any>)
    .filter((d) => d !== null);

describe('the generated Kubernetes manifests', () => {
  it('are deterministic: generating twice gives the same bytes', () => {
    expect(generateManifests(readInputs())).toEqual(generated);
  });

  it('carry nothing of the machine they were generated on', () => {
    for (const [file, text] of generated) {
      expect(text, file).not.toContain(projectRoot);
      expect(text, file).not.toContain(homedir());
    }
  });

  it('match the committed files in deploy/kubernetes/manifests (no drift)', () => {
    const drift = findDrift(generated, manifestsDir);
    expect(drift, 'run `npx cdnfaas k8s generate` and commit the result').toEqual([]);
  });

  it('all validate against the Kubernetes, KEDA, Strimzi and OpenFaaS schemas in the repository', () => {
    const validate = createValidator();
    const manifestFiles = [...generated.keys()].filter((file) => file !== 'kustomization.yaml');
    expect(manifestFiles.length).toBeGreaterThanOrEqual(8);
    for (const file of manifestFiles) expect(validate(file, generated.get(file)!)).toEqual([]);
  });

  it('list every manifest but the Function resources in kustomization.yaml', () => {
    const kustomization = parse(generated.get('kustomization.yaml')!) as { resources: string[] };
    const expected = [...generated.keys()].filter(
      (file) => file !== 'kustomization.yaml' && file !== functionsFile,
    );
    expect([...kustomization.resources].sort()).toEqual(expected.sort());
  });

  it('hold one Function resource per stack function, agreeing with stack.yml', () => {
    const functions = objects(functionsFile);
    expect(functions.map((f) => f.metadata.name)).toEqual(inputs.stack.functions.map((f) => f.name).sort());
    for (const fn of inputs.stack.functions) {
      const resource = functions.find((f) => f.metadata.name === fn.name)!;
      expect(resource.metadata.namespace).toBe('openfaas-fn');
      expect(resource.spec.image).toBe(fn.image);
      expect(resource.spec.labels).toEqual(fn.labels);
      expect(resource.spec.annotations).toEqual(fn.annotations);
      expect(resource.spec.environment ?? {}).toEqual(fn.environment);
      expect(resource.spec.secrets ?? []).toEqual(fn.secrets);
    }
  });

  it('hold a KEDA ScaledObject per Kafka-triggered function with its topic, group, lag target and bounds', () => {
    const scaled = objects('keda-scaledobjects.yaml').filter((o) => o.kind === 'ScaledObject');
    const triggered = inputs.stack.functions.filter((fn) => fn.annotations.topic !== undefined);
    expect(scaled.map((s) => s.metadata.name).sort()).toEqual(triggered.map((fn) => fn.name).sort());
    for (const fn of triggered) {
      const { settings } = readFunctionSettings(fn);
      const object = scaled.find((s) => s.metadata.name === fn.name)!;
      expect(object.metadata.namespace).toBe('openfaas-fn');
      expect(object.spec.scaleTargetRef).toEqual({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: fn.name,
      });
      expect([object.spec.minReplicaCount, object.spec.maxReplicaCount]).toEqual([
        Number(fn.labels['com.openfaas.scale.min']),
        Number(fn.labels['com.openfaas.scale.max']),
      ]);
      const trigger = object.spec.triggers[0];
      expect(trigger.type).toBe('kafka');
      expect(trigger.metadata).toMatchObject({
        bootstrapServers: kafkaBootstrap,
        consumerGroup: consumerGroupFor(fn.name),
        topic: settings.topic,
        lagThreshold: fn.annotations['cdnfaas.scale.lag-target'],
        offsetResetPolicy: 'earliest',
        allowIdleConsumers: 'false',
        scaleToZeroOnInvalidOffset: 'false',
        limitToPartitionsWithLag: 'true',
      });
    }
  });

  it('hold a KafkaTopic per topic of system/sources.yaml with its partitions', () => {
    const topics = objects('kafka-topics.yaml');
    const byName = Object.fromEntries(topics.map((t) => [t.spec.topicName, t.spec.partitions]));
    expect(byName).toEqual(Object.fromEntries(inputs.sources.topics.map((t) => [t.name, t.partitions])));
  });

  it('run Kafka in KRaft mode on a node pool with controller and broker roles', () => {
    const [pool, kafka] = objects('kafka.yaml');
    expect(pool!.kind).toBe('KafkaNodePool');
    expect(pool!.spec.roles).toEqual(['controller', 'broker']);
    expect(pool!.metadata.labels['strimzi.io/cluster']).toBe(kafka!.metadata.name);
    expect(kafka!.metadata.annotations).toMatchObject({
      'strimzi.io/kraft': 'enabled',
      'strimzi.io/node-pools': 'enabled',
    });
  });

  it('give the connector its configuration from a ConfigMap and its credentials from Secrets only', () => {
    const [configMap, deployment] = objects('connector.yaml');
    const sources = parse(configMap!.data['sources.yaml']);
    // The connector loads it with the same strict schema as the local system/sources.yaml.
    expect(sourcesSchema.safeParse(sources).success).toBe(true);
    expect(sources.kafka.brokers).toEqual([kafkaBootstrap]);
    expect(Object.keys(sources.kafka.topics)).toEqual(inputs.sources.topics.map((t) => t.name));
    const pod = deployment!.spec.template.spec;
    expect(
      pod.volumes
        .filter((v: any) => v.secret)
        .map((v: any) => v.secret.secretName)
        .sort(),
    ).toEqual(['basic-auth', 'cdnfaas-cluster-ca-cert', 'cdnfaas-connector-kafka', 'influxdb-token']);
    // Credentials reach the container as Secret references or files, never as literal values.
    for (const env of pod.containers[0].env) {
      if (/PASSWORD|TOKEN|USER/.test(env.name))
        expect(env.valueFrom !== undefined || env.name.endsWith('_FILE'), env.name).toBe(true);
    }
  });

  it('give Grafana the dashboards of deploy/grafana and in-cluster data sources with the uids they use', () => {
    const grafana = objects('grafana.yaml');
    const dashboards = grafana.find((o) => o.metadata.name === 'grafana-dashboards')!;
    expect(Object.keys(dashboards.data ?? {}).sort()).toEqual(inputs.dashboards.map((d) => d.file).sort());
    const provisioned = parse(
      grafana.find((o) => o.metadata.name === 'grafana-datasources')!.data['datasources.yaml'],
    );
    const uids = new Set(provisioned.datasources.map((d: any) => d.uid));
    for (const source of provisioned.datasources) expect(source.url).toMatch(/\.svc(\.cluster\.local)?:\d+$/);
    const referenced = new Set<string>();
    const collect = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(collect);
      else if (node !== null && typeof node === 'object') {
        const record = node as Record<string, unknown>;
        const datasource = record.datasource as { uid?: unknown } | undefined;
        if (typeof datasource?.uid === 'string' && !datasource.uid.startsWith('$'))
          referenced.add(datasource.uid);
        Object.values(record).forEach(collect);
      }
    };
    for (const d of inputs.dashboards) collect(JSON.parse(d.json));
    for (const uid of referenced) expect(uids.has(uid), `dashboards use data source ${uid}`).toBe(true);
  });

  describe('let no one in without credentials (issue 14)', () => {
    const kafka = objects('kafka.yaml').find((o) => o.kind === 'Kafka')!;
    const users = objects('kafka-users.yaml');
    const [configMap, deployment] = objects('connector.yaml');

    it('serve Kafka clients only on a TLS listener with SCRAM-SHA-512, simple authorization and a user operator', () => {
      const listeners = kafka.spec.kafka.listeners;
      expect(listeners).toHaveLength(1);
      expect(listeners[0]).toMatchObject({ tls: true, authentication: { type: 'scram-sha-512' } });
      expect(kafkaBootstrap.endsWith(`:${listeners[0].port}`)).toBe(true);
      expect(kafka.spec.kafka.authorization).toEqual({ type: 'simple' });
      expect(kafka.spec.entityOperator.userOperator).toEqual({});
    });

    it('let only the connector and KEDA through the Kafka listener', () => {
      const peers = kafka.spec.kafka.listeners[0].networkPolicyPeers;
      expect(
        peers.map((p: any) => [
          p.namespaceSelector.matchLabels['kubernetes.io/metadata.name'],
          p.podSelector.matchLabels,
        ]),
      ).toEqual([
        ['openfaas', deployment!.spec.selector.matchLabels],
        ['keda', { app: 'keda-operator' }],
      ]);
    });

    it('create SCRAM KafkaUsers for the connector and KEDA, passwords from Secrets, KEDA read-only', () => {
      expect(users.map((u) => u.metadata.name)).toEqual([kafkaUsers.connector, kafkaUsers.keda]);
      for (const user of users) {
        expect(user.metadata.labels['strimzi.io/cluster']).toBe(kafka.metadata.name);
        expect(user.spec.authentication).toEqual({
          type: 'scram-sha-512',
          password: { valueFrom: { secretKeyRef: { name: `${user.metadata.name}-kafka`, key: 'password' } } },
        });
      }
      const connectorAcls = users[0]!.spec.authorization.acls;
      expect(connectorAcls).toContainEqual({
        resource: { type: 'transactionalId', name: 'cdnfaas-', patternType: 'prefix' },
        operations: ['Write', 'Describe'],
      });
      const kedaOperations = users[1]!.spec.authorization.acls.flatMap((acl: any) => acl.operations);
      expect(new Set(kedaOperations)).toEqual(new Set(['Describe']));
    });

    it('give the connector SASL_SSL settings whose files are mounted from its Secrets', () => {
      const security = parse(configMap!.data['sources.yaml']).kafka.security;
      expect(security).toMatchObject({ protocol: 'SASL_SSL', mechanism: 'SCRAM-SHA-512' });
      const pod = deployment!.spec.template.spec;
      const secretOf = (file: string): string => {
        const mount = pod.containers[0].volumeMounts.find((m: any) => file.startsWith(`${m.mountPath}/`));
        expect(mount, file).toBeDefined();
        const volume = pod.volumes.find((v: any) => v.name === mount.name);
        return `${volume.secret.secretName}/${file.slice(mount.mountPath.length + 1)}`;
      };
      const own = secrets.kafkaUser(kafkaUsers.connector);
      expect(secretOf(security.userFile)).toBe(`${own.name}/${own.userKey}`);
      expect(secretOf(security.passwordFile)).toBe(`${own.name}/${own.passwordKey}`);
      expect(secretOf(security.caFile)).toBe(`${secrets.kafkaClusterCa.name}/${secrets.kafkaClusterCa.key}`);
    });

    it('scale on lag over SASL/TLS through a TriggerAuthentication beside the ScaledObjects', () => {
      const keda = objects('keda-scaledobjects.yaml');
      const auth = keda.find((o) => o.kind === 'TriggerAuthentication')!;
      expect(auth.spec.secretTargetRef.map((r: any) => r.parameter).sort()).toEqual([
        'ca',
        'password',
        'username',
      ]);
      for (const scaled of keda.filter((o) => o.kind === 'ScaledObject')) {
        expect(scaled.metadata.namespace).toBe(auth.metadata.namespace);
        const trigger = scaled.spec.triggers[0];
        expect(trigger.metadata).toMatchObject({ sasl: 'scram_sha512', tls: 'enable' });
        expect(trigger.metadata).not.toHaveProperty('password');
        expect(trigger.authenticationRef).toEqual({ name: auth.metadata.name });
      }
    });

    it('let only the functions holding the InfluxDB token, and Grafana, reach InfluxDB', () => {
      const [policy] = objects('network-policies.yaml');
      const influx = objects('influxdb.yaml').find((o) => o.kind === 'StatefulSet')!;
      expect(policy!.spec.podSelector.matchLabels).toEqual(influx.spec.selector.matchLabels);
      const [functions, grafana] = policy!.spec.ingress[0].from;
      expect(functions.podSelector.matchExpressions[0].values).toEqual(['load-data', 'load-predictions']);
      expect(influxWriters(inputs.stack).sort()).toEqual(['load-data', 'load-predictions']);
      expect(grafana.podSelector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'grafana' });
      // InfluxDB 2.x is set up with an admin user and token from a Secret: auth is always on.
      const env = influx.spec.template.spec.containers[0].env;
      expect(
        env.find((e: any) => e.name === 'DOCKER_INFLUXDB_INIT_ADMIN_TOKEN').valueFrom.secretKeyRef.name,
      ).toBe('influxdb-auth');
    });
  });
});
