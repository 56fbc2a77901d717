// InfluxDB as a managed service: influxd 1.8 built from source, with Flux and the v2 write API.
import { mkdirSync, writeFileSync } from 'node:fs';
import { isCdnfaasError } from '../../lib/errors.ts';
import { readInfluxToken, type SystemConfig } from '../../system/config.ts';
import { influxCredentialFile } from '../../system/influx-credentials.ts';
import { answersWithoutCredentials, ensureInfluxUsers } from './influx-auth.ts';
import { hostPortOfUrl, isLoopbackHost } from './address.ts';
import { influxRpcPort, influxdbVersion, renderInfluxConfig } from './influx-files.ts';
import { ensureDatabase, ensureTokenFile, influxHealth, influxVersion } from './influx-http.ts';
import { obtainInfluxd } from './influx-obtain.ts';
import { influxPaths } from './layout.ts';
import type { ManagedService, ServiceOptions } from './managed.ts';
import { readObtained } from './obtained.ts';
import { spawnDetached, writeRecord, type ServiceRecord } from './processes.ts';

export function createInfluxService(config: SystemConfig, options: ServiceOptions = {}): ManagedService {
  const version = options.version ?? influxdbVersion;
  const env = options.env ?? process.env;
  const url = config.influxdb.url;
  const http = hostPortOfUrl(url);
  const rpc = { host: http.host, port: influxRpcPort(http.port) };
  const paths = influxPaths(config.cacheDir, config.home, version);
  const external = config.externalInflux || !isLoopbackHost(http.host) || new URL(url).protocol === 'https:';

  return {
    name: 'influxdb',
    address: url,
    external,
    externalVariable: 'INFLUX_URL',
    portKeys: 'influxdb.url (the backup RPC port is the HTTP port + 2)',
    ports: [
      { ...http, role: 'HTTP API' },
      { ...rpc, role: 'backup RPC' },
    ],
    run: paths.run,
    version,
    health: () => influxHealth(url),

    async start(onProgress) {
      const obtained = await obtainInfluxd({
        cacheDir: config.cacheDir,
        home: config.home,
        version,
        onProgress,
        env,
      });
      mkdirSync(paths.run.dir, { recursive: true });
      writeFileSync(
        paths.config,
        renderInfluxConfig({
          host: http.host,
          httpPort: http.port,
          rpcPort: rpc.port,
          dataDir: paths.run.dir,
          authEnabled: config.secure,
        }),
      );
      const args = ['run', '-config', paths.config];
      onProgress({
        service: 'influxdb',
        kind: 'step',
        message: `starting InfluxDB ${version} on ${url} (log: ${paths.run.logFile})`,
      });
      const process = await spawnDetached({
        command: obtained.binary,
        args,
        cwd: paths.run.dir,
        env,
        logFile: paths.run.logFile,
        installHint: `delete ${paths.cache} so it is built again`,
      });
      const record: ServiceRecord = {
        service: 'influxdb',
        pid: process.pid,
        startedAt: new Date().toISOString(),
        version,
        address: url,
        command: [obtained.binary, ...args],
        marker: paths.config,
        logFile: paths.run.logFile,
      };
      writeRecord(paths.run, record);
      return { process, record };
    },

    async provision(onProgress) {
      if (config.secure && !external) {
        const written = await ensureInfluxUsers({
          url,
          database: config.influxdb.bucket,
          files: {
            admin: influxCredentialFile(config, 'admin'),
            writer: influxCredentialFile(config, 'writer'),
            reader: influxCredentialFile(config, 'reader'),
          },
        });
        const wrote = written.length > 0 ? `; wrote credentials to ${written.join(', ')}` : '';
        // An InfluxDB started before secure mode was switched on keeps running without auth.
        if (await answersWithoutCredentials(url)) {
          onProgress({
            service: 'influxdb',
            kind: 'warn',
            message:
              'InfluxDB answers queries without credentials: it was started without secure mode; restart it (`npx cdnfaas services down`, then up with --secure)',
          });
        }
        return `database ${config.influxdb.bucket} ready, auth on (admin, writer, reader users)${wrote}`;
      }
      // A local InfluxDB has no auth: a placeholder token file lets clients read it like a real secret.
      const wroteToken = !external && ensureTokenFile(config.influxdb.tokenFile);
      let token: string | undefined;
      try {
        token = readInfluxToken(config, env);
      } catch {
        token = undefined;
      }
      try {
        await ensureDatabase(url, config.influxdb.bucket, token);
      } catch (error) {
        // An external InfluxDB 2.x has buckets instead of CREATE DATABASE; its owner creates them.
        if (!external || !isCdnfaasError(error, 'UPSTREAM_FAILED')) throw error;
        onProgress({ service: 'influxdb', kind: 'warn', message: error.describe() });
        return `database ${config.influxdb.bucket} not created`;
      }
      return `database ${config.influxdb.bucket} ready${wroteToken ? `; wrote placeholder token to ${config.influxdb.tokenFile}` : ''}`;
    },

    async knownVersion() {
      return (await influxVersion(url)) ?? readObtained(paths.obtainedMarker)?.version;
    },
  };
}
