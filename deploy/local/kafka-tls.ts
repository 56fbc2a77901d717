// Secure mode's certificates, made with openssl on first use: a local CA (kept in the cdnfaas
// home, never leaving it) and one broker certificate for 127.0.0.1 and localhost that every local
// node serves. Keys are unencrypted PEM files readable by their owner only (0600), so no password
// has to be handed to openssl or Kafka on a command line.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runLogged } from './run-command.ts';

export interface KafkaTlsFiles {
  dir: string;
  caKey: string;
  /** The CA certificate clients trust (kafka.security.caFile). */
  caCert: string;
  brokerKey: string;
  brokerCert: string;
  /** Broker key and certificate chain in one PEM file: Kafka's PEM keystore. */
  brokerKeystore: string;
  log: string;
}

export function kafkaTlsFiles(home: string): KafkaTlsFiles {
  const dir = join(home, 'kafka-tls');
  return {
    dir,
    caKey: join(dir, 'ca.key'),
    caCert: join(dir, 'ca.crt'),
    brokerKey: join(dir, 'broker.key'),
    brokerCert: join(dir, 'broker.crt'),
    brokerKeystore: join(dir, 'broker-keystore.pem'),
    log: join(dir, 'openssl.log'),
  };
}

/** The X.509 v3 extensions of the broker certificate: the names clients check. Pure. */
export function brokerExtensions(hosts: readonly string[]): string {
  const names = [...new Set(['127.0.0.1', 'localhost', ...hosts])].map((host, index) =>
    /^\d+\.\d+\.\d+\.\d+$/.test(host) ? `IP.${index + 1} = ${host}` : `DNS.${index + 1} = ${host}`,
  );
  return [
    'basicConstraints = CA:FALSE',
    'keyUsage = digitalSignature, keyEncipherment',
    'extendedKeyUsage = serverAuth, clientAuth',
    'subjectAltName = @names',
    '[names]',
    ...names,
    '',
  ].join('\n');
}

async function openssl(files: KafkaTlsFiles, args: string[], what: string): Promise<void> {
  await runLogged({
    command: 'openssl',
    args,
    cwd: files.dir,
    env: process.env,
    logFile: files.log,
    what,
    timeoutMs: 60_000,
    installHint: 'install openssl (Debian: apt-get install openssl)',
    failureCode: 'SERVICE_UNHEALTHY',
  });
}

/** A P-256 key in PKCS#8 (which Kafka's PEM keystore reads), readable by its owner only. */
async function privateKey(files: KafkaTlsFiles, keyFile: string, what: string): Promise<void> {
  await openssl(
    files,
    ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', keyFile],
    what,
  );
  chmodSync(keyFile, 0o600);
}

/** Makes the CA and the broker certificate when missing; returns their files. Idempotent. */
export async function ensureKafkaTls(home: string, hosts: readonly string[]): Promise<KafkaTlsFiles> {
  const files = kafkaTlsFiles(home);
  mkdirSync(files.dir, { recursive: true, mode: 0o700 });
  if (!existsSync(files.caCert)) {
    await privateKey(files, files.caKey, 'making the local CA key');
    await openssl(
      files,
      [
        'req',
        '-x509',
        '-new',
        '-key',
        files.caKey,
        '-sha256',
        '-days',
        '3650',
        '-subj',
        '/CN=cdnfaas local Kafka CA',
        '-out',
        files.caCert,
      ],
      'making the local CA certificate',
    );
  }
  if (!existsSync(files.brokerKeystore)) {
    const csr = join(files.dir, 'broker.csr');
    const extensions = join(files.dir, 'broker.ext');
    writeFileSync(extensions, brokerExtensions(hosts));
    await privateKey(files, files.brokerKey, 'making the broker key');
    await openssl(
      files,
      ['req', '-new', '-key', files.brokerKey, '-subj', '/CN=cdnfaas-kafka', '-out', csr],
      'making the broker certificate request',
    );
    await openssl(
      files,
      [
        'x509',
        '-req',
        '-in',
        csr,
        '-CA',
        files.caCert,
        '-CAkey',
        files.caKey,
        '-CAcreateserial',
        '-days',
        '825',
        '-sha256',
        '-extfile',
        extensions,
        '-out',
        files.brokerCert,
      ],
      'signing the broker certificate',
    );
    writeFileSync(
      files.brokerKeystore,
      `${readFileSync(files.brokerKey, 'utf8')}${readFileSync(files.brokerCert, 'utf8')}${readFileSync(files.caCert, 'utf8')}`,
      { mode: 0o600 },
    );
  }
  return files;
}
