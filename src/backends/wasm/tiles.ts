// How work is shared between a network's threads: the control block all of them read, the
// tiles, and the loop a worker thread runs. Imported by threads.ts (the network's side) and
// thread-worker.ts (the workers'), so both read the block the same way.
//
// A job is a product (assembly/matrix.ts) cut into tiles of whole rows or whole columns of out,
// each computed by productBlock as a product of its own, so every element of out is summed by one
// thread in the kernel's order, with, if the job says, a task of assembly/rows.ts layerRows on
// the tile's rows or columns before it (the first layer's dZ) and one after it (a layer's bias
// and activation on its block of z, or its update on its rows of W); or a task of layerRows
// alone, cut into tiles of rows: rows of a layer's weights for its update, rows of the batch for
// its bias and activation.
//
// The control block is a SharedArrayBuffer of its own, apart from the network's memory:
//
//   TICKET  (job << 12) | tiles not yet claimed; a thread takes the right to one tile by
//           compare-and-exchange, then reads the job's description, which cannot change while a
//           tile of it is unfinished (the network writes the next job only once DONE says all
//           the claimed ones are done). Workers sleep on TICKET; a new job changes it.
//   DONE    tiles finished (or failed) in this job; the network sleeps on it
//   STOP    1: the workers return (the network was disposed)
//   FAILED  1: a worker's tile threw
//   FALSE   1: a tile of an update task returned false (a new value was not finite)
//   then the job: what to do, where each tile begins and ends, a claim flag per tile, and how
//   long each thread took for its own tile (threads.ts cuts the next jobs by these times).
//
// Which tile: tile t is thread t's own, and it takes that first, then the tail tiles (a large
// product has some after the threads' own), then what is left of the others' own. So a thread
// gets the same rows of a layer's W and dW in its forward product and in its dW product (which
// takes the update too), batch after batch, as long as all threads keep up (both are cut alike:
// by the layer's units and the threads' speeds).

import { MAX_THREADS } from "../../threads.js";

export const TICKET = 0;
export const DONE = 1;
export const STOP = 2;
export const FAILED = 3;
export const FALSE = 4;
const KIND = 5,
  TILES = 6,
  THREADS = 7;
// a product's
const A_ROWS = 8,
  A = 9,
  LDA = 10,
  B_ROWS = 11,
  B = 12,
  LDB = 13,
  OUT = 14,
  M = 15,
  K = 16,
  N = 17,
  PACKING = 18,
  STRIDE = 19,
  SPLIT_COLUMNS = 20;
// a rows job's task, or a product's tasks before and after each tile's block (NO_TASK: none), and
// the batch's rows for them
const TASK = 21,
  NET = 22,
  LAYER = 23,
  BEFORE = 24,
  BATCH = 25;
/** A job has at most this many tiles. */
export const MAX_TILES = 64;
// tile t is rows or columns BOUNDS[t] … BOUNDS[t+1]−1; a claim flag per tile; the nanoseconds each
// thread took for its own tile (0 if it did not do it)
const BOUNDS = 26,
  CLAIMS = BOUNDS + MAX_TILES + 1,
  TIMES = CLAIMS + MAX_TILES;
export const CONTROL_BYTES = 4 * (TIMES + MAX_THREADS);
const PRODUCT = 0,
  ROWS = 1;
const TILE_BITS = 0xfff; // TICKET's tiles not yet claimed
const JOBS = 0x7ffff; // job numbers wrap within 19 bits, so that TICKET stays a positive Int32

/** assembly/matrix.ts productBlock: out (rows ldo apart) = A·B on pointers, with the packing scratch at `scratch`. */
export type ProductBlock = (
  aRows: number,
  a: number,
  lda: number,
  bRows: number,
  b: number,
  ldb: number,
  out: number,
  ldo: number,
  m: number,
  k: number,
  n: number,
  scratch: number,
) => void;

/**
 * assembly/rows.ts layerRows: task on rows (or units) from … to−1 of layer l, whose batch has
 * `batch` rows; 0 if a new value was not finite.
 */
export type LayerRows = (task: number, net: number, l: number, from: number, to: number, batch: number) => number;

/** The exports a thread runs its tiles with: its instance of the kernel-only module, or the core's. */
export interface Kernels {
  productBlock: ProductBlock;
  layerRows: LayerRows;
}

/** assembly/threads.ts NO_TASK: no task before (or after) a product's tiles' blocks. */
export const NO_TASK = -1;

