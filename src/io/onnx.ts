// A chain of dense layers as an ONNX model (https://onnx.ai/onnx/intro/concepts.html), and back.
// Written: [Sub, Div] standardizer · per layer a Gemm (W [units, inputs], transB = 1) and its
// activation's op. Read: that, and what torch.onnx.export writes for an nn.Sequential of Linear
// layers and the supported activations (Gemm in any form a dense layer takes, MatMul + Add,
// LeakyRelu, Identity, Constant). Anything else is refused with a ModelFormatError naming the
// node and its op; nothing is built from a file that was not read whole.
import { MAX_PARAMETERS } from "../capacity.js";
import { ModelFormatError } from "../errors.js";
import { ACTIVATIONS, type Activation } from "../plan.js";
import { activationConstant } from "../operations/activations.js";
import { ACTIVATION_FORMATS, onnxForm, type OnnxForm } from "./activations.js";
import { fileLoss, isArrayBuffer, lossText, LIBRARY_VERSION, type DenseLayerModel, type DenseModel } from "./model.js";
import {
  ATTRIBUTE_FLOAT,
  ATTRIBUTE_INT,
  DATA_TYPE_NAMES,
  DOUBLE,
  FLOAT,
  decodeModel,
  encodeModel,
  type NodeOut,
  type OnnxAttribute,
  type OnnxModel,
  type OnnxNode,
  type OnnxTensor,
  type TensorOut,
} from "./onnx-proto.js";

/** What `toONNX` takes. */
export interface ONNXExportOptions {
  /** "float64" (DOUBLE, the default: predictions match bit for bit up to the runtime's sums) or "float32" (FLOAT) */
  precision?: "float64" | "float32";
}

/** The opset written unless an activation's op needs a later one: Softmax-13 is the per-axis softmax (PyTorch's). */
export const ONNX_OPSET = 13;
// ONNX's IR version for each opset it was released with (onnx/docs/Versioning.md)
const IR_VERSIONS: [opset: number, ir: number][] = [
  [13, 7],
  [15, 8],
  [19, 9],
  [21, 10],
  [23, 11],
];
const LOSS_KEY = "backprop-wasm:loss";

// ---- export ---------------------------------------------------------------------------------

export function encodeONNX(model: DenseModel, options: ONNXExportOptions = {}): Uint8Array {
  if (options === null || typeof options !== "object")
    throw new TypeError(`toONNX: options is ${String(options)}; expected an object`);
  const precision = options.precision ?? "float64";
  if (precision !== "float64" && precision !== "float32")
    throw new TypeError(`toONNX: precision is ${JSON.stringify(precision)}; expected "float64" or "float32"`);
  const dataType = precision === "float64" ? DOUBLE : FLOAT;
  const nodes: NodeOut[] = [];
  const initializers: TensorOut[] = [];
  const tensor = (name: string, dims: number[], values: ArrayLike<number>) => {
    initializers.push({ name, dims, dataType, values });
    return name;
  };
  let value = "input";
  const last = model.layers.length - 1;
  if (model.standardizer) {
    const mean = tensor("standardize.mean", [model.inputs], model.standardizer.mean);
    const std = tensor("standardize.std", [model.inputs], model.standardizer.std);
    nodes.push({ name: "standardize.center", opType: "Sub", inputs: [value, mean], outputs: ["standardize.centered"] });
    nodes.push({
      name: "standardize.scale",
      opType: "Div",
      inputs: ["standardize.centered", std],
      outputs: ["standardized"],
    });
    value = "standardized";
  }
  let opset = ONNX_OPSET;
  model.layers.forEach((layer, l) => {
    const name = `dense${l + 1}`;
    const form = onnxForm(layer.activation, `layer ${l + 1} (${name})`);
    const z = l === last && !form ? "output" : `${name}.z`;
    const weight = tensor(`${name}.weight`, [layer.units, layer.inputs], layer.weights);
    const bias = tensor(`${name}.bias`, [layer.units], layer.biases);
    nodes.push({
      name,
      opType: "Gemm",
      inputs: [value, weight, bias],
      outputs: [z],
      attributes: [{ name: "transB", int: 1 }],
    });
    value = z;
    if (!form) return;
    opset = Math.max(opset, form.opset ?? ONNX_OPSET);
    const a = l === last ? "output" : `${name}.${layer.activation}`;
    if (form.compose) {
      nodes.push(...composeNodes(form.compose, name, layer.activation, value, a, tensor));
      value = a;
      return;
    }
    const inputs = form.slope === undefined ? [value] : [value, tensor(`${name}.slope`, [1], [form.slope])];
    const attributes = [
      ...Object.entries(form.ints ?? {}).map(([key, values]) => ({ name: key, int: values[0]! })),
      ...Object.entries(form.floats ?? {}).map(([key, f]) => ({ name: key, float: f })),
    ];
    nodes.push({ name: `${name}.${layer.activation}`, opType: form.op, inputs, outputs: [a], attributes });
    value = a;
  });
  const elemType = dataType;
  const outputs = model.layers[last]!.units;
  return encodeModel({
    irVersion: IR_VERSIONS.filter(([o]) => o <= opset).pop()![1],
    opset,
    producerName: "backprop-wasm",
    producerVersion: LIBRARY_VERSION,
    docString: `${model.layers.map((l) => `${l.units} ${l.activation}`).join(" → ")}, from ${model.inputs} inputs`,
    graphName: "backprop-wasm",
    nodes,
    initializers,
    inputs: [{ name: "input", elemType, shape: ["N", model.inputs] }],
    outputs: [{ name: "output", elemType, shape: ["N", outputs] }],
    metadata: [
      ...(model.loss ? [{ key: LOSS_KEY, value: lossText(model.loss) }] : []),
      { key: "backprop-wasm:version", value: LIBRARY_VERSION },
    ],
  });
}

