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
//
// A network with threads (threads.ts) gets the same module with its memory declared shared
// (shared-module.ts), a shared memory of the same 4 GiB maximum, and workers running the
// kernel-only module on it; it is still the only network on that memory.
import { MEMORY_LIMIT } from "../../capacity.js";
import { CapacityError } from "../../errors.js";
import { CORE_WASM_BASE64, KERNELS_WASM_BASE64 } from "./core-wasm.generated.js";
import { withSharedMemory } from "./shared-module.js";
import { CoreThreads, settings, threadsAvailable } from "./threads.js";
import type { LayerRows, ProductBlock } from "./tiles.js";

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
  fitEpochs(
    netPtr: number,
    dataPtr: number,
    batchSize: number,
    shuffle: number,
    epochs: number,
    lossesPtr: number,
    correctsPtr: number,
  ): number;
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
  productThreads(count: number, minimumWork: number): void;
  productBlock: ProductBlock;
  layerRows: LayerRows;
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
    private readonly coreThreads: CoreThreads | null = null,
  ) {}

  /** How many threads compute its large products: 1, or its own and the workers'. */
  get threads(): number {
    return this.coreThreads?.count ?? 1;
  }

  /** Jobs (products and layers' updates) split across the threads so far. */
  get splitJobs(): number {
    return this.coreThreads?.jobs ?? 0;
  }

  /** Stops the workers, if any (they go back to the pool); the memory goes with the last reference to this. */
  dispose(): void {
    this.coreThreads?.stop();
  }

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
let sharedModules: Promise<[core: WebAssembly.Module, kernels: WebAssembly.Module]> | undefined;

// A core dropped without dispose() (its network collected) sends its workers back to the pool.
const unreachable = new FinalizationRegistry<CoreThreads>((threads) => threads.stop());

function singleThread(): never {
  throw new Error("parallelProduct or parallelRows called on a core without threads");
}

export interface CoreOptions {
  /** the most the memory may grow to, in pages of 64 KiB (tests reach the limit with a small one) */
  maximumPages?: number;
  /** threads for the products: 1, or more where this context can run them (threadsAvailable) */
  threads?: number;
  /** products of fewer multiply-adds stay on one thread (tests split every product with 0) */
  parallelWork?: number;
}

/**
 * A new instance of the core with a memory of its own, which can grow to `maximumPages`, and
 * with `threads` threads if more than 1 and this context can run them (else one: `core.threads`
 * says which). Throws a CapacityError if the engine has no memory to give it (V8 reserves
 * address space for every Wasm memory, shared or not: some 13,000 live networks in one Node process).
 */
export async function instantiateCore(options: CoreOptions = {}): Promise<Core> {
  const { maximumPages = MEMORY_LIMIT / 65_536, threads = 1, parallelWork = settings.parallelWork } = options;
  if (threads > 1 && threadsAvailable()) {
    try {
      return await threadedCore(maximumPages, threads, parallelWork);
    } catch (error) {
      if (error instanceof CapacityError) throw error;
      // an engine that refuses the shared module or memory: one thread, as where there are no threads
    }
  }
  module ??= WebAssembly.compile(decodeBase64(CORE_WASM_BASE64) as BufferSource);
  const compiled = await module;
  const memory = newMemory(() => new WebAssembly.Memory({ initial: 1, maximum: maximumPages }));
  const instance = await WebAssembly.instantiate(compiled, {
    env: { memory, parallelProduct: singleThread, parallelRows: singleThread },
  });
  return new Core(instance.exports as unknown as CoreExports, memory, maximumPages * 65_536);
}

async function threadedCore(maximumPages: number, threads: number, parallelWork: number): Promise<Core> {
  sharedModules ??= Promise.all(
    [CORE_WASM_BASE64, KERNELS_WASM_BASE64].map((base64) =>
      WebAssembly.compile(withSharedMemory(decodeBase64(base64), MEMORY_LIMIT / 65_536) as BufferSource),
    ),
  ) as Promise<[WebAssembly.Module, WebAssembly.Module]>;
  const [core, kernels] = await sharedModules;
  const memory = newMemory(() => new WebAssembly.Memory({ initial: 1, maximum: maximumPages, shared: true }));
  const coreThreads = new CoreThreads(threads, memory, kernels);
  const instance = await WebAssembly.instantiate(core, {
    env: { memory, parallelProduct: coreThreads.product, parallelRows: coreThreads.rows },
  });
  const exports = instance.exports as unknown as CoreExports;
  exports.productThreads(threads, parallelWork);
  coreThreads.bind({ productBlock: exports.productBlock, layerRows: exports.layerRows });
  const result = new Core(exports, memory, maximumPages * 65_536, coreThreads);
  unreachable.register(result, coreThreads);
  return result;
}

function newMemory(make: () => WebAssembly.Memory): WebAssembly.Memory {
  try {
    return make();
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new CapacityError(
      `Network: the JavaScript engine has no memory left for another network's core (${error.message}); ` +
        `dispose() the networks you no longer need`,
      { bytes: 65_536, limit: null },
    );
  }
}
