// How a product is shared between a network's threads: the control block both sides read, the
// tiles, and the loop a worker thread runs. Imported by threads.ts (the network's side) and
// thread-worker.ts (the workers'), so both read the block the same way.
//
// The control block is a SharedArrayBuffer of its own, apart from the network's memory:
//
//   TICKET  (job << 12) | tiles not yet claimed; a thread claims the last unclaimed tile by
//           compare-and-exchange, then reads the job's description, which cannot change while a
//           tile of it is unfinished (the network writes the next job only once DONE says all
//           the claimed ones are done). Workers sleep on TICKET; a new job changes it.
//   DONE    tiles finished (or failed) in this job; the network sleeps on it
//   STOP    1: the workers return (the network was disposed)
//   FAILED  1: a worker's tile threw
//   then the job: the product's arguments (assembly/matrix.ts product) and its tiling.
//
// A tile is a whole block of out's rows or of its columns, computed by productBlock as a product
// of its own, so every element of out is summed by one thread in the kernel's order.

export const TICKET = 0;
export const DONE = 1;
export const STOP = 2;
export const FAILED = 3;
const A_ROWS = 4,
  A = 5,
  LDA = 6,
  B_ROWS = 7,
  B = 8,
  LDB = 9,
  OUT = 10,
  M = 11,
  K = 12,
  N = 13;
const PACKING = 14,
  STRIDE = 15,
  SPLIT_COLUMNS = 16,
  TILE = 17;
export const CONTROL_BYTES = 4 * 18;

/** A job has at most this many tiles (the bits of TICKET below the job number). */
export const MAX_TILES = 0xfff;
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

/** A product as assembly/matrix.ts hands it over (parallelProduct). */
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
}

/**
 * Writes the job and opens its tiles: out split into `tiles` blocks of `tile` columns (if
 * `splitColumns`) or rows. Called only when no tile of the previous job is unfinished.
 */
export function openJob(control: Int32Array, p: Product, splitColumns: boolean, tile: number, tiles: number): number {
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
  control[TILE] = tile;
  Atomics.store(control, DONE, 0);
  Atomics.store(control, FAILED, 0);
  const job = ((Atomics.load(control, TICKET) >>> 12) + 1) & JOBS;
  Atomics.store(control, TICKET, (job << 12) | tiles);
  return job;
}

/** Closes the job to further claims; returns how many of its tiles were claimed. */
export function closeJob(control: Int32Array, job: number, tiles: number): number {
  const ticket = Atomics.exchange(control, TICKET, job << 12);
  return tiles - (ticket & MAX_TILES);
}

/** Sets STOP and changes TICKET, so that no worker sleeps through it. */
export function stopJobs(control: Int32Array): void {
  Atomics.store(control, STOP, 1);
  Atomics.store(control, TICKET, (((Atomics.load(control, TICKET) >>> 12) + 1) & JOBS) << 12);
  Atomics.notify(control, TICKET);
}

/** Claims an unclaimed tile of the current job and computes it; false if none was left. */
export function claimTile(control: Int32Array, block: ProductBlock, thread: number): boolean {
  for (;;) {
    const ticket = Atomics.load(control, TICKET);
    const left = ticket & MAX_TILES;
    if (left === 0) return false;
    if (Atomics.compareExchange(control, TICKET, ticket, ticket - 1) !== ticket) continue;
    let failed = true;
    try {
      runTile(control, block, left - 1, thread);
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

// Tile `tile` of the current job, in thread `thread`'s packing scratch. Pointers are unsigned
// 32-bit addresses, kept as Int32 in the block (>>> 0 reads them back).
function runTile(c: Int32Array, block: ProductBlock, tile: number, thread: number): void {
  const aRows = c[A_ROWS]!,
    a = c[A]! >>> 0,
    lda = c[LDA]!,
    bRows = c[B_ROWS]!,
    b = c[B]! >>> 0,
    ldb = c[LDB]!;
  const out = c[OUT]! >>> 0,
    m = c[M]!,
    k = c[K]!,
    n = c[N]!,
    size = c[TILE]!;
  const scratch = (c[PACKING]! >>> 0) + thread * (c[STRIDE]! >>> 0);
  const from = tile * size;
  if (c[SPLIT_COLUMNS]) {
    // columns from … from+cols−1: B(p, from + j), at b + 8·((from + j)·ldb + p) if stored as rows of Bᵀ
    const bFrom = bRows ? b + 8 * from * ldb : b + 8 * from;
    block(aRows, a, lda, bRows, bFrom, ldb, out + 8 * from, n, m, k, Math.min(size, n - from), scratch);
  } else {
    // rows from … from+rows−1: A(from + i, p), at a + 8·((from + i)·lda + p) if stored as rows
    const aFrom = aRows ? a + 8 * from * lda : a + 8 * from;
    block(aRows, aFrom, lda, bRows, b, ldb, out + 8 * from * n, n, Math.min(size, m - from), k, n, scratch);
  }
}

/**
 * A worker's loop: claims and computes tiles as jobs come, sleeps between them (after `spinMs`
 * of watching for the next one, since the products of a batch follow each other closely), and
 * returns when STOP is set. A tile that throws is counted done and flagged in FAILED, so that the
 * network never waits for it.
 */
export function serve(control: Int32Array, block: ProductBlock, thread: number, spinMs: number): void {
  for (;;) {
    if (Atomics.load(control, STOP)) return;
    const ticket = Atomics.load(control, TICKET);
    if ((ticket & MAX_TILES) > 0) {
      try {
        claimTile(control, block, thread);
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
