// The public Network: validates everything at the edge, then hands whole batches to a
// Backend (src/backends/backend.ts). It never sees a pointer.
import type { Backend, TrainingState } from "./backends/backend.js";
import { JsBackend } from "./backends/js/backend.js";
import { WasmBackend } from "./backends/wasm/backend.js";
import {
  batchBytes,
  checkMemory,
  checkResultSize,
  chunkRows,
  networkBytes,
  optimizerBytes,
  orderBytes,
} from "./capacity.js";
import { checkKeys, describe, DisposedError, DivergenceError, NonFiniteError, ShapeError } from "./errors.js";
import { explainStep, type ExplainedStep } from "./explain.js";
import {
  flattenParameters,
  makePlan,
  nestParameters,
  type BackendKind,
  type LayerParameters,
  type NetworkSpec,
  type Plan,
} from "./plan.js";
import { readNetworkJSON, writeNetworkJSON, type NetworkJSON } from "./io/json.js";
import { splitValidation } from "./training/validation.js";

export type { LayerParameters, NetworkJSON };
export type { SavedOptimizer } from "./io/json.js";
import { checkRowsFinite, fromRows, toRows, type MatrixInput } from "./data/rows.js";
import { Standardizer } from "./data/standardizer.js";
import { fit, type History } from "./training/fit.js";
import { fitPlan, type FitOptions } from "./training/options.js";
import { OPTIMIZERS, optimizerSettings, stateValues, type OptimizerConfig } from "./operations/optimizers.js";
import { LOSS_DESCRIPTORS, lossOptionOf } from "./operations/losses.js";
import { accuracyPerRow } from "./operations/activations.js";
import { buildNetwork, describeNetwork, type ModelImportOptions } from "./io/model.js";
import { decodeONNX, encodeONNX, type ONNXExportOptions } from "./io/onnx.js";
import { decodeTFJS, encodeTFJS, type TFJSArtifacts } from "./io/tfjs.js";

export interface TrainStepOptions {
  /** step size of θ ← θ − learningRate · dE/dθ; a finite number > 0 */
  learningRate: number;
}

/** `evaluate`'s figures; accuracy for softmax and sigmoid outputs. */
export interface Evaluation {
  loss: number;
  accuracy?: number;
}

async function createBackend(plan: Plan): Promise<Backend> {
  return plan.backend === "js" ? new JsBackend(plan) : WasmBackend.create(plan);
}

function checkFinite(values: Float64Array, what: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]))
      throw new NonFiniteError(`${what} is ${values[i]} at index ${i}; the parameters or inputs are too large`);
  }
}

// The rows of x (and y) in chunks of at most `chunk` rows: [first row, rows] pairs.
function* chunks(rows: number, chunk: number): Generator<[number, number]> {
  for (let start = 0; start < rows; start += chunk) yield [start, Math.min(chunk, rows - start)];
}

// the most values of state any optimizer keeps per parameter
const MOST_STATE_VALUES = Math.max(...OPTIMIZERS.map(stateValues));

// networks of up to this many parameters and optimizer values keep their snapshot arrays (2 MiB)
const SNAPSHOT_REUSE_VALUES = 2 ** 18;

/** What a network's state is between calls: a failed call puts it back (parameters, optimizer and its state, generator). */
interface Snapshot {
  parameters: Float64Array;
  optimizer: OptimizerConfig | null;
  state: TrainingState;
}

/**
 * A feed-forward network of dense layers, trained by backpropagation.
 *
 * Every call either does what it says or throws a named error (ShapeError, TypeError,
 * CapacityError, …) and leaves the network exactly as it was; no call on one network, whatever
 * its input, can change another.
 *
 * @example
 * const net = await Network.create({
 *   inputs: 2,
 *   layers: [{ units: 4, activation: "tanh" }, { units: 1, activation: "sigmoid" }],
 *   loss: "binaryCrossEntropy",
 *   seed: 7,
 * });
 * const x = [[0, 0], [0, 1], [1, 0], [1, 1]], y = [[0], [1], [1], [0]];
 * for (let i = 0; i < 2000; i++) net.trainStep(x, y, { learningRate: 0.5 });
 * net.predict(x); // ≈ [[0], [1], [1], [0]]
 * net.dispose();
 */
export class Network {
  private disposed = false;
  private training = false;
  private optimizer: OptimizerConfig | null = null;
  private inputScaler: Standardizer | null = null;
  private backendRef: Backend | null;
  private snapshotArrays: { parameters: Float64Array; state: Float64Array } | null = null;
  private threadCount = 1; // net.threads once the backend is gone