// The ops of a composed activation from z to a; the last node is named as a single op's would be.
function composeNodes(
  compose: NonNullable<OnnxForm["compose"]>,
  name: string,
  activation: string,
  z: string,
  a: string,
  tensor: (name: string, dims: number[], values: number[]) => string,
): NodeOut[] {
  const node = (suffix: string, opType: string, inputs: string[], output: string): NodeOut => ({
    name: `${name}.${suffix}`,
    opType,
    inputs,
    outputs: [output],
  });
  switch (compose) {
    case "silu": {
      const one = tensor(`${name}.one`, [], [1]);
      return [
        node("neg", "Neg", [z], `${name}.neg`),
        node("exp", "Exp", [`${name}.neg`], `${name}.exp`),
        node("denominator", "Add", [one, `${name}.exp`], `${name}.denominator`),
        node(activation, "Div", [z, `${name}.denominator`], a),
      ];
    }
    case "softplus": {
      const threshold = tensor(`${name}.threshold`, [], [SOFTPLUS_THRESHOLD]);
      return [
        node("log1pexp", "Softplus", [z], `${name}.log1pexp`),
        node("above", "Greater", [z, threshold], `${name}.above`),
        node(activation, "Where", [`${name}.above`, z, `${name}.log1pexp`], a),
      ];
    }
    default:
      return compose satisfies never;
  }
}

const SOFTPLUS_THRESHOLD = activationConstant("softplus", "threshold");

// ---- import ---------------------------------------------------------------------------------

const WHERE = "fromONNX";

function fail(problem: string): never {
  throw new ModelFormatError(`${WHERE}: ${problem}`);
}

function nodeName(node: OnnxNode): string {
  return `node ${JSON.stringify(node.name || node.outputs[0] || "(unnamed)")} (${node.opType})`;
}

function failAt(node: OnnxNode, problem: string): never {
  return fail(`${nodeName(node)}: ${problem}`);
}

const READ_FORMS: { activation: Activation; form: OnnxForm }[] = ACTIVATIONS.flatMap((activation) => {
  const f = ACTIVATION_FORMATS[activation];
  return [...(f.onnx && !("refused" in f.onnx) ? [f.onnx] : []), ...(f.onnxAlso ?? [])].map((form) => ({
    activation,
    form,
  }));
});
const ACTIVATION_OPS = READ_FORMS.map((r) => r.form.op).join(", ");

function typeName(dataType: number): string {
  return DATA_TYPE_NAMES[dataType] ?? String(dataType);
}

