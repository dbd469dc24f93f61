// Row-major f64 matrix kernels on pointers into linear memory; no checks (the TypeScript wrapper
// validated every size). Element (i, j) of an r×c matrix m is at m + 8*(i*c + j).
// Twin: src/backends/js/matrix.ts.
//
// The three products compute out[i][j] = Σ_p A(i,p)·B(p,j) with the sum taken in the order
// p = 0, 1, …, k−1, one rounded product and one rounded add at a time: the SIMD lanes run across
// j, never across p, and Wasm SIMD has no fused multiply-add. Each element is therefore
// bit-identical to the naive triple loop, and to the JS twin.
//
// Products of more than SMALL multiply-adds follow Goto & van de Geijn, "Anatomy of
// high-performance matrix multiplication" (ACM TOMS 34(3), 2008), the scheme of BLIS:
//
//   for each NC-wide column block jc of out:
//     for each group of KC-deep slices (as many as fit in B_MAX = 1 MiB; all of them for the
//     MLP's 784×128 W):                B̃ ← B(slices.., jc..) in panels NR columns wide
//       for each MC-high row block ic, for each slice pc of the group:
//         Ã ← A(ic.., pc..) in panels MR rows high                                   (≤ 256 KiB, L2)
//         for each panel of B̃ (8 KiB, stays in L1), for each panel of Ã (8 KiB, from L2):
//           the MR×NR micro-tile of out (+)= Ã-panel · B̃-panel, in registers
//
// BLIS takes one slice of B̃ at a time for every row block; taking a row block through all
// the slices of a group instead keeps its tiles of out in cache from one slice to the next, which
// pays when out is large (predict on 10,000 rows: ~3%).
//
// A panel is stored p-major (panel[p][lane]), so the micro-kernel reads both operands with unit
// stride whatever the form; the forms differ only in how they pack (packTransposing reads across
// rows, packCopying along them). Sizes not divisible by MR or NR are zero-padded in the panels,
// and their partial micro-tiles go through a 4×4 edge tile.
//
// The packing scratch, [ Ã | B̃ | edge tile ], is one heap block of the network's (each network
// has an instance of the core of its own), at most MC·KC·8 + B_MAX + 128 bytes ≈ 1.25 MiB and
// as small as its products allow: networkReserve makes it large enough for every product of the
// batches it makes room for (packingReserve), so that a product never allocates and never fails.
//
// Threads (src/backends/wasm/threads.ts). A network created with threads > 1 runs this same code
// on a shared memory, and hands each product of at least `parallelWork` multiply-adds to
// JavaScript (parallelProduct), which splits out into tiles of whole rows or whole columns (as
// splitsByRows says); each tile is a productBlock, computed here or by a worker's instance of
// the kernel-only module (assembly/kernels.ts), with a packing scratch of its own. A tile is a
// product of its own of a block of A or of B, so each of its elements is still summed by one
// thread in the order above: the bits do not depend on the number of threads or on the tiling.
import { allocUninitialized, free } from "./memory";
import { threads, parallelWork, parallelProduct, BY_LARGER, BY_ROWS, NO_TASK } from "./threads";

const MR = 4; // micro-tile rows: 4 splats of A per p
const NR = 4; // micro-tile columns: 2 f64x2 of B per p
const KC = 256; // depth of a slice: an 8 KiB panel (KC·NR·8 bytes) of B̃ stays in L1
const MC = 128; // rows of Ã: MC·KC·8 = 256 KiB, in L2
const NC = 256; // columns of B̃: KC·NC·8 = 512 KiB
const B_MAX: usize = 1 << 20; // bytes of B̃ packed at once: several slices (784·128·8: the MLP's W whole)
// At most one 4×4×4 micro-tile of work: the ~40 ns fixed cost of packing would dominate
// (the seed network's 2×2 layers), so such products take the plain loop.
const SMALL: i64 = 64;

let packing: usize = 0; // threads × packingStride bytes: thread t packs at packing + t·packingStride
let packingBytes: usize = 0;
let packingStride: usize = 0;