/** A product as assembly/matrix.ts hands it over (parallelProduct), with the tasks its tiles run before and after it. */
export interface Product {
  aRows: number;
  a: number;
  lda: number;
  bRows: number;
  b: number;
  ldb: number;
  out: number;
  m: number;
  k: number;
  n: number;
  packing: number;
  stride: number;
  /** layerRows(before, net, l, …, batch) and layerRows(then, …) on each tile's rows or columns, before and after its block */
  before: number;
  then: number;
  net: number;
  l: number;
  batch: number;
}

/**
 * Writes a product's job and opens its tiles: out cut into tiles of columns (if `splitColumns`) or
 * rows where `bounds` says. Called only when no tile of the previous job is unfinished.
 */
export function openProduct(
  control: Int32Array,
  p: Product,
  splitColumns: boolean,
  bounds: ArrayLike<number>,
  threads: number,
): number {
  control[KIND] = PRODUCT;
  control[A_ROWS] = p.aRows;
  control[A] = p.a;
  control[LDA] = p.lda;
  control[B_ROWS] = p.bRows;
  control[B] = p.b;
  control[LDB] = p.ldb;
  control[OUT] = p.out;
  control[M] = p.m;
  control[K] = p.k;
  control[N] = p.n;
  control[PACKING] = p.packing;
  control[STRIDE] = p.stride;
  control[SPLIT_COLUMNS] = splitColumns ? 1 : 0;
  control[BEFORE] = p.before;
  control[TASK] = p.then;
  control[NET] = p.net;
  control[LAYER] = p.l;
  control[BATCH] = p.batch;
  return open(control, bounds, threads);
}

/** Writes an update task's job (layerRows on rows of layer `layer`'s weights) and opens its tiles. */
export function openRows(
  control: Int32Array,
  task: number,
  net: number,
  layer: number,
  bounds: ArrayLike<number>,
  threads: number,
): number {
  control[KIND] = ROWS;
  control[TASK] = task;
  control[NET] = net;
  control[LAYER] = layer;
  return open(control, bounds, threads);
}

// `bounds`: tile t is BOUNDS[t] … BOUNDS[t+1]−1
function open(control: Int32Array, bounds: ArrayLike<number>, threads: number): number {
  const tiles = bounds.length - 1;
  control[TILES] = tiles;
  control[THREADS] = threads;
  for (let t = 0; t <= tiles; t++) control[BOUNDS + t] = bounds[t]!;
  for (let t = 0; t < tiles; t++) Atomics.store(control, CLAIMS + t, 0);
  for (let t = 0; t < threads; t++) Atomics.store(control, TIMES + t, 0);
  Atomics.store(control, DONE, 0);
  Atomics.store(control, FAILED, 0);
  Atomics.store(control, FALSE, 0);
  const job = ((Atomics.load(control, TICKET) >>> 12) + 1) & JOBS;
  Atomics.store(control, TICKET, (job << 12) | tiles);
  return job;
}

/** Closes the job to further claims; returns how many of its tiles were claimed. */
export function closeJob(control: Int32Array, job: number, tiles: number): number {
  const ticket = Atomics.exchange(control, TICKET, job << 12);
  return tiles - (ticket & TILE_BITS);
}

/** Sets STOP and changes TICKET, so that no worker sleeps through it. */
export function stopJobs(control: Int32Array): void {
  Atomics.store(control, STOP, 1);
  Atomics.store(control, TICKET, (((Atomics.load(control, TICKET) >>> 12) + 1) & JOBS) << 12);
  Atomics.notify(control, TICKET);
}

/** Claims a tile of the current job and does it; false if none was left. */
export function claimTile(control: Int32Array, kernels: Kernels, thread: number): boolean {
  for (;;) {
    const ticket = Atomics.load(control, TICKET);
    const left = ticket & TILE_BITS;
    if (left === 0) return false;
    if (Atomics.compareExchange(control, TICKET, ticket, ticket - 1) !== ticket) continue;
    let failed = true;
    try {
      const tile = pickTile(control, thread);
      const started = performance.now();
      runTile(control, kernels, tile, thread);
      if (tile === thread && thread < MAX_THREADS)
        Atomics.store(control, TIMES + thread, Math.min(0x7fffffff, Math.round((performance.now() - started) * 1e6)));
      failed = false;
    } finally {
      // FAILED before DONE: whoever sees the last tile done sees the failure too
      if (failed) Atomics.store(control, FAILED, 1);
      Atomics.add(control, DONE, 1);
      Atomics.notify(control, DONE);
    }
    return true;
  }
}

