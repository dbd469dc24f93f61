// The WebAssembly backend: a network living in the linear memory of an instance of the core of
// its own (core.ts). Only this folder knows that pointers exist; everything crosses the boundary
// once per call, as whole batches. A block the core cannot get (assembly/memory.ts returns 0)
// becomes a CapacityError here, with the network as it was.
import type { Backend, DataSet, FitFailure, LayerTrace, OptimizerSettings, TrainingState } from "../backend.js";
import { batchBytes, dataBytes, formatBytes, RESIDENT_DATA_BYTES } from "../../capacity.js";
import { CapacityError } from "../../errors.js";
import { firstColumnFinite } from "../../data/rows.js";
import { OPTIMIZERS, SETTING_KIND, stateValues } from "../../operations/optimizers.js";
import { specBlock, type Plan } from "../../plan.js";
import { instantiateCore, type Core, type CoreOptions } from "./core.js";

export class WasmBackend implements Backend {
  readonly kind = "wasm" as const;
  private readonly netPtr: number;
  private capacity = 0;
  private orderCapacity = 0;
  private inputPtr = 0;
  private targetPtr = 0;
  private resultsPtr = 0; // runEpochs' losses and correct counts, 2 × resultsCapacity f64s
  private resultsCapacity = 0;
  private hasOptimizer = false;
  private epochShuffled = false;
  private spareData: WasmDataSet[] = []; // freed data sets kept for the next ones (createDataSet)

  /** @param options of the core (core.ts); its threads default to the plan's */
  static async create(plan: Plan, options: CoreOptions = {}): Promise<WasmBackend> {
    const core = await instantiateCore({ threads: plan.threads, ...options });
    try {
      return new WasmBackend(core, plan);
    } catch (error) {
      core.dispose();
      throw error;
    }
  }

  get threads(): number {
    return this.core.threads;
  }

  private constructor(
    private readonly core: Core,
    private readonly plan: Plan,
  ) {
    const wasm = core.exports;
    const spec = specBlock(plan);
    const specPtr = wasm.alloc(spec.byteLength) >>> 0;
    if (specPtr === 0) this.outOfMemory("Network.create", spec.byteLength);
    core.f64().set(spec, specPtr >>> 3);
    this.netPtr = wasm.networkCreate(specPtr) >>> 0;
    wasm.free(specPtr);
    if (this.netPtr === 0) this.outOfMemory("Network.create", 16 * plan.paramCount);
  }

  // The parameters' block and the gradients': a training step swaps them (assembly/update.ts).
  private get paramsPtr(): number {
    return this.core.exports.networkParams(this.netPtr) >>> 0;
  }
  private get gradsPtr(): number {
    return this.core.exports.networkGrads(this.netPtr) >>> 0;
  }

  // the core could not get a block: its memory cannot grow to hold it
  private outOfMemory(what: string, bytes: number): never {
    const limit = this.core.maximumBytes;
    throw new CapacityError(
      `${what} needs ${formatBytes(bytes)} more than the network's memory holds now (${formatBytes(this.core.bytes)}), ` +
        `and the memory could not grow to it: it grows to at most ${formatBytes(limit)}, less where the JavaScript engine runs short`,
      { bytes: this.core.bytes + bytes, limit },
    );
  }

  reserve(rows: number, orderRows = 0): void {
    if (rows <= this.capacity && orderRows <= this.orderCapacity) return;
    const wasm = this.core.exports;
    const reserve = () => wasm.networkReserve(this.netPtr, rows, orderRows) !== 0;
    if (!reserve() && !this.withRoom(reserve)) this.outOfMemory(`a batch of ${rows} rows`, batchBytes(this.plan, rows));
    this.capacity = Math.max(this.capacity, rows);
    this.orderCapacity = Math.max(this.orderCapacity, orderRows);
    this.inputPtr = wasm.networkInput(this.netPtr) >>> 0;
    this.targetPtr = wasm.networkTarget(this.netPtr) >>> 0;
  }

