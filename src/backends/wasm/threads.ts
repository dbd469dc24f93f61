// A network's threads: workers that compute tiles of its large matrix products (with what the core
// asks on the same block: a layer's bias and activation, its update, the first layer's dZ), and
// rows of its large layers' updates, on its memory, shared with them (core.ts makes the memory and
// the instance; assembly/threads.ts says what the core splits and hands here through its imports
// parallelProduct and parallelRows).
//
//   the network's thread                         each worker (thread-worker.ts)
//   ─────────────────────                         ────────────────────────────
//   core: a product of ≥ PARALLEL_WORK
//   multiply-adds, or the update of a
//   layer whose products were split
//     → parallelProduct / parallelRows ┐
//     writes the job, opens its tiles  ├─────────► wakes (or was watching), claims tiles,
//     claims tiles too                 │             does them on its kernel instance
//     waits until the claimed ones     ◄─────────── counts each done, sleeps again
//     are done, returns to the core ───┘
//
// Waiting never burns a core for long: a worker watches for the next job for settings.spinMs (the
// jobs of a batch come a few tens of µs apart), then sleeps in Atomics.wait; the network's
// thread watches for the last tile for settings.ownerSpinMs, then sleeps. Both are woken by
// Atomics.notify.
//
// A network's workers start with its first split product, not with the network (a network whose
// products are all small never starts one), and join as they come up: until then, and whenever
// they are slow to wake, the network's thread claims the tiles itself, so it never waits for a
// worker that has not started. They outlive the networks they serve: when a network is disposed
// (or collected) its workers drop their instance and go back to a pool, from which the next
// threaded network takes them, since starting a thread takes tens of milliseconds. In Node they
// are unref()'d: they never keep a process alive.
import {
  claimTile,
  closeJob,
  CONTROL_BYTES,
  DONE,
  FAILED,
  FALSE,
  MAX_TILES,
  openProduct,
  openRows,
  ownTileTime,
  stopJobs,
  TICKET,
  type Kernels,
} from "./tiles.js";
import { THREAD_WORKER_SOURCE } from "./thread-worker-source.generated.js";
import { MAX_THREADS } from "../../threads.js";

/** Products of fewer multiply-adds (m·k·n) stay on one thread: below it, waking a worker costs more than it saves (measured: bench/README.md). */
export const PARALLEL_WORK = 2 ** 17;

/** Tuning, measured on a 2-core machine (bench/README.md, "Threads"); tests change them. */
export const settings = {
  /** products of fewer multiply-adds stay on one thread (read when a network is created) */
  parallelWork: PARALLEL_WORK,
  /** how long a worker watches for the next product before it sleeps */
  spinMs: 0.05,
  /**
   * how long the network's thread watches for the last tiles before it sleeps: about a tile of the
   * MLP's products at batch 32, so that a worker a little behind does not cost the network's
   * thread a wake-up (bench/threads-spins.mjs: 1.40–1.47× on its training against 1.11–1.13× with
   * 0.02 ms, and no worse beside a busy core)
   */
  ownerSpinMs: 0.3,
  /**
   * A product is cut into one tile per thread, or into more (up to maxTilesPerThread each) if each
   * still has tileWork multiply-adds: more tiles let the others take over from a thread that was
   * descheduled or woke late, but each packs its block of the operand it shares with the others again.
   */
  tileWork: 2 ** 22,
  maxTilesPerThread: 4,
  /**
   * Of a product cut into more tiles than threads, the share in the threads' own tiles (one each,
   * cut by their speeds); the rest is cut into equal tail tiles, which the threads take as they
   * finish, so that they finish within a small tile of each other.
   */
  ownShare: 0.75,
};

export type ToThread = {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  thread: number;
  spinMs: number;
};
export type FromThread = { kind: "attached" } | { kind: "detached" } | { kind: "failed"; message: string };

// ---- where threads can run ----

declare const process: { getBuiltinModule?(id: string): unknown } | undefined;
declare const crossOriginIsolated: boolean | undefined;

interface NodeWorker {
  postMessage(message: unknown): void;
  on(event: "message", listener: (message: FromThread) => void): void;
  on(event: "error", listener: (error: Error) => void): void;
  ref(): void;
  unref(): void;
  terminate(): Promise<number>;
}
type NodeWorkerThreads = { Worker: new (source: string, options: { eval: true }) => NodeWorker };

function nodeModule<T>(id: string): T | undefined {
  return typeof process === "object" ? (process?.getBuiltinModule?.(id) as T | undefined) : undefined;
}

let available: boolean | undefined;

/**
 * Whether this JavaScript context can run a network's threads: shared memory (in browsers, only a
 * cross-origin isolated page or worker has SharedArrayBuffer), a thread that may block in
 * Atomics.wait (not a page's main thread), and a way to start workers.
 */
export function threadsAvailable(): boolean {
  if (available !== undefined) return available;
  available = false;
  if (typeof SharedArrayBuffer !== "function" || typeof Atomics !== "object") return available;
  if (typeof crossOriginIsolated === "boolean" && !crossOriginIsolated) return available;
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0); // throws where this thread may not block
  } catch {
    return available;
  }
  available =
    (typeof Worker === "function" && typeof Blob === "function") || nodeModule("node:worker_threads") !== undefined;
  return available;
}

