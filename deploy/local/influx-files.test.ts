import { describe, expect, it } from 'vitest';
import {
  influxdInstallArgs,
  influxRpcPort,
  moduleVersionFromBuildInfo,
  renderInfluxConfig,
} from './influx-files.ts';

/** InfluxDB on 127.0.0.1 at `httpPort` and `rpcPort`, keeping its files in `dataDir`. */
function onLoopback(httpPort: number, rpcPort: number, dataDir: string) {
  return { host: '127.0.0.1', httpPort, rpcPort, dataDir };
}

describe('renderInfluxConfig', () => {
  const text = renderInfluxConfig(onLoopback(28086, 28088, '/home/u/.cdnfaas/influxdb/'));

  it('binds HTTP and RPC on the configured loopback ports', () => {
    expect(text).toMatch(/^\[http\]\n {2}bind-address = "127\.0\.0\.1:28086"$/m);
    expect(text).toMatch(/^bind-address = "127\.0\.0\.1:28088"$/m);
  });

  it('enables Flux and disables usage reporting', () => {
    expect(text).toContain('flux-enabled = true');
    expect(text).toContain('reporting-disabled = true');
  });

  it('keeps meta, data and wal under the data directory', () => {
    expect(text).toContain("dir = '/home/u/.cdnfaas/influxdb/meta'");
    expect(text).toContain("wal-dir = '/home/u/.cdnfaas/influxdb/wal'");
  });

  it('asks for credentials only in secure mode', () => {
    expect(text).not.toContain('auth-enabled');
    const secure = renderInfluxConfig({ ...onLoopback(1, 3, '/d'), authEnabled: true });
    expect(secure).toMatch(/^\[http\][^[]*^ {2}auth-enabled = true$/m);
  });

  it('writes Windows paths as TOML literal strings', () => {
    const windows = renderInfluxConfig(onLoopback(8086, 8088, 'C:\\cdnfaas\\influxdb'));
    expect(windows).toContain("dir = 'C:\\cdnfaas\\influxdb\\data'");
  });
});

describe('influxRpcPort', () => {
  it('is two above the HTTP port, or below it at the top of the range', () => {
    expect(influxRpcPort(8086)).toBe(8088);
    expect(influxRpcPort(65535)).toBe(65533);
  });
});

describe('influxdInstallArgs', () => {
  it('installs cmd/influxd at the tagged version and stamps that version', () => {
    const args = influxdInstallArgs('1.8.10');
    expect(args.at(-1)).toBe('github.com/influxdata/influxdb/cmd/influxd@v1.8.10');
    expect(args[1]).toBe('-ldflags=-X main.version=1.8.10 -X main.branch=1.8 -X main.commit=v1.8.10');
  });
});

describe('moduleVersionFromBuildInfo', () => {
  it('reads the main module version from `go version -m`', () => {
    const text = [
      '/c/influxd: go1.26.8',
      '\tpath\tgithub.com/influxdata/influxdb/cmd/influxd',
      '\tmod\tgithub.com/influxdata/influxdb\tv1.8.10\th1:a4wL=',
      '\tdep\tcloud.google.com/go\tv0.51.0\th1:Pv=',
    ].join('\n');
    expect(moduleVersionFromBuildInfo(text, 'github.com/influxdata/influxdb')).toBe('1.8.10');
    expect(moduleVersionFromBuildInfo(text, 'github.com/other/module')).toBeUndefined();
  });
});
