// The WebAssembly backend: a network living in the core's linear memory. Only this folder
// knows that pointers exist; everything crosses the boundary once per call, as whole batches.
import type { Backend, DataSet, FitFailure, LayerTrace, OptimizerSettings, TrainingState } from "../backend.js";
import type { Plan } from "../../plan.js";
import { loadCore, type Core } from "./core.js";

export class WasmBackend implements Backend {
  readonly kind = "wasm" as const;
  private readonly netPtr: number;
  private readonly paramsPtr: number;
  private readonly gradsPtr: number;
  private capacity = 0;
  private inputPtr = 0;
  private targetPtr = 0;
  private resultsPtr = 0; // runEpochs' losses and correct counts, 2 × resultsCapacity f64s
  private resultsCapacity = 0;
  private hasOptimizer = false;
  private spareData: WasmDataSet[] = []; // freed data sets kept for the next ones (createDataSet)

  static async create(plan: Plan): Promise<WasmBackend> {
    return new WasmBackend(await loadCore(), plan);
  }

  private constructor(private readonly core: Core, private readonly plan: Plan) {
    const wasm = core.exports;
    const specPtr = wasm.alloc(12 * plan.layers.length) >>> 0;
    const spec = new Int32Array(wasm.memory.buffer, specPtr, 3 * plan.layers.length);
    plan.layers.forEach((layer, l) => {
      spec[3 * l] = layer.units;
      spec[3 * l + 1] = layer.activationId;
      spec[3 * l + 2] = layer.trainBias ? 1 : 0;
    });
    this.netPtr = wasm.networkCreate(plan.inputs, plan.layers.length, plan.lossId, specPtr) >>> 0;
    wasm.free(specPtr);
    this.paramsPtr = wasm.networkParams(this.netPtr) >>> 0;
    this.gradsPtr = wasm.networkGrads(this.netPtr) >>> 0;
  }

  reserve(rows: number): void {
    const wasm = this.core.exports;
    if (rows > this.capacity) {
      this.freeSpareData(); // their space is where the larger batch blocks can go
      wasm.networkReserve(this.netPtr, rows);
      this.capacity = rows;
      this.inputPtr = wasm.networkInput(this.netPtr) >>> 0;
      this.targetPtr = wasm.networkTarget(this.netPtr) >>> 0;
    }
  }

  // copies the batch into the core's batch block, growing it first if needed
  private load(x: Float64Array, y: Float64Array | null, rows: number): void {
    this.reserve(rows);
    const f64 = this.core.f64();
    f64.set(x, this.inputPtr >>> 3);
    if (y) f64.set(y, this.targetPtr >>> 3);
  }

  private copyOut(ptr: number, length: number): Float64Array {
    const start = ptr >>> 3;
    return this.core.f64().slice(start, start + length);
  }

  initParameters(seed: number): void {
    this.core.exports.networkInit(this.netPtr, seed);
  }

  readParameters(): Float64Array {
    return this.copyOut(this.paramsPtr, this.plan.paramCount);
  }

  writeParameters(flat: Float64Array): void {
    this.core.f64().set(flat, this.paramsPtr >>> 3);
  }

  predict(x: Float64Array, rows: number): Float64Array {
    this.load(x, null, rows);
    this.core.exports.networkForward(this.netPtr, rows);
    return this.copyOut(this.core.exports.networkOutput(this.netPtr) >>> 0, rows * this.plan.outputs);
  }

  loss(x: Float64Array, y: Float64Array, rows: number): number {
    this.load(x, y, rows);
    return this.core.exports.networkLoss(this.netPtr, rows);
  }

  gradients(x: Float64Array, y: Float64Array, rows: number): { loss: number; gradients: Float64Array } {
    this.load(x, y, rows);
    const loss = this.core.exports.networkGradients(this.netPtr, rows);
    return { loss, gradients: this.copyOut(this.gradsPtr, this.plan.paramCount) };
  }

  trainStep(x: Float64Array, y: Float64Array, rows: number, learningRate: number) {
    this.load(x, y, rows);
    const loss = this.core.exports.networkTrainStep(this.netPtr, rows, learningRate);
    return { loss, failure: this.failureReason() };
  }

  trace(x: Float64Array, y: Float64Array, rows: number) {
    const wasm = this.core.exports;
    this.load(x, y, rows);
    const loss = wasm.networkGradients(this.netPtr, rows);
    const layers = this.plan.layers.map((layer, l): LayerTrace => {
      const n = rows * layer.units;
      return {
        z: this.copyOut(wasm.networkLayerZ(this.netPtr, l) >>> 0, n),
        a: this.copyOut(wasm.networkLayerA(this.netPtr, l) >>> 0, n),
        dZ: this.copyOut(wasm.networkLayerDZ(this.netPtr, l) >>> 0, n),
      };
    });
    return { loss, gradients: this.copyOut(this.gradsPtr, this.plan.paramCount), layers };
  }

  private freeSpareData(): void {
    for (const data of this.spareData.splice(0)) this.core.exports.dataFree(data.ptr);
  }

  dispose(): void {
    this.freeSpareData();
    this.core.exports.free(this.resultsPtr);
    this.core.exports.networkFree(this.netPtr);
  }