  private constructor(
    private readonly plan: Plan,
    backend: Backend,
  ) {
    this.backendRef = backend;
  }

  // alive() has checked that the network was not disposed, so the backend is there
  private get backend(): Backend {
    return this.backendRef!;
  }

  /** Builds a network with seeded initial weights (Glorot-uniform, He-uniform for relu layers). */
  static async create(spec: NetworkSpec): Promise<Network> {
    const plan = checkedPlan(spec);
    const net = new Network(plan, await createBackend(plan));
    net.backend.initParameters(plan.seed);
    return net;
  }

  /** Rebuilds a network saved with `toJSON()`; its predictions are bit-identical to the saved one's. */
  static async fromJSON(
    json: NetworkJSON | string,
    options: { backend?: BackendKind; threads?: number | "auto" } = {},
  ): Promise<Network> {
    const {
      plan,
      parameters: flat,
      rng,
      standardizer: scaler,
      optimizer: savedOptimizer,
    } = readNetworkJSON(json, options, checkedPlan);
    // the saved optimizer's state too, before anything is allocated
    if (savedOptimizer)
      checkMemory(() => "fromJSON", {
        network: networkBytes(plan),
        optimizer: optimizerBytes(plan, stateValues(savedOptimizer.config.name)),
        batch: batchBytes(plan, 1),
      });
    const net = new Network(plan, await createBackend(plan));
    net.backend.writeParameters(flat);
    net.inputScaler = scaler;
    if (savedOptimizer) {
      net.backend.setOptimizer(optimizerSettings(savedOptimizer.config));
      net.optimizer = savedOptimizer.config;
    }
    net.backend.writeTrainingState({ rng, optimizer: savedOptimizer?.state ?? null });
    return net;
  }

  /** Width of an input row. */
  get inputs(): number {
    return this.plan.inputs;
  }

  /** Width of an output row. */
  get outputs(): number {
    return this.plan.outputs;
  }

  get backendKind(): BackendKind {
    return this.plan.backend;
  }

  /**
   * How many threads compute the network's large matrix products: what `threads` asked for where
   * it can run them (Node, or a cross-origin isolated worker), else 1 (always 1 on the JS backend).
   * @example (await Network.create({ inputs: 784, layers: [{ units: 128, activation: "relu" }], loss: "mse", threads: 2 })).threads // 2 in Node
   */
  get threads(): number {
    return this.backendRef?.threads ?? this.threadCount;
  }

  /** The layer specs, loss and seed the network was built with. */
  get spec(): NetworkJSON["spec"] {
    return {
      inputs: this.plan.inputs,
      layers: this.plan.layers.map((l) => ({
        units: l.units,
        activation: l.activation,
        trainBias: l.trainBias,
        ...(l.dropout > 0 ? { dropout: l.dropout } : {}),
      })),
      loss: lossOptionOf(this.plan.loss, this.plan.lossHyperparameters),
      seed: this.plan.seed,
    };
  }

  private alive(method: string): void {
    if (this.disposed) throw new DisposedError(`${method}: this network was disposed; create a new one`);
    if (
      this.training &&
      method !== "predict" &&
      method !== "getParameters" &&
      method !== "toJSON" &&
      method !== "evaluate" &&
      method !== "loss"
    )
      throw new Error(`${method}: this network is training (fit has not finished); await it first`);
  }

  // the rows as the core sees them: standardised if the network has a standardizer. Their values
  // are checked, unless `checkValues` is false and there is no standardizer (predict checks them
  // its own way).
  private inputRows(x: MatrixInput, method: string, checkValues = true) {
    if (!this.inputScaler) return toRows(x, this.plan.inputs, `${method}: x`, checkValues);
    const rows = toRows(x, this.plan.inputs, `${method}: x`);
    return { ...rows, data: this.inputScaler.transformRows(rows.data, `${method}: x`) };
  }

