// The part of ONNX's protobuf schema (onnx/onnx.proto, https://github.com/onnx/onnx/blob/main/onnx/onnx.proto)
// that a chain of dense layers uses, decoded to and encoded from plain objects. Field numbers are
// the schema's. Recursive parts (subgraphs in attributes, nested TypeProtos) are skipped, not
// decoded: an op that carries a subgraph has no dense layer, and is rejected by its op type.
import { ProtobufReader, ProtobufWriter } from "./protobuf.js";

/** TensorProto.DataType values this library reads or writes. */
export const FLOAT = 1,
  INT64 = 7,
  DOUBLE = 11;
export const DATA_TYPE_NAMES: Record<number, string> = {
  0: "UNDEFINED",
  1: "FLOAT",
  2: "UINT8",
  3: "INT8",
  4: "UINT16",
  5: "INT16",
  6: "INT32",
  7: "INT64",
  8: "STRING",
  9: "BOOL",
  10: "FLOAT16",
  11: "DOUBLE",
  12: "UINT32",
  13: "UINT64",
  14: "COMPLEX64",
  15: "COMPLEX128",
  16: "BFLOAT16",
};

/** AttributeProto.AttributeType values. */
export const ATTRIBUTE_FLOAT = 1,
  ATTRIBUTE_INT = 2,
  ATTRIBUTE_STRING = 3,
  ATTRIBUTE_TENSOR = 4;

export interface OnnxTensor {
  name: string;
  dims: number[];
  dataType: number;
  /** raw_data: little-endian values, a view of the file */
  raw: Uint8Array | null;
  floatData: number[];
  doubleData: number[];
  int64Data: number[];
  /** data_location = EXTERNAL, or external_data entries */
  external: boolean;
  /** a data field this library does not read (int32_data, string_data, uint64_data, segment) */
  otherData: string | null;
}

export interface OnnxAttribute {
  name: string;
  /** AttributeType; 0 if the file leaves it out */
  type: number;
  f: number | null;
  i: number | null;
  s: Uint8Array | null;
  t: OnnxTensor | null;
  floats: number[];
  ints: number[];
  /** the kind of a value this library does not read (a subgraph, strings, tensors, …) */
  other: string | null;
}

export interface OnnxNode {
  name: string;
  opType: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  attributes: OnnxAttribute[];
}

/** One dimension: a size, a symbolic name, or unknown. */
export type OnnxDim = { value: number } | { param: string } | null;

export interface OnnxValueInfo {
  name: string;
  /** "tensor" with elemType and shape (null: no shape given), or the kind of another type */
  kind: "tensor" | "none" | "sequence" | "map" | "optional" | "sparse tensor" | "unknown";
  elemType: number;
  shape: OnnxDim[] | null;
}

export interface OnnxGraph {
  name: string;
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  sparseInitializers: number;
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
}

export interface OnnxModel {
  irVersion: number;
  opsets: { domain: string; version: number }[];
  producerName: string;
  producerVersion: string;
  graph: OnnxGraph | null;
  metadata: { key: string; value: string }[];
  /** model-local functions and training information, counted (this library runs neither) */
  functions: number;
  trainingInfo: number;
}

// ---- decoding -------------------------------------------------------------------------------

export function decodeModel(bytes: Uint8Array): OnnxModel {
  const r = new ProtobufReader(bytes, "ModelProto");
  const model: OnnxModel = {
    irVersion: 0,
    opsets: [],
    producerName: "",
    producerVersion: "",
    graph: null,
    metadata: [],
    functions: 0,
    trainingInfo: 0,
  };
  while (r.next()) {
    switch (r.field) {
      case 1:
        model.irVersion = r.int64();
        break;
      case 2:
        model.producerName = r.string();
        break;
      case 3:
        model.producerVersion = r.string();
        break;
      case 7:
        model.graph = decodeGraph(r.message("graph"));
        break;
      case 8:
        model.opsets.push(decodeOpset(r.message("opset_import")));
        break;
      case 14:
        model.metadata.push(decodeEntry(r.message("metadata_props")));
        break;
      case 20:
        r.skip();
        model.trainingInfo++;
        break;
      case 25:
        r.skip();
        model.functions++;
        break;
      default:
        r.skip();
    }
  }
  return model;
}

function decodeOpset(r: ProtobufReader): { domain: string; version: number } {
  const opset = { domain: "", version: 0 };
  while (r.next()) {
    if (r.field === 1) opset.domain = r.string();
    else if (r.field === 2) opset.version = r.int64();
    else r.skip();
  }
  return opset;
}

function decodeEntry(r: ProtobufReader): { key: string; value: string } {
  const entry = { key: "", value: "" };
  while (r.next()) {
    if (r.field === 1) entry.key = r.string();
    else if (r.field === 2) entry.value = r.string();
    else r.skip();
  }
  return entry;
}

