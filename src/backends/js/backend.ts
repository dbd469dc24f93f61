// The pure-TypeScript backend: the reference the Wasm core is tested against, and the
// fallback where WebAssembly is unavailable.
import type { Backend, DataSet, FitFailure, LayerTrace, OptimizerSettings, TrainingState } from "../backend.js";
import type { Plan } from "../../plan.js";
import { firstColumnFinite } from "../../data/rows.js";
import {
  FAILED_LOSS,
  networkCreate,
  networkForward,
  networkGradients,
  networkInit,
  networkLoss,
  networkReserve,
  networkTrainStep,
  type Network,
} from "./network.js";
import {
  evaluate,
  fitBatches,
  fitEpochBegin,
  fitEpochs,
  networkEvaluate,
  optimizerSet,
  type DataSet as JsDataSet,
} from "./training.js";

export class JsBackend implements Backend {
  readonly kind = "js" as const;
  readonly threads = 1;
  private readonly net: Network;

  constructor(plan: Plan) {
    this.net = networkCreate(plan);
  }

  private load(x: Float64Array, y: Float64Array | null, rows: number): void {
    networkReserve(this.net, rows, 0);
    this.net.x.set(x);
    if (y) this.net.y.set(y);
  }

  initParameters(seed: number): void {
    networkInit(this.net, seed);
  }

  readParameters(into?: Float64Array): Float64Array {
    if (!into) return this.net.params.slice();
    into.set(this.net.params);
    return into;
  }

  writeParameters(flat: Float64Array): void {
    this.net.params.set(flat);
  }

  predict(x: Float64Array, rows: number): Float64Array {
    this.load(x, null, rows);
    networkForward(this.net, rows);
    return this.net.layers[this.net.layers.length - 1]!.a.slice(0, rows * this.net.outputs);
  }

  firstUnitFinite(rows: number): boolean {
    return firstColumnFinite(this.net.layers[0]!.z, rows, this.net.layers[0]!.units);
  }

  loss(x: Float64Array, y: Float64Array, rows: number): number {
    this.load(x, y, rows);
    return networkLoss(this.net, rows);
  }

  gradients(x: Float64Array, y: Float64Array, rows: number): { loss: number; gradients: Float64Array } {
    this.load(x, y, rows);
    const loss = networkGradients(this.net, rows);
    return { loss, gradients: this.net.grads.slice() };
  }

  evaluateBatch(x: Float64Array, y: Float64Array, rows: number): { loss: number; correct: number } {
    this.load(x, y, rows);
    const loss = networkEvaluate(this.net, rows);
    return { loss, correct: this.net.evalCorrect };
  }

  trainStep(x: Float64Array, y: Float64Array, rows: number, learningRate: number, dropout: boolean) {
    this.load(x, y, rows);
    const loss = networkTrainStep(this.net, rows, learningRate, dropout);
    return { loss, failure: this.failureReason() };
  }

  trace(x: Float64Array, y: Float64Array, rows: number) {
    this.load(x, y, rows);
    const loss = networkGradients(this.net, rows);
    const layers = this.net.layers.map((layer): LayerTrace => {
      const n = rows * layer.units;
      return { z: layer.z.slice(0, n), a: layer.a.slice(0, n), dZ: layer.dZ.slice(0, n) };
    });
    return { loss, gradients: this.net.grads.slice(), layers };
  }

  dispose(): void {}

  reserve(rows: number, orderRows = 0): void {
    networkReserve(this.net, rows, orderRows);
  }

  setOptimizer(s: OptimizerSettings | null): void {
    if (s === null) {
      this.net.optimizer = null;
      return;
    }
    optimizerSet(this.net, s);
  }

  readTrainingState(into?: Float64Array): TrainingState {
    const opt = this.net.optimizer;
    if (opt && into) into.set(opt.state);
    return {
      rng: this.net.random.state,
      optimizer: opt && {
        steps: opt.steps,
        beta1Power: opt.beta1Power,
        beta2Power: opt.beta2Power,
        state: into ?? opt.state.slice(),
      },
    };
  }

  writeTrainingState(state: TrainingState): void {
    this.net.random.state = state.rng;
    const opt = this.net.optimizer;
    if (opt && state.optimizer) {
      Object.assign(opt, {
        steps: state.optimizer.steps,
        beta1Power: state.optimizer.beta1Power,
        beta2Power: state.optimizer.beta2Power,
      });
      opt.state.set(state.optimizer.state);
    }
  }

  createDataSet(x: Float64Array, y: Float64Array, rows: number): DataSet {
    const data: JsDataSet = { x, y, rows };
    return data;
  }

  freeDataSet(): void {}

  beginEpoch(data: DataSet, shuffle: boolean): void {
    fitEpochBegin(this.net, data.rows, shuffle);
  }

  runBatches(data: DataSet, batchSize: number, first: number, count: number): boolean {
    return fitBatches(this.net, data as JsDataSet, batchSize, first, count);
  }

  private failureReason(): FitFailure["reason"] | null {
    return this.net.failure === 0 ? null : this.net.failure === FAILED_LOSS ? "loss" : "update";
  }

  private failure(): FitFailure | null {
    const reason = this.failureReason();
    return reason && { reason, batch: this.net.failedBatch };
  }

  epochTotals() {
    return { lossSum: this.net.epochLoss, correct: this.net.epochCorrect, failure: this.failure() };
  }

  runEpochs(data: DataSet, batchSize: number, shuffle: boolean, epochs: number) {
    const losses = new Float64Array(epochs),
      corrects = new Float64Array(epochs);
    const done = fitEpochs(this.net, data as JsDataSet, batchSize, shuffle, epochs, losses, corrects);
    return {
      losses: losses.subarray(0, done),
      corrects: corrects.subarray(0, done),
      failure: done < epochs ? this.failure() : null,
    };
  }

  evaluate(data: DataSet, chunk: number): { loss: number; correct: number } {
    const loss = evaluate(this.net, data as JsDataSet, chunk);
    return { loss, correct: this.net.evalCorrect };
  }
}
