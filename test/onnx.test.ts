// ONNX in and out, checked against the real runtimes: onnxruntime-node runs what toONNX writes;
// files that torch.onnx.export and onnx.helper wrote (test/fixtures/onnx, made by make_fixtures.py
// with torch's and numpy's outputs) are read back; every file that is not a chain of dense layers,
// and every malformed byte string, is refused with a ModelFormatError.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import ort from "onnxruntime-node";
import { describe, expect, it, vi } from "vitest";
import {
  ACTIVATIONS,
  ModelFormatError,
  Network,
  Standardizer,
  type Activation,
  type BackendKind,
  type LayerParameters,
  type NetworkSpec,
} from "../src/index.js";
import { LIBRARY_VERSION } from "../src/io/model.js";
import { ACTIVATION_FORMATS } from "../src/io/activations.js";
import { decodeONNX } from "../src/io/onnx.js";
import { DOUBLE, FLOAT, decodeModel, encodeModel, type ModelOut, type NodeOut } from "../src/io/onnx-proto.js";
import { MAX_DEPTH, ProtobufReader, ProtobufWriter } from "../src/io/protobuf.js";
import { deserializeError, serializeError } from "../src/worker/protocol.js";
import { BACKENDS, flat, randomMatrix, relativeDifference, testRandom } from "./backends.js";

const FIXTURES = new URL("./fixtures/onnx/", import.meta.url);
const fixture = (file: string) => new Uint8Array(readFileSync(new URL(file, FIXTURES)));

interface FixtureModel {
  file: string;
  description: string;
  dtype: "float32" | "float64";
  ops: string[];
  inputs: number;
  layers: { units: number; activation: Activation }[];
  x: number[][];
  expected: number[][];
  expected_float32?: number[][];
}
const FIXTURE_LIST: {
  models: FixtureModel[];
  rejects: { file: string; description: string; op: string | null; node: string | null }[];
} = JSON.parse(readFileSync(new URL("fixtures.json", FIXTURES), "utf8"));

/** Runs ONNX bytes in onnxruntime's CPU runtime on the rows of x. */
async function runtime(bytes: Uint8Array, x: number[][], precision: "float64" | "float32"): Promise<number[][]> {
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ["cpu"] });
  try {
    const cols = x[0]!.length;
    const data = precision === "float64" ? Float64Array.from(x.flat()) : Float32Array.from(x.flat());
    const result = await session.run({ [session.inputNames[0]!]: new ort.Tensor(precision, data, [x.length, cols]) });
    const out = result[session.outputNames[0]!]!;
    const width = out.dims[1]!;
    const values = Array.from(out.data as Float64Array | Float32Array);
    return Array.from({ length: x.length }, (_, i) => values.slice(i * width, (i + 1) * width));
  } finally {
    await session.release();
  }
}

// every parameter drawn from U(±1/√fan_in), biases included, so that no term is zero by construction
function randomParameters(spec: Pick<NetworkSpec, "inputs" | "layers">, seed: number): LayerParameters[] {
  const next = testRandom(seed);
  let inputs = spec.inputs;
  return spec.layers.map(({ units }) => {
    const r = 1 / Math.sqrt(inputs);
    const layer = {
      weights: randomMatrix(units, inputs, () => next(-r, r) * 2),
      biases: Array.from({ length: units }, () => next(-0.5, 0.5)),
    };
    inputs = units;
    return layer;
  });
}

function randomStandardizer(columns: number, seed: number): Standardizer {
  const next = testRandom(seed);
  const column = (lo: number, hi: number) => Array.from({ length: columns }, () => next(lo, hi));
  return Standardizer.fromJSON({ mean: column(-3, 3), std: column(0.5, 2) });
}

// layers of `units`, all of `activation` (a softmax network's hidden layers are tanh), with random parameters
async function network(
  backend: BackendKind,
  inputs: number,
  units: number[],
  activation: Activation,
  standardize: boolean,
  seed = 1,
): Promise<Network> {
  const hidden = activation === "softmax" ? "tanh" : activation;
  const layers = units.map((u, l) => ({ units: u, activation: l < units.length - 1 ? hidden : activation }));
  const net = await Network.create({
    inputs,
    layers,
    loss: activation === "softmax" ? "crossEntropy" : "mse",
    backend,
    seed,
  });
  net.setParameters(randomParameters({ inputs, layers }, seed + 100));
  if (standardize) net.setStandardizer(randomStandardizer(inputs, seed + 200));
  return net;
}

// the activations toONNX writes; the others it refuses, naming the layer (tested below)
const WRITTEN = ACTIVATIONS.filter((a) => {
  const f = ACTIVATION_FORMATS[a].onnx;
  return f === null || !("refused" in f);
});
const REFUSED = ACTIVATIONS.filter((a) => !WRITTEN.includes(a));
it("toONNX writes every activation but gelu (onnxruntime runs neither Gelu nor Erf in float64)", () => {
  expect(REFUSED).toEqual(["gelu"]);
});

const SIZES: { name: string; inputs: number; units: number[] }[] = [
  { name: "1×1", inputs: 1, units: [1] },
  { name: "3-4-2", inputs: 3, units: [4, 2] },
  { name: "5-7-6-3", inputs: 5, units: [7, 6, 3] },
  { name: "784-128-10", inputs: 784, units: [128, 10] },
];

