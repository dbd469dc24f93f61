// Loads the Wasm core once per JavaScript realm (page, worker or Node process) and keeps a
// Float64Array view on its memory. The module's bytes are inlined at build time
// (scripts/embed-wasm.mjs), so the same code runs in Node, browsers, workers and bundlers
// with no file to fetch or copy.
import { instantiate } from "@assemblyscript/loader";
import { CORE_WASM_BASE64 } from "./core-wasm.generated.js";

/** The raw exports of assembly/index.ts; pointers are byte addresses into memory. */
export interface CoreExports {
  memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  free(ptr: number): void;
  networkCreate(inputs: number, layerCount: number, loss: number, specPtr: number): number;
  networkFree(netPtr: number): void;
  networkReserve(netPtr: number, rows: number): void;
  networkInit(netPtr: number, seed: number): void;
  networkForward(netPtr: number, rows: number): void;
  networkLoss(netPtr: number, rows: number): number;
  networkGradients(netPtr: number, rows: number): number;
  networkTrainStep(netPtr: number, rows: number, learningRate: number): number;
  networkParams(netPtr: number): number;
  networkGrads(netPtr: number): number;
  networkParamCount(netPtr: number): number;
  networkInput(netPtr: number): number;
  networkTarget(netPtr: number): number;
  networkOutput(netPtr: number): number;
  networkLayerZ(netPtr: number, layer: number): number;
  networkLayerA(netPtr: number, layer: number): number;
  networkLayerDZ(netPtr: number, layer: number): number;
  networkRng(netPtr: number): number;
  dataCreate(netPtr: number, rows: number): number;
  dataFree(dataPtr: number): void;
  dataSetRows(dataPtr: number, rows: number): void;
  dataX(dataPtr: number): number;
  dataY(dataPtr: number): number;
  optimizerSet(
    netPtr: number, kind: number, learningRate: number, weightDecay: number, momentum: number, nesterov: number,
    beta1: number, beta2: number, epsilon: number,
  ): void;
  optimizerState(netPtr: number): number;
  optimizerStateLength(netPtr: number): number;
  optimizerCounters(netPtr: number): number;
  fitEpochBegin(netPtr: number, dataPtr: number, shuffle: number): void;
  fitBatches(netPtr: number, dataPtr: number, batchSize: number, first: number, count: number): number;
  fitEpochs(netPtr: number, dataPtr: number, batchSize: number, shuffle: number, epochs: number, lossesPtr: number, correctsPtr: number): number;
  epochLoss(netPtr: number): number;
  epochCorrect(netPtr: number): number;
  networkFailure(netPtr: number): number;
  fitFailedBatch(netPtr: number): number;
  evaluate(netPtr: number, dataPtr: number): number;
  matmul(aPtr: number, bPtr: number, outPtr: number, m: number, k: number, n: number): void;
  matmulTransA(aPtr: number, bPtr: number, outPtr: number, m: number, k: number, n: number): void;
  matmulTransB(aPtr: number, bPtr: number, outPtr: number, m: number, k: number, n: number): void;
}

export class Core {
  private buffer: ArrayBuffer | null = null;
  private view = new Float64Array(0);

  constructor(readonly exports: CoreExports) {}

  /** A Float64Array over all of memory, re-made when memory has grown (growing detaches the old one). */
  f64(): Float64Array {
    const buffer = this.exports.memory.buffer;
    if (buffer !== this.buffer) {
      this.buffer = buffer;
      this.view = new Float64Array(buffer);
    }
    return this.view;
  }

  /** The unsigned 32-bit integer at byte address ptr. */
  u32(ptr: number): number {
    return new DataView(this.exports.memory.buffer).getUint32(ptr, true);
  }

  setU32(ptr: number, value: number): void {
    new DataView(this.exports.memory.buffer).setUint32(ptr, value, true);
  }
}

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

let core: Promise<Core> | undefined;

/** The realm's one instance of the core, instantiated on first use. */
export function loadCore(): Promise<Core> {
  core ??= instantiate<Record<string, unknown>>(decodeBase64(CORE_WASM_BASE64), {}).then(
    ({ exports }) => new Core(exports as unknown as CoreExports),
  );
  return core;
}