/** Reads an ONNX model of a chain of dense layers; throws a ModelFormatError for anything else. */
export function decodeONNX(data: Uint8Array | ArrayBuffer): DenseModel {
  // by their tags, not instanceof, so that bytes from another realm (a worker, an iframe) are accepted
  let bytes: Uint8Array;
  if (ArrayBuffer.isView(data)) bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  else if (isArrayBuffer(data)) bytes = new Uint8Array(data);
  else {
    const got = data === null ? "null" : typeof data;
    throw new TypeError(`${WHERE}: got ${got}; expected the bytes of an .onnx file (a Uint8Array or ArrayBuffer)`);
  }
  if (bytes.length === 0) fail("the file is empty");
  const model = decodeModel(bytes);
  return readModel(model);
}

function readModel(model: OnnxModel): DenseModel {
  const graph = model.graph ?? fail("the model has no graph; is this an .onnx file?");
  if (model.functions > 0)
    fail(`the model defines ${model.functions} local function(s); only the standard ops of a dense chain are read`);
  if (model.trainingInfo > 0)
    fail("the model carries training information (an ONNX training graph); export it for inference");
  if (graph.sparseInitializers > 0)
    fail(`the graph has ${graph.sparseInitializers} sparse initializer(s); dense layers are stored dense`);
  const opset = model.opsets.find((o) => o.domain === "" || o.domain === "ai.onnx");
  if (!opset) fail("the model imports no opset of the default ONNX domain");

  // constants: initializers and Constant nodes
  const constants = new Map<string, { tensor: OnnxTensor; from: string }>();
  const users = new Map<string, OnnxNode[]>();
  for (const t of graph.initializers) {
    if (constants.has(t.name)) fail(`two initializers are named ${JSON.stringify(t.name)}`);
    constants.set(t.name, { tensor: t, from: `initializer ${JSON.stringify(t.name)}` });
  }
  let compute: OnnxNode[] = [];
  for (const node of graph.nodes) {
    if (node.domain !== "" && node.domain !== "ai.onnx")
      failAt(node, `the op is from the domain ${JSON.stringify(node.domain)}; only the default ONNX domain is read`);
    if (node.opType === "Constant") {
      const value = node.attributes.length === 1 && node.attributes[0]!.name === "value" ? node.attributes[0]!.t : null;
      if (!value)
        failAt(
          node,
          `the attributes (${node.attributes.map((a) => a.name).join(", ")}) are not supported; expected one tensor "value"`,
        );
      if (node.outputs.length !== 1 || constants.has(node.outputs[0]!))
        failAt(node, "expected one output, named uniquely");
      constants.set(node.outputs[0]!, { tensor: value, from: nodeName(node) });
      continue;
    }
    // torch writes Identity nodes on initializers (shared or unused weights): a constant too
    const source = node.opType === "Identity" && node.inputs.length === 1 ? constants.get(node.inputs[0]!) : undefined;
    if (source && node.outputs.length === 1 && node.attributes.length === 0 && !constants.has(node.outputs[0]!)) {
      constants.set(node.outputs[0]!, source);
      continue;
    }
    compute.push(node);
  }
  // the activations written as a few ops (silu, softplus), each taken as one node before the chain is walked
  // (assigned, not spread into splice: a file of a few hundred thousand nodes would overflow the stack)
  compute = fuseComposed(compute, (name) => constants.get(name)?.tensor);
  for (const node of compute) {
    for (const input of node.inputs) {
      if (input === "" || constants.has(input)) continue;
      const list = users.get(input) ?? [];
      if (list[list.length - 1] !== node) list.push(node); // a node's inputs are seen together: once per node, in O(1)
      users.set(input, list);
    }
  }
  for (const node of compute) {
    for (const input of node.inputs) {
      const c = constants.get(input);
      if (c?.tensor.external)
        failAt(
          node,
          `its input ${c.from} keeps its data in an external file; save the model with its data inside ` +
            "(onnx.save_model(model, path, save_as_external_data=False))",
        );
    }
  }

  // the graph's input (initializers may be listed as inputs too, as older exporters do) and output
  const inputs = graph.inputs.filter((i) => !constants.has(i.name));
  if (inputs.length !== 1)
    fail(
      `the graph has ${inputs.length} inputs (${inputs.map((i) => JSON.stringify(i.name)).join(", ")}); a dense chain has one`,
    );
  if (graph.outputs.length !== 1)
    fail(`the graph has ${graph.outputs.length} outputs; a chain of dense layers has one`);
  const input = inputs[0]!,
    output = graph.outputs[0]!;
  for (const [v, what] of [
    [input, "input"],
    [output, "output"],
  ] as const) {
    if (v.kind !== "tensor")
      fail(
        `the graph's ${what} ${JSON.stringify(v.name)} is ${v.kind === "none" ? "of no type" : `a ${v.kind}`}; expected a tensor`,
      );
    if (v.elemType !== FLOAT && v.elemType !== DOUBLE)
      fail(
        `the graph's ${what} ${JSON.stringify(v.name)} is of type ${typeName(v.elemType)}; expected FLOAT or DOUBLE`,
      );
  }

  // walk the chain from the input to the output, each value used by exactly one node
  const chain: OnnxNode[] = [];
  const seen = new Set<OnnxNode>();
  let value = input.name;
  while (value !== output.name) {
    const next = users.get(value) ?? [];
    if (next.length === 0)
      fail(
        `the value ${JSON.stringify(value)} is used by no node and is not the graph's output; the graph is not a chain`,
      );
    if (next.length > 1)
      fail(
        `the value ${JSON.stringify(value)} feeds ${next.length} nodes (${next.map(nodeName).join(", ")}); in a chain, one`,
      );
    const node = next[0]!;
    if (seen.has(node)) failAt(node, "the graph has a cycle");
    seen.add(node);
    if (node.outputs.length !== 1) failAt(node, `it has ${node.outputs.length} outputs; a layer of a chain has one`);
    if (node.inputs.filter((i) => i === value).length !== 1)
      failAt(node, `it takes ${JSON.stringify(value)} more than once`);
    chain.push(node);
    value = node.outputs[0]!;
  }
  if (users.has(output.name))
    fail(
      `the graph's output ${JSON.stringify(output.name)} also feeds ${users.get(output.name)!.map(nodeName).join(", ")}; not a chain`,
    );
  // the ops on the chain first, so that an unsupported one is named before what follows from it
  const constant = (name: string, node: OnnxNode) =>
    constants.get(name)?.tensor ?? failAt(node, `its input ${JSON.stringify(name)} is computed, not a constant`);
  const dense = readChain(chain, input.name, constant);
  const off = compute.find((n) => !seen.has(n));
  if (off) failAt(off, "it is not on the path from the graph's input to its output; the graph is not a chain");
  for (const [v, what] of [
    [input, "input"],
    [output, "output"],
  ] as const) {
    if (v.shape && v.shape.length !== 2)
      fail(
        `the graph's ${what} ${JSON.stringify(v.name)} has rank ${v.shape.length}; a dense layer takes [batch, features], rank 2`,
      );
  }
  const firstInputs = dense.layers[0]!.inputs;
  const declared = input.shape?.[1];
  if (declared && "value" in declared && declared.value !== firstInputs)
    fail(
      `the graph's input ${JSON.stringify(input.name)} has ${declared.value} features, and the first layer takes ${firstInputs}`,
    );
  const outputs = dense.layers[dense.layers.length - 1]!.units;
  const declaredOut = output.shape?.[1];
  if (declaredOut && "value" in declaredOut && declaredOut.value !== outputs)
    fail(
      `the graph's output ${JSON.stringify(output.name)} has ${declaredOut.value} features, and the last layer has ${outputs} units`,
    );
  const named = model.metadata.find((m) => m.key === LOSS_KEY);
  const last = dense.layers[dense.layers.length - 1]!.activation;
  return { ...dense, loss: named ? fileLoss(named.value, last, WHERE) : null };
}