// The packing scratch's layout for an m×k by k×n product: [ Ã | B̃ | 4×4 edge tile ], with the
// KC-deep slices of B̃ packed together as many as fit in B_MAX bytes.
// @ts-ignore: decorator
@inline function ncMaxOf(n: i32): i32 { return (min(NC, n) + NR - 1) & ~(NR - 1); }
// @ts-ignore: decorator
@inline function slicesOf(n: i32): i32 { return max(1, <i32>(B_MAX / (<usize>(KC * ncMaxOf(n)) << 3))); }
// @ts-ignore: decorator
@inline function aBytesOf(m: i32, k: i32): usize { return <usize>(((min(MC, m) + MR - 1) & ~(MR - 1)) * min(KC, k)) << 3; }
// @ts-ignore: decorator
@inline function bBytesOf(k: i32, n: i32): usize { return <usize>(min(k, slicesOf(n) * KC) * ncMaxOf(n)) << 3; }

// Bytes of packing scratch an m×k by k×n product needs (0 if it takes the plain loop); with
// threads, what any tile of it needs: a tile of fewer columns can pack more KC-deep slices of B̃
// at once than the whole product, up to B_MAX.
export function packingBytesFor(m: i32, k: i32, n: i32): usize {
  if (<i64>m * n * k <= SMALL) return 0;
  const bBytes = threads > 1 ? min(B_MAX, <usize>k * <usize>ncMaxOf(n) << 3) : bBytesOf(k, n);
  return aBytesOf(m, k) + bBytes + (<usize>(MR * NR) << 3);
}

// Makes the packing scratch hold at least `bytes` per thread; false, with nothing changed, if the
// memory cannot hold it.
export function packingReserve(bytes: usize): bool {
  if (bytes <= packingBytes) return true;
  const stride = (bytes + 15) & ~15;
  if (<u64>stride * <u64>threads > 0xffff_0000) return false;
  const block = allocUninitialized(stride * threads);
  if (block == 0) return false;
  free(packing);
  packing = block;
  packingBytes = bytes;
  packingStride = stride;
  return true;
}

// out[m×n] = a[m×k] · b[k×n]
export function matmul(a: usize, b: usize, out: usize, m: i32, k: i32, n: i32): void {
  product(a, true, k, b, false, n, out, m, k, n, BY_LARGER);
}

// out[m×n] = a[m×k] · b[n×k]ᵀ
export function matmulTransB(a: usize, b: usize, out: usize, m: i32, k: i32, n: i32): void {
  product(a, true, k, b, true, k, out, m, k, n, BY_LARGER);
}

// out[m×n] = a[k×m]ᵀ · b[k×n]
export function matmulTransA(a: usize, b: usize, out: usize, m: i32, k: i32, n: i32): void {
  product(a, false, m, b, false, n, out, m, k, n, BY_LARGER);
}

// matmulTransB, a layer's z = input · Wᵀ: if it is split across threads, each tile then runs
// rows.ts task `then` of layer l on its own rows or columns of z (network.ts layerForward).
// Returns what product() returns.
export function matmulTransBThen(a: usize, b: usize, out: usize, m: i32, k: i32, n: i32, then: i32, net: usize, l: i32): i32 {
  return product(a, true, k, b, true, k, out, m, k, n, BY_LARGER, NO_TASK, then, net, l, m);
}

// matmulTransA split across threads by out's rows: a layer's dW = dZᵀ · input, each thread the
// units of its tiles (threads.ts), running rows.ts task `before` of layer l on them first (the
// layer's dZ on those units) and `then` after (its update). Returns what product() returns.
export function matmulTransAByRowsThen(a: usize, b: usize, out: usize, m: i32, k: i32, n: i32, before: i32, then: i32, net: usize, l: i32): i32 {
  return product(a, false, m, b, false, n, out, m, k, n, BY_ROWS, before, then, net, l, k);
}

