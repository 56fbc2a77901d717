import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { loadStackFile } from '../../../runtime/stack/stack-file.ts';
import { loadConfig, projectRoot } from '../../../system/config.ts';
import { influxUrl, kafkaBootstrap } from './cluster.ts';
import { generateManifests, type GeneratorInputs } from './generate.ts';
import type { Dashboard, Datasource } from './grafana.ts';

/** The I/O edge of the generator: read the sources of truth, write or compare the files. */

export const manifestsDir = join(projectRoot, 'deploy', 'kubernetes', 'manifests');
export const grafanaDir = join(projectRoot, 'deploy', 'grafana');

/**
 * The environment stack.yml is substituted with (faas-cli's envsubst), so that a value written
 * as ${INFLUX_URL:-http://127.0.0.1:8086} gets the cluster's address. Nothing else leaks in.
 */
export const clusterEnvironment = { INFLUX_URL: influxUrl, KAFKA_BROKERS: kafkaBootstrap };

/** The dashboards generated as code in deploy/grafana/dashboards (every .json file there). */
export function readDashboards(dir: string = grafanaDir): Dashboard[] {
  const dashboardDir = join(dir, 'dashboards');
  if (!existsSync(dashboardDir)) return [];
  return readdirSync(dashboardDir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({ file, json: readFileSync(join(dashboardDir, file), 'utf8') }));
}

/** The data sources provisioned in deploy/grafana/provisioning/datasources, if any. */
export function readDatasources(dir: string = grafanaDir): Datasource[] | undefined {
  const datasourceDir = join(dir, 'provisioning', 'datasources');
  if (!existsSync(datasourceDir)) return undefined;
  const files = readdirSync(datasourceDir)
    .filter((file) => /\.ya?ml$/.test(file))
    .sort();
  if (files.length === 0) return undefined;
  return files.flatMap((file) => {
    const parsed = parseYaml(readFileSync(join(datasourceDir, file), 'utf8')) as {
      datasources?: Datasource[];
    } | null;
    return parsed?.datasources ?? [];
  });
}

export function readInputs(root: string = projectRoot): GeneratorInputs {
  const packageVersion = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string })
    .version;
  return {
    stack: loadStackFile(join(root, 'stack.yml'), { env: clusterEnvironment }),
    // An empty environment: the developer's KAFKA_BROKERS or INFLUX_* must not reach the manifests.
    sources: loadConfig({ file: join(root, 'system', 'sources.yaml'), env: {} }),
    dashboards: readDashboards(join(root, 'deploy', 'grafana')),
    datasources: readDatasources(join(root, 'deploy', 'grafana')),
    connectorImage: `cdnfaas/connector:${packageVersion}`,
  };
}

export interface Drift {
  file: string;
  state: 'missing' | 'different' | 'extra';
}

/** Compares generated files with those on disk; an empty list means no drift. */
export function findDrift(generated: Map<string, string>, dir: string = manifestsDir): Drift[] {
  const drift: Drift[] = [];
  for (const [file, content] of generated) {
    const path = join(dir, file);
    if (!existsSync(path)) drift.push({ file, state: 'missing' });
    else if (readFileSync(path, 'utf8') !== content) drift.push({ file, state: 'different' });
  }
  if (existsSync(dir)) {
    for (const file of readdirSync(dir)) {
      if (!generated.has(file)) drift.push({ file, state: 'extra' });
    }
  }
  return drift;
}

export function writeManifests(generated: Map<string, string>, dir: string = manifestsDir): string[] {
  mkdirSync(dir, { recursive: true });
  for (const [file, content] of generated) writeFileSync(join(dir, file), content);
  return [...generated.keys()];
}

export function generateFromRepository(root: string = projectRoot): Map<string, string> {
  return generateManifests(readInputs(root));
}