// The compositions composeNodes writes (and torch's z·Sigmoid(z) for SiLU), each replaced by one
// node of the composition's name, with the data as its one input, when every value inside it is
// used by it alone; anything else is left for the chain walk to name.
function fuseComposed(nodes: OnnxNode[], constant: (name: string) => OnnxTensor | undefined): OnnxNode[] {
  const producer = new Map<string, OnnxNode>();
  const uses = new Map<string, number>();
  for (const node of nodes) {
    for (const output of node.outputs) producer.set(output, node);
    for (const input of node.inputs) uses.set(input, (uses.get(input) ?? 0) + 1);
  }
  const plain = (node: OnnxNode | undefined, op: string, inputs: number): node is OnnxNode =>
    node !== undefined &&
    node.opType === op &&
    node.attributes.length === 0 &&
    node.inputs.length === inputs &&
    node.outputs.length === 1 &&
    (node.domain === "" || node.domain === "ai.onnx");
  // plain() without its type guard, which would narrow a node that is not the op to never
  const is = (node: OnnxNode, op: string, inputs: number): boolean => plain(node, op, inputs);
  const only = (value: string | undefined, count = 1) => value !== undefined && uses.get(value) === count;
  const scalar = (name: string | undefined, value: number) => {
    const t = name === undefined ? undefined : constant(name);
    if (!t || t.dims.some((d) => d !== 1) || (t.dataType !== FLOAT && t.dataType !== DOUBLE)) return false;
    const held = t.raw
      ? t.raw.length / (t.dataType === DOUBLE ? 8 : 4)
      : (t.dataType === DOUBLE ? t.doubleData : t.floatData).length;
    if (held !== 1) return false;
    // (a float32 from raw_data read as float32: its 4 bytes may be the last of the file)
    const raw = t.raw && new DataView(t.raw.buffer, t.raw.byteOffset, t.raw.length);
    const v = raw
      ? t.dataType === DOUBLE
        ? raw.getFloat64(0, true)
        : raw.getFloat32(0, true)
      : (t.dataType === DOUBLE ? t.doubleData : t.floatData)[0];
    return v === value;
  };
  const removed = new Set<OnnxNode>();
  const replaced = new Map<OnnxNode, OnnxNode>();
  const fuse = (last: OnnxNode, inside: OnnxNode[], data: string, op: string) => {
    for (const node of inside) removed.add(node);
    replaced.set(last, { ...last, opType: op, inputs: [data], attributes: [] });
  };
  for (const node of nodes) {
    if (is(node, "Div", 2)) {
      // silu: Div(z, Add(1, Exp(Neg(z))))
      const [z, denominator] = node.inputs as [string, string];
      const add = producer.get(denominator);
      if (!plain(add, "Add", 2) || !only(denominator)) continue;
      const e = add.inputs.find((input) => !scalar(input, 1));
      const exp = e === undefined ? undefined : producer.get(e);
      if (!plain(exp, "Exp", 1) || !only(e) || !add.inputs.some((input) => scalar(input, 1))) continue;
      const neg = producer.get(exp.inputs[0]!);
      if (plain(neg, "Neg", 1) && neg.inputs[0] === z && only(neg.outputs[0]) && only(z, 2))
        fuse(node, [add, exp, neg], z, SILU_OP);
    } else if (is(node, "Mul", 2)) {
      // silu as torch writes it: Mul(z, Sigmoid(z))
      const sigmoid = node.inputs.map((input) => producer.get(input)).find((p) => plain(p, "Sigmoid", 1));
      const z = sigmoid?.inputs[0];
      if (sigmoid && only(sigmoid.outputs[0]) && node.inputs.includes(z!) && only(z, 2))
        fuse(node, [sigmoid], z!, SILU_OP);
    } else if (is(node, "Where", 3)) {
      // softplus: Where(Greater(z, 20), z, Softplus(z))
      const [above, z, raw] = node.inputs as [string, string, string];
      const greater = producer.get(above),
        softplus = producer.get(raw);
      if (
        plain(greater, "Greater", 2) &&
        greater.inputs[0] === z &&
        scalar(greater.inputs[1], SOFTPLUS_THRESHOLD) &&
        only(above) &&
        plain(softplus, "Softplus", 1) &&
        softplus.inputs[0] === z &&
        only(raw) &&
        only(z, 3)
      )
        fuse(node, [greater, softplus], z, SOFTPLUS_OP);
    }
  }
  return nodes.filter((node) => !removed.has(node)).map((node) => replaced.get(node) ?? node);
}