function decodeGraph(r: ProtobufReader): OnnxGraph {
  const graph: OnnxGraph = { name: "", nodes: [], initializers: [], sparseInitializers: 0, inputs: [], outputs: [] };
  while (r.next()) {
    switch (r.field) {
      case 1:
        graph.nodes.push(decodeNode(r.message(`node[${graph.nodes.length}]`)));
        break;
      case 2:
        graph.name = r.string();
        break;
      case 5:
        graph.initializers.push(decodeTensor(r.message(`initializer[${graph.initializers.length}]`)));
        break;
      case 11:
        graph.inputs.push(decodeValueInfo(r.message("input")));
        break;
      case 12:
        graph.outputs.push(decodeValueInfo(r.message("output")));
        break;
      case 15:
        r.skip();
        graph.sparseInitializers++;
        break;
      default:
        r.skip();
    }
  }
  return graph;
}

function decodeNode(r: ProtobufReader): OnnxNode {
  const node: OnnxNode = { name: "", opType: "", domain: "", inputs: [], outputs: [], attributes: [] };
  while (r.next()) {
    switch (r.field) {
      case 1:
        node.inputs.push(r.string());
        break;
      case 2:
        node.outputs.push(r.string());
        break;
      case 3:
        node.name = r.string();
        break;
      case 4:
        node.opType = r.string();
        break;
      case 5:
        node.attributes.push(decodeAttribute(r.message("attribute")));
        break;
      case 7:
        node.domain = r.string();
        break;
      default:
        r.skip();
    }
  }
  return node;
}

const OTHER_ATTRIBUTE_FIELDS: Record<number, string> = {
  6: "a graph",
  9: "strings",
  10: "tensors",
  11: "graphs",
  14: "a type",
  15: "types",
  21: "a reference to a function attribute",
  22: "a sparse tensor",
  23: "sparse tensors",
};

function decodeAttribute(r: ProtobufReader): OnnxAttribute {
  const a: OnnxAttribute = { name: "", type: 0, f: null, i: null, s: null, t: null, floats: [], ints: [], other: null };
  while (r.next()) {
    switch (r.field) {
      case 1:
        a.name = r.string();
        break;
      case 2:
        a.f = r.float();
        break;
      case 3:
        a.i = r.int64();
        break;
      case 4:
        a.s = r.bytesField();
        break;
      case 5:
        a.t = decodeTensor(r.message("t"));
        break;
      case 7:
        r.floats(a.floats);
        break;
      case 8:
        r.int64s(a.ints);
        break;
      case 20:
        a.type = r.int32();
        break;
      default:
        if (OTHER_ATTRIBUTE_FIELDS[r.field]) a.other = OTHER_ATTRIBUTE_FIELDS[r.field]!;
        r.skip();
    }
  }
  return a;
}

const OTHER_TENSOR_FIELDS: Record<number, string> = {
  3: "segment",
  5: "int32_data",
  6: "string_data",
  11: "uint64_data",
};

function decodeTensor(r: ProtobufReader): OnnxTensor {
  const t: OnnxTensor = {
    name: "",
    dims: [],
    dataType: 0,
    raw: null,
    floatData: [],
    doubleData: [],
    int64Data: [],
    external: false,
    otherData: null,
  };
  while (r.next()) {
    switch (r.field) {
      case 1:
        r.int64s(t.dims);
        break;
      case 2:
        t.dataType = r.int32();
        break;
      case 4:
        r.floats(t.floatData);
        break;
      case 7:
        r.int64s(t.int64Data);
        break;
      case 8:
        t.name = r.string();
        break;
      case 9:
        t.raw = r.bytesField();
        break;
      case 10:
        r.doubles(t.doubleData);
        break;
      case 13:
        r.skip();
        t.external = true;
        break;
      case 14:
        if (r.int32() === 1) t.external = true;
        break;
      default:
        if (OTHER_TENSOR_FIELDS[r.field]) t.otherData = OTHER_TENSOR_FIELDS[r.field]!;
        r.skip();
    }
  }
  return t;
}

function decodeValueInfo(r: ProtobufReader): OnnxValueInfo {
  const info: OnnxValueInfo = { name: "", kind: "none", elemType: 0, shape: null };
  while (r.next()) {
    if (r.field === 1) info.name = r.string();
    else if (r.field === 2) decodeType(r.message("type"), info);
    else r.skip();
  }
  return info;
}

const OTHER_TYPES: Record<number, OnnxValueInfo["kind"]> = {
  4: "sequence",
  5: "map",
  8: "sparse tensor",
  9: "optional",
};

