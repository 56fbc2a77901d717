import { CdnfaasError } from '../../lib/errors.ts';

export interface HostPort {
  host: string;
  port: number;
}

/** Splits `host:port` (as in kafka.brokers); config validation has already checked the shape. */
export function parseHostPort(value: string): HostPort {
  const colon = value.lastIndexOf(':');
  const port = Number(value.slice(colon + 1));
  if (colon <= 0 || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new CdnfaasError('CONFIG_INVALID', `"${value}" is not host:port`, {
      hint: 'write it as 127.0.0.1:9092',
    });
  }
  return { host: value.slice(0, colon), port };
}

/** Host and port of an http(s) URL, with the scheme's default port when none is written. */
export function hostPortOfUrl(url: string): HostPort {
  const parsed = new URL(url);
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = parsed.port ? Number(parsed.port) : parsed.protocol === 'https:' ? 443 : 80;
  return { host, port };
}

/** Only a loopback address can be served by a process cdnfaas starts on this machine. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export function formatHostPort({ host, port }: HostPort): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