// the names the compositions are read as (the forms' ops in src/io/activations.ts)
const SILU_OP =
  ACTIVATION_FORMATS.silu.onnx !== null && "op" in ACTIVATION_FORMATS.silu.onnx ? ACTIVATION_FORMATS.silu.onnx.op : "";
const SOFTPLUS_OP =
  ACTIVATION_FORMATS.softplus.onnx !== null && "op" in ACTIVATION_FORMATS.softplus.onnx
    ? ACTIVATION_FORMATS.softplus.onnx.op
    : "";

// one layer as it is read: weights once its Gemm or MatMul is read, then optionally a bias and an activation
interface LayerBeingRead extends DenseLayerModel {
  node: OnnxNode;
  hasBias: boolean;
  activationNode: OnnxNode | null;
}

function readChain(
  chain: OnnxNode[],
  inputName: string,
  constant: (name: string, node: OnnxNode) => OnnxTensor,
): Omit<DenseModel, "loss"> {
  const layers: LayerBeingRead[] = [];
  let standardizer: DenseModel["standardizer"] = null;
  let centered: { node: OnnxNode; mean: Float64Array } | null = null;
  let value = inputName;
  let width = 0; // features of the current value; 0 while the first layer has not fixed it
  const current = () => layers[layers.length - 1];

  for (const node of chain) {
    const others = node.inputs.filter((i) => i !== value && i !== "");
    const operand = (n: number) => {
      if (others.length !== n)
        failAt(node, `it takes ${others.length} constant input(s) besides the data; expected ${n}`);
      return others.map((name) => constant(name, node));
    };
    if (centered && node.opType !== "Div")
      failAt(node, `a standardizer's Sub (${nodeName(centered.node)}) must be followed by its Div`);
    switch (node.opType) {
      case "Identity":
        operand(0);
        attributesOf(node, {});
        break;
      case "Sub": {
        if (layers.length > 0 || standardizer)
          failAt(node, "Sub is read only as the standardizer (x − mean) / std in front of the first layer");
        if (node.inputs[0] !== value) failAt(node, "expected the data first, x − mean");
        attributesOf(node, {});
        const mean = vectorOf(operand(1)[0]!, node, "mean");
        width = mean.length;
        centered = { node, mean };
        break;
      }
      case "Div": {
        if (!centered)
          failAt(node, "Div is read only as the standardizer (x − mean) / std in front of the first layer");
        if (node.inputs[0] !== value) failAt(node, "expected the data first, (x − mean) / std");
        attributesOf(node, {});
        const std = vectorOf(operand(1)[0]!, node, "std", centered.mean.length);
        std.forEach((s, j) => {
          if (!(s > 0)) failAt(node, `std[${j}] is ${s}; a standardizer divides by a std > 0`);
        });
        standardizer = { mean: centered.mean, std };
        centered = null;
        break;
      }
      case "Gemm":
        layers.push(readGemm(node, value, width, constant));
        width = current()!.units;
        break;
      case "MatMul":
        if (node.inputs[0] !== value) failAt(node, "the data must be the first input, x·B");
        attributesOf(node, {});
        layers.push(denseFrom(node, operand(1)[0]!, false, 1, width));
        width = current()!.units;
        break;
      case "Add": {
        const layer = current();
        if (!layer || layer.hasBias || layer.activationNode)
          failAt(node, "Add is read only as the bias of a Gemm without one or of a MatMul, before the activation");
        attributesOf(node, {});
        const t = operand(1)[0]!;
        layer.biases = vectorOf(t, node, "bias", layer.units);
        layer.hasBias = true;
        break;
      }
      default: {
        const read = READ_FORMS.find((r) => r.form.op === node.opType);
        if (!read)
          failAt(
            node,
            `the op is not supported; a dense chain has Gemm or MatMul (+ Add), and the activations ${ACTIVATION_OPS}`,
          );
        const layer = current();
        if (!layer) failAt(node, "an activation before any dense layer");
        if (layer.activationNode) failAt(node, `a second activation after ${nodeName(layer.activationNode)}`);
        if (node.inputs[0] !== value) failAt(node, "the data must be the first input");
        checkForm(node, read.form, () => operand(read.form.slope === undefined ? 0 : 1), layer.units);
        layer.activation = read.activation;
        layer.activationNode = node;
      }
    }
    value = node.outputs[0]!;
  }
  if (centered) failAt(centered.node, "a standardizer's Sub must be followed by its Div");
  if (layers.length === 0) fail("the graph has no dense layer (Gemm or MatMul)");
  for (const layer of layers) {
    if (layer.activation === "softmax" && layer.units < 2)
      failAt(layer.activationNode!, "softmax over 1 unit is always 1; this library needs at least 2");
  }
  const inputs = layers[0]!.inputs;
  if (standardizer && standardizer.mean.length !== inputs)
    fail(`the standardizer has ${standardizer.mean.length} columns, and the first layer takes ${inputs} inputs`);
  return {
    inputs,
    layers: layers.map(({ inputs, units, activation, weights, biases }) => ({
      inputs,
      units,
      activation,
      weights,
      biases,
    })),
    standardizer,
  };
}