  // x and y as flat rows of matching counts; probability losses need targets in [0, 1]
  private batch(x: MatrixInput, y: MatrixInput, method: string) {
    const xs = this.inputRows(x, method);
    const ys = toRows(y, this.plan.outputs, `${method}: y`);
    if (xs.rows !== ys.rows)
      throw new ShapeError(`${method}: x has ${xs.rows} rows and y has ${ys.rows}; expected the same number`);
    if (LOSS_DESCRIPTORS[this.plan.loss].targets === "probability") {
      const t = ys.data;
      for (let i = 0; i < t.length; i++) {
        if (t[i]! < 0 || t[i]! > 1)
          throw new RangeError(
            `${method}: y[${Math.floor(i / ys.cols)}][${i % ys.cols}] is ${t[i]}; loss "${this.plan.loss}" needs targets in [0, 1]`,
          );
      }
    }
    return { x: xs.data, y: ys.data, rows: xs.rows };
  }

  // A batch that runs whole (trainStep, gradients, explain) must fit beside the network.
  private checkBatch(method: string, rows: number): void {
    const optimizer = this.optimizer ? optimizerBytes(this.plan, stateValues(this.optimizer.name)) : 0;
    checkMemory(() => `${method} on ${rows.toLocaleString("en-US")} rows`, {
      network: networkBytes(this.plan),
      optimizer,
      batch: batchBytes(this.plan, rows),
    });
  }

  /**
   * Outputs for each input row. Any number of rows: they go through the network in chunks.
   * @example net.predict([[0.05, 0.1]]) // [[0.7513650695523157, 0.7729284653214625]] for the seed network
   */
  predict(x: MatrixInput): number[][] {
    this.alive("predict");
    // A value of x that is not finite makes every z of its row in the first layer non-finite: its
    // term x·w is NaN or ±Infinity (the weights are finite, 0 included: ±Infinity·0 is NaN), and a
    // sum with such a term is NaN or ±Infinity too. So the rows of a Float64Array are checked only
    // where the first unit's z is not finite (one value a row, against `inputs`), after the pass,
    // with the same NonFiniteError as before it; a z that overflowed from finite inputs passes.
    const { data, rows } = this.inputRows(x, "predict", false);
    const { inputs, outputs } = this.plan;
    checkResultSize("predict: the outputs", rows, outputs);
    const out = new Float64Array(rows * outputs);
    for (const [start, count] of chunks(rows, chunkRows(this.plan))) {
      const chunk = data.subarray(start * inputs, (start + count) * inputs);
      out.set(this.backend.predict(chunk, count), start * outputs);
      if (!this.backend.firstUnitFinite(count)) checkRowsFinite(chunk, inputs, "predict: x", start);
    }
    checkFinite(out, "predict: an output");
    return fromRows(out, rows, outputs);
  }

  /** Mean over the rows of the per-sample loss (mse: E = ½ Σₖ (tₖ − oₖ)²), in chunks of rows. */
  loss(x: MatrixInput, y: MatrixInput): number {
    this.alive("loss");
    const b = this.batch(x, y, "loss");
    const { inputs, outputs } = this.plan;
    const chunk = chunkRows(this.plan);
    let loss: number;
    if (b.rows <= chunk) loss = this.backend.loss(b.x, b.y, b.rows);
    else {
      let total = 0;
      for (const [start, count] of chunks(b.rows, chunk))
        total +=
          this.backend.loss(
            b.x.subarray(start * inputs, (start + count) * inputs),
            b.y.subarray(start * outputs, (start + count) * outputs),
            count,
          ) * count;
      loss = total / b.rows;
    }
    if (!Number.isFinite(loss))
      throw new NonFiniteError(`loss: the loss is ${loss}; the parameters or inputs are too large`);
    return loss;
  }

  /** dE/dθ averaged over the rows, in the shape of `getParameters()`. */
  gradients(x: MatrixInput, y: MatrixInput): LayerParameters[] {
    this.alive("gradients");
    const b = this.batch(x, y, "gradients");
    this.checkBatch("gradients", b.rows);
    const { gradients } = this.backend.gradients(b.x, b.y, b.rows);
    checkFinite(gradients, "gradients: a gradient");
    return nestParameters(this.plan, gradients);
  }

  /**
   * One gradient-descent step θ ← θ − learningRate · dE/dθ on the batch; returns the loss
   * before the step. If the loss or a parameter would become non-finite, the step is not
   * applied and a DivergenceError is thrown.
   */
  trainStep(x: MatrixInput, y: MatrixInput, options: TrainStepOptions): number {
    this.alive("trainStep");
    const learningRate = checkLearningRate(options, "trainStep");
    const b = this.batch(x, y, "trainStep");
    this.checkBatch("trainStep", b.rows);
    const dropping = this.plan.layers.some((layer) => layer.dropout > 0);
    const rng = dropping ? this.backend.readTrainingState().rng : 0;
    const { loss, failure } = this.backend.trainStep(b.x, b.y, b.rows, learningRate, true);
    if (failure) {
      if (dropping) this.backend.writeTrainingState({ ...this.backend.readTrainingState(), rng }); // the masks' draws, undone
      const what =
        failure === "loss"
          ? `the loss is ${loss}`
          : `the parameter at index ${this.firstOverflow(b, learningRate)} would become non-finite`;
      throw new DivergenceError(
        `trainStep: ${what} with learningRate ${learningRate}; ` +
          `the step was not applied. Try a smaller learning rate or scale the inputs`,
      );
    }
    return loss;
  }