// out[m×n] (rows ldo apart) = A·B for A [m×k] and B [k×n] stored as rows (lda and ldb apart),
// without packing: each element summed over p = 0 … k−1 in order from 0, one rounded product
// and one rounded add at a time, as the packed kernels sum it, so the same bits; two columns at
// a time. For a small product a tile runs on its own columns before its block (network.ts
// backwardLayerUnits).
export function plainProduct(a: usize, lda: i32, b: usize, ldb: i32, out: usize, ldo: i32, m: i32, k: i32, n: i32): void {
  const bStride = <usize>ldb << 3;
  for (let i = 0; i < m; i++) {
    const row = a + ((<usize>i * <usize>lda) << 3), o = out + ((<usize>i * <usize>ldo) << 3);
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      let sum = f64x2.splat(0), x = row, y = b + (<usize>j << 3);
      for (let p = 0; p < k; p++) {
        sum = f64x2.add(sum, f64x2.mul(v128.load64_splat(x), v128.load(y)));
        x += 8;
        y += bStride;
      }
      v128.store(o + (<usize>j << 3), sum);
    }
    if (j < n) {
      let sum = 0.0, x = row, y = b + (<usize>j << 3);
      for (let p = 0; p < k; p++) {
        sum += load<f64>(x) * load<f64>(y);
        x += 8;
        y += bStride;
      }
      store<f64>(o + (<usize>j << 3), sum);
    }
  }
}

// out[m×n] = A·B where A(i,p) is a[i*lda + p] if aRows (A stored as rows), else a[p*lda + i];
// B(p,j) is b[j*ldb + p] if bRows (Bᵀ stored as rows), else b[p*ldb + j]. With threads, split
// as `split` says (threads.ts), each tile then running rows.ts task `then` of layer l on its rows
// or columns (and, before its block, task `before`; `batch`: the batch's rows, for the tasks);
// returns NOT_SPLIT, or if it was split whether every tile's tasks returned true.
function product(
  a: usize, aRows: bool, lda: i32, b: usize, bRows: bool, ldb: i32, out: usize, m: i32, k: i32, n: i32,
  split: i32, before: i32 = NO_TASK, then: i32 = NO_TASK, net: usize = 0, l: i32 = 0, batch: i32 = 0,
): i32 {
  const aStride = <usize>lda << 3, bStride = <usize>ldb << 3;
  if (<i64>m * n * k <= SMALL) {
    smallProduct(a, aRows ? aStride : 8, aRows ? 8 : aStride, b, bRows ? 8 : bStride, bRows ? bStride : 8, out, m, k, n);
  } else if (splitsProduct(m, k, n)) {
    const byRows = splitsByRows(m, n, split);
    return parallelProduct(aRows, a, lda, bRows, b, ldb, out, m, k, n, packing, packingStride, byRows, before, then, net, l, batch) ? ALL_TRUE : NOT_ALL_TRUE;
  } else {
    packedProduct(a, aRows, aStride, b, bRows, bStride, out, <usize>n << 3, m, k, n, packing);
  }
  return NOT_SPLIT;
}

// What product() returns: it was not split (a task to follow it is the caller's), or it was and
// every tile's task returned true, or one did not.
export const NOT_SPLIT = -1;
export const NOT_ALL_TRUE = 0;
export const ALL_TRUE = 1;

// Whether a product of out[m×n] = A[m×k]·B[k×n] is split across the network's threads.
// @ts-ignore: decorator
@inline export function splitsProduct(m: i32, k: i32, n: i32): bool {
  const work = <i64>m * n * k;
  return work > SMALL && threads > 1 && work >= parallelWork;
}

// Whether a split product of out[m×n] is cut into tiles of out's rows, else of its columns: by
// the larger side unless `split` says BY_ROWS, so that each tile packs its own block of the larger
// operand and all of the smaller.
// @ts-ignore: decorator
@inline export function splitsByRows(m: i32, n: i32, split: i32): bool {
  return split == BY_ROWS || m > n;
}