describe.each(BACKENDS)("$name backend", ({ name: backend }) => {
  describe("round trip: fromONNX(toONNX()) is bit-exact in float64", () => {
    it.each(
      WRITTEN.flatMap(
        (a) =>
          [
            [a, false],
            [a, true],
          ] as const,
      ),
    )("%s, standardizer %s", async (activation, standardize) => {
      const net = await network(backend, 3, [5, activation === "softmax" ? 3 : 2], activation, standardize, 3);
      const x = randomMatrix(7, 3, testRandom(9));
      for (const target of ["wasm", "js"] as const) {
        const copy = await Network.fromONNX(net.toONNX(), { backend: target });
        expect(copy.spec).toEqual({ ...net.spec, seed: 0 });
        expect(copy.getParameters()).toEqual(net.getParameters());
        expect(copy.standardizer?.toJSON()).toEqual(net.standardizer?.toJSON());
        if (target === backend) expect(copy.predict(x)).toEqual(net.predict(x));
        copy.dispose();
      }
      net.dispose();
    });

    it("float32 export holds each parameter rounded to float32, read back as that float32's exact value", async () => {
      const net = await network(backend, 4, [3, 2], "leakyRelu", true, 4);
      const copy = await Network.fromONNX(net.toONNX({ precision: "float32" }), { backend });
      expect(flat(copy.getParameters())).toEqual(flat(net.getParameters()).map(Math.fround));
      const { mean, std } = net.standardizer!;
      expect(copy.standardizer!.toJSON()).toEqual({
        mean: Array.from(mean, Math.fround),
        std: Array.from(std, Math.fround),
      });
    });

    it("options pick the backend, loss and seed; the file's loss is the default", async () => {
      const net = await network(backend, 2, [3, 2], "sigmoid", false);
      const bytes = (await Network.create({ ...net.spec, loss: "binaryCrossEntropy", backend })).toONNX();
      expect((await Network.fromONNX(bytes)).spec.loss).toBe("binaryCrossEntropy");
      const copy = await Network.fromONNX(bytes, { backend: "js", loss: "mse", seed: 9 });
      expect([copy.backendKind, copy.spec.loss, copy.spec.seed]).toEqual(["js", "mse", 9]);
      await expect(Network.fromONNX(bytes, { loss: "crossEntropy" })).rejects.toThrow(/needs a "softmax" output/);
    });
  });

  describe("onnxruntime runs toONNX's files as predict does", () => {
    const cases = SIZES.flatMap((size) =>
      WRITTEN.flatMap((a) => [false, true].map((s) => ({ size, activation: a, standardize: s }))),
    );
    it.each(cases)(
      "$size.name $activation, standardizer $standardize: float64 to 1e-12, float32 to 1e-6",
      async (c) => {
        const { size, activation, standardize } = c;
        const units = activation === "softmax" && size.units[size.units.length - 1] === 1 ? [2] : size.units;
        const net = await network(backend, size.inputs, units, activation, standardize, size.inputs + units.length);
        // inputs in [−3, 3] drive every activation into saturation; float32's error grows with ε·Σ|wᵢ·xᵢ|, so its
        // check takes inputs in [−1, 1], the scale of standardised data (with [−3, 3]: up to 1.1e-6 at 784-128-10 tanh)
        const x = randomMatrix(size.inputs > 100 ? 16 : 9, size.inputs, testRandom(5));
        const wide = x.map((row) => row.map((v) => 3 * v));
        const f64 = (await runtime(net.toONNX(), wide, "float64")).flat();
        expect(relativeDifference(f64, net.predict(wide).flat())).toBeLessThan(1e-12);
        expect(new Set(f64).size).toBeGreaterThan(x.length / 2); // not a dead network: the outputs vary
        const f32 = (await runtime(net.toONNX({ precision: "float32" }), x, "float32")).flat();
        const predicted = net.predict(x).flat();
        expect(relativeDifference(f32, predicted)).toBeLessThan(1e-6);
        net.dispose();
      },
    );
  });

  it.each(REFUSED)(
    "%s: toONNX refuses the network with a ModelFormatError naming the layer, in either precision",
    async (activation) => {
      const net = await Network.create({
        inputs: 2,
        layers: [
          { units: 3, activation: "tanh" },
          { units: 2, activation },
          { units: 1, activation: "linear" },
        ],
        loss: "mse",
        backend,
      });
      for (const precision of ["float64", "float32"] as const) {
        expect(() => net.toONNX({ precision })).toThrow(ModelFormatError);
        expect(() => net.toONNX({ precision })).toThrow(
          new RegExp(`toONNX: layer 2 \\(dense2\\) is a "${activation}" layer, which is not written to ONNX: `),
        );
      }
    },
  );

  it("softplus (Where(z > 20, z, Softplus(z)), opset 18) and silu (z / (1 + Exp(−z))): onnxruntime gives predict's values on both sides of the threshold", async () => {
    const x = [-40, -12, -1, 0, 0.5, 19.9, 20, 20.1, 35].map((v) => [v]);
    for (const activation of ["softplus", "silu"] as const) {
      const net = await Network.create({ inputs: 1, layers: [{ units: 1, activation }], loss: "mse", backend });
      net.setParameters([{ weights: [[1]], biases: [0] }]);
      const got = await runtime(net.toONNX(), x, "float64");
      net
        .predict(x)
        .forEach(([want], i) =>
          expect(Math.abs(got[i]![0]! - want!)).toBeLessThanOrEqual(1e-15 * Math.max(1, Math.abs(want!))),
        );
    }
  });

  it("silu as torch exports nn.SiLU, Mul(z, Sigmoid(z)), is read as silu", async () => {
    const bytes = encodeModel(
      model(
        [
          gemm("fc", "input", "z", "W", "b"),
          node("sig", "Sigmoid", ["z"], "s"),
          node("mul", "Mul", ["z", "s"], "output"),
        ],
        [W("W", [2, 3]), W("b", [2])],
        3,
        2,
      ),
    );
    const net = await Network.fromONNX(bytes, { backend });
    expect(net.spec.layers.map((l) => l.activation)).toEqual(["silu"]);
    // (onnxruntime cannot run this file in float64: it fuses the pair into a QuickGelu with float kernels only)
    const x = [0.5, -1, 2];
    const w = W("W", [2, 3]).values,
      b = W("b", [2]).values;
    const z = [0, 1].map((u) => x.reduce((sum, v, i) => sum + w[u * 3 + i]! * v, b[u]!));
    expect(
      relativeDifference(
        net.predict([x]).flat(),
        z.map((v) => v / (1 + Math.exp(-v))),
      ),
    ).toBeLessThan(1e-15);
  });

  it("elu (Elu-6 with alpha 1, opset 18): onnxruntime gives z where z > 0, else e^z − 1, to 1e-15", async () => {
    const net = await Network.create({ inputs: 1, layers: [{ units: 1, activation: "elu" }], loss: "mse", backend });
    net.setParameters([{ weights: [[1]], biases: [0] }]);
    const x = [-30, -2, -0.5, -1e-8, 0, 1e-8, 0.5, 3].map((v) => [v]);
    const got = await runtime(net.toONNX(), x, "float64");
    x.forEach(([v], i) =>
      expect(Math.abs(got[i]![0]! - (v! > 0 ? v! : Math.expm1(v!)))).toBeLessThanOrEqual(
        1e-15 * Math.max(1, Math.abs(v!)),
      ),
    );
  });

  it("leakyRelu's slope is exactly 0.01 in the float64 file: onnxruntime gives 0.01·x, not 0.009999999776·x", async () => {
    const net = await Network.create({
      inputs: 1,
      layers: [{ units: 1, activation: "leakyRelu" }],
      loss: "mse",
      backend,
    });
    net.setParameters([{ weights: [[1]], biases: [0] }]);
    const x = [-1, -3, -0.7, -123.456, -1e-300, -5e300, 2.5].map((v) => [v]);
    const expected = x.map(([v]) => [v! > 0 ? v! : 0.01 * v!]);
    expect(net.predict(x)).toEqual(expected);
    expect(await runtime(net.toONNX(), x, "float64")).toEqual(expected);
    // LeakyRelu's float32 alpha would not be: the same layer written that way gives another slope
    const leaky = await runtime(leakyReluModel(), x, "float64");
    expect(leaky[0]![0]).toBe(-Math.fround(0.01));
    expect(leaky).not.toEqual(expected);
  });
});