  // the first trained parameter θ − lr·dE/dθ would make non-finite; only on the failure path
  private firstOverflow(b: { x: Float64Array; y: Float64Array; rows: number }, learningRate: number): number {
    const params = this.backend.readParameters();
    const { gradients } = this.backend.gradients(b.x, b.y, b.rows);
    for (const layer of this.plan.layers) {
      const end = layer.trainBias ? layer.biasOffset + layer.units : layer.biasOffset;
      for (let i = layer.weightOffset; i < end; i++)
        if (!Number.isFinite(params[i]! - learningRate * gradients[i]!)) return i;
    }
    return -1;
  }

  /**
   * The whole of one gradient-descent step on a single sample, layer by layer: net inputs,
   * outputs, the chain-rule factors dE/da · da/dz = dE/dz, dE/dW, and the updated parameters.
   * The network itself is not changed.
   */
  explain(x: MatrixInput, y: MatrixInput, options: TrainStepOptions): ExplainedStep {
    this.alive("explain");
    const learningRate = checkLearningRate(options, "explain");
    const b = this.batch(x, y, "explain");
    if (b.rows !== 1) throw new ShapeError(`explain: x has ${b.rows} rows; expected one sample`);
    this.checkBatch("explain", 1);
    const before = this.backend.readParameters();
    const { loss, gradients, layers: trace } = this.backend.trace(b.x, b.y, 1);
    this.backend.trainStep(b.x, b.y, 1, learningRate, false); // no dropout; a step that fails leaves `updated` = before
    const updated = this.backend.readParameters();
    const lossAfter = this.backend.loss(b.x, b.y, 1);
    this.backend.writeParameters(before);
    return explainStep({
      plan: this.plan,
      x: b.x,
      y: b.y,
      trace,
      loss,
      lossAfter,
      learningRate,
      parameters: nestParameters(this.plan, before),
      gradients: nestParameters(this.plan, gradients),
      updated: nestParameters(this.plan, updated),
    });
  }

  /**
   * Trains on the rows of x and y for `epochs` passes of shuffled mini-batches; each epoch runs
   * inside the backend, and the event loop gets a turn at least every few milliseconds.
   * Resolves to the history of the epochs' figures. If it throws (a DivergenceError when the
   * loss or a parameter becomes non-finite, an error from onEpochEnd, …) the network is left as
   * it was before the call; a DivergenceError carries the history and the last finite parameters.
   *
   * @example
   * const history = await net.fit(x, y, {
   *   epochs: 20, batchSize: 32, optimizer: "adam", learningRate: 0.001,
   *   validationSplit: 0.2, earlyStopping: { patience: 3 },
   *   onEpochEnd: (epoch, logs) => console.log(epoch, logs.loss, logs.valAccuracy),
   * });
   */
  async fit(x: MatrixInput, y: MatrixInput, options: FitOptions): Promise<History> {
    this.alive("fit");
    const output = this.plan.layers[this.plan.layers.length - 1]!.activation;
    const plan = fitPlan(options, accuracyPerRow(output, this.plan.outputs) > 0);
    const all = this.batch(x, y, "fit");
    const { train, validation } = splitValidation(all, plan.validationSplit, this.plan, () =>
      options.validationData === undefined
        ? null
        : this.batch(options.validationData[0], options.validationData[1], "fit: validationData"),
    );
    // a batch size of at least the row count is one full batch
    const batchSize = Math.min(plan.batchSize, train.rows);
    const validationChunk = validation ? Math.min(validation.rows, chunkRows(this.plan)) : 0;
    const batchRows = Math.max(batchSize, validationChunk);
    const states =
      stateValues(plan.optimizer.name) +
      (this.optimizer && this.optimizer.name !== plan.optimizer.name ? stateValues(this.optimizer.name) : 0);
    checkMemory(() => `fit with batches of ${batchRows.toLocaleString("en-US")} rows`, {
      network: networkBytes(this.plan),
      optimizer: optimizerBytes(this.plan, states),
      batch: batchBytes(this.plan, batchRows),
      order: orderBytes(train.rows),
    });

    const before = this.snapshot();
    this.training = true;
    let trainSet = null,
      validationSet = null;
    try {
      this.backend.reserve(batchRows, train.rows);
      this.backend.setOptimizer(optimizerSettings(plan.optimizer));
      this.optimizer = plan.optimizer;
      trainSet = this.backend.createDataSet(train.x, train.y, train.rows);
      validationSet = validation && this.backend.createDataSet(validation.x, validation.y, validation.rows);
      return await fit(
        this.plan,
        this.backend,
        trainSet,
        validationSet,
        { ...plan, batchSize, validationChunk },
        () => this.disposed,
      );
    } catch (error) {
      if (!this.disposed) {
        if (error instanceof DivergenceError)
          Object.assign(error, { parameters: nestParameters(this.plan, this.backend.readParameters()) });
        this.restore(before);
      }
      throw error;
    } finally {
      this.training = false;
      if (this.disposed) this.release();
      else {
        if (trainSet) this.backend.freeDataSet(trainSet);
        if (validationSet) this.backend.freeDataSet(validationSet);
      }
    }
  }

