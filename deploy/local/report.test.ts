import { describe, expect, it } from 'vitest';
import { formatProgress, formatReports } from './report.ts';

describe('formatReports', () => {
  it('aligns columns and names who started each service', () => {
    const text = formatReports([
      {
        service: 'kafka',
        address: '127.0.0.1:9092',
        state: 'running',
        healthy: true,
        startedByCdnfaas: true,
        pid: 42,
        version: '4.1.1',
      },
      {
        service: 'influxdb',
        address: 'http://127.0.0.1:8086',
        state: 'external, answering',
        healthy: true,
        startedByCdnfaas: false,
      },
      {
        service: 'faas-cli',
        address: '-',
        state: 'unavailable: 403 Forbidden',
        healthy: false,
        startedByCdnfaas: false,
      },
    ]);
    expect(text.split('\n')).toEqual([
      'SERVICE   ADDRESS                VERSION  STATE',
      'kafka     127.0.0.1:9092         4.1.1    running (started by cdnfaas, pid 42)',
      'influxdb  http://127.0.0.1:8086  -        external, answering',
      'faas-cli  -                      -        unavailable: 403 Forbidden',
    ]);
  });
});

describe('formatProgress', () => {
  it('prefixes elapsed seconds and the service, and marks warnings', () => {
    expect(formatProgress({ service: 'kafka', kind: 'step', message: 'starting' }, 1234)).toBe(
      '[   1.2s] kafka    starting',
    );
    expect(formatProgress({ service: 'faas-cli', kind: 'warn', message: 'unavailable' }, 0)).toBe(
      '[   0.0s] faas-cli warning: unavailable',
    );
  });
});