  // copies the batch into the core's batch block, growing it first if needed
  private load(x: Float64Array, y: Float64Array | null, rows: number): void {
    this.reserve(rows);
    const f64 = this.core.f64();
    f64.set(x, this.inputPtr >>> 3);
    if (y) f64.set(y, this.targetPtr >>> 3);
  }

  private copyOut(ptr: number, length: number, into?: Float64Array): Float64Array {
    const start = ptr >>> 3;
    if (!into) return this.core.f64().slice(start, start + length);
    into.set(this.core.f64().subarray(start, start + length));
    return into;
  }

  initParameters(seed: number): void {
    this.core.exports.networkInit(this.netPtr, seed);
  }

  readParameters(into?: Float64Array): Float64Array {
    return this.copyOut(this.paramsPtr, this.plan.paramCount, into);
  }

  writeParameters(flat: Float64Array): void {
    this.core.f64().set(flat, this.paramsPtr >>> 3);
  }

  predict(x: Float64Array, rows: number): Float64Array {
    this.load(x, null, rows);
    this.core.exports.networkForward(this.netPtr, rows);
    return this.copyOut(this.core.exports.networkOutput(this.netPtr) >>> 0, rows * this.plan.outputs);
  }

  firstUnitFinite(rows: number): boolean {
    const z = (this.core.exports.networkLayerZ(this.netPtr, 0) >>> 0) / 8;
    const units = this.plan.layers[0]!.units;
    return firstColumnFinite(this.core.f64().subarray(z, z + rows * units), rows, units);
  }

  loss(x: Float64Array, y: Float64Array, rows: number): number {
    this.load(x, y, rows);
    return this.core.exports.networkLoss(this.netPtr, rows);
  }

  evaluateBatch(x: Float64Array, y: Float64Array, rows: number): { loss: number; correct: number } {
    this.load(x, y, rows);
    const loss = this.core.exports.networkEvaluate(this.netPtr, rows);
    return { loss, correct: this.core.exports.evalCorrect(this.netPtr) };
  }

  gradients(x: Float64Array, y: Float64Array, rows: number): { loss: number; gradients: Float64Array } {
    this.load(x, y, rows);
    const loss = this.core.exports.networkGradients(this.netPtr, rows);
    return { loss, gradients: this.copyOut(this.gradsPtr, this.plan.paramCount) };
  }

