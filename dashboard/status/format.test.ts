import { describe, expect, it } from 'vitest';
import { formatStatus, table, type StatusReport } from './format.ts';

const healthy: StatusReport = {
  services: {
    state: 'ok',
    value: [{ name: 'kafka', address: '127.0.0.1:9092', version: '4.1.1', state: 'running' }],
  },
  functions: {
    from: 'gateway http://127.0.0.1:8080',
    state: 'ok',
    value: [
      {
        name: 'predict',
        image: 'cdnfaas/predict:0.1.0',
        replicas: 2,
        availableReplicas: 1,
        topic: 'cdn_data',
      },
    ],
  },
  lag: {
    from: 'lag monitor http://127.0.0.1:8082',
    state: 'ok',
    value: [
      {
        group: 'cdnfaas-predict',
        topic: 'cdn_data',
        totalLag: 12000,
        status: 'WARN',
        partitions: [
          { partition: 0, lag: 0, status: 'OK' },
          { partition: 1, lag: 12000, status: 'WARN' },
        ],
      },
    ],
  },
  stored: { from: 'InfluxDB', state: 'ok', value: [{ measurement: 'predictions', points: 22109 }] },
  topics: { from: 'Kafka', state: 'ok', value: [{ topic: 'cdn_raw.dlq', endOffset: 200 }] },
};

/** The status of the healthy report with `parts` of it replaced. */
const formatHealthyWith = (parts: Partial<StatusReport>) => formatStatus({ ...healthy, ...parts });

describe('formatStatus', () => {
  it('prints one aligned table per section', () => {
    expect(formatStatus(healthy)).toBe(
      [
        'SERVICES',
        '  SERVICE  ADDRESS         VERSION  STATE',
        '  kafka    127.0.0.1:9092  4.1.1    running',
        '',
        'FUNCTIONS (gateway http://127.0.0.1:8080)',
        '  FUNCTION  IMAGE                  READY/DESIRED  TOPIC',
        '  predict   cdnfaas/predict:0.1.0  1/2            cdn_data',
        '',
        'CONSUMER LAG (lag monitor http://127.0.0.1:8082)',
        '  GROUP            TOPIC     LAG     STATUS  PARTITIONS (partition:lag)',
        '  cdnfaas-predict  cdn_data  12,000  WARN    0:0 1:12000(WARN)',
        '',
        'RECORDS STORED (InfluxDB)',
        '  MEASUREMENT  POINTS',
        '  predictions  22,109',
        '',
        'TOPICS (Kafka)',
        '  TOPIC        END OFFSET',
        '  cdn_raw.dlq  200',
      ].join('\n'),
    );
  });

  it('shows a failing source as such, with its hint, and empty sources as empty', () => {
    const text = formatHealthyWith({
      functions: {
        from: 'gateway http://127.0.0.1:8080',
        state: 'error',
        message: 'fetch failed: connect ECONNREFUSED 127.0.0.1:8080',
        hint: 'start it with `npm run up` or `npx cdnfaas gateway`',
      },
      lag: { from: 'Kafka', state: 'ok', value: [] },
    });
    expect(text).toContain(
      'FUNCTIONS (gateway http://127.0.0.1:8080)\n  unavailable: fetch failed: connect ECONNREFUSED 127.0.0.1:8080\n  -> start it with `npm run up` or `npx cdnfaas gateway`',
    );
    expect(text).toContain('CONSUMER LAG (Kafka)\n  no consumer groups yet');
  });
});

describe('formatStatus with drift', () => {
  it('prints the state, the anomaly rate against training and each column PSI', () => {
    const text = formatHealthyWith({
      drift: {
        from: 'newest records',
        state: 'ok',
        value: {
          model: 'cdn-kmeans@abc',
          records: 4000,
          predictions: 3900,
          anomalyRate: { live: 0.031, expected: 0.01, state: 'watch' },
          columns: [{ column: 'host_id', psi: 0.412, state: 'retrain' }],
          state: 'retrain',
        },
      },
    });
    expect(text).toContain(
      [
        'MODEL DRIFT (newest records)',
        '  state: RETRAIN  (model cdn-kmeans@abc, 4,000 records, 3,900 predictions)',
        '  SIGNAL        LIVE    AT TRAINING  PSI    STATE',
        '  anomaly rate  3.10 %  1.00 %       -      watch',
        '  host_id       -       -            0.412  retrain',
      ].join('\n'),
    );
  });
});

describe('table', () => {
  it('pads every column but the last', () => {
    expect(table(['A', 'B'], [['long value', 'x']])).toEqual(['A           B', 'long value  x']);
  });
});
