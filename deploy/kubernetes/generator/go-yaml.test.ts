import { describe, expect, it } from 'vitest';
import { GoMap, goScalar, goSortKeys, renderGoYaml } from './go-yaml.ts';

describe('goScalar: strings as gopkg.in/yaml.v3 writes them', () => {
  it.each([
    ['cdn_raw', 'cdn_raw'],
    ['cdn_data,cdn_client_data_storage', 'cdn_data,cdn_client_data_storage'],
    ['http://127.0.0.1:8086', 'http://127.0.0.1:8086'],
    ['30s', '30s'],
    ['1', '"1"'],
    ['5000', '"5000"'],
    ['1.0', '"1.0"'],
    ['1e3', '"1e3"'],
    ['0x1F', '"0x1F"'],
    ['1_000', '"1_000"'],
    ['true', '"true"'],
    ['False', '"False"'],
    ['yes', '"yes"'],
    ['off', '"off"'],
    ['null', '"null"'],
    ['~', '"~"'],
    ['', '""'],
    ['.inf', '".inf"'],
    ['2024-01-02', '"2024-01-02"'],
    ['1:30', '"1:30"'],
    ['a: b', "'a: b'"],
    ['key:', "'key:'"],
    ['#comment', "'#comment'"],
    ['a #b', "'a #b'"],
    ['- item', "'- item'"],
    ['-item', '-item'],
    ['*ref', "'*ref'"],
    [' padded', "' padded'"],
    ["it's", "it's"],
    ['say "hi"', 'say "hi"'],
  ])('%j -> %s', (input, expected) => {
    expect(goScalar(input)).toBe(expected);
  });
});

describe('goSortKeys: yaml.v3 map key order', () => {
  it('compares digit runs as numbers', () => {
    expect(goSortKeys(['fn10', 'fn2', 'fn1'])).toEqual(['fn1', 'fn2', 'fn10']);
    expect(goSortKeys(['com.openfaas.scale.min', 'com.openfaas.scale.max'])).toEqual([
      'com.openfaas.scale.max',
      'com.openfaas.scale.min',
    ]);
    expect(goSortKeys(['exec_timeout', 'INFLUX_URL', 'INFLUX_BUCKET'])).toEqual([
      'INFLUX_BUCKET',
      'INFLUX_URL',
      'exec_timeout',
    ]);
    // Outside a digit run, a non-letter sorts before a letter (yaml.v3's keyList.Less).
    expect(goSortKeys(['ab', 'a.b', 'a-b'])).toEqual(['a-b', 'a.b', 'ab']);
  });
});

describe('renderGoYaml', () => {
  it('writes struct fields in order, maps sorted, lists indented under their key, omits undefined fields', () => {
    const text = renderGoYaml({
      apiVersion: 'openfaas.com/v1',
      kind: 'Function',
      metadata: { name: 'echo', namespace: undefined },
      spec: {
        name: 'echo',
        labels: new GoMap({ b: '2', a: 'x' }),
        secrets: ['one', 'two'],
        readOnlyRootFilesystem: true,
      },
    });
    expect(text).toBe(
      [
        'apiVersion: openfaas.com/v1',
        'kind: Function',
        'metadata:',
        '  name: echo',
        'spec:',
        '  name: echo',
        '  labels:',
        '    a: x',
        '    b: "2"',
        '  secrets:',
        '    - one',
        '    - two',
        '  readOnlyRootFilesystem: true',
        '',
      ].join('\n'),
    );
  });
});
