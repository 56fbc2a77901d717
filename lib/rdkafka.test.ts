import { describe, expect, it } from 'vitest';
import { CdnfaasError } from './errors.ts';
import { loadRdkafka, rdCall, rdkafkaConnection, rdkafkaUnsupported, type RdkafkaModule } from './rdkafka.ts';

const librdkafka = (version: string) => ({ librdkafkaVersion: version }) as RdkafkaModule;
const sasl = { mechanism: 'scram-sha-512' as const, username: 'connector', password: 'not-in-logs' };

describe('rdkafkaUnsupported', () => {
  it('serves a plaintext connection with any librdkafka', () => {
    expect(rdkafkaUnsupported({ brokers: ['127.0.0.1:9092'] }, librdkafka('2.0.2'))).toBeUndefined();
  });

  it('refuses SCRAM before librdkafka 2.6.1 and names the version', () => {
    const reason = rdkafkaUnsupported({ brokers: ['b:9094'], tlsCa: 'PEM', sasl }, librdkafka('2.0.2'));
    expect(reason).toMatch(/librdkafka 2\.0\.2 cannot finish SCRAM.*2\.6\.1/);
  });

  it.each(['2.6.1', '2.16.0', '3.0.0'])('serves SCRAM with librdkafka %s', (version) => {
    expect(
      rdkafkaUnsupported({ brokers: ['b:9094'], tlsCa: 'PEM', sasl }, librdkafka(version)),
    ).toBeUndefined();
  });
});

describe('rdkafkaConnection', () => {
  it('names the brokers only for a plaintext connection', () => {
    expect(rdkafkaConnection({ brokers: ['a:9092', 'b:9092'] })).toEqual({
      'bootstrap.servers': 'a:9092,b:9092',
    });
  });

  it('turns on TLS with the CA and SCRAM-SHA-512 with the credentials', () => {
    expect(rdkafkaConnection({ brokers: ['a:9094'], tlsCa: 'PEM', sasl })).toEqual({
      'bootstrap.servers': 'a:9094',
      'security.protocol': 'sasl_ssl',
      'ssl.ca.pem': 'PEM',
      'sasl.mechanisms': 'SCRAM-SHA-512',
      'sasl.username': 'connector',
      'sasl.password': 'not-in-logs',
    });
    expect(rdkafkaConnection({ brokers: ['a:9093'], tlsCa: 'PEM' })['security.protocol']).toBe('ssl');
  });
});

describe('rdCall', () => {
  it('resolves with the callback value', async () => {
    await expect(rdCall<number>('consume', (done) => done(null, 3))).resolves.toBe(3);
  });

  it('rejects with an error naming the operation and keeps the error of librdkafka as the cause', async () => {
    const native = Object.assign(new Error('Local: Fatal error'), { code: -150, isFatal: true });
    const failure = await rdCall('commitTransaction', (done) => done(native, undefined)).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(CdnfaasError);
    expect((failure as CdnfaasError).code).toBe('UPSTREAM_FAILED');
    expect((failure as Error).message).toBe('librdkafka commitTransaction failed: Local: Fatal error');
    expect((failure as CdnfaasError).cause).toBe(native);
  });
});

describe('loadRdkafka', () => {
  // The connector falls back to kafkajs when the native build is missing; CI must not hide that.
  const required = process.env.CI === 'true';
  const rdkafka = loadRdkafka();
  it.skipIf(!required && 'status' in rdkafka)('loads the librdkafka client the connector uses', () => {
    expect('status' in rdkafka ? rdkafka.reason : undefined).toBeUndefined();
    expect((rdkafka as RdkafkaModule).librdkafkaVersion).toMatch(/^\d+\.\d+\.\d+/);
  });
});