function decodeType(r: ProtobufReader, info: OnnxValueInfo): void {
  while (r.next()) {
    if (r.field === 1) {
      info.kind = "tensor";
      const tensor = r.message("tensor_type");
      while (tensor.next()) {
        if (tensor.field === 1) info.elemType = tensor.int32();
        else if (tensor.field === 2) info.shape = decodeShape(tensor.message("shape"));
        else tensor.skip();
      }
    } else {
      if (r.field in OTHER_TYPES) info.kind = OTHER_TYPES[r.field]!;
      else if (r.field !== 6) info.kind = "unknown";
      r.skip();
    }
  }
}

function decodeShape(r: ProtobufReader): OnnxDim[] {
  const dims: OnnxDim[] = [];
  while (r.next()) {
    if (r.field !== 1) {
      r.skip();
      continue;
    }
    const d = r.message("dim");
    let dim: OnnxDim = null;
    while (d.next()) {
      if (d.field === 1) dim = { value: d.int64() };
      else if (d.field === 2) dim = { param: d.string() };
      else d.skip();
    }
    dims.push(dim);
  }
  return dims;
}

// ---- encoding -------------------------------------------------------------------------------

/** A tensor to write: its values go to raw_data, little-endian, as FLOAT or DOUBLE. */
export interface TensorOut {
  name: string;
  dims: number[];
  dataType: typeof FLOAT | typeof DOUBLE;
  values: ArrayLike<number>;
}

export type AttributeOut = { name: string; int: number } | { name: string; float: number };

export interface NodeOut {
  name: string;
  opType: string;
  inputs: string[];
  outputs: string[];
  attributes?: AttributeOut[];
  domain?: string;
}

export interface ValueOut {
  name: string;
  elemType: number;
  /** a size, or a symbolic name */
  shape: (number | string)[];
}

export interface ModelOut {
  irVersion: number;
  opset: number;
  producerName: string;
  producerVersion: string;
  docString: string;
  graphName: string;
  nodes: NodeOut[];
  initializers: TensorOut[];
  inputs: ValueOut[];
  outputs: ValueOut[];
  metadata: { key: string; value: string }[];
}

export function encodeModel(model: ModelOut): Uint8Array {
  const w = new ProtobufWriter();
  w.int64(1, model.irVersion);
  w.string(2, model.producerName);
  w.string(3, model.producerVersion);
  w.string(6, model.docString);
  w.message(7, (g) => {
    for (const node of model.nodes) g.message(1, (n) => encodeNode(n, node));
    g.string(2, model.graphName);
    for (const tensor of model.initializers) g.message(5, (t) => encodeTensor(t, tensor));
    for (const input of model.inputs) g.message(11, (v) => encodeValueInfo(v, input));
    for (const output of model.outputs) g.message(12, (v) => encodeValueInfo(v, output));
  });
  w.message(8, (o) => {
    o.string(1, "");
    o.int64(2, model.opset);
  });
  for (const { key, value } of model.metadata) {
    w.message(14, (e) => {
      e.string(1, key);
      e.string(2, value);
    });
  }
  return w.finish();
}

function encodeNode(w: ProtobufWriter, node: NodeOut): void {
  for (const input of node.inputs) w.string(1, input);
  for (const output of node.outputs) w.string(2, output);
  w.string(3, node.name);
  w.string(4, node.opType);
  if (node.domain) w.string(7, node.domain);
  for (const a of node.attributes ?? []) {
    w.message(5, (m) => {
      m.string(1, a.name);
      if ("int" in a) {
        m.int64(3, a.int);
        m.int64(20, ATTRIBUTE_INT);
      } else {
        m.float(2, a.float);
        m.int64(20, ATTRIBUTE_FLOAT);
      }
    });
  }
}

function encodeTensor(w: ProtobufWriter, tensor: TensorOut): void {
  w.packedInt64s(1, tensor.dims);
  w.int64(2, tensor.dataType);
  w.string(8, tensor.name);
  const size = tensor.dataType === DOUBLE ? 8 : 4;
  const raw = new DataView(new ArrayBuffer(tensor.values.length * size));
  for (let i = 0; i < tensor.values.length; i++) {
    if (size === 8) raw.setFloat64(i * 8, tensor.values[i]!, true);
    else raw.setFloat32(i * 4, tensor.values[i]!, true);
  }
  w.bytes(9, new Uint8Array(raw.buffer));
}

function encodeValueInfo(w: ProtobufWriter, value: ValueOut): void {
  w.string(1, value.name);
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int64(1, value.elemType);
      tensor.message(2, (shape) => {
        for (const dim of value.shape)
          shape.message(1, (d) => (typeof dim === "number" ? d.int64(1, dim) : d.string(2, dim)));
      });
    }),
  );
}
