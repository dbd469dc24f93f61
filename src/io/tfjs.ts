// The TensorFlow.js layers format (what tf.LayersModel.save writes, https://www.tensorflow.org/js/guide/save_load):
// a Keras Sequential topology, weight specs, and the weights as one buffer of float32 values.
// Written: one Dense per layer (a leakyRelu layer as a linear Dense and a LeakyReLU layer), with
// the standardizer folded into the first Dense. Read: Sequential models of InputLayer, Dense,
// Activation and LeakyReLU layers, the last two merged into the linear Dense before them.
import { MAX_PARAMETERS } from "../capacity.js";
import { ModelFormatError } from "../errors.js";
import { ACTIVATIONS, type Activation } from "../plan.js";
import { ACTIVATION_FORMATS } from "./activations.js";
import { fileLoss, isArrayBuffer, LIBRARY_VERSION, lossText, type DenseLayerModel, type DenseModel } from "./model.js";

/** A weight's name, shape and type, as tf.io.WeightsManifestEntry. */
export interface TFJSWeightSpec {
  name: string;
  shape: number[];
  dtype: string;
}

/** What `toTFJS` returns: a tf.io.ModelArtifacts, for `tf.loadLayersModel(tf.io.fromMemory(artifacts))`. */
export interface TFJSArtifacts {
  modelTopology: Record<string, unknown>;
  weightSpecs: TFJSWeightSpec[];
  weightData: ArrayBuffer;
  format: "layers-model";
  generatedBy: string;
  convertedBy: null;
  userDefinedMetadata: { "backprop-wasm": { loss: string | null } };
}

// ---- export ---------------------------------------------------------------------------------

export function encodeTFJS(model: DenseModel): TFJSArtifacts {
  const layers: unknown[] = [];
  const specs: TFJSWeightSpec[] = [];
  const values: number[][] = [];
  model.layers.forEach((layer, l) => {
    const name = `dense${l + 1}`;
    const form = ACTIVATION_FORMATS[layer.activation].keras;
    const { kernel, bias } = kerasWeights(layer, l === 0 ? model.standardizer : null);
    layers.push({
      class_name: "Dense",
      config: {
        name,
        units: layer.units,
        activation: "activation" in form ? form.activation : "linear",
        use_bias: true,
        trainable: true,
        dtype: "float32",
        ...(l === 0 ? { batch_input_shape: [null, model.inputs] } : {}),
      },
    });
    specs.push(
      { name: `${name}/kernel`, shape: [layer.inputs, layer.units], dtype: "float32" },
      { name: `${name}/bias`, shape: [layer.units], dtype: "float32" },
    );
    values.push(kernel, bias);
    if ("layer" in form)
      layers.push({
        class_name: form.layer,
        config: { name: `${name}_${layer.activation}`, trainable: true, ...form.config },
      });
  });
  const data = new Float32Array(values.reduce((n, v) => n + v.length, 0));
  let at = 0;
  for (const v of values) {
    data.set(v, at);
    at += v.length;
  }
  return {
    modelTopology: {
      class_name: "Sequential",
      config: { name: "backprop_wasm", layers },
      keras_version: "tfjs-layers 4.22.0",
      backend: "tensor_flow.js",
    },
    weightSpecs: specs,
    weightData: data.buffer,
    format: "layers-model",
    generatedBy: `backprop-wasm ${LIBRARY_VERSION}`,
    convertedBy: null,
    userDefinedMetadata: { "backprop-wasm": { loss: model.loss && lossText(model.loss) } },
  };
}

// Keras's kernel is [inputs, units] (y = x·K + b). A standardizer in front is folded in:
// W·((x − m)/s) + b = (W/s)·x + (b − Σᵢ Wᵢ·mᵢ/sᵢ)
function kerasWeights(
  layer: DenseLayerModel,
  standardizer: DenseModel["standardizer"],
): { kernel: number[]; bias: number[] } {
  const { inputs, units, weights } = layer;
  const kernel = new Array<number>(inputs * units);
  const bias = Array.from(layer.biases);
  for (let u = 0; u < units; u++) {
    for (let i = 0; i < inputs; i++) {
      const w = weights[u * inputs + i]!;
      kernel[i * units + u] = standardizer ? w / standardizer.std[i]! : w;
      if (standardizer) bias[u]! -= (w * standardizer.mean[i]!) / standardizer.std[i]!;
    }
  }
  return { kernel, bias };
}

