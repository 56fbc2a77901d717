// A second Kafka in its own home and ports: up starts it and records it, status shows it,
// down stops it and leaves alone a program it did not start.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { servicesDown, servicesStatus, servicesUp } from '../../deploy/local/index.ts';
import { isPortFree } from '../../deploy/local/ports.ts';
import { freePort } from '../../lib/ports.ts';
import { occupyPort, tempConfig, type TempSetup } from './support.ts';

let foreign: { port: number; server: Server };
let setup: TempSetup;

afterAll(async () => {
  if (setup) await servicesDown(setup.config, { env: setup.env });
  foreign?.server.close();
});

describe('services up, status and down', () => {
  it('starts Kafka, reports it, and stops only what it started', async () => {
    foreign = await occupyPort();
    setup = tempConfig({ kafka: await freePort(), controller: await freePort(), influx: foreign.port });
    const broker = setup.config.kafka.brokers[0]!;
    const events: string[] = [];

    // Two commands at once (say `npm test` while `npm run up` starts): one starts Kafka, the other waits and adopts it.
    const [up, twin] = await Promise.all([
      servicesUp(setup.config, {
        only: ['kafka'],
        env: setup.env,
        onProgress: (e) => events.push(e.message),
      }),
      servicesUp(setup.config, {
        only: ['kafka'],
        env: setup.env,
        onProgress: (e) => events.push(e.message),
      }),
    ]);
    expect(up).toEqual([
      expect.objectContaining({
        service: 'kafka',
        state: 'running',
        startedByCdnfaas: true,
        version: '4.1.1',
      }),
    ]);
    expect(events.some((message) => message.startsWith('formatting KRaft storage'))).toBe(true);
    expect(events.some((message) => message.startsWith(`healthy at ${broker}`))).toBe(true);
    const pid = up[0]!.pid!;
    expect(twin[0]).toMatchObject({ state: 'running', pid });
    expect(
      events.filter((message) => message.startsWith('waiting for another cdnfaas services command')),
    ).toHaveLength(1);
    expect(events.filter((message) => message.startsWith('starting Kafka'))).toHaveLength(1);
    expect(existsSync(`${setup.config.home}/kafka/kafka.pid`)).toBe(true);

    const again = await servicesUp(setup.config, { only: ['kafka'], env: setup.env });
    expect(again[0]).toMatchObject({ state: 'running', pid });

    const status = await servicesStatus(setup.config, { only: ['kafka', 'influxdb'], env: setup.env });
    expect(status).toEqual([
      expect.objectContaining({
        service: 'kafka',
        state: 'running',
        healthy: true,
        startedByCdnfaas: true,
        pid,
      }),
      expect.objectContaining({
        service: 'influxdb',
        state: expect.stringContaining('taken by another program'),
        startedByCdnfaas: false,
      }),
    ]);

    const down = await servicesDown(setup.config, { env: setup.env });
    expect(down).toEqual([
      expect.objectContaining({ service: 'kafka', state: 'stopped', startedByCdnfaas: true, pid }),
      expect.objectContaining({ service: 'influxdb', state: 'not running (nothing started by cdnfaas)' }),
      expect.objectContaining({ service: 'prometheus', state: 'not running (nothing started by cdnfaas)' }),
      expect.objectContaining({ service: 'alertmanager', state: 'not running (nothing started by cdnfaas)' }),
    ]);
    expect(await isPortFree({ host: '127.0.0.1', port: Number(broker.split(':')[1]) })).toBe(true);
    expect(foreign.server.listening).toBe(true);
    expect(existsSync(`${setup.config.home}/kafka/kafka.pid`)).toBe(false);
  });

  it('fails a service that dies while starting with its name, the reason and its log file', async () => {
    const broken = tempConfig({
      kafka: await freePort(),
      controller: await freePort(),
      influx: await freePort(),
    });
    // Storage formatted for another node: Kafka refuses to start on it and exits.
    const dataDir = join(broken.config.home, 'kafka', 'data');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(
      join(dataDir, 'meta.properties'),
      'version=1\ncluster.id=AAAAAAAAAAAAAAAAAAAAAA\nnode.id=7\ndirectory.id=BBBBBBBBBBBBBBBBBBBBBB\n',
    );
    const started = Date.now();
    const error = await servicesUp(broken.config, { only: ['kafka'], env: broken.env }).catch((e) => e);
    expect(error.code).toBe('SERVICE_UNHEALTHY');
    expect(error.message).toMatch(/^kafka exited with code \d+ while starting/);
    expect(error.message).toContain(join(broken.config.home, 'kafka', 'kafka.log'));
    expect(error.message).toContain("Stored node id 7 doesn't match previous node id 1");
    expect(error.message).not.toMatch(/^\s+at /m);
    expect(Date.now() - started).toBeLessThan(60_000);
    const down = await servicesDown(broken.config, { env: broken.env });
    expect(down[0]).toMatchObject({ service: 'kafka', state: 'not running (nothing started by cdnfaas)' });
  });
});