  // Copies of the parameters and the optimizer's state at the start of every fit call: for a small
  // network, into the same two arrays each time (a fresh pair per call was most of a short fit's cost)
  private snapshot(): Snapshot {
    const { paramCount } = this.plan;
    const stateLength = this.optimizer ? stateValues(this.optimizer.name) * paramCount : 0;
    let reuse: { parameters: Float64Array; state: Float64Array } | undefined;
    if (paramCount + stateLength <= SNAPSHOT_REUSE_VALUES) {
      this.snapshotArrays ??= {
        parameters: new Float64Array(paramCount),
        state: new Float64Array(MOST_STATE_VALUES * paramCount),
      };
      reuse = { parameters: this.snapshotArrays.parameters, state: this.snapshotArrays.state.subarray(0, stateLength) };
    }
    return {
      parameters: this.backend.readParameters(reuse?.parameters),
      optimizer: this.optimizer,
      state: this.backend.readTrainingState(reuse?.state),
    };
  }

  private restore(snapshot: Snapshot): void {
    this.backend.writeParameters(snapshot.parameters);
    this.backend.setOptimizer(snapshot.optimizer && optimizerSettings(snapshot.optimizer));
    this.optimizer = snapshot.optimizer;
    this.backend.writeTrainingState(snapshot.state);
  }

  /** Mean loss over the rows, and accuracy for softmax (argmax) and sigmoid (≥ ½) outputs; in chunks of rows. */
  evaluate(x: MatrixInput, y: MatrixInput): Evaluation {
    this.alive("evaluate");
    const b = this.batch(x, y, "evaluate");
    const { inputs, outputs } = this.plan;
    // as fit's validation figures are computed (assembly/training.ts evaluate): the same chunks, the same sums
    let total = 0,
      correct = 0;
    for (const [start, count] of chunks(b.rows, chunkRows(this.plan))) {
      const chunk = this.backend.evaluateBatch(
        b.x.subarray(start * inputs, (start + count) * inputs),
        b.y.subarray(start * outputs, (start + count) * outputs),
        count,
      );
      total += chunk.loss * count;
      correct += chunk.correct;
    }
    const loss = total / b.rows;
    if (!Number.isFinite(loss))
      throw new NonFiniteError(`evaluate: the loss is ${loss}; the parameters or inputs are too large`);
    const output = this.plan.layers[this.plan.layers.length - 1]!.activation;
    const perRow = accuracyPerRow(output, this.plan.outputs);
    return perRow > 0 ? { loss, accuracy: correct / (b.rows * perRow) } : { loss };
  }

  /**
   * Standardises every input from now on (predict, fit, evaluate, …) and is saved by toJSON().
   * @example net.setStandardizer(Standardizer.fit(xTrain));
   */
  setStandardizer(standardizer: Standardizer | null): void {
    this.alive("setStandardizer");
    if (standardizer !== null && !(standardizer instanceof Standardizer))
      throw new TypeError(`setStandardizer: got ${describe(standardizer)}; expected a Standardizer or null`);
    if (standardizer && standardizer.columns !== this.plan.inputs)
      throw new ShapeError(
        `setStandardizer: the standardizer has ${standardizer.columns} columns; the network takes ${this.plan.inputs} inputs`,
      );
    this.inputScaler = standardizer;
  }