// One tile of a product split across threads (parallelProduct): out[m×n], its rows ldo apart, =
// A·B with A and B as product() reads them, packed in the scratch at `scratch`. Also the
// kernel-only module's one export (assembly/kernels.ts).
export function productBlock(
  aRows: bool, a: usize, lda: i32, bRows: bool, b: usize, ldb: i32, out: usize, ldo: i32, m: i32, k: i32, n: i32, scratch: usize,
): void {
  packedProduct(a, aRows, <usize>lda << 3, b, bRows, <usize>ldb << 3, out, <usize>ldo << 3, m, k, n, scratch);
}

// product() by blocks of packed panels (the scheme at the top of this file), out's rows outStride bytes apart
function packedProduct(
  a: usize, aRows: bool, aStride: usize, b: usize, bRows: bool, bStride: usize, out: usize, outStride: usize, m: i32, k: i32, n: i32, scratch: usize,
): void {
  const slices = slicesOf(n);
  const packedA = scratch, packedB = scratch + aBytesOf(m, k), edge = packedB + bBytesOf(k, n);
  for (let jc = 0; jc < n; jc += NC) {
    const nb = min(NC, n - jc);
    const sliceStep = <usize>((nb + NR - 1) >> 2) << 5; // bytes of B̃ per unit of depth: its panels × 4 lanes × 8
    for (let ks = 0; ks < k; ks += slices * KC) {
      const kEnd = min(k, ks + slices * KC);
      for (let pc = ks; pc < kEnd; pc += KC) {
        const kb = min(KC, kEnd - pc), slice = packedB + <usize>(pc - ks) * sliceStep;
        if (bRows) packTransposing(b + <usize>jc * bStride + (<usize>pc << 3), bStride, nb, kb, slice);
        else packCopying(b + <usize>pc * bStride + (<usize>jc << 3), bStride, nb, kb, slice);
      }
      for (let ic = 0; ic < m; ic += MC) {
        const mb = min(MC, m - ic);
        const tile = out + <usize>ic * outStride + (<usize>jc << 3);
        for (let pc = ks; pc < kEnd; pc += KC) {
          const kb = min(KC, kEnd - pc);
          if (aRows) packTransposing(a + <usize>ic * aStride + (<usize>pc << 3), aStride, mb, kb, packedA);
          else packCopying(a + <usize>pc * aStride + (<usize>ic << 3), aStride, mb, kb, packedA);
          blockProduct(packedA, packedB + <usize>(pc - ks) * sliceStep, mb, nb, kb, tile, outStride, pc > 0, edge);
        }
      }
    }
  }
}

// out[i][j] = Σ_p A(i,p)·B(p,j) with A(i,p) at a + i*ai + p*ap and B(p,j) at b + p*bp + j*bj (bytes)
function smallProduct(a: usize, ai: usize, ap: usize, b: usize, bp: usize, bj: usize, out: usize, m: i32, k: i32, n: i32): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let x = a + <usize>i * ai, y = b + <usize>j * bj;
      let sum = 0.0;
      for (let p = 0; p < k; p++) {
        sum += load<f64>(x) * load<f64>(y);
        x += ap;
        y += bp;
      }
      store<f64>(out, sum);
      out += 8;
    }
  }
}