// ---- worker threads, and the pool of idle ones ----

const idle: KernelThread[] = [];

/** Worker threads waiting in the pool for a network. */
export function idleThreads(): number {
  return idle.length;
}
let blobUrl: string | undefined;

class KernelThread {
  private reply: ((message: FromThread) => void) | null = null;
  private dead: Error | null = null;

  private constructor(
    private readonly worker: { post(message: ToThread): void; keepAlive(alive: boolean): void; terminate(): void },
  ) {}

  static spawn(): KernelThread {
    const threads = nodeModule<NodeWorkerThreads>("node:worker_threads");
    let thread: KernelThread;
    if (threads) {
      const worker = new threads.Worker(THREAD_WORKER_SOURCE, { eval: true });
      worker.unref();
      thread = new KernelThread({
        post: (message) => worker.postMessage(message),
        keepAlive: (alive) => (alive ? worker.ref() : worker.unref()),
        terminate: () => void worker.terminate(),
      });
      worker.on("message", (message) => thread.receive(message));
      worker.on("error", (error) => thread.fail(error));
    } else {
      blobUrl ??= URL.createObjectURL(new Blob([THREAD_WORKER_SOURCE], { type: "text/javascript" }));
      const worker = new Worker(blobUrl);
      thread = new KernelThread({
        post: (message) => worker.postMessage(message),
        keepAlive: () => {},
        terminate: () => worker.terminate(),
      });
      worker.onmessage = (event: MessageEvent<FromThread>) => thread.receive(event.data);
      worker.onerror = (event) => {
        event.preventDefault();
        thread.fail(new Error(event.message));
      };
    }
    return thread;
  }

  /** Instantiates the kernels on `memory` in the worker and starts serving; resolves once it does. */
  attach(message: ToThread): Promise<void> {
    if (this.dead) return Promise.reject(this.dead);
    this.worker.keepAlive(true); // until it answers: a pending start must not let Node exit early
    return new Promise<void>((resolve, reject) => {
      this.reply = (answer) => {
        this.worker.keepAlive(false);
        if (answer.kind === "attached") resolve();
        else reject(new Error(answer.kind === "failed" ? answer.message : `unexpected ${answer.kind}`));
      };
      this.worker.post(message);
    });
  }

  private receive(message: FromThread): void {
    if (message.kind === "detached") {
      // back to the pool for the next network
      if (idle.length < MAX_THREADS) idle.push(this);
      else this.worker.terminate();
      return;
    }
    const reply = this.reply;
    this.reply = null;
    reply?.(message);
  }

  private fail(error: Error): void {
    this.dead = error;
    const index = idle.indexOf(this);
    if (index >= 0) idle.splice(index, 1);
    this.receive({ kind: "failed", message: error.message });
  }

  terminate(): void {
    this.worker.terminate();
  }
}

// ---- a network's threads ----

/**
 * Where tiles begin and end when a size (out's rows or columns, a layer's units) is cut in
 * proportion to `weights`, a tile each (tile t from bounds[t] to bounds[t+1]), at multiples of 4,
 * the kernel's micro-tile; a tile too small for one is empty.
 */
export function cutBy(size: number, weights: readonly number[]): number[] {
  const total = weights.reduce((sum, w) => sum + w, 0);
  const bounds = [0];
  let sum = 0;
  for (const weight of weights.slice(0, -1)) {
    sum += weight;
    bounds.push(Math.min(size, 4 * Math.round((size * sum) / total / 4)));
  }
  bounds.push(size);
  return bounds;
}

/**
 * Where the tiles of a job begin and end (cutBy) when `size` is cut into `tiles` tiles for threads
 * of these speeds: tile t for thread t, in proportion to their speeds, and if there are more tiles
 * than threads, settings.ownShare of the size in those and the rest in equal tail tiles.
 */
export function cutJob(size: number, speeds: readonly number[], tiles: number): number[] {
  const tail = tiles - speeds.length;
  if (tail <= 0) return cutBy(size, speeds);
  const own = settings.ownShare / speeds.reduce((sum, speed) => sum + speed, 0);
  return cutBy(size, [
    ...speeds.map((speed) => speed * own),
    ...new Array<number>(tail).fill((1 - settings.ownShare) / tail),
  ]);
}

/** Splits a network's large products and updates across its own thread and up to count − 1 workers. */
export class CoreThreads {
  private readonly control = new Int32Array(new SharedArrayBuffer(CONTROL_BYTES));
  private own: Kernels | null = null;
  private started = false;
  private stopped = false;
  private failures = 0;
  /** jobs (products and updates) split so far, and the tiles of them that workers did */
  jobs = 0;
  workerTiles = 0;
  /**
   * How fast each thread does its tile of a product, against this thread (speeds[0] = 1), learnt
   * from the products cut one tile per thread: a job is cut in these proportions, so that a thread
   * on a core that is slower, or shared with another process, gets less and nobody waits long.
   */
  readonly speeds: number[];