  get standardizer(): Standardizer | null {
    return this.inputScaler;
  }

  /** A copy of the parameters: `weights[unit][input]` and `biases[unit]` per layer. */
  getParameters(): LayerParameters[] {
    this.alive("getParameters");
    return nestParameters(this.plan, this.backend.readParameters());
  }

  /** Replaces every parameter; checked whole before anything changes. */
  setParameters(parameters: LayerParameters[]): void {
    this.alive("setParameters");
    this.backend.writeParameters(flattenParameters(this.plan, parameters, "setParameters"));
  }

  /** Spec, parameters, optimizer state and standardizer as plain JSON; numbers round-trip exactly. */
  toJSON(): NetworkJSON {
    this.alive("toJSON");
    return writeNetworkJSON(
      this.spec,
      this.getParameters(),
      this.backend.readTrainingState(),
      this.optimizer,
      this.inputScaler,
    );
  }

  /** Frees the network's memory; every later call throws DisposedError. A running fit stops at its next slice. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (!this.training) this.release();
  }

  // drops the backend, and with it (on Wasm) the instance and memory of the core
  private release(): void {
    this.threadCount = this.backendRef?.threads ?? this.threadCount;
    this.backendRef?.dispose();
    this.backendRef = null;
  }

  // ---- Models in and out (src/io/): ONNX and the TensorFlow.js layers format, through the public API only ----

  /**
   * The network as an ONNX model: input "input" [N, inputs], output "output" [N, outputs], a Gemm
   * and an activation per layer, the standardizer (if set) in front; float64 unless `precision: "float32"`.
   * @example
   * import { writeFileSync } from "node:fs";
   * writeFileSync("model.onnx", net.toONNX()); // then: new ort.InferenceSession("model.onnx")
   */
  toONNX(options?: ONNXExportOptions): Uint8Array {
    return encodeONNX(describeNetwork(this), options);
  }

  /**
   * A network from an ONNX model of dense layers (toONNX's, or torch.onnx.export of an nn.Sequential
   * of Linear layers and supported activations). Anything else throws a ModelFormatError.
   * @example const net = await Network.fromONNX(readFileSync("model.onnx"), { backend: "wasm" });
   */
  static async fromONNX(bytes: Uint8Array | ArrayBuffer, options: ModelImportOptions = {}): Promise<Network> {
    return buildNetwork(Network, decodeONNX(bytes), options, "fromONNX");
  }

  /**
   * The network as TensorFlow.js layers artifacts (float32; the standardizer folded into the first layer).
   * @example const model = await tf.loadLayersModel(tf.io.fromMemory(net.toTFJS()));
   */
  toTFJS(): TFJSArtifacts {
    return encodeTFJS(describeNetwork(this));
  }

  /**
   * A network from TensorFlow.js layers artifacts of a Sequential model of Dense layers.
   * @example
   * let artifacts;
   * await model.save(tf.io.withSaveHandler(async (a) => {
   *   artifacts = a;
   *   return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
   * }));
   * const net = await Network.fromTFJS(artifacts);
   */
  static async fromTFJS(artifacts: unknown, options: ModelImportOptions = {}): Promise<Network> {
    return buildNetwork(Network, decodeTFJS(artifacts), options, "fromTFJS");
  }
}

// A plan whose network fits in memory with room for at least one row.
function checkedPlan(spec: NetworkSpec): Plan {
  const plan = makePlan(spec);
  checkMemory(() => "Network.create", { network: networkBytes(plan), batch: batchBytes(plan, 1) });
  return plan;
}

const TRAIN_STEP_KEYS = ["learningRate"];

function checkLearningRate(options: TrainStepOptions | undefined, method: string): number {
  if (options === null || typeof options !== "object")
    throw new TypeError(`${method}: options are ${describe(options)}; expected { learningRate }`);
  checkKeys(options, TRAIN_STEP_KEYS, `${method}'s options`);
  const lr: unknown = options.learningRate;
  if (typeof lr !== "number") throw new TypeError(`${method}: learningRate is ${describe(lr)}; expected a number > 0`);
  if (!Number.isFinite(lr) || lr <= 0)
    throw new RangeError(`${method}: learningRate is ${lr}; expected a finite number > 0`);
  return lr;
}
