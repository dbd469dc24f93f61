// Instances of the Wasm core, one per network. The module is compiled once per JavaScript realm
// (page, worker or Node process); each network gets an instance with a memory of its own, so
// that nothing one network does, whatever its input, can reach another's memory, and its memory
// goes back to the engine when the network is disposed or dropped. The module's bytes are inlined
// at build time (scripts/embed-wasm.mjs), so the same code runs in Node, browsers, workers and
// bundlers with no file to fetch or copy.
//
// Why an instance per network (bench/README.md measures it): a shared instance costs ~30 µs per
// create and ~4 KB per live network, against ~300 µs and ~30 KB here, but a shared memory is one
// 4 GiB space for all networks, never shrinks, and a trap in it is every network's problem.
import { MEMORY_LIMIT } from "../../capacity.js";
import { CapacityError } from "../../errors.js";
import { CORE_WASM_BASE64 } from "./core-wasm.generated.js";

/** The raw exports of assembly/index.ts; pointers are byte addresses into memory. */
export interface CoreExports {
  alloc(bytes: number): number;
  free(ptr: number): void;
  networkCreate(specPtr: number): number;
  networkReserve(netPtr: number, rows: number, orderRows: number): number;
  networkInit(netPtr: number, seed: number): void;
  networkForward(netPtr: number, rows: number): void;
  networkLoss(netPtr: number, rows: number): number;
  networkGradients(netPtr: number, rows: number): number;
  networkTrainStep(netPtr: number, rows: number, learningRate: number, dropout: number): number;
  networkParams(netPtr: number): number;
  networkGrads(netPtr: number): number;
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
  optimizerSet(netPtr: number): number;
  networkSettings(netPtr: number): number;
  optimizerClear(netPtr: number): void;
  optimizerState(netPtr: number): number;
  optimizerStateLength(netPtr: number): number;
  optimizerCounters(netPtr: number): number;
  fitEpochBegin(netPtr: number, rows: number, shuffle: number): void;
  fitBatches(netPtr: number, dataPtr: number, batchSize: number, first: number, count: number): number;
  fitLoadedBatch(netPtr: number, rows: number, batch: number): number;
  fitOrder(netPtr: number): number;
  fitEpochs(netPtr: number, dataPtr: number, batchSize: number, shuffle: number, epochs: number, lossesPtr: number, correctsPtr: number): number;
  epochLoss(netPtr: number): number;
  epochCorrect(netPtr: number): number;
  networkFailure(netPtr: number): number;
  fitFailedBatch(netPtr: number): number;
  evaluate(netPtr: number, dataPtr: number, chunk: number): number;
  networkEvaluate(netPtr: number, rows: number): number;
  evalCorrect(netPtr: number): number;
  packingBytesFor(m: number, k: number, n: number): number;
  packingReserve(bytes: number): number;
  matmul(aPtr: number, bPtr: number, outPtr: number, m: number, k: number, n: number): void;
  matmulTransA(aPtr: number, bPtr: number, outPtr: number, m: number, k: number, n: number): void;
  matmulTransB(aPtr: number, bPtr: number, outPtr: number, m: number, k: number, n: number): void;
}

/** One instance of the core and its memory. */
export class Core {
  private buffer: ArrayBuffer | null = null;
  private view = new Float64Array(0);

  constructor(
    readonly exports: CoreExports,
    readonly memory: WebAssembly.Memory,
    /** the most the memory can grow to */
    readonly maximumBytes: number,
  ) {}

  /** A Float64Array over all of memory, re-made when memory has grown (growing detaches the old one). */
  f64(): Float64Array {
    const buffer = this.memory.buffer;
    if (buffer !== this.buffer) {
      this.buffer = buffer;
      this.view = new Float64Array(buffer);
    }
    return this.view;
  }

  /** The unsigned 32-bit integer at byte address ptr. */
  u32(ptr: number): number {
    return new DataView(this.memory.buffer).getUint32(ptr, true);
  }

  setU32(ptr: number, value: number): void {
    new DataView(this.memory.buffer).setUint32(ptr, value, true);
  }

  /** Bytes of memory the core holds now. */
  get bytes(): number {
    return this.memory.buffer.byteLength;
  }
}

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

let module: Promise<WebAssembly.Module> | undefined;

/**
 * A new instance of the core with a memory of its own, which can grow to `maximumPages` (tests
 * give a smaller one to reach the limit without gigabytes). Throws a CapacityError if the engine
 * has no memory to give it (V8 reserves address space for every Wasm memory: some 12,800 live
 * networks in one Node process).
 */
export async function instantiateCore(maximumPages = MEMORY_LIMIT / 65_536): Promise<Core> {
  module ??= WebAssembly.compile(decodeBase64(CORE_WASM_BASE64) as BufferSource);
  const compiled = await module;
  let memory: WebAssembly.Memory;
  let instance: WebAssembly.Instance;
  try {
    memory = new WebAssembly.Memory({ initial: 1, maximum: maximumPages });
    instance = await WebAssembly.instantiate(compiled, { env: { memory } });
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new CapacityError(
      `Network: the JavaScript engine has no memory left for another network's core (${error.message}); ` +
        `dispose() the networks you no longer need`,
      { bytes: 65_536, limit: null },
    );
  }
  return new Core(instance.exports as unknown as CoreExports, memory, maximumPages * 65_536);
}
