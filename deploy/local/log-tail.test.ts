import { describe, expect, it } from 'vitest';
import { formatCommand, goFailureReason, lastLines } from './log-tail.ts';

describe('lastLines', () => {
  it('keeps the last non-empty lines', () => {
    expect(lastLines('a\n\nb\r\nc\n\n', 2)).toEqual(['b', 'c']);
  });

  it('drops stack frames, keeping the exception line', () => {
    const log =
      'ERROR Exiting\njava.lang.RuntimeException: bad node id\n\tat a.B.c(B.java:1)\n\t... 3 more\n';
    expect(lastLines(log, 5)).toEqual(['ERROR Exiting', 'java.lang.RuntimeException: bad node id']);
  });

  it('cuts very long lines', () => {
    expect(lastLines('x'.repeat(20), 1, 5)).toEqual(['xxxxx...']);
  });
});

describe('goFailureReason', () => {
  it('names the refused module and the proxy answer', () => {
    const output = [
      'go: github.com/openfaas/faas-cli@latest: module github.com/openfaas/faas-cli: reading https://proxy.golang.org/github.com/openfaas/faas-cli/@v/list: 403 Forbidden',
      '\tserver response: This module version is not available.',
    ].join('\n');
    expect(goFailureReason(output)).toBe(
      'github.com/openfaas/faas-cli@latest: module github.com/openfaas/faas-cli: reading https://proxy.golang.org/github.com/openfaas/faas-cli/@v/list: 403 Forbidden (server response: This module version is not available.)',
    );
  });

  it('falls back to the first line, or says there was no output', () => {
    expect(goFailureReason('something broke\nmore')).toBe('something broke');
    expect(goFailureReason('')).toBe('no output');
  });
});

describe('formatCommand', () => {
  it('quotes arguments a shell would split or expand', () => {
    expect(formatCommand('java', ['-cp', '/c/libs/*', 'kafka.Kafka'])).toBe(
      "java -cp '/c/libs/*' kafka.Kafka",
    );
    expect(formatCommand('go', ['install', '-ldflags=-X a=b'])).toBe("go install '-ldflags=-X a=b'");
  });
});