// Y = α·A′·B′ + β·C with A the data: as a dense layer, transA = 0, W = α·B (transB = 1) or α·Bᵀ, b = β·C
function readGemm(
  node: OnnxNode,
  value: string,
  width: number,
  constant: (name: string, node: OnnxNode) => OnnxTensor,
): LayerBeingRead {
  if (node.inputs[0] !== value) failAt(node, "the data must be input A; a dense layer is Y = x·Wᵀ + b");
  if (node.inputs.length < 2 || node.inputs.length > 3 || node.inputs[1] === "")
    failAt(node, `it has ${node.inputs.length} inputs; expected A, B and optionally C`);
  const a = attributesOf(node, {
    alpha: ATTRIBUTE_FLOAT,
    beta: ATTRIBUTE_FLOAT,
    transA: ATTRIBUTE_INT,
    transB: ATTRIBUTE_INT,
  });
  const transA = a.transA?.i ?? 0,
    transB = a.transB?.i ?? 0;
  if (transA !== 0)
    failAt(node, `transA = ${transA} is not supported; the data [batch, features] is A, untransposed (transA = 0)`);
  if (transB !== 0 && transB !== 1) failAt(node, `transB = ${transB} is not supported; expected 0 or 1`);
  const alpha = a.alpha?.f ?? 1,
    beta = a.beta?.f ?? 1;
  const layer = denseFrom(node, constant(node.inputs[1]!, node), transB === 1, alpha, width);
  const c = node.inputs[2];
  if (c !== undefined && c !== "") {
    const bias = vectorOf(constant(c, node), node, "C", layer.units);
    layer.biases = beta === 1 ? bias : bias.map((b) => beta * b);
    layer.hasBias = true;
  }
  return layer;
}

