// Where each service keeps its files: downloads and builds in the cache (shared by every clone),
// data, configuration, logs and pid files in the cdnfaas home (one per clone). Pure.
import { join } from 'node:path';
import type { RecordFiles } from './processes.ts';

const exe = process.platform === 'win32' ? '.exe' : '';

export interface RunPaths extends RecordFiles {
  dir: string;
  logFile: string;
}

function runPaths(home: string, service: string): RunPaths {
  const dir = join(home, service);
  return {
    dir,
    logFile: join(dir, `${service}.log`),
    pidFile: join(dir, `${service}.pid`),
    recordFile: join(dir, `${service}.started-by-cdnfaas.json`),
  };
}

/**
 * A single node keeps its files in <home>/kafka; the nodes of a cluster each in
 * <home>/kafka-cluster/node-<id>, so a cluster never meets the single node's data (formatted for
 * another quorum, topics with one replica). Secure mode's are kafka-secure and kafka-cluster-secure.
 */
export function kafkaPaths(
  cacheDir: string,
  home: string,
  version: string,
  node: { id: number; nodes: number; secure?: boolean } = { id: 1, nodes: 1 },
) {
  const cache = join(cacheDir, 'kafka', version);
  // Secure mode's data is formatted with its SCRAM users: it never shares a folder with the other.
  const suffix = node.secure ? '-secure' : '';
  const clusterDir = join(home, `kafka-cluster${suffix}`);
  const run = node.nodes === 1 ? runPaths(home, `kafka${suffix}`) : nodeRunPaths(clusterDir, node.id);
  return {
    clusterIdFile: join(clusterDir, 'cluster-id'),
    cache,
    pom: join(cache, 'pom.xml'),
    libs: join(cache, 'libs'),
    log4j2: join(cache, 'log4j2.properties'),
    obtainLog: join(cache, 'obtain.log'),
    obtainedMarker: join(cache, 'obtained.json'),
    run,
    dataDir: join(run.dir, 'data'),
    formattedMarker: join(run.dir, 'data', 'meta.properties'),
    formatLog: join(run.dir, 'format.log'),
    properties: join(run.dir, 'server.properties'),
  };
}

function nodeRunPaths(clusterDir: string, id: number): RunPaths {
  const dir = join(clusterDir, `node-${id}`);
  return {
    dir,
    logFile: join(dir, 'kafka.log'),
    pidFile: join(dir, 'kafka.pid'),
    recordFile: join(dir, 'kafka.started-by-cdnfaas.json'),
  };
}

export function influxPaths(cacheDir: string, home: string, version: string) {
  const cache = join(cacheDir, 'influxdb', version);
  const run = runPaths(home, 'influxdb');
  return {
    cache,
    bin: join(cache, 'bin'),
    binary: join(cache, 'bin', `influxd${exe}`),
    obtainLog: join(cache, 'obtain.log'),
    obtainedMarker: join(cache, 'obtained.json'),
    run,
    config: join(run.dir, 'influxdb.conf'),
  };
}

export function faasCliPaths(cacheDir: string) {
  const cache = join(cacheDir, 'faas-cli');
  return {
    cache,
    bin: join(cache, 'bin'),
    binary: join(cache, 'bin', `faas-cli${exe}`),
    obtainLog: join(cache, 'obtain.log'),
    refusal: join(cache, 'unavailable.json'),
  };
}
