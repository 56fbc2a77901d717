import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FunctionLog, lineSplitter, selectLogs } from './function-log.ts';
import type { LogMessage } from './types.ts';

const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second));

function message(instance: string, second: number, text: string): LogMessage {
  return { name: 'echo', namespace: 'openfaas-fn', instance, timestamp: at(second).toISOString(), text };
}

describe('selectLogs', () => {
  const messages = [
    message('a', 1, 'one'),
    message('b', 2, 'two'),
    message('a', 3, 'three'),
    message('a', 4, 'four'),
  ];
  it.each([
    ['everything', {}, ['one', 'two', 'three', 'four']],
    ['tail 2', { tail: 2 }, ['three', 'four']],
    ['tail <= 0 is unlimited', { tail: -1 }, ['one', 'two', 'three', 'four']],
    ['one instance', { instance: 'a' }, ['one', 'three', 'four']],
    ['since', { since: at(3) }, ['three', 'four']],
    ['instance then tail', { instance: 'a', tail: 1 }, ['four']],
  ])('%s', (_name, query, texts) => {
    expect(selectLogs(messages, query).map((m) => m.text)).toEqual(texts);
  });
});

describe('FunctionLog', () => {
  it('keeps only the most recent messages, in order', () => {
    const log = new FunctionLog({ name: 'echo', namespace: 'openfaas-fn', capacity: 3, maxFileBytes: 1e6 });
    for (let i = 1; i <= 5; i++) log.append('r0', `line ${i}`, at(i));
    expect(log.messages().map((m) => m.text)).toEqual(['line 3', 'line 4', 'line 5']);
  });

  it('delivers new messages to followers until closed', () => {
    const log = new FunctionLog({ name: 'echo', namespace: 'openfaas-fn', capacity: 10, maxFileBytes: 1e6 });
    log.append('r0', 'before');
    const stream = log.stream({ name: 'echo', follow: true, instance: 'r1' });
    expect(stream.history).toEqual([]);
    const seen: string[] = [];
    let ended = false;
    stream.subscribe(
      (m) => seen.push(m.text),
      () => (ended = true),
    );
    log.append('r0', 'other replica');
    log.append('r1', 'mine');
    log.close();
    expect(seen).toEqual(['mine']);
    expect(ended).toBe(true);
  });

  it('appends ndjson to its file and rotates it past the size limit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cdnfaas-log-'));
    const file = join(dir, 'echo.log');
    const log = new FunctionLog({
      name: 'echo',
      namespace: 'openfaas-fn',
      capacity: 10,
      file,
      maxFileBytes: 300,
    });
    for (let i = 0; i < 5; i++) log.append('r0', `line ${i}`);
    log.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(existsSync(`${file}.1`)).toBe(true);
    const lines = [
      ...readFileSync(`${file}.1`, 'utf8').split('\n'),
      ...readFileSync(file, 'utf8').split('\n'),
    ].filter(Boolean);
    expect(lines.map((line) => JSON.parse(line).text)).toEqual([
      'line 0',
      'line 1',
      'line 2',
      'line 3',
      'line 4',
    ]);
  });
});

describe('lineSplitter', () => {
  it('joins partial chunks and cuts over-long lines', () => {
    const lines: string[] = [];
    const splitter = lineSplitter((line) => lines.push(line), 5);
    splitter.push(Buffer.from('ab'));
    splitter.push(Buffer.from('c\r\nde'));
    splitter.push(Buffer.from('fghijkl'));
    splitter.flush();
    expect(lines).toEqual(['abc', 'defgh', 'ijkl']);
  });
});