// y = LeakyRelu(x, alpha = 0.01 as ONNX stores it, a float32), opset 16
function leakyReluModel(): Uint8Array {
  return encodeModel(
    model([node("leaky", "LeakyRelu", ["input"], "output", [{ name: "alpha", float: 0.01 }])], [], 1, 1, 16),
  );
}

// a model of the given nodes and initializers around "input" [N, inputs] and "output" [N, outputs], in float64
function model(
  nodes: NodeOut[],
  initializers: ModelOut["initializers"],
  inputs: number,
  outputs: number,
  opset = 13,
): ModelOut {
  return {
    irVersion: opset >= 15 ? 8 : 7,
    opset,
    producerName: "test",
    producerVersion: "0",
    docString: "",
    graphName: "g",
    nodes,
    initializers,
    inputs: [{ name: "input", elemType: DOUBLE, shape: ["N", inputs] }],
    outputs: [{ name: "output", elemType: DOUBLE, shape: ["N", outputs] }],
    metadata: [],
  };
}

// a DOUBLE initializer, by default of the values −0.2, −0.1, 0, 0.1, 0.2, −0.2, …
const W = (name: string, dims: number[], values?: number[]) => {
  const count = dims.reduce((a, b) => a * b, 1);
  return {
    name,
    dims,
    dataType: DOUBLE as typeof DOUBLE,
    values: values ?? Array.from({ length: count }, (_, i) => (i % 5) / 10 - 0.2),
  };
};
const node = (
  name: string,
  opType: string,
  inputs: string[],
  output: string,
  attributes?: NodeOut["attributes"],
): NodeOut => ({ name, opType, inputs, outputs: [output], attributes });
const gemm = (name: string, x: string, out: string, weight: string, bias?: string): NodeOut => ({
  name,
  opType: "Gemm",
  inputs: bias ? [x, weight, bias] : [x, weight],
  outputs: [out],
  attributes: [{ name: "transB", int: 1 }],
});