// panel[p][l] = src[(4q + l)*stride + p] for panels q of 4 lanes: the lanes are rows of src, so
// this transposes, two p at a time with f64x2 shuffles; missing lanes are zero.
function packTransposing(src: usize, stride: usize, lanes: i32, depth: i32, panel: usize): void {
  const pairsEnd = <usize>(depth & ~1) << 3;
  for (let q = 0; q < lanes; q += 4) {
    const row0 = src + <usize>q * stride;
    if (lanes - q < 4) {
      panel = packPartial(row0, stride, 8, lanes - q, depth, panel);
      continue;
    }
    const row1 = row0 + stride, row2 = row1 + stride, row3 = row2 + stride;
    let at: usize = 0;
    for (; at < pairsEnd; at += 16) {
      const v0 = v128.load(row0 + at), v1 = v128.load(row1 + at);
      const v2 = v128.load(row2 + at), v3 = v128.load(row3 + at);
      v128.store(panel, v128.shuffle<f64>(v0, v1, 0, 2)); // p:   rows 0, 1
      v128.store(panel, v128.shuffle<f64>(v2, v3, 0, 2), 16); // p:   rows 2, 3
      v128.store(panel, v128.shuffle<f64>(v0, v1, 1, 3), 32); // p+1: rows 0, 1
      v128.store(panel, v128.shuffle<f64>(v2, v3, 1, 3), 48); // p+1: rows 2, 3
      panel += 64;
    }
    if (depth & 1) {
      store<f64>(panel, load<f64>(row0 + at));
      store<f64>(panel, load<f64>(row1 + at), 8);
      store<f64>(panel, load<f64>(row2 + at), 16);
      store<f64>(panel, load<f64>(row3 + at), 24);
      panel += 32;
    }
  }
}

// panel[p][l] = src[p*stride + 4q + l] for panels q of 4 lanes: the lanes are adjacent in a row
// of src, so this copies; two panels at a time, so that each row gives a whole 64-byte line.
// Missing lanes are zero.
function packCopying(src: usize, stride: usize, lanes: i32, depth: i32, panel: usize): void {
  const panelBytes = <usize>depth << 5;
  let q = 0;
  for (; q + 8 <= lanes; q += 8) {
    let from = src + (<usize>q << 3), to = panel;
    const end = panel + panelBytes;
    while (to < end) {
      v128.store(to, v128.load(from));
      v128.store(to, v128.load(from, 16), 16);
      v128.store(to + panelBytes, v128.load(from, 32));
      v128.store(to + panelBytes, v128.load(from, 48), 16);
      from += stride;
      to += 32;
    }
    panel += 2 * panelBytes;
  }
  if (q + 4 <= lanes) {
    let from = src + (<usize>q << 3);
    for (let p = 0; p < depth; p++) {
      v128.store(panel, v128.load(from));
      v128.store(panel, v128.load(from, 16), 16);
      from += stride;
      panel += 32;
    }
    q += 4;
  }
  if (q < lanes) packPartial(src + (<usize>q << 3), 8, stride, lanes - q, depth, panel);
}

// The last panel when fewer than 4 lanes remain: panel[p][l] = src[l*laneStride + p*depthStride]
// for l < lanes, 0 beyond. Returns the end of the panel.
function packPartial(src: usize, laneStride: usize, depthStride: usize, lanes: i32, depth: i32, panel: usize): usize {
  for (let p = 0; p < depth; p++) {
    for (let l = 0; l < 4; l++) {
      store<f64>(panel, l < lanes ? load<f64>(src + <usize>l * laneStride + <usize>p * depthStride) : 0.0);
      panel += 8;
    }
  }
  return panel;
}

// out[mb×nb] (+)= Ã·B̃ over packed panels of depth kb; accumulate adds to out (slices after the
// first), continuing each element's sum in order.
function blockProduct(packedA: usize, packedB: usize, mb: i32, nb: i32, kb: i32, out: usize, outStride: usize, accumulate: bool, edge: usize): void {
  const panelBytes = <usize>kb << 5; // kb × 4 lanes × 8 bytes
  for (let j = 0; j < nb; j += NR) {
    const panelB = packedB + <usize>(j >> 2) * panelBytes;
    const cols = min(NR, nb - j);
    for (let i = 0; i < mb; i += MR) {
      const panelA = packedA + <usize>(i >> 2) * panelBytes;
      const tileOut = out + <usize>i * outStride + (<usize>j << 3);
      const rows = min(MR, mb - i);
      if (rows == MR && cols == NR) {
        microTile(panelA, panelB, kb, tileOut, outStride, accumulate);
        continue;
      }
      // a partial tile: computed whole in `edge` (4×4, 32-byte rows), its valid part copied out
      // (by loads and stores: a worker's instance checks memory.copy against the memory's size
      // when it last saw it, which another thread may have grown since)
      if (accumulate) for (let r = 0; r < rows; r++) copyRow(edge + (<usize>r << 5), tileOut + <usize>r * outStride, cols);
      microTile(panelA, panelB, kb, edge, 32, accumulate);
      for (let r = 0; r < rows; r++) copyRow(tileOut + <usize>r * outStride, edge + (<usize>r << 5), cols);
    }
  }
}