function denseFrom(node: OnnxNode, t: OnnxTensor, transposed: boolean, alpha: number, width: number): LayerBeingRead {
  if (t.dims.length !== 2) failAt(node, `its weight ${JSON.stringify(t.name)} has rank ${t.dims.length}; expected 2`);
  const [rows, cols] = t.dims as [number, number];
  const inputs = transposed ? cols : rows,
    units = transposed ? rows : cols;
  if (width !== 0 && inputs !== width)
    failAt(node, `its weight ${JSON.stringify(t.name)} takes ${inputs} inputs; the layer before gives ${width}`);
  const b = valuesOf(t, node);
  // W[u][i] = α·B[i][u] (transB = 0) or α·B[u][i] (transB = 1)
  const weights = new Float64Array(units * inputs);
  for (let u = 0; u < units; u++) {
    for (let i = 0; i < inputs; i++) weights[u * inputs + i] = alpha * b[transposed ? u * inputs + i : i * units + u]!;
  }
  return {
    inputs,
    units,
    activation: "linear",
    weights,
    biases: new Float64Array(units),
    node,
    hasBias: false,
    activationNode: null,
  };
}

// the attributes a node may have, each of one type; anything else is refused
function attributesOf(node: OnnxNode, allowed: Record<string, number>): Record<string, OnnxAttribute> {
  const found: Record<string, OnnxAttribute> = {};
  const names = Object.keys(allowed);
  for (const a of node.attributes) {
    const type = allowed[a.name];
    if (type === undefined)
      failAt(
        node,
        `the attribute ${JSON.stringify(a.name)} is not supported${names.length ? `; expected ${names.join(", ")}` : ""}`,
      );
    const kind = type === ATTRIBUTE_FLOAT ? a.f : a.i;
    if ((a.type !== 0 && a.type !== type) || kind === null || a.other)
      failAt(
        node,
        `the attribute ${JSON.stringify(a.name)} is not a single ${type === ATTRIBUTE_FLOAT ? "float" : "int"}`,
      );
    found[a.name] = a;
  }
  return found;
}