// ---- import ---------------------------------------------------------------------------------

const WHERE = "fromTFJS";

function fail(problem: string): never {
  throw new ModelFormatError(`${WHERE}: ${problem}`);
}

const KERAS_ACTIVATIONS = new Map<string, Activation>(
  ACTIVATIONS.flatMap((a) => {
    const form = ACTIVATION_FORMATS[a].keras;
    return "activation" in form ? [[form.activation, a] as [string, Activation]] : [];
  }),
);
const KERAS_NAMES = [...KERAS_ACTIVATIONS.keys()].join(", ");
const KERAS_LAYERS = new Map(
  ACTIVATIONS.flatMap((a) => {
    const form = ACTIVATION_FORMATS[a].keras;
    return "layer" in form ? [[form.layer, { activation: a, config: form.config }] as const] : [];
  }),
);

// keys of a layer's config that do not change what it computes at inference
const INERT_KEYS = ["name", "trainable", "dtype", "batch_input_shape", "batch_size"];
const DENSE_KEYS = [
  ...INERT_KEYS,
  "units",
  "activation",
  "use_bias",
  "kernel_initializer",
  "bias_initializer",
  "kernel_regularizer",
  "bias_regularizer",
  "activity_regularizer",
  "kernel_constraint",
  "bias_constraint",
];

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Reads tf.io.ModelArtifacts of a Sequential model of dense layers; throws a ModelFormatError for anything else. */
export function decodeTFJS(artifacts: unknown): DenseModel {
  if (!isObject(artifacts))
    fail(
      `got ${artifacts === null ? "null" : typeof artifacts}; expected tf.io.ModelArtifacts { modelTopology, weightSpecs, weightData }`,
    );
  const given = artifacts.modelTopology;
  if (isArrayBuffer(given)) fail("modelTopology is a graph model (a GraphDef); expected a layers model");
  if (!isObject(given)) fail("modelTopology is missing; expected the model's JSON");
  const topology = isObject(given.model_config) ? given.model_config : given;
  if (topology.class_name !== "Sequential")
    fail(`the model is a ${JSON.stringify(topology.class_name)}; only Sequential models are read`);
  const config = topology.config;
  const layerList = Array.isArray(config) ? config : isObject(config) ? config.layers : undefined;
  if (!Array.isArray(layerList)) fail("the Sequential model has no list of layers");
  const weights = readWeights(artifacts.weightSpecs, artifacts.weightData);

  let width = 0;
  const layers: DenseBeingRead[] = [];
  layerList.forEach((entry: unknown, index: number) => {
    if (!isObject(entry) || typeof entry.class_name !== "string" || !isObject(entry.config))
      fail(`layer ${index} is not { class_name, config }`);
    const c = entry.config;
    const name = typeof c.name === "string" ? c.name : `layer ${index}`;
    const where = `layer ${JSON.stringify(name)} (${entry.class_name})`;
    const known = (keys: string[]) => {
      for (const key of Object.keys(c))
        if (!keys.includes(key)) fail(`${where}: the config key ${JSON.stringify(key)} is not supported`);
      if (c.dtype !== undefined && c.dtype !== null && c.dtype !== "float32")
        fail(`${where}: dtype ${JSON.stringify(c.dtype)} is not supported; expected float32`);
    };
    if (!["InputLayer", "Dense", "Activation"].includes(entry.class_name) && !KERAS_LAYERS.has(entry.class_name))
      fail(
        `${where}: the layer class is not supported; expected Dense, Activation, ${[...KERAS_LAYERS.keys()].join(", ")} or InputLayer`,
      );
    if (c.batch_input_shape !== undefined && c.batch_input_shape !== null) {
      if (index !== 0) fail(`${where}: only the first layer may give batch_input_shape`);
      width = inputWidth(c.batch_input_shape, where);
    }
    const previous = layers[layers.length - 1];
    switch (entry.class_name) {
      case "InputLayer":
        known([...INERT_KEYS, "sparse", "ragged"]);
        if (index !== 0) fail(`${where}: an InputLayer after the first layer`);
        if (c.sparse === true || c.ragged === true) fail(`${where}: sparse and ragged inputs are not supported`);
        if (width === 0) fail(`${where}: no batch_input_shape`);
        break;
      case "Dense": {
        known(DENSE_KEYS);
        const units = c.units;
        if (typeof units !== "number" || !Number.isInteger(units) || units < 1)
          fail(`${where}: units is ${JSON.stringify(units)}; expected a positive integer`);
        const activation =
          c.activation === undefined || c.activation === null ? "linear" : KERAS_ACTIVATIONS.get(String(c.activation));
        if (!activation)
          fail(
            `${where}: the activation ${JSON.stringify(c.activation)} is not supported; expected one of ${KERAS_NAMES}`,
          );
        const kernel = weights.take(`${name}/kernel`, where);
        if (kernel.shape.length !== 2 || kernel.shape[1] !== units || (width !== 0 && kernel.shape[0] !== width))
          fail(
            `${where}: the kernel has shape [${kernel.shape.join(", ")}]; expected [${width || "inputs"}, ${units}]`,
          );
        const inputs = kernel.shape[0]!;
        const biases = new Float64Array(units);
        if (c.use_bias !== false) {
          const bias = weights.take(`${name}/bias`, where);
          if (bias.shape.length !== 1 || bias.shape[0] !== units)
            fail(`${where}: the bias has shape [${bias.shape.join(", ")}]; expected [${units}]`);
          biases.set(bias.values);
        }
        // W[u][i] = K[i][u]
        const w = new Float64Array(units * inputs);
        for (let u = 0; u < units; u++)
          for (let i = 0; i < inputs; i++) w[u * inputs + i] = kernel.values[i * units + u]!;
        layers.push({ name, inputs, units, activation, weights: w, biases, merged: false });
        width = units;
        break;
      }
      case "Activation": {
        known([...INERT_KEYS, "activation"]);
        const activation = KERAS_ACTIVATIONS.get(String(c.activation));
        if (!activation) fail(`${where}: the activation ${JSON.stringify(c.activation)} is not supported`);
        merge(previous, activation, where);
        break;
      }
      default: {
        const layer = KERAS_LAYERS.get(entry.class_name)!;
        known([...INERT_KEYS, ...Object.keys(layer.config)]);
        for (const [key, value] of Object.entries(layer.config)) {
          const given = c[key];
          if (given !== value && given !== Math.fround(value))
            fail(
              `${where}: ${key} = ${JSON.stringify(given)} is not supported; this library's ${layer.activation} has ${key} ${value}`,
            );
        }
        merge(previous, layer.activation, where);
      }
    }
  });
  if (layers.length === 0) fail("the model has no Dense layer");
  const unused = weights.unused();
  if (unused.length) fail(`the weights ${unused.map((n) => JSON.stringify(n)).join(", ")} belong to no Dense layer`);
  for (const l of layers) {
    if (l.activation === "softmax" && l.units < 2)
      fail(`layer ${JSON.stringify(l.name)}: softmax over 1 unit is always 1; this library needs at least 2`);
  }
  const metadata = artifacts.userDefinedMetadata;
  const named = isObject(metadata) && isObject(metadata["backprop-wasm"]) ? metadata["backprop-wasm"].loss : undefined;
  const last = layers[layers.length - 1]!;
  return {
    inputs: layers[0]!.inputs,
    layers: layers.map(({ inputs, units, activation, weights, biases }) => ({
      inputs,
      units,
      activation,
      weights,
      biases,
    })),
    standardizer: null,
    loss: typeof named === "string" ? fileLoss(named, last.activation, WHERE) : null,
  };
}

