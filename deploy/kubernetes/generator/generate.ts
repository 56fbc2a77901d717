import { stringify } from 'yaml';
import { CdnfaasError } from '../../../lib/errors.ts';
import { readFunctionSettings } from '../../../tools/lint/function-settings.ts';
import type { StackFile } from '../../../runtime/stack/stack-file.ts';
import type { Sources, TopicSpec } from '../../../system/config.ts';
import { cluster, partOf, secrets } from './cluster.ts';
import { connectorConfigMap, connectorDeployment, connectorService } from './connector.ts';
import { renderFunctionResources } from './functions.ts';
import {
  defaultDatasources,
  grafanaDashboardProvider,
  grafanaDashboards,
  grafanaDatasources,
  grafanaDeployment,
  grafanaService,
  type Dashboard,
  type Datasource,
} from './grafana.ts';
import { influxdbService, influxdbStatefulSet } from './influxdb.ts';
import { kafkaTriggerAuthentication, scaledObject } from './keda.ts';
import { connectorKafkaUser, kedaKafkaUser } from './kafka-users.ts';
import { influxdbNetworkPolicy } from './network-policies.ts';
import { generatedHeader, renderManifests, type Manifest } from './manifest.ts';
import { kafkaCluster, kafkaNodePool, kafkaTopics } from './strimzi.ts';

/** Everything the Kubernetes files are generated from. */
export interface GeneratorInputs {
  stack: StackFile;
  sources: Sources & { topics: TopicSpec[] };
  dashboards: Dashboard[];
  /** Grafana data sources from deploy/grafana/provisioning; undefined: cdnfaas's defaults. */
  datasources?: Datasource[];
  connectorImage: string;
}

/** The file the OpenFaaS Function resources go to: `faas-cli generate` output, byte for byte. */
export const functionsFile = 'openfaas-functions.yaml';

function namespace(name: string): Manifest {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { ...partOf } } };
}

/** One ScaledObject per function with a topic; refuses settings it cannot read. */
export function scaledObjects(stack: StackFile): Manifest[] {
  return stack.functions.flatMap((fn) => {
    const { settings, problems } = readFunctionSettings(fn);
    if (settings.topic === undefined) return [];
    const issues = [
      ...problems,
      ...(settings.lagTarget === undefined ? ['no cdnfaas.scale.lag-target annotation'] : []),
    ];
    if (issues.length > 0 || settings.lagTarget === undefined) {
      throw new CdnfaasError('INVALID_INPUT', `function ${fn.name}: ${issues.join('; ')}`, {
        hint: 'run `npx cdnfaas lint` and fix what it lists',
      });
    }
    return [scaledObject(fn.name, { ...settings, topic: settings.topic, lagTarget: settings.lagTarget })];
  });
}

/** The functions stack.yml gives the InfluxDB token: the only ones InfluxDB answers. */
export function influxWriters(stack: StackFile): string[] {
  return stack.functions.filter((fn) => fn.secrets.includes(secrets.influxToken.name)).map((fn) => fn.name);
}

/** Every generated file under deploy/kubernetes/manifests, by file name, rendered. Pure. */
export function generateManifests(inputs: GeneratorInputs): Map<string, string> {
  const influx = inputs.sources.influxdb;
  const files: [string, Manifest[]][] = [
    ['namespaces.yaml', [namespace(cluster.namespaces.cdnfaas), namespace(cluster.namespaces.kafka)]],
    ['kafka.yaml', [kafkaNodePool(), kafkaCluster()]],
    ['kafka-topics.yaml', kafkaTopics(inputs.sources.topics)],
    ['kafka-users.yaml', [connectorKafkaUser(), kedaKafkaUser()]],
    ['influxdb.yaml', [influxdbStatefulSet(influx), influxdbService()]],
    [
      'grafana.yaml',
      [
        grafanaDatasources(inputs.datasources ?? defaultDatasources(influx)),
        grafanaDashboardProvider(),
        grafanaDashboards(inputs.dashboards),
        grafanaDeployment(),
        grafanaService(),
      ],
    ],
    [
      'connector.yaml',
      [connectorConfigMap(inputs.sources), connectorDeployment(inputs.connectorImage), connectorService()],
    ],
    ['keda-scaledobjects.yaml', [kafkaTriggerAuthentication(), ...scaledObjects(inputs.stack)]],
    ['network-policies.yaml', [influxdbNetworkPolicy(influxWriters(inputs.stack))]],
  ];
  const rendered = new Map(files.map(([file, manifests]) => [file, renderManifests(manifests)]));
  const kustomization = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    // openfaas-functions.yaml is left out: OpenFaaS CE has no Function operator; deploy with faas-cli.
    resources: files.map(([file]) => file),
  };
  rendered.set('kustomization.yaml', `${generatedHeader}\n${stringify(kustomization)}`);
  rendered.set(functionsFile, renderFunctionResources(inputs.stack));
  return new Map([...rendered.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
}