// The tile a thread holding the right to one takes: its own (tile t for thread t) first, then the
// tail tiles in order, then another thread's own tile, the last first (that thread is late, or has
// not started). There is one: as many rights are given as the job has tiles, and each takes one.
function pickTile(c: Int32Array, thread: number): number {
  const tiles = c[TILES]!,
    threads = c[THREADS]!;
  const claim = (t: number) => Atomics.compareExchange(c, CLAIMS + t, 0, 1) === 0;
  if (thread < threads && claim(thread)) return thread;
  for (let t = threads; t < tiles; t++) if (claim(t)) return t;
  for (let t = threads - 1; t >= 0; t--) if (claim(t)) return t;
  throw new Error("a thread holding a tile's right found none unclaimed");
}

/** How long (ns) thread `thread` took for its own tile (tile t for thread t) of the last job; 0 if it did not do it. */
export function ownTileTime(control: Int32Array, thread: number): number {
  return Atomics.load(control, TIMES + thread);
}

// Tile `tile` of the current job, in thread `thread`'s packing scratch. Pointers are unsigned
// 32-bit addresses, kept as Int32 in the block (>>> 0 reads them back).
function runTile(c: Int32Array, kernels: Kernels, tile: number, thread: number): void {
  const from = c[BOUNDS + tile]!,
    size = c[BOUNDS + tile + 1]! - from;
  if (size === 0) return; // a thread's tile of a job too small to give it one
  if (c[KIND] === ROWS) {
    if (!kernels.layerRows(c[TASK]!, c[NET]! >>> 0, c[LAYER]!, from, from + size, 0)) Atomics.store(c, FALSE, 1);
    return;
  }
  const aRows = c[A_ROWS]!,
    a = c[A]! >>> 0,
    lda = c[LDA]!,
    bRows = c[B_ROWS]!,
    b = c[B]! >>> 0,
    ldb = c[LDB]!;
  const out = c[OUT]! >>> 0,
    m = c[M]!,
    k = c[K]!,
    n = c[N]!;
  const scratch = (c[PACKING]! >>> 0) + thread * (c[STRIDE]! >>> 0);
  const net = c[NET]! >>> 0,
    l = c[LAYER]!,
    batch = c[BATCH]!,
    before = c[BEFORE]!,
    then = c[TASK]!;
  if (before !== NO_TASK) kernels.layerRows(before, net, l, from, from + size, batch);
  const block = kernels.productBlock;
  if (c[SPLIT_COLUMNS]) {
    // columns from … from+cols−1: B(p, from + j), at b + 8·((from + j)·ldb + p) if stored as rows of Bᵀ
    const bFrom = bRows ? b + 8 * from * ldb : b + 8 * from;
    block(aRows, a, lda, bRows, bFrom, ldb, out + 8 * from, n, m, k, size, scratch);
  } else {
    // rows from … from+rows−1: A(from + i, p), at a + 8·((from + i)·lda + p) if stored as rows
    const aFrom = aRows ? a + 8 * from * lda : a + 8 * from;
    block(aRows, aFrom, lda, bRows, b, ldb, out + 8 * from * n, n, size, k, n, scratch);
  }
  if (then !== NO_TASK && !kernels.layerRows(then, net, l, from, from + size, batch)) Atomics.store(c, FALSE, 1);
}

/**
 * A worker's loop: claims and does tiles as jobs come, sleeps between them (after `spinMs` of
 * watching for the next one, since the jobs of a batch follow each other closely), and returns
 * when STOP is set. A tile that throws is counted done and flagged in FAILED, so that the network
 * never waits for it.
 */
export function serve(control: Int32Array, kernels: Kernels, thread: number, spinMs: number): void {
  for (;;) {
    if (Atomics.load(control, STOP)) return;
    const ticket = Atomics.load(control, TICKET);
    if ((ticket & TILE_BITS) > 0) {
      try {
        claimTile(control, kernels, thread);
      } catch {
        // flagged in FAILED; the network reports it
      }
      continue;
    }
    const until = performance.now() + spinMs;
    while (Atomics.load(control, TICKET) === ticket && performance.now() < until);
    Atomics.wait(control, TICKET, ticket);
  }
}
