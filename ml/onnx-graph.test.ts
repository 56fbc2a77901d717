import { describe, expect, it } from 'vitest';
import { buildKMeansGraph, decodeModel, encodeModel, onnxOpset } from './onnx-graph.ts';

describe('buildKMeansGraph', () => {
  const model = buildKMeansGraph({
    centroids: Float64Array.from([0, 1, 0, 1, 0, 0.5]),
    k: 2,
    dimension: 3,
    inputName: 'features',
    labelName: 'label',
    distanceName: 'distance',
    metadata: { name: 'cdn-kmeans', version: 'abc' },
  });
  const decoded = decodeModel(encodeModel(model));

  it('declares features [N, D] in, label int64 [N] and distance float [N] out', () => {
    const input = decoded.graph!.input![0]!;
    expect(input.name).toBe('features');
    expect(input.type!.tensorType!.shape!.dim!.map((dim) => dim.dimParam || Number(dim.dimValue))).toEqual([
      'N',
      3,
    ]);
    expect(decoded.graph!.output!.map((output) => [output.name, output.type!.tensorType!.elemType])).toEqual([
      ['label', 7], // INT64
      ['distance', 1], // FLOAT
    ]);
    expect(Number(decoded.opsetImport![0]!.version)).toBe(onnxOpset);
  });

  it('computes distances with one MatMul and picks the nearest centroid with ArgMin', () => {
    expect(decoded.graph!.node!.map((node) => node.opType)).toEqual([
      'MatMul',
      'Mul',
      'ReduceSumSquare',
      'Add',
      'Add',
      'ArgMin',
      'ReduceMin',
      'Max',
      'Sqrt',
    ]);
  });

  it('stores the centroids transposed and their squared norms', () => {
    const byName = new Map(decoded.graph!.initializer!.map((tensor) => [tensor.name, tensor]));
    expect(byName.get('centroids_t')!.dims!.map(Number)).toEqual([3, 2]);
    expect(byName.get('centroids_t')!.floatData).toEqual([0, 1, 1, 0, 0, 0.5]);
    expect(byName.get('centroid_norms')!.floatData).toEqual([1, 1.25]);
    expect(decoded.metadataProps!.map((entry) => [entry.key, entry.value])).toContainEqual([
      'version',
      'abc',
    ]);
  });
});

describe('buildKMeansGraph with the rarity score', () => {
  const decoded = decodeModel(
    encodeModel(
      buildKMeansGraph({
        centroids: Float64Array.from([0, 1]),
        k: 1,
        dimension: 2,
        inputName: 'features',
        labelName: 'label',
        distanceName: 'distance',
        rarity: {
          table: Float64Array.from([0.5, 2, 7]),
          columns: 2,
          inputName: 'rarity_slots',
          outputName: 'rarity',
        },
      }),
    ),
  );

  it('takes int64 slots [N, columns] and sums the gathered surprisals into rarity [N]', () => {
    const input = decoded.graph!.input![1]!;
    expect(input.name).toBe('rarity_slots');
    expect(input.type!.tensorType!.elemType).toBe(7); // INT64
    expect(input.type!.tensorType!.shape!.dim!.map((dim) => dim.dimParam || Number(dim.dimValue))).toEqual([
      'N',
      2,
    ]);
    expect(decoded.graph!.node!.slice(-2).map((node) => node.opType)).toEqual(['Gather', 'ReduceSum']);
    expect(decoded.graph!.output!.map((output) => output.name)).toEqual(['label', 'distance', 'rarity']);
    const byName = new Map(decoded.graph!.initializer!.map((tensor) => [tensor.name, tensor]));
    expect(byName.get('surprisal')!.floatData).toEqual([0.5, 2, 7]);
  });
});