  trainStep(x: Float64Array, y: Float64Array, rows: number, learningRate: number, dropout: boolean) {
    this.load(x, y, rows);
    const loss = this.core.exports.networkTrainStep(this.netPtr, rows, learningRate, dropout ? 1 : 0);
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

  // Nothing to free block by block: the memory goes with the instance when Network drops this
  // backend. The core's threads, if any, go back to their pool.
  dispose(): void {
    this.core.dispose();
  }

  setOptimizer(s: OptimizerSettings | null): void {
    const wasm = this.core.exports;
    if (s === null) {
      wasm.optimizerClear(this.netPtr);
      this.hasOptimizer = false;
      return;
    }
    this.core.f64().set(s, wasm.networkSettings(this.netPtr) >>> 3);
    const set = () => wasm.optimizerSet(this.netPtr) !== 0;
    if (!set() && !this.withRoom(set))
      this.outOfMemory("the optimizer's state", 16 * stateValues(OPTIMIZERS[s[SETTING_KIND]!]!) * this.plan.paramCount);
    this.hasOptimizer = true;
  }

  readTrainingState(into?: Float64Array): TrainingState {
    const wasm = this.core.exports;
    const rng = this.core.u32(wasm.networkRng(this.netPtr) >>> 0);
    if (!this.hasOptimizer) return { rng, optimizer: null };
    const [steps, beta1Power, beta2Power] = this.copyOut(wasm.optimizerCounters(this.netPtr) >>> 0, 3);
    const state = this.copyOut(wasm.optimizerState(this.netPtr) >>> 0, wasm.optimizerStateLength(this.netPtr), into);
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

  // A data set of up to RESIDENT_DATA_BYTES is copied into the network's memory once; a larger
  // one, or one the memory cannot hold, stays in JavaScript and is streamed through the batch
  // block, batch by batch, with the same results bit for bit.
  //
  // A fit per epoch would free tens of MB of data and allocate them again: in between, other
  // blocks (a larger batch for evaluate) could take the hole and the memory would grow by as
  // much. So freed data sets are kept, up to two (training and validation), and the next data
  // set takes the smallest one that holds its rows; they are given up when memory runs short.
  createDataSet(x: Float64Array, y: Float64Array, rows: number): DataSet {
    const wasm = this.core.exports;
    if (dataBytes(this.plan, rows) > RESIDENT_DATA_BYTES) return streamed(x, y, rows);
    let fits: WasmDataSet | undefined;
    for (const spare of this.spareData)
      if (spare.capacity >= rows && (!fits || spare.capacity < fits.capacity)) fits = spare;
    let set: WasmDataSet;
    if (fits) {
      this.spareData.splice(this.spareData.indexOf(fits), 1);
      wasm.dataSetRows(fits.ptr, rows);
      set = { ...fits, rows };
    } else {
      this.freeSpareData(); // their space is where this one can go
      const ptr = wasm.dataCreate(this.netPtr, rows) >>> 0;
      if (ptr === 0) return streamed(x, y, rows);
      set = { rows, ptr, capacity: rows, x: null, y: null };
    }
    const f64 = this.core.f64();
    f64.set(x, (wasm.dataX(set.ptr) >>> 0) / 8);
    f64.set(y, (wasm.dataY(set.ptr) >>> 0) / 8);
    return set;
  }

  freeDataSet(data: DataSet): void {
    const set = data as WasmDataSet;
    if (set.ptr === 0) return;
    this.spareData.push(set);
    this.spareData.sort((a, b) => b.capacity - a.capacity);
    for (const extra of this.spareData.splice(2)) this.core.exports.dataFree(extra.ptr);
  }

  private freeSpareData(): void {
    for (const data of this.spareData.splice(0)) this.core.exports.dataFree(data.ptr);
  }

  // an allocation that failed, tried again without the spare data sets
  private withRoom(attempt: () => boolean): boolean {
    if (this.spareData.length === 0) return false;
    this.freeSpareData();
    return attempt();
  }

  beginEpoch(data: DataSet, shuffle: boolean): void {
    this.core.exports.fitEpochBegin(this.netPtr, data.rows, shuffle ? 1 : 0);
    this.epochShuffled = shuffle;
  }

  runBatches(data: DataSet, batchSize: number, first: number, count: number): boolean {
    const set = data as WasmDataSet;
    if (set.ptr !== 0) return this.core.exports.fitBatches(this.netPtr, set.ptr, batchSize, first, count) !== 0;
    for (let b = first; b < first + count && b * batchSize < set.rows; b++) {
      const start = b * batchSize,
        rows = Math.min(batchSize, set.rows - start);
      this.gather(set, start, rows);
      if (!this.core.exports.fitLoadedBatch(this.netPtr, rows, b)) return false;
    }
    return true;
  }

  // rows start … start+rows−1 of the epoch's order, from a streamed data set into the batch block
  private gather(set: WasmDataSet, start: number, rows: number): void {
    const { inputs, outputs } = this.plan;
    const f64 = this.core.f64(),
      x = set.x!,
      y = set.y!;
    const xAt = this.inputPtr >>> 3,
      yAt = this.targetPtr >>> 3;
    if (!this.epochShuffled) {
      f64.set(x.subarray(start * inputs, (start + rows) * inputs), xAt);
      f64.set(y.subarray(start * outputs, (start + rows) * outputs), yAt);
      return;
    }
    const order = new Int32Array(this.core.memory.buffer, this.core.exports.fitOrder(this.netPtr) >>> 0, set.rows);
    for (let i = 0; i < rows; i++) {
      const row = order[start + i]!;
      f64.set(x.subarray(row * inputs, (row + 1) * inputs), xAt + i * inputs);
      f64.set(y.subarray(row * outputs, (row + 1) * outputs), yAt + i * outputs);
    }
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
    const set = data as WasmDataSet;
    return set.ptr !== 0
      ? this.runEpochsInCore(set, batchSize, shuffle, epochs)
      : this.runEpochsStreamed(set, batchSize, shuffle, epochs);
  }

  private runEpochsInCore(set: WasmDataSet, batchSize: number, shuffle: boolean, epochs: number) {
    const wasm = this.core.exports;
    if (epochs > this.resultsCapacity) {
      let ptr = 0;
      const alloc = () => (ptr = wasm.alloc(16 * epochs) >>> 0) !== 0;
      if (!alloc() && !this.withRoom(alloc)) this.outOfMemory("fit's results", 16 * epochs);
      wasm.free(this.resultsPtr);
      this.resultsPtr = ptr;
      this.resultsCapacity = epochs;
    }
    const lossesPtr = this.resultsPtr,
      correctsPtr = this.resultsPtr + 8 * epochs;
    const done = wasm.fitEpochs(this.netPtr, set.ptr, batchSize, shuffle ? 1 : 0, epochs, lossesPtr, correctsPtr);
    return {
      losses: this.copyOut(lossesPtr, done),
      corrects: this.copyOut(correctsPtr, done),
      failure: done < epochs ? this.failure() : null,
    };
  }

  // fitEpochs' loop, with the batches streamed (assembly/training.ts)
  private runEpochsStreamed(set: WasmDataSet, batchSize: number, shuffle: boolean, epochs: number) {
    const losses = new Float64Array(epochs),
      corrects = new Float64Array(epochs);
    const batches = Math.ceil(set.rows / batchSize);
    for (let e = 0; e < epochs; e++) {
      this.beginEpoch(set, shuffle);
      if (!this.runBatches(set, batchSize, 0, batches))
        return { losses: losses.subarray(0, e), corrects: corrects.subarray(0, e), failure: this.failure() };
      const totals = this.epochTotals();
      losses[e] = totals.lossSum / set.rows;
      corrects[e] = totals.correct;
    }
    return { losses, corrects, failure: null };
  }

  evaluate(data: DataSet, chunk: number): { loss: number; correct: number } {
    const set = data as WasmDataSet,
      wasm = this.core.exports;
    if (set.ptr !== 0) {
      const loss = wasm.evaluate(this.netPtr, set.ptr, chunk);
      return { loss, correct: wasm.evalCorrect(this.netPtr) };
    }
    const { inputs, outputs } = this.plan;
    let total = 0,
      correct = 0;
    for (let start = 0; start < set.rows; start += chunk) {
      const rows = Math.min(chunk, set.rows - start);
      const batch = this.evaluateBatch(
        set.x!.subarray(start * inputs, (start + rows) * inputs),
        set.y!.subarray(start * outputs, (start + rows) * outputs),
        rows,
      );
      total += batch.loss * rows;
      correct += batch.correct;
    }
    return { loss: total / set.rows, correct };
  }
}

// A data set in the network's memory (ptr; its blocks hold `capacity` rows), or streamed from
// JavaScript (ptr 0; x and y).
interface WasmDataSet extends DataSet {
  ptr: number;
  capacity: number;
  x: Float64Array | null;
  y: Float64Array | null;
}

function streamed(x: Float64Array, y: Float64Array, rows: number): DataSet {
  return { rows, ptr: 0, capacity: 0, x, y } satisfies WasmDataSet as DataSet;
}
