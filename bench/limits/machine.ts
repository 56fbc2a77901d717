// The machine a report was measured on: hardware, OS, and the versions of every part in play.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem, type } from 'node:os';
import { kafkaVersion } from '../../deploy/local/index.ts';
import { influxVersion } from '../../deploy/local/influx-http.ts';

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  java: string;
  kafka: string;
  influxdb: string;
  kcat: string;
  onnxruntime: string;
  /** 1-minute load average when the run started and ended: other work on the machine skews figures. */
  loadAverage: { start: number; end?: number };
}

/** `PRETTY_NAME` of /etc/os-release, as distributions name themselves. Pure. */
export function prettyName(osRelease: string): string | undefined {
  const line = osRelease.split('\n').find((entry) => entry.startsWith('PRETTY_NAME='));
  return line?.slice('PRETTY_NAME='.length).replace(/^"|"$/g, '');
}

/** The first line of `java -version` or of `kcat -V` that names a version. Pure. */
export function versionLine(text: string, pattern: RegExp): string | undefined {
  return text
    .split('\n')
    .find((line) => pattern.test(line))
    ?.trim();
}

/** `1.7.1 (librdkafka 2.0.2)` from `kcat -V`. Pure. */
export function kcatVersion(text: string): string {
  const match = /Version (\S+).*librdkafka (\S+)/.exec(text);
  return match ? `${match[1]} (librdkafka ${match[2]})` : 'unavailable';
}

function run(command: string, args: string[]): string {
  try {
    // `java -version` answers on stderr: take both streams.
    return execFileSync('sh', ['-c', '"$0" "$@" 2>&1', command, ...args], {
      encoding: 'utf8',
      timeout: 10_000,
    });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; code?: string };
    return `${failed.stdout ?? ''}${failed.stderr ?? ''}` || `unavailable (${failed.code ?? 'error'})`;
  }
}

function packageVersion(name: string): string {
  const file = new URL(`../../node_modules/${name}/package.json`, import.meta.url);
  return existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version
    : 'not installed';
}

export async function describeMachine(influxUrl: string): Promise<Machine> {
  const list = cpus();
  const osRelease = existsSync('/etc/os-release') ? readFileSync('/etc/os-release', 'utf8') : '';
  const java = run('java', ['-version']);
  return {
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    os: `${prettyName(osRelease) ?? type()} (${type()} ${release()})`,
    node: process.version,
    java: versionLine(java, /version "/) ?? 'unavailable',
    kafka: `${kafkaVersion} (KRaft, single node)`,
    influxdb: (await influxVersion(influxUrl)) ?? 'unavailable',
    kcat: kcatVersion(run('kcat', ['-V'])),
    onnxruntime: packageVersion('onnxruntime-node'),
    loadAverage: { start: Math.round(loadavg()[0]! * 100) / 100 },
  };
}

export function endLoadAverage(machine: Machine): Machine {
  return { ...machine, loadAverage: { ...machine.loadAverage, end: Math.round(loadavg()[0]! * 100) / 100 } };
}