type DenseBeingRead = DenseLayerModel & { name: string; merged: boolean };

function merge(previous: DenseBeingRead | undefined, activation: Activation, where: string): void {
  if (!previous) fail(`${where}: an activation layer before any Dense layer`);
  if (previous.activation !== "linear" || previous.merged)
    fail(
      `${where}: follows layer ${JSON.stringify(previous.name)}, whose activation is already ${previous.activation}; ` +
        "it can only follow a linear Dense",
    );
  previous.activation = activation;
  previous.merged = true;
}

function inputWidth(shape: unknown, where: string): number {
  if (!Array.isArray(shape) || shape.length !== 2)
    fail(`${where}: batch_input_shape is ${JSON.stringify(shape)}; a dense layer takes [batch, features], rank 2`);
  const n = shape[1];
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1)
    fail(`${where}: batch_input_shape is ${JSON.stringify(shape)}; expected [null, features]`);
  return n;
}

// the weight buffer cut by its specs, every size checked against the bytes before anything is copied
function readWeights(specs: unknown, data: unknown) {
  if (!Array.isArray(specs)) fail("weightSpecs is missing; expected an array of { name, shape, dtype }");
  const buffers = Array.isArray(data) ? data : [data];
  if (!buffers.every(isArrayBuffer)) fail("weightData is not an ArrayBuffer (or an array of them)");
  const total = (buffers as ArrayBuffer[]).reduce((n, b) => n + b.byteLength, 0);
  let offset = 0;
  const table = new Map<string, { shape: number[]; offset: number; count: number }>();
  for (const [k, spec] of specs.entries()) {
    if (!isObject(spec) || typeof spec.name !== "string" || !Array.isArray(spec.shape))
      fail(`weightSpecs[${k}] is not { name, shape, dtype }`);
    const where = `weightSpecs[${k}] (${JSON.stringify(spec.name)})`;
    if (spec.dtype !== "float32")
      fail(`${where}: dtype ${JSON.stringify(spec.dtype)} is not supported; expected float32`);
    if (spec.quantization !== undefined) fail(`${where}: quantized weights are not supported`);
    let count = 1;
    for (const d of spec.shape as unknown[]) {
      if (typeof d !== "number" || !Number.isInteger(d) || d < 1)
        fail(`${where}: the shape [${spec.shape.join(", ")}] has a dimension that is not a positive integer`);
      count *= d;
      if (offset + count * 4 > total)
        fail(
          `${where}: the shape [${spec.shape.join(", ")}] needs more bytes than weightData's ${total} from byte ${offset}`,
        );
    }
    // (no weight of a network the library can hold has more values: refused before they are read)
    if (count > MAX_PARAMETERS)
      fail(
        `${where}: the shape [${spec.shape.join(", ")}] holds ${count} values; a network has at most ${MAX_PARAMETERS}`,
      );
    // "dense1/kernel", also under a scope ("sequential_1/dense1/kernel") or with TensorFlow's ":0"
    const name = spec.name.replace(/:0$/, "").split("/").slice(-2).join("/");
    if (table.has(name)) fail(`${where}: a second weight named ${JSON.stringify(name)}`);
    table.set(name, { shape: spec.shape as number[], offset, count });
    offset += count * 4;
  }
  if (offset !== total) fail(`weightSpecs describe ${offset} bytes and weightData has ${total}`);
  let joined = buffers[0] as ArrayBuffer;
  if (buffers.length !== 1) {
    const bytes = new Uint8Array(total);
    let at = 0;
    for (const b of buffers as ArrayBuffer[]) {
      bytes.set(new Uint8Array(b), at);
      at += b.byteLength;
    }
    joined = bytes.buffer;
  }
  const view = new DataView(joined);
  return {
    take(name: string, where: string) {
      const entry = table.get(name);
      if (!entry) fail(`${where}: weightSpecs have no ${JSON.stringify(name)}`);
      table.delete(name);
      const values = new Float64Array(entry.count);
      for (let i = 0; i < entry.count; i++) {
        values[i] = view.getFloat32(entry.offset + 4 * i, true);
        if (!Number.isFinite(values[i]))
          fail(`${where}: ${JSON.stringify(name)} holds ${values[i]} at index ${i}; expected finite numbers`);
      }
      return { shape: entry.shape, values };
    },
    unused: () => [...table.keys()],
  };
}
