// The TensorFlow.js layers format, checked with @tensorflow/tfjs itself: tf.loadLayersModel reads
// what toTFJS writes and predicts as the network does (to float32's precision), and fromTFJS reads
// Sequential models of Dense layers that tfjs built and saved, LeakyReLU and Activation layers merged.
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import {
  ACTIVATIONS,
  ModelFormatError,
  Network,
  Standardizer,
  type Activation,
  type TFJSArtifacts,
} from "../src/index.js";
import { BACKENDS, flat, randomMatrix, relativeDifference, testRandom } from "./backends.js";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

/** What `model.save` hands to a save handler: the same tf.io.ModelArtifacts a file or IndexedDB would hold. */
async function saved(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }),
  );
  return artifacts!;
}

function tfPredict(model: tf.LayersModel, x: number[][]): number[] {
  return tf.tidy(() => Array.from((model.predict(tf.tensor2d(x)) as tf.Tensor).dataSync()));
}

async function network(backend: "wasm" | "js", activation: Activation, standardize: boolean): Promise<Network> {
  const layers = [
    { units: 6, activation: activation === "softmax" ? ("tanh" as const) : activation },
    { units: 3, activation },
  ];
  const net = await Network.create({
    inputs: 4,
    layers,
    loss: activation === "softmax" ? "crossEntropy" : "mse",
    backend,
    seed: 5,
  });
  const next = testRandom(17);
  net.setParameters([
    { weights: randomMatrix(6, 4, () => next(-1, 1)), biases: Array.from({ length: 6 }, () => next(-0.5, 0.5)) },
    { weights: randomMatrix(3, 6, () => next(-1, 1)), biases: Array.from({ length: 3 }, () => next(-0.5, 0.5)) },
  ]);
  if (standardize) net.setStandardizer(Standardizer.fromJSON({ mean: [1, -2, 0.5, 3], std: [2, 0.5, 1, 4] }));
  return net;
}

const x = randomMatrix(12, 4, testRandom(3)).map((row) => row.map((v) => 4 * v));

describe.each(BACKENDS)("$name backend", ({ name: backend }) => {
  it.each(
    ACTIVATIONS.flatMap(
      (a) =>
        [
          [a, false],
          [a, true],
        ] as const,
    ),
  )(
    "tf.loadLayersModel reads toTFJS (%s, standardizer %s) and predicts as the network does, to float32's precision",
    async (activation, standardize) => {
      const net = await network(backend, activation, standardize);
      const model = await tf.loadLayersModel(tf.io.fromMemory(net.toTFJS()));
      const classes = activation === "leakyRelu" ? ["Dense", "LeakyReLU", "Dense", "LeakyReLU"] : ["Dense", "Dense"];
      // (tfjs's softplus has no threshold; its float32 results differ from torch's above 20 by less than float32's precision)
      expect(model.layers.map((l) => l.getClassName())).toEqual(classes);
      // tfjs's erf is Abramowitz & Stegun 7.1.26 (|error| ≤ 1.5e-7, tfjs-core erf_util.js): gelu to that, not float32's eps
      expect(relativeDifference(tfPredict(model, x), net.predict(x).flat())).toBeLessThan(
        activation === "gelu" ? 3e-6 : 1e-6,
      );
      model.dispose();
    },
  );

  it.each(ACTIVATIONS.map((a) => [a]))(
    "toTFJS then fromTFJS (%s): each parameter rounded to float32, exactly",
    async (activation) => {
      const net = await network(backend, activation, false);
      const copy = await Network.fromTFJS(net.toTFJS(), { backend });
      expect(copy.spec).toEqual({ ...net.spec, seed: 0 });
      expect(flat(copy.getParameters())).toEqual(flat(net.getParameters()).map(Math.fround));
    },
  );

  it("reads a Sequential that tfjs built: Dense layers of every activation, LeakyReLU and Activation layers merged", async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ units: 5, inputShape: [3], activation: "tanh" }),
        tf.layers.dense({ units: 4 }),
        tf.layers.leakyReLU({ alpha: 0.01 }),
        tf.layers.dense({ units: 4, activation: "relu" }),
        tf.layers.dense({ units: 4, activation: "sigmoid", useBias: false }),
        tf.layers.dense({ units: 4 }),
        tf.layers.activation({ activation: "tanh" }),
        tf.layers.dense({ units: 3, activation: "linear" }),
        tf.layers.dense({ units: 3, activation: "softmax" }),
      ],
    });
    const net = await Network.fromTFJS(await saved(model), { backend });
    expect(net.spec.layers.map((l) => `${l.units} ${l.activation}`)).toEqual([
      "5 tanh",
      "4 leakyRelu",
      "4 relu",
      "4 sigmoid",
      "4 tanh",
      "3 linear",
      "3 softmax",
    ]);
    // the weights are tfjs's float32 values, exactly; a Dense kernel is [inputs][units], ours [units][inputs]
    const dense = model.layers.filter((l) => l.getClassName() === "Dense");
    net.getParameters().forEach((p, l) => {
      const [kernel, bias] = dense[l]!.getWeights().map((t) => Array.from(t.dataSync()));
      const units = p.weights.length,
        inputs = p.weights[0]!.length;
      expect(p.weights).toEqual(
        Array.from({ length: units }, (_, u) => Array.from({ length: inputs }, (_, i) => kernel![i * units + u])),
      );
      expect(p.biases).toEqual(bias ?? new Array(units).fill(0));
    });
    const rows = randomMatrix(10, 3, testRandom(8)).map((r) => r.map((v) => 3 * v));
    expect(relativeDifference(net.predict(rows).flat(), tfPredict(model, rows))).toBeLessThan(1e-6);
    model.dispose();
  });
});

