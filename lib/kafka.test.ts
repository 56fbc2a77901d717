import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { createKafka, kafkaSecurityConfig } from './kafka.ts';

const require = createRequire(import.meta.url);

describe('kafkaSecurityConfig', () => {
  it('is brokers alone for a plain connection', () => {
    expect(kafkaSecurityConfig({ brokers: ['127.0.0.1:9092'] })).toEqual({ brokers: ['127.0.0.1:9092'] });
  });

  it('turns on TLS with the given CA only, verifying the brokers, and SCRAM with the credentials', () => {
    const config = kafkaSecurityConfig({
      brokers: ['127.0.0.1:9092'],
      tlsCa: '-----BEGIN CERTIFICATE-----\n...',
      sasl: { mechanism: 'scram-sha-512', username: 'connector', password: 'p' },
    });
    expect(config.ssl).toEqual({ ca: ['-----BEGIN CERTIFICATE-----\n...'], rejectUnauthorized: true });
    expect(config.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'connector', password: 'p' });
  });
});

describe('createKafka', () => {
  it('installs the aborted-record filter for every client it makes', () => {
    createKafka({ brokers: ['127.0.0.1:1'] }, { clientId: 'filter-check' });
    const fetchV11 = require('kafkajs/src/protocol/requests/fetch/v11/response') as Record<symbol, unknown>;
    const marker = Object.getOwnPropertySymbols(fetchV11).find((symbol) =>
      symbol.description?.includes('aborted-record'),
    );
    expect(marker && fetchV11[marker]).toBe(true);
  });
});
