import onnxProto from 'onnx-proto';
import type { onnx as Onnx } from 'onnx-proto';

const { onnx } = onnxProto;

/**
 * The k-means model as an ONNX graph, for onnxruntime in the predict function:
 *
 *   features float32 [N, D]
 *   squared = ReduceSumSquare(features) - 2 * MatMul(features, centroids^T) + |centroids|^2   [N, K]
 *   label    = ArgMin(squared, axis 1)           int64   [N]   (ties: lowest index, as the trainer)
 *   distance = Sqrt(Max(ReduceMin(squared), 0))  float32 [N]   (Euclidean, as the threshold)
 *
 * One MatMul per batch instead of N x K subtractions; the clamp at 0 absorbs float32 rounding.
 * With `rarity`, a second input scores how rare each record's codes are (rarity.ts):
 *
 *   rarity_slots int64 [N, C]
 *   rarity = ReduceSum(Gather(surprisal table, rarity_slots), axis 1)   float32 [N]
 */
export interface KMeansGraphOptions {
  /** k x dimension, row-major. */
  centroids: Float64Array;
  k: number;
  dimension: number;
  inputName: string;
  labelName: string;
  distanceName: string;
  /** The rarity score: -ln p per table slot, and the names of its input and output. */
  rarity?: { table: Float64Array; columns: number; inputName: string; outputName: string };
  /** Recorded in the model's metadata_props (name, version, threshold). */
  metadata?: Record<string, string>;
}

export const onnxOpset = 13;

function floatTensor(name: string, dims: number[], values: ArrayLike<number>): Onnx.ITensorProto {
  return { name, dims, dataType: onnx.TensorProto.DataType.FLOAT, floatData: Array.from(values) };
}

function int64Tensor(name: string, dims: number[], values: number[]): Onnx.ITensorProto {
  return { name, dims, dataType: onnx.TensorProto.DataType.INT64, int64Data: values };
}

function valueInfo(name: string, elemType: number, dims: (number | string)[]): Onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((dim) => (typeof dim === 'string' ? { dimParam: dim } : { dimValue: dim })) },
      },
    },
  };
}

function intsAttribute(name: string, ints: number[]): Onnx.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.INTS, ints };
}

function intAttribute(name: string, i: number): Onnx.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.INT, i };
}

export function buildKMeansGraph(options: KMeansGraphOptions): Onnx.IModelProto {
  const { centroids, k, dimension } = options;
  const transposed = new Float64Array(dimension * k);
  const norms = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    for (let d = 0; d < dimension; d++) {
      const value = centroids[c * dimension + d]!;
      transposed[d * k + c] = value;
      norms[c]! += value * value;
    }
  }
  const x = options.inputName;
  const node = (
    opType: string,
    input: string[],
    output: string[],
    attribute: Onnx.IAttributeProto[] = [],
  ) => ({
    opType,
    input,
    output,
    attribute,
    name: output[0],
  });
  const graph: Onnx.IGraphProto = {
    name: 'kmeans_nearest_centroid',
    initializer: [
      floatTensor('centroids_t', [dimension, k], transposed),
      floatTensor('centroid_norms', [1, k], norms),
      floatTensor('minus_two', [], [-2]),
      floatTensor('zero', [], [0]),
    ],
    node: [
      node('MatMul', [x, 'centroids_t'], ['cross']),
      node('Mul', ['cross', 'minus_two'], ['cross_scaled']),
      node(
        'ReduceSumSquare',
        [x],
        ['feature_norms'],
        [intsAttribute('axes', [1]), intAttribute('keepdims', 1)],
      ),
      node('Add', ['cross_scaled', 'feature_norms'], ['partial']),
      node('Add', ['partial', 'centroid_norms'], ['squared']),
      node(
        'ArgMin',
        ['squared'],
        [options.labelName],
        [intAttribute('axis', 1), intAttribute('keepdims', 0)],
      ),
      node(
        'ReduceMin',
        ['squared'],
        ['min_squared'],
        [intsAttribute('axes', [1]), intAttribute('keepdims', 0)],
      ),
      node('Max', ['min_squared', 'zero'], ['clamped']),
      node('Sqrt', ['clamped'], [options.distanceName]),
    ],
    input: [valueInfo(x, onnx.TensorProto.DataType.FLOAT, ['N', dimension])],
    output: [
      valueInfo(options.labelName, onnx.TensorProto.DataType.INT64, ['N']),
      valueInfo(options.distanceName, onnx.TensorProto.DataType.FLOAT, ['N']),
    ],
  };
  const rarity = options.rarity;
  if (rarity !== undefined) {
    graph.initializer!.push(
      floatTensor('surprisal', [rarity.table.length], rarity.table),
      int64Tensor('sum_axis', [1], [1]),
    );
    graph.node!.push(
      node('Gather', ['surprisal', rarity.inputName], ['surprisals'], [intAttribute('axis', 0)]),
      // ReduceSum takes its axes as an input from opset 13 on.
      node('ReduceSum', ['surprisals', 'sum_axis'], [rarity.outputName], [intAttribute('keepdims', 0)]),
    );
    graph.input!.push(valueInfo(rarity.inputName, onnx.TensorProto.DataType.INT64, ['N', rarity.columns]));
    graph.output!.push(valueInfo(rarity.outputName, onnx.TensorProto.DataType.FLOAT, ['N']));
  }
  return {
    irVersion: 7,
    producerName: 'cdnfaas',
    producerVersion: '1',
    opsetImport: [{ domain: '', version: onnxOpset }],
    graph,
    metadataProps: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
  };
}

/** The model's protobuf bytes (the content of model.onnx). */
export function encodeModel(model: Onnx.IModelProto): Uint8Array {
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}

/** Decodes model.onnx bytes (for tests and inspection). */
export function decodeModel(bytes: Uint8Array): Onnx.ModelProto {
  return onnx.ModelProto.decode(bytes);
}