it("reads a model with an InputLayer, and the loss toTFJS wrote", async () => {
  const model = tf.sequential({
    layers: [tf.layers.inputLayer({ inputShape: [2] }), tf.layers.dense({ units: 2, activation: "softmax" })],
  });
  const read = await Network.fromTFJS(await saved(model));
  expect(read.spec).toMatchObject({ inputs: 2, loss: "crossEntropy", layers: [{ units: 2, activation: "softmax" }] });
  const net = await Network.create({
    inputs: 2,
    layers: [{ units: 1, activation: "sigmoid" }],
    loss: "binaryCrossEntropy",
  });
  const artifacts: TFJSArtifacts = net.toTFJS();
  expect(artifacts.userDefinedMetadata).toEqual({ "backprop-wasm": { loss: "binaryCrossEntropy" } });
  expect((await Network.fromTFJS(artifacts)).spec.loss).toBe("binaryCrossEntropy");
  expect((await Network.fromTFJS(artifacts, { loss: "mse", backend: "js" })).spec.loss).toBe("mse");
});

describe("refused with a ModelFormatError that names the layer", () => {
  async function refused(artifacts: unknown, message: RegExp): Promise<void> {
    const attempt = Network.fromTFJS(artifacts);
    await expect(attempt).rejects.toThrow(ModelFormatError);
    await expect(attempt).rejects.toThrow(message);
  }

  it("layers this library has none of: Conv1D, BatchNormalization, Flatten", async () => {
    const conv = tf.sequential({
      layers: [
        tf.layers.conv1d({ filters: 2, kernelSize: 2, inputShape: [4, 1] }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 1 }),
      ],
    });
    await refused(
      await saved(conv),
      /layer "conv1d_Conv1D\d+" \(Conv1D\): the layer class is not supported; expected Dense, Activ/,
    );
    const bn = tf.sequential({
      layers: [tf.layers.dense({ units: 3, inputShape: [2] }), tf.layers.batchNormalization()],
    });
    await refused(await saved(bn), /\(BatchNormalization\): the layer class is not supported/);
  });

  it("activations and slopes this library does not have", async () => {
    const selu = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [2], activation: "selu" })] });
    await refused(await saved(selu), /\(Dense\): the activation "selu" is not supported/);
    // tfjs's default alpha is 0.3
    const leaky = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [2] }), tf.layers.leakyReLU()] });
    await refused(
      await saved(leaky),
      /\(LeakyReLU\): alpha = 0\.3 is not supported; this library's leakyRelu has alpha 0\.01/,
    );
    const twice = tf.sequential({
      layers: [
        tf.layers.dense({ units: 2, inputShape: [2], activation: "relu" }),
        tf.layers.leakyReLU({ alpha: 0.01 }),
      ],
    });
    await refused(await saved(twice), /whose activation is already relu; it can only follow a linear Dense/);
  });

  it("a functional model, a graph model, and inputs of another rank", async () => {
    const input = tf.input({ shape: [2] });
    const functional = tf.model({
      inputs: input,
      outputs: tf.layers.dense({ units: 1 }).apply(input) as tf.SymbolicTensor,
    });
    await refused(await saved(functional), /the model is a "Model"; only Sequential models are read/);
    await refused(
      { modelTopology: new ArrayBuffer(8), weightSpecs: [], weightData: new ArrayBuffer(0) },
      /a graph model/,
    );
    const rank3 = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3, 4] })] });
    await refused(
      await saved(rank3),
      /batch_input_shape is \[null,3,4\]; a dense layer takes \[batch, features\], rank 2/,
    );
    await refused(null, /expected tf\.io\.ModelArtifacts/);
  });

  it("weights that do not match their specs, dims in the billions, other dtypes", async () => {
    const net = await network("js", "tanh", false);
    const good = net.toTFJS();
    await refused({ ...good, weightData: good.weightData.slice(0, 40) }, /needs more bytes than weightData's 40/);
    const longer = new ArrayBuffer(good.weightData.byteLength + 4);
    await refused({ ...good, weightData: longer }, /weightSpecs describe \d+ bytes and weightData has \d+/);
    const huge = structuredClone(good.weightSpecs);
    huge[0]!.shape = [4_000_000_000, 6];
    await refused(
      { ...good, weightSpecs: huge },
      /weightSpecs\[0\] \("dense1\/kernel"\): the shape \[4000000000, 6\] needs more/,
    );
    // bytes enough for more values than a network has (2^26): refused before they are read
    const many = structuredClone(good.weightSpecs).slice(0, 1);
    many[0]!.shape = [8193, 8192];
    await refused(
      { ...good, weightSpecs: many, weightData: new ArrayBuffer(8193 * 8192 * 4) },
      /the shape \[8193, 8192\] holds 67117056 values; a network has at most 67108864/,
    );
    const int = structuredClone(good.weightSpecs);
    int[1]!.dtype = "int32";
    await refused({ ...good, weightSpecs: int }, /dtype "int32" is not supported; expected float32/);
    const renamed = structuredClone(good.weightSpecs);
    renamed[2]!.name = "other/kernel";
    await refused({ ...good, weightSpecs: renamed }, /layer "dense2" \(Dense\): weightSpecs have no "dense2\/kernel"/);
    const nan = good.weightData.slice(0);
    new Float32Array(nan)[3] = NaN;
    await refused({ ...good, weightData: nan }, /"dense1\/kernel" holds NaN at index 3/);
    const topology = structuredClone(good.modelTopology) as {
      config: { layers: { config: Record<string, unknown> }[] };
    };
    topology.config.layers[1]!.config.units = 4;
    await refused(
      { ...good, modelTopology: topology },
      /layer "dense2" \(Dense\): the kernel has shape \[6, 3\]; expected \[6, 4\]/,
    );
    topology.config.layers[1]!.config = { ...topology.config.layers[1]!.config, units: 3, kernel_quantizer: "int8" };
    await refused({ ...good, modelTopology: topology }, /the config key "kernel_quantizer" is not supported/);
  });
});