  setOptimizer(s: OptimizerSettings): void {
    this.core.exports.optimizerSet(
      this.netPtr, s.kind, s.learningRate, s.weightDecay, s.momentum, s.nesterov ? 1 : 0, s.beta1, s.beta2, s.epsilon,
    );
    this.hasOptimizer = true;
  }

  readTrainingState(): TrainingState {
    const wasm = this.core.exports;
    const rng = this.core.u32(wasm.networkRng(this.netPtr) >>> 0);
    if (!this.hasOptimizer) return { rng, optimizer: null };
    const [steps, beta1Power, beta2Power] = this.copyOut(wasm.optimizerCounters(this.netPtr) >>> 0, 3);
    const state = this.copyOut(wasm.optimizerState(this.netPtr) >>> 0, wasm.optimizerStateLength(this.netPtr));
    return { rng, optimizer: { steps: steps!, beta1Power: beta1Power!, beta2Power: beta2Power!, state } };
  }

  writeTrainingState(state: TrainingState): void {
    const wasm = this.core.exports;
    this.core.setU32(wasm.networkRng(this.netPtr) >>> 0, state.rng);
    if (!this.hasOptimizer || !state.optimizer) return;
    const { steps, beta1Power, beta2Power } = state.optimizer;
    const f64 = this.core.f64();
    f64.set([steps, beta1Power, beta2Power], (wasm.optimizerCounters(this.netPtr) >>> 0) / 8);
    if (state.optimizer.state.length > 0) f64.set(state.optimizer.state, (wasm.optimizerState(this.netPtr) >>> 0) / 8);
  }

  // Data sets are tens of MB for real data, and a fit or evaluate per epoch would free one and
  // allocate the next: the heap could then fail to fit it into the hole just freed and grow the
  // memory (it never shrinks). So freed data sets are kept, up to two (training and validation),
  // and the next data set takes the smallest one that holds its rows.
  createDataSet(x: Float64Array, y: Float64Array, rows: number): DataSet {
    const wasm = this.core.exports;
    const fits = this.spareData.filter((d) => d.capacity >= rows).sort((a, b) => a.capacity - b.capacity)[0];
    let data: WasmDataSet;
    if (fits) {
      this.spareData.splice(this.spareData.indexOf(fits), 1);
      wasm.dataSetRows(fits.ptr, rows);
      data = { rows, ptr: fits.ptr, capacity: fits.capacity };
    } else {
      data = { rows, ptr: wasm.dataCreate(this.netPtr, rows) >>> 0, capacity: rows };
    }
    const f64 = this.core.f64();
    f64.set(x, (wasm.dataX(data.ptr) >>> 0) / 8);
    f64.set(y, (wasm.dataY(data.ptr) >>> 0) / 8);
    return data;
  }

  freeDataSet(data: DataSet): void {
    this.spareData.push(data as WasmDataSet);
    this.spareData.sort((a, b) => b.capacity - a.capacity);
    for (const extra of this.spareData.splice(2)) this.core.exports.dataFree(extra.ptr);
  }

  beginEpoch(data: DataSet, shuffle: boolean): void {
    this.core.exports.fitEpochBegin(this.netPtr, (data as WasmDataSet).ptr, shuffle ? 1 : 0);
  }

  runBatches(data: DataSet, batchSize: number, first: number, count: number): boolean {
    return this.core.exports.fitBatches(this.netPtr, (data as WasmDataSet).ptr, batchSize, first, count) !== 0;
  }

  // why the last train step or fit call stopped early (assembly/network.ts FAILED_*)
  private failureReason(): FitFailure["reason"] | null {
    const reason = this.core.exports.networkFailure(this.netPtr);
    return reason === 0 ? null : reason === 1 ? "loss" : "update";
  }

  private failure(): FitFailure | null {
    const reason = this.failureReason();
    return reason && { reason, batch: this.core.exports.fitFailedBatch(this.netPtr) };
  }


  epochTotals() {
    const wasm = this.core.exports;
    return { lossSum: wasm.epochLoss(this.netPtr), correct: wasm.epochCorrect(this.netPtr), failure: this.failure() };
  }

  runEpochs(data: DataSet, batchSize: number, shuffle: boolean, epochs: number) {
    const wasm = this.core.exports;
    if (epochs > this.resultsCapacity) {
      wasm.free(this.resultsPtr);
      this.resultsPtr = wasm.alloc(16 * epochs) >>> 0;
      this.resultsCapacity = epochs;
    }
    const lossesPtr = this.resultsPtr, correctsPtr = this.resultsPtr + 8 * epochs;
    const done = wasm.fitEpochs(this.netPtr, (data as WasmDataSet).ptr, batchSize, shuffle ? 1 : 0, epochs, lossesPtr, correctsPtr);
    return { losses: this.copyOut(lossesPtr, done), corrects: this.copyOut(correctsPtr, done), failure: done < epochs ? this.failure() : null };
  }

  evaluate(data: DataSet): { loss: number; correct: number } {
    const wasm = this.core.exports;
    const loss = wasm.evaluate(this.netPtr, (data as WasmDataSet).ptr);
    return { loss, correct: wasm.epochCorrect(this.netPtr) };
  }
}

interface WasmDataSet extends DataSet {
  ptr: number;
  capacity: number; // rows its blocks hold
}