describe("files from torch.onnx.export and onnx.helper (test/fixtures/onnx)", () => {
  const MODELS = FIXTURE_LIST.models.map((m) => [m.file, m] as const);
  it.each(MODELS)("%s: the imported network gives torch's (or numpy's) outputs to 1e-12", async (_, m) => {
    for (const { name: backend } of BACKENDS) {
      const net = await Network.fromONNX(fixture(m.file), { backend });
      expect(net.spec.inputs).toBe(m.inputs);
      expect(net.spec.layers.map(({ units, activation }) => ({ units, activation }))).toEqual(m.layers);
      expect(relativeDifference(net.predict(m.x).flat(), m.expected.flat())).toBeLessThan(1e-12);
      if (m.expected_float32)
        expect(relativeDifference(net.predict(m.x).flat(), m.expected_float32.flat())).toBeLessThan(1e-6);
      net.dispose();
    }
  });

  // onnxruntime, an independent reader, agrees with the recorded outputs (so the fixtures mean what they say)
  const NO_RUNTIME: Record<string, string> = {
    "torch_leaky_fixed_batch_f64.onnx":
      "onnxruntime has no float64 LeakyRelu kernel (the reason toONNX writes PRelu-16)",
  };
  it.each(MODELS.filter(([file]) => !NO_RUNTIME[file]))("%s: onnxruntime gives the recorded outputs", async (_, m) => {
    const got = await runtime(fixture(m.file), m.x, m.dtype);
    expect(relativeDifference(got.flat(), m.expected.flat())).toBeLessThan(m.dtype === "float64" ? 1e-12 : 1e-6);
  });

  it("covers what the issue lists: Gemm, MatMul with and without Add, LeakyRelu, every activation, float32 and float64", () => {
    const ops = new Set(FIXTURE_LIST.models.flatMap((m) => m.ops));
    for (const op of ["Gemm", "MatMul", "Add", "Relu", "Tanh", "Sigmoid", "Softmax", "LeakyRelu"])
      expect(ops).toContain(op);
    expect(new Set(FIXTURE_LIST.models.map((m) => m.dtype))).toEqual(new Set(["float32", "float64"]));
    expect(FIXTURE_LIST.models.some((m) => m.ops.includes("MatMul") && !m.ops.includes("Add"))).toBe(true);
  });

  type Export = {
    file: string;
    spec: NetworkSpec;
    precision: "float64" | "float32";
    standardizer?: { mean: number[]; std: number[] };
  };
  it.each(JSON.parse(readFileSync(new URL("exports.json", FIXTURES), "utf8")).exports as Export[])(
    "toONNX still writes $file, the bytes onnx.checker.check_model(full_check=True) passed",
    async (e) => {
      const net = await Network.create(e.spec);
      if (e.standardizer) net.setStandardizer(Standardizer.fromJSON(e.standardizer));
      expect(net.toONNX({ precision: e.precision })).toEqual(fixture(e.file));
    },
  );

  it("reads what onnxruntime itself writes (its optimized model, saved by its own protobuf)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "backprop-onnx-"));
    try {
      const net = await network("wasm", 4, [6, 3], "softmax", true, 8);
      const saved = join(dir, "optimized.onnx");
      const session = await ort.InferenceSession.create(net.toONNX(), {
        graphOptimizationLevel: "basic",
        optimizedModelFilePath: saved,
      });
      await session.release();
      const bytes = new Uint8Array(readFileSync(saved));
      expect(bytes).not.toEqual(net.toONNX());
      const copy = await Network.fromONNX(bytes);
      const x = randomMatrix(5, 4, testRandom(2));
      expect(copy.getParameters()).toEqual(net.getParameters());
      expect(copy.predict(x)).toEqual(net.predict(x));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

async function rejection(bytes: Uint8Array): Promise<ModelFormatError> {
  try {
    decodeONNX(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(ModelFormatError);
    await expect(Network.fromONNX(bytes)).rejects.toThrow(ModelFormatError);
    return error as ModelFormatError;
  }
  throw new Error("the file was read");
}

describe("refused, with a ModelFormatError naming the op and the node", () => {
  it.each(FIXTURE_LIST.rejects.map((r) => [r.file, r] as const))("%s", async (_, r) => {
    const error = await rejection(fixture(r.file));
    expect(error.message).toMatch(/^fromONNX: /);
    if (r.op) expect(error.message).toContain(`(${r.op})`);
    if (r.node) expect(error.message).toContain(`"${r.node}"`);
    if (r.file === "reject_rank3.onnx")
      expect(error.message).toMatch(/has rank 3; a dense layer takes \[batch, features\]/);
    if (r.file === "reject_external.onnx") expect(error.message).toMatch(/external file/);
    if (r.file.includes("softmax")) expect(error.message).toMatch(/axis = 0 is not supported/);
    if (r.file.includes("leaky")) expect(error.message).toMatch(/alpha = 0\.2\d* is not supported/);
    if (r.file.includes("transA")) expect(error.message).toMatch(/transA = 1 is not supported/);
    if (r.file.includes("residual"))
      expect(error.message).toMatch(
        /the value "input" feeds 2 nodes \(node "\/a\/Gemm" \(Gemm\), node "\/Add" \(Add\)\)/,
      );
  });

  const w1 = W("w1", [2, 3]),
    b1 = W("b1", [2]);
  const d = gemm("d", "input", "z", "w1", "b1"),
    dOut = gemm("d", "input", "output", "w1", "b1");
  const cases: [string, ModelOut, RegExp][] = [
    [
      "a PRelu slope other than 0.01",
      model([d, node("p", "PRelu", ["z", "s"], "output")], [w1, b1, W("s", [1], [0.25])], 3, 2),
      /node "p" \(PRelu\): its slope "s" holds 0.25; this library's slope is 0.01/,
    ],
    [
      "an unknown attribute",
      model([d, node("r", "Relu", ["z"], "output", [{ name: "inplace", int: 1 }])], [w1, b1], 3, 2),
      /node "r" \(Relu\): the attribute "inplace" is not supported/,
    ],
    [
      "transB = 2",
      model([{ ...dOut, attributes: [{ name: "transB", int: 2 }] }], [w1, b1], 3, 2),
      /node "d" \(Gemm\): transB = 2 is not supported/,
    ],
    [
      "a float attribute given as an int",
      model([{ ...dOut, attributes: [{ name: "alpha", int: 2 }] }], [w1, b1], 3, 2),
      /node "d" \(Gemm\): the attribute "alpha" is not a single float/,
    ],
    [
      "two activations in a row",
      model([d, node("r", "Relu", ["z"], "a"), node("t", "Tanh", ["a"], "output")], [w1, b1], 3, 2),
      /node "t" \(Tanh\): a second activation after node "r" \(Relu\)/,
    ],
    [
      "a node off the chain",
      model([dOut, node("stray", "Relu", ["w1"], "unused")], [w1, b1], 3, 2),
      /node "stray" \(Relu\): it is not on the path from the graph's input to its output/,
    ],
    [
      "a computed weight",
      model([node("sq", "Relu", ["input"], "r"), node("d", "Gemm", ["input", "r"], "output")], [], 3, 2),
      /feeds 2 nodes \(node "sq" \(Relu\), node "d" \(Gemm\)\)/,
    ],
    [
      "weights of the wrong size for the layer before",
      model([d, gemm("d2", "z", "output", "w2")], [w1, b1, W("w2", [2, 5])], 3, 2),
      /node "d2" \(Gemm\): its weight "w2" takes 5 inputs; the layer before gives 2/,
    ],
    [
      "an op with no dense meaning",
      model([d, node("f", "Erf", ["z"], "output")], [w1, b1], 3, 2),
      /node "f" \(Erf\): the op is not supported; a dense chain has Gemm or MatMul \(\+ Add\), and the activations Sigmoid, Tanh/,
    ],
    [
      "an op from another domain",
      model([d, { ...node("f", "Relu", ["z"], "output"), domain: "com.microsoft" }], [w1, b1], 3, 2),
      /node "f" \(Relu\): the op is from the domain "com.microsoft"; only the default ONNX domain is read/,
    ],
    [
      "an input width that is not the first layer's",
      model([dOut], [w1, b1], 4, 2),
      /the graph's input "input" has 4 features, and the first layer takes 3/,
    ],
    [
      "a cycle",
      model([node("a", "Relu", ["input"], "x"), node("b", "Tanh", ["x"], "input")], [], 3, 3),
      /node "a" \(Relu\): the graph has a cycle/,
    ],
    ["no layer", model([node("i", "Identity", ["input"], "output")], [], 3, 3), /the graph has no dense layer/],
    [
      "NaN in a weight",
      model([gemm("d", "input", "output", "w1", "b1")], [W("w1", [2, 3], [1, 2, NaN, 4, 5, 6]), b1], 3, 2),
      /node "d" \(Gemm\): the tensor "w1" holds NaN at index 2; expected finite numbers/,
    ],
  ];
  it.each(cases)("%s", async (_, m, message) => {
    expect((await rejection(encodeModel(m))).message).toMatch(message);
  });

  it("two outputs, two inputs: not a chain", async () => {
    const two = model([gemm("d", "input", "output", "w1", "b1")], [w1, b1], 3, 2);
    two.outputs.push({ name: "input", elemType: DOUBLE, shape: ["N", 3] });
    expect((await rejection(encodeModel(two))).message).toMatch(/the graph has 2 outputs/);
    const inputs = model([gemm("d", "input", "output", "w1", "b1")], [w1, b1], 3, 2);
    inputs.inputs.push({ name: "other", elemType: DOUBLE, shape: ["N", 3] });
    expect((await rejection(encodeModel(inputs))).message).toMatch(/the graph has 2 inputs \("input", "other"\)/);
  });

  it("an input that is not FLOAT or DOUBLE", async () => {
    const m = model([gemm("d", "input", "output", "w1", "b1")], [w1, b1], 3, 2);
    m.inputs[0]!.elemType = 7;
    expect((await rejection(encodeModel(m))).message).toMatch(
      /the graph's input "input" is of type INT64; expected FLOAT or DOUBLE/,
    );
  });
});

describe("malformed and hostile bytes: a ModelFormatError, nothing allocated beyond what the bytes hold", () => {
  const valid = fixture("export_softmax_f64.onnx");

  it("empty input, and inputs that are not bytes", async () => {
    expect((await rejection(new Uint8Array(0))).message).toMatch(/the file is empty/);
    await expect(Network.fromONNX("model.onnx" as never)).rejects.toThrow(/expected the bytes of an \.onnx file/);
    expect((await rejection(new TextEncoder().encode('{"format":"backprop-wasm"}'))).message).toMatch(
      /malformed protobuf|no graph/,
    );
  });

  it("every truncation of a valid file is refused (or, cut between top-level fields, reads the same network)", async () => {
    const net = await Network.fromONNX(valid);
    const x = [[1, 2, 3, 4]];
    let refused = 0;
    for (let n = 1; n < valid.length; n++) {
      const cut = valid.subarray(0, n);
      try {
        const read = decodeONNX(cut);
        const copy = await Network.fromONNX(cut);
        expect(copy.predict(x)).toEqual(net.predict(x));
        expect(read.layers).toHaveLength(2);
        copy.dispose();
      } catch (error) {
        expect(error).toBeInstanceOf(ModelFormatError);
        refused++;
      }
    }
    expect(valid.length - 1 - refused).toBeLessThanOrEqual(2); // read: cut after the opset, or after the first metadata entry
  });

  it("wrong wire types", async () => {
    // byte 0 is ModelProto's first tag: field 1 (ir_version), wire type 0 (varint)
    expect(valid[0]).toBe(0x08);
    const wires = [
      [2, /field 1 has wire type length-delimited; expected varint/],
      [3, /wire type group start/],
      [5, /field 1 has wire type fixed32; expected varint/],
      [7, /invalid \(7\)/],
    ] as const;
    for (const [wire, message] of wires) {
      const bad = valid.slice();
      bad[0] = (1 << 3) | wire;
      expect((await rejection(bad)).message).toMatch(message);
    }
    // a string field (a node's op_type) given as a varint
    const m = encodeModel(model([gemm("d", "input", "output", "w1", "b1")], [W("w1", [2, 3]), W("b1", [2])], 3, 2));
    const at = indexOf(m, [0x22, 4, ...new TextEncoder().encode("Gemm")]); // field 4, length-delimited, "Gemm"
    m[at] = (4 << 3) | 0;
    expect((await rejection(m)).message).toMatch(/ModelProto\.graph\.node\[0\] at byte \d+: /);
  });

  it("declared sizes larger than the bytes: lengths, dims in the billions", async () => {
    // a length of 2^40 for the graph
    const w = new ProtobufWriter();
    w.int64(1, 7);
    const head = w.finish();
    const huge = new Uint8Array([...head, 0x3a, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20, 1, 2, 3]);
    expect((await rejection(huge)).message).toMatch(/field 7 declares 1099511627776 bytes; 3 are left/);
    // dims in the billions over six values
    for (const [dims, message] of [
      [[3_000_000_000, 2], /has a dimension of 3000000000; expected 1 to 67108864/],
      [[60_000, 60_000], /declares 60000 × 60000 values, more than 67108864/],
      [[10_000, 10_000], /declares 10000 × 10000 values, more than 67108864/], // 2^26: the most parameters a network has
      [[1000, 1000], /declares 1000 × 1000 value\(s\) and holds 6/],
      [[2 ** 53 - 1, 1], /has a dimension of 9007199254740991/],
      [[0, 3], /has a dimension of 0; expected 1 to 67108864/],
    ] as const) {
      const m = model([gemm("d", "input", "output", "w1")], [{ ...W("w1", [2, 3]), dims: [...dims] }], 3, 2);
      expect((await rejection(encodeModel(m))).message).toMatch(message);
    }
    // a varint longer than 64 bits
    const long = new Uint8Array([0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]);
    expect((await rejection(long)).message).toMatch(/a varint longer than 64 bits/);
  });

  it(
    "deep nesting: a subgraph nested 100,000 deep is skipped, not followed; the reader stops at depth " + MAX_DEPTH,
    async () => {
      // a node "If" whose attribute "then_branch" holds a graph holding a node holding an attribute … 100,000 deep
      const depth = 100_000;
      const levels = [[0x32], [0x0a], [0x2a]]; // AttributeProto.g (6), GraphProto.node (1), NodeProto.attribute (5), repeated
      const deep = nest(depth, levels, new Uint8Array(0));
      const text = (s: string) => [s.length, ...new TextEncoder().encode(s)];
      const ifNode = new Uint8Array([
        0x0a,
        ...text("input"),
        0x12,
        ...text("output"),
        0x1a,
        ...text("if"),
        0x22,
        ...text("If"),
        0x2a,
        ...varint(deep.length),
        ...deep,
      ]);
      const m = encodeModel(model([], [], 3, 2));
      const graphAt = indexOf(m, [0x3a]); // ModelProto.graph, the first field after the strings
      const graphLength = readVarint(m, graphAt + 1);
      const graphEnd = graphLength.end + graphLength.value;
      const graph = new Uint8Array([
        0x0a,
        ...varint(ifNode.length),
        ...ifNode,
        ...m.subarray(graphLength.end, graphEnd),
      ]);
      const bytes = new Uint8Array([
        ...m.subarray(0, graphAt),
        0x3a,
        ...varint(graph.length),
        ...graph,
        ...m.subarray(graphEnd),
      ]);
      expect((await rejection(bytes)).message).toMatch(/node "if" \(If\): the op is not supported/);
      // the reader itself refuses to descend further than MAX_DEPTH
      const nested = nest(MAX_DEPTH + 5, [[0x0a]], new Uint8Array([0x08, 1]));
      const descend = (r: ProtobufReader): void => {
        while (r.next()) r.field === 1 && r.wire === 2 ? descend(r.message("m")) : r.skip();
      };
      expect(() => descend(new ProtobufReader(nested, "Nested"))).toThrow(
        new RegExp(`messages nested more than ${MAX_DEPTH} deep`),
      );
      expect(() =>
        descend(new ProtobufReader(nest(MAX_DEPTH - 1, [[0x0a]], new Uint8Array([0x08, 1])), "Nested")),
      ).not.toThrow();
    },
  );

  it("a graph of 300,000 nodes is refused by name, not by a stack overflow", async () => {
    const relu = { name: "", opType: "Relu", inputs: ["input"], outputs: ["r"] };
    const bytes = encodeModel(
      model(
        Array.from({ length: 300_000 }, () => relu),
        [],
        2,
        2,
      ),
    );
    expect((await rejection(bytes)).message).toMatch(/Relu/);
  });

  it("random mutations of a valid file: read, or refused with a ModelFormatError, never another error", async () => {
    const next = testRandom(123);
    const outcomes = { read: 0, refused: 0 };
    for (const base of [valid, fixture("torch_relu_softmax_f32.onnx"), fixture("export_leakyRelu_f64.onnx")]) {
      for (let trial = 0; trial < 700; trial++) {
        const bytes = base.slice();
        const flips = 1 + Math.floor(next(0, 4));
        for (let k = 0; k < flips; k++) bytes[Math.floor(next(0, bytes.length))] = Math.floor(next(0, 256));
        try {
          const read = decodeONNX(bytes);
          expect(read.layers.length).toBeGreaterThan(0);
          (await Network.fromONNX(bytes, { backend: "js" })).dispose(); // what was read builds, or is refused by name
          outcomes.read++;
        } catch (error) {
          if (!(error instanceof ModelFormatError)) throw error;
          outcomes.refused++;
        }
      }
    }
    expect(outcomes.refused).toBeGreaterThan(300);
    expect(outcomes.read).toBeGreaterThan(300); // most flips land in weights: still a valid file
  });
});

describe("the protobuf reader and writer", () => {
  it("varints: 0, 2^53, negative int64 in ten bytes, int32 range; floats, doubles, packed and unpacked repeated fields", () => {
    const w = new ProtobufWriter();
    for (const v of [0, 1, 127, 128, 300, 2 ** 31, 2 ** 53 - 1, -1, -(2 ** 31), -(2 ** 53) + 1]) w.int64(1, v);
    w.float(2, 0.1);
    w.packedInt64s(3, [1, 300, 2 ** 40]);
    w.int64(3, 7);
    const bytes = w.finish();
    expect(bytes.subarray(0, 2)).toEqual(new Uint8Array([0x08, 0]));
    indexOf(bytes, [0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]); // −1, as protobuf writes it (ten bytes)
    const r = new ProtobufReader(bytes, "Test");
    const ints: number[] = [],
      repeated: number[] = [];
    let f = 0;
    while (r.next()) {
      if (r.field === 1) ints.push(r.int64());
      else if (r.field === 2) f = r.float();
      else if (r.field === 3) r.int64s(repeated);
    }
    expect(ints).toEqual([0, 1, 127, 128, 300, 2 ** 31, 2 ** 53 - 1, -1, -(2 ** 31), -(2 ** 53) + 1]);
    expect(f).toBe(Math.fround(0.1));
    expect(repeated).toEqual([1, 300, 2 ** 40, 7]);
    const big = new ProtobufReader(new Uint8Array([0x08, 0x80, 0x80, 0x80, 0x80, 0x10]), "Test");
    big.next();
    expect(() => big.int32()).toThrow(/outside the int32 range/);
  });

  it("decodes torch's files field for field as ONNX's own reader did (ops, names, dims in fixtures.json)", () => {
    for (const m of FIXTURE_LIST.models) {
      const decoded = decodeModel(fixture(m.file));
      expect(decoded.graph!.nodes.map((n) => n.opType)).toEqual(m.ops);
      expect(decoded.opsets.find((o) => o.domain === "")).toBeDefined();
    }
    const torch = decodeModel(fixture("torch_tanh_sigmoid_f64.onnx"));
    expect(torch.producerName).toBe("pytorch");
    expect(torch.graph!.inputs[0]).toEqual({
      name: "input",
      kind: "tensor",
      elemType: DOUBLE,
      shape: [{ param: "batch" }, { value: 3 }],
    });
    const w = torch.graph!.initializers.find((t) => t.dims.length === 2)!;
    expect([w.dataType, w.dims, w.raw!.length]).toEqual([DOUBLE, [5, 3], 5 * 3 * 8]);
    const typed = decodeModel(fixture("gemm_float32_typed.onnx")).graph!.initializers[0]!;
    expect([typed.dataType, typed.raw, typed.floatData.length]).toEqual([FLOAT, null, 6]);
  });
});

describe("metadata and errors", () => {
  it("names the producer, its version, the loss and the opset; readable node and initializer names", async () => {
    const net = await network("wasm", 3, [4, 2], "leakyRelu", true);
    const m = decodeModel(net.toONNX());
    expect([m.producerName, m.producerVersion, m.irVersion]).toEqual(["backprop-wasm", LIBRARY_VERSION, 8]);
    expect(m.opsets).toEqual([{ domain: "", version: 16 }]);
    expect(decodeModel((await network("wasm", 3, [4, 2], "tanh", false)).toONNX()).opsets).toEqual([
      { domain: "", version: 13 },
    ]);
    expect(m.metadata).toEqual([
      { key: "backprop-wasm:loss", value: "mse" },
      { key: "backprop-wasm:version", value: LIBRARY_VERSION },
    ]);
    expect(m.graph!.nodes.map((n) => `${n.name}:${n.opType}`)).toEqual([
      "standardize.center:Sub",
      "standardize.scale:Div",
      "dense1:Gemm",
      "dense1.leakyRelu:PRelu",
      "dense2:Gemm",
      "dense2.leakyRelu:PRelu",
    ]);
    expect(m.graph!.initializers.map((t) => t.name)).toEqual([
      "standardize.mean",
      "standardize.std",
      "dense1.weight",
      "dense1.bias",
      "dense1.slope",
      "dense2.weight",
      "dense2.bias",
      "dense2.slope",
    ]);
    expect(m.graph!.outputs[0]).toEqual({
      name: "output",
      kind: "tensor",
      elemType: DOUBLE,
      shape: [{ param: "N" }, { value: 2 }],
    });
  });

  it("LIBRARY_VERSION is package.json's version", () => {
    expect(LIBRARY_VERSION).toBe(JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version);
  });

  it("a worker's ModelFormatError arrives as a ModelFormatError", () => {
    const error = deserializeError(
      serializeError(new ModelFormatError('fromONNX: node "x" (Conv): the op is not supported')),
    );
    expect(error).toBeInstanceOf(ModelFormatError);
    expect(error).toBeInstanceOf(TypeError);
    expect(error.name).toBe("ModelFormatError");
  });

  it("bad export options", async () => {
    const net = await network("js", 2, [2], "linear", false);
    expect(() => net.toONNX({ precision: "float16" as never })).toThrow(
      /precision is "float16"; expected "float64" or "float32"/,
    );
  });
});

// ---- byte helpers ----

function indexOf(bytes: Uint8Array, pattern: number[]): number {
  outer: for (let i = 0; i + pattern.length <= bytes.length; i++) {
    for (let j = 0; j < pattern.length; j++) if (bytes[i + j] !== pattern[j]) continue outer;
    return i;
  }
  throw new Error(`pattern ${pattern} not found`);
}

function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return out;
}

function readVarint(bytes: Uint8Array, at: number): { value: number; end: number } {
  let value = 0,
    scale = 1;
  while (bytes[at]! >= 0x80) {
    value += (bytes[at++]! & 0x7f) * scale;
    scale *= 128;
  }
  return { value: value + bytes[at]! * scale, end: at + 1 };
}

// `depth` levels of length-delimited fields around `inner`, the tags cycling through `tags`, built back to front
function nest(depth: number, tags: number[][], inner: Uint8Array): Uint8Array {
  const sizes = [inner.length];
  for (let k = 0; k < depth; k++)
    sizes.push(sizes[k]! + tags[(depth - 1 - k) % tags.length]!.length + varint(sizes[k]!).length);
  const out = new Uint8Array(sizes[depth]!);
  let at = 0;
  for (let k = depth; k > 0; k--) {
    for (const b of [...tags[(depth - k) % tags.length]!, ...varint(sizes[k - 1]!)]) out[at++] = b;
  }
  out.set(inner, at);
  return out;
}

it("the README's onnxruntime example runs as printed and prints the same numbers twice", async () => {
  const root = new URL("..", import.meta.url);
  const readme = await readFile(new URL("README.md", root), "utf8");
  const section = readme.slice(readme.indexOf("### Here → onnxruntime"));
  const start = section.indexOf("```js") + 5;
  const code = section.slice(start, section.indexOf("```", start));
  expect(code).toContain('from "backprop-wasm"');
  const bundle = pathToFileURL(new URL("dist/backprop-wasm.js", root).pathname).href;
  await mkdir(new URL("test-results/", root), { recursive: true });
  const file = new URL("test-results/readme-onnx-example.mjs", root);
  await writeFile(file, code.replace('"backprop-wasm"', JSON.stringify(bundle)));
  const log = vi.spyOn(console, "log").mockImplementation(() => {});
  try {
    await import(file.href);
    const [data, predicted] = log.mock.calls[0]! as [Float64Array, number[][]];
    expect(data).toBeInstanceOf(Float64Array);
    expect(relativeDifference(data, predicted.flat())).toBeLessThan(1e-12);
  } finally {
    log.mockRestore();
  }
});