  /** `kernels`: the kernel-only module, compiled for a shared memory; `memory`: the network's */
  constructor(
    private readonly requested: number,
    private readonly memory: WebAssembly.Memory,
    private readonly kernels: WebAssembly.Module,
  ) {
    this.speeds = new Array<number>(requested).fill(1);
  }

  /** Threads computing the products: the network's own and its workers, less any that could not start. */
  get count(): number {
    return this.requested - this.failures;
  }

  /** The core's kernels, for the tiles this thread does. */
  bind(kernels: Kernels): void {
    this.own = kernels;
  }

  // count − 1 workers, from the pool where it has some, each on an instance of the kernels
  private startWorkers(): void {
    this.started = true;
    const control = this.control.buffer as SharedArrayBuffer;
    for (let thread = 1; thread < this.requested; thread++) {
      let worker: KernelThread;
      try {
        worker = idle.pop() ?? KernelThread.spawn();
      } catch {
        this.failures++; // workers cannot start here (a page's policy, say): fewer threads
        continue;
      }
      worker
        .attach({ module: this.kernels, memory: this.memory, control, thread, spinMs: settings.spinMs })
        .catch(() => {
          this.failures++;
          worker.terminate();
        });
    }
  }

  /**
   * assembly/threads.ts's import parallelProduct: out[m×n] = A·B cut into tiles of whole rows (if
   * `byRows`) or whole columns, a few per thread if it is large, each preceded by the task
   * `before` and followed by the task `then` on its rows or columns (unless NO_TASK); returns when
   * all are done: 1 if every task returned true, else 0.
   */
  readonly product = (
    aRows: number,
    a: number,
    lda: number,
    bRows: number,
    b: number,
    ldb: number,
    out: number,
    m: number,
    k: number,
    n: number,
    packing: number,
    stride: number,
    byRows: number,
    before: number,
    then: number,
    net: number,
    l: number,
    batch: number,
  ): number => {
    const wanted = Math.max(
      this.count,
      Math.min(this.count * settings.maxTilesPerThread, Math.floor((m * k * n) / settings.tileWork)),
    );
    const product = { aRows, a, lda, bRows, b, ldb, out, m, k, n, packing, stride, before, then, net, l, batch };
    const bounds = this.cut(byRows ? m : n, wanted);
    this.run(bounds.length - 1, () => openProduct(this.control, product, !byRows, bounds, this.count));
    this.learn(bounds);
    return Atomics.load(this.control, FALSE) ? 0 : 1;
  };

  /**
   * assembly/threads.ts's import parallelRows: assembly/rows.ts layerRows(task, net, l, …) over
   * rows 0 … size−1 (a layer's units for its update, cut as its products are; a batch's rows for
   * its activation), in a tile of rows per thread; returns 1 if every tile returned true, else 0.
   */
  readonly rows = (task: number, net: number, l: number, size: number): number => {
    const bounds = this.cut(size, this.count);
    this.run(bounds.length - 1, () => openRows(this.control, task, net, l, bounds, this.count));
    return Atomics.load(this.control, FALSE) ? 0 : 1;
  };

  private cut(size: number, wanted: number): number[] {
    return cutJob(size, this.speeds.slice(0, this.count), Math.min(wanted, MAX_TILES));
  }

  // After a product: each worker's speed nudged towards what would have made it finish its own
  // tile with this thread (a fifth of the way, on a log scale, and within 4× either way), from the
  // times each took for it; a worker that did not do its own tile, or had an empty one, teaches
  // nothing.
  private learn(bounds: readonly number[]): void {
    const own = ownTileTime(this.control, 0);
    if (!own || bounds[1] === 0) return;
    for (let t = 1; t < this.count; t++) {
      const time = ownTileTime(this.control, t);
      if (!time || bounds[t + 1] === bounds[t]) continue;
      const speed = this.speeds[t]! * (own / time) ** 0.2;
      this.speeds[t] = Math.min(4, Math.max(0.25, speed));
    }
  }

  // Opens a job of `tiles` tiles, does tiles of it until none is left, and returns when all are
  // done. If this thread's tile throws (a trap), the tiles not yet claimed are dropped and the
  // claimed ones waited for before it rethrows, so that no worker writes to the memory after the
  // call has returned.
  private run(tiles: number, open: () => number): void {
    const control = this.control;
    if (!this.started) this.startWorkers();
    this.jobs++;
    const job = open();
    Atomics.notify(control, TICKET);
    let own = 0;
    try {
      while (claimTile(control, this.own!, 0)) own++;
    } finally {
      const claimed = closeJob(control, job, tiles);
      this.workerTiles += claimed - own;
      let done = Atomics.load(control, DONE);
      const until = performance.now() + settings.ownerSpinMs;
      while (done < claimed && performance.now() < until) done = Atomics.load(control, DONE);
      while (done < claimed) {
        Atomics.wait(control, DONE, done);
        done = Atomics.load(control, DONE);
      }
    }
    if (Atomics.load(control, FAILED)) throw new Error("a thread of the network's core failed in its share of a job");
  }

  /** Sends the workers back to the pool (they drop the network's memory). */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    stopJobs(this.control);
    this.own = null;
  }
}