function checkForm(node: OnnxNode, form: OnnxForm, operands: () => OnnxTensor[], units: number): void {
  const types: Record<string, number> = {};
  for (const key of Object.keys(form.ints ?? {})) types[key] = ATTRIBUTE_INT;
  for (const key of Object.keys(form.floats ?? {})) types[key] = ATTRIBUTE_FLOAT;
  const found = attributesOf(node, types);
  for (const [key, values] of Object.entries(form.ints ?? {})) {
    const v = found[key]?.i;
    if (v != null && !values.includes(v))
      failAt(node, `${key} = ${v} is not supported; expected ${values.join(" or ")}`);
  }
  for (const [key, f] of Object.entries(form.floats ?? {})) {
    const v = found[key]?.f;
    if (v != null && v !== Math.fround(f))
      failAt(node, `${key} = ${v} is not supported; this library's ${node.opType} has ${key} ${f}`);
  }
  const [slope] = operands();
  if (form.slope !== undefined && slope) {
    const s = valuesOf(slope, node);
    const broadcast =
      slope.dims.every((d, k) => d === 1 || (k === slope.dims.length - 1 && d === units)) && slope.dims.length <= 2;
    if (!broadcast)
      failAt(
        node,
        `its slope ${JSON.stringify(slope.name)} has shape [${slope.dims.join(", ")}]; expected [1] or [${units}]`,
      );
    const wrong = s.find((v) => v !== form.slope && v !== Math.fround(form.slope!));
    if (wrong !== undefined)
      failAt(node, `its slope ${JSON.stringify(slope.name)} holds ${wrong}; this library's slope is ${form.slope}`);
  }
}

// a constant of n values (n = 0: any), shaped [n], [1, n], or a single value broadcast to n
function vectorOf(t: OnnxTensor, node: OnnxNode, what: string, n = 0): Float64Array {
  const values = valuesOf(t, node);
  const size = t.dims.reduce((p, d) => p * d, 1);
  const leading = t.dims.slice(0, -1).every((d) => d === 1) && t.dims.length <= 2;
  if (!leading || (n !== 0 && size !== n && size !== 1))
    failAt(
      node,
      `its ${what} ${JSON.stringify(t.name)} has shape [${t.dims.join(", ")}]; expected [${n || "features"}]`,
    );
  if (n === 0 || size === n) return values;
  return new Float64Array(n).fill(values[0]!);
}

// no tensor of a network the library can hold has more values than its parameters' limit: refused
// before the bytes are read into a Float64Array (a float32 file's values take twice its bytes)
const MAX_ELEMENTS = MAX_PARAMETERS;

/** A FLOAT or DOUBLE tensor's values as float64 (float32 values exactly), after checking its dims against its data. */
function valuesOf(t: OnnxTensor, node: OnnxNode): Float64Array {
  const what = `${nodeName(node)}: the tensor ${JSON.stringify(t.name)}`;
  if (t.dataType !== FLOAT && t.dataType !== DOUBLE)
    fail(`${what} is of type ${typeName(t.dataType)}; expected FLOAT or DOUBLE`);
  if (t.otherData) fail(`${what} has ${t.otherData}, which a ${DATA_TYPE_NAMES[t.dataType]} tensor does not use`);
  let count = 1;
  for (const d of t.dims) {
    if (!Number.isInteger(d) || d < 1 || d > MAX_ELEMENTS)
      fail(`${what} has a dimension of ${d}; expected 1 to ${MAX_ELEMENTS}`);
    count *= d;
    if (count > MAX_ELEMENTS) fail(`${what} declares ${t.dims.join(" × ")} values, more than ${MAX_ELEMENTS}`);
  }
  const size = t.dataType === DOUBLE ? 8 : 4;
  const listed = t.dataType === DOUBLE ? t.doubleData : t.floatData;
  const sources = (t.raw ? 1 : 0) + (listed.length > 0 ? 1 : 0) + (t.int64Data.length > 0 ? 1 : 0);
  if (sources > 1 || t.int64Data.length > 0)
    fail(`${what} stores its values in more than one field, or in the wrong one`);
  const held = t.raw ? t.raw.length / size : listed.length;
  if (held !== count) fail(`${what} declares ${t.dims.length ? t.dims.join(" × ") : "one"} value(s) and holds ${held}`);
  const out = new Float64Array(count);
  if (t.raw) {
    const view = new DataView(t.raw.buffer, t.raw.byteOffset, t.raw.byteLength);
    for (let i = 0; i < count; i++) out[i] = size === 8 ? view.getFloat64(i * 8, true) : view.getFloat32(i * 4, true);
  } else out.set(listed);
  const bad = out.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) fail(`${what} holds ${out[bad]} at index ${bad}; expected finite numbers`);
  return out;
}