// @ts-ignore: decorator
@inline function copyRow(to: usize, from: usize, count: i32): void {
  for (let c = 0; c < count; c++) store<f64>(to + (<usize>c << 3), load<f64>(from + (<usize>c << 3)));
}

// The 4×4 micro-tile: c[r][0..3] (+)= Σ_p panelA[p][r] · panelB[p][0..3], rows as 2 f64x2.
// 8 accumulators + 6 loaded vectors + 1 product fill the 15 xmm registers V8 allocates; TurboFan
// schedules a loop body's loads first, so a larger tile or an unrolled loop spills (measured:
// 11–14 GFLOP/s instead of 22). Inlined: as a call it loses ~10%.
// @ts-ignore: decorator
@inline function microTile(panelA: usize, panelB: usize, kb: i32, c: usize, stride: usize, accumulate: bool): void {
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0), c10 = f64x2.splat(0), c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0), c30 = f64x2.splat(0), c31 = f64x2.splat(0);
  if (accumulate) {
    c00 = v128.load(c); c01 = v128.load(c, 16);
    c10 = v128.load(c + stride); c11 = v128.load(c + stride, 16);
    c20 = v128.load(c + 2 * stride); c21 = v128.load(c + 2 * stride, 16);
    c30 = v128.load(c + 3 * stride); c31 = v128.load(c + 3 * stride, 16);
  }
  let a = panelA, b = panelB;
  const end = panelA + (<usize>kb << 5);
  while (a < end) {
    const b0 = v128.load(b), b1 = v128.load(b, 16);
    let x = v128.load64_splat(a);
    c00 = f64x2.add(c00, f64x2.mul(x, b0)); c01 = f64x2.add(c01, f64x2.mul(x, b1));
    x = v128.load64_splat(a, 8);
    c10 = f64x2.add(c10, f64x2.mul(x, b0)); c11 = f64x2.add(c11, f64x2.mul(x, b1));
    x = v128.load64_splat(a, 16);
    c20 = f64x2.add(c20, f64x2.mul(x, b0)); c21 = f64x2.add(c21, f64x2.mul(x, b1));
    x = v128.load64_splat(a, 24);
    c30 = f64x2.add(c30, f64x2.mul(x, b0)); c31 = f64x2.add(c31, f64x2.mul(x, b1));
    a += 32;
    b += 32;
  }
  v128.store(c, c00); v128.store(c, c01, 16); c += stride;
  v128.store(c, c10); v128.store(c, c11, 16); c += stride;
  v128.store(c, c20); v128.store(c, c21, 16); c += stride;
  v128.store(c, c30); v128.store(c, c31, 16);
}

// z[rows×cols] += b (the bias row added to every row)
export function addBias(z: usize, b: usize, rows: i32, cols: i32): void {
  for (let i = 0; i < rows; i++) {
    const row = z + (<usize>(i * cols) << 3);
    for (let j = 0; j < cols; j++) {
      const p = row + (<usize>j << 3);
      store<f64>(p, load<f64>(p) + load<f64>(b + (<usize>j << 3)));
    }
  }
}

// out[cols] = Σ_i d[i][·]  (dE/db: the bias feeds every row of the batch)
export function sumRows(d: usize, out: usize, rows: i32, cols: i32): void {
  memory.fill(out, 0, <usize>cols << 3);
  for (let i = 0; i < rows; i++) {
    const row = d + (<usize>(i * cols) << 3);
    for (let j = 0; j < cols; j++) {
      const p = out + (<usize>j << 3);
      store<f64>(p, load<f64>(p) + load<f64>(row + (<usize>j << 3)));
    }
  }
}
