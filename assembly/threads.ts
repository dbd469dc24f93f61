// How a network's core shares work with its threads (src/backends/wasm/threads.ts): how many
// threads it has, the least work worth splitting, and the two imports that hand work to them.
// A core without threads (the default) never calls the imports.
//
// What is split: the products of at least parallelWork multiply-adds (matrix.ts product), by tiles
// of whole rows or whole columns, and what follows a product on the same block in the same tile:
// a layer's bias and activation after its forward product (network.ts layerForward), the first
// layer's dZ before its dW product and its weights' update after it (network.ts gradients;
// update.ts does the update as a job of rows when the gradients are clipped first). In training,
// a layer's products are split by its units (forward z = input · Wᵀ by z's columns, the larger
// side when the batch has fewer rows than the layer has units; backward dW = dZᵀ · input by dW's
// rows), and each thread takes its own tiles first: so a thread computes, updates and reads again
// the same rows of W and dW, which stay in its core's cache instead of crossing to the other core
// every batch. A batch of the MLP 784-128-10 is two jobs: the first layer's forward product and
// its dW product.

export let threads = 1;
export let parallelWork: i64 = 0;

// How a product is cut into tiles (matrix.ts product()'s `split`).
export const BY_LARGER = 0; // by out's rows if it has more rows than columns, else by its columns
export const BY_ROWS = 1;

// parallelProduct's `before` or `then` when its tiles do nothing before or after their block.
export const NO_TASK = -1;

// out[m×n] = A·B (matrix.ts product()'s arguments) split across the network's threads by tiles of
// out's rows (byRows) or of its columns; each tile runs rows.ts layerRows(before, net, l, …, batch)
// on its own rows or columns before its block and layerRows(then, …) after it, each unless it is
// NO_TASK. Returns when every tile is done: whether every task returned true.
@external("env", "parallelProduct")
export declare function parallelProduct(
  aRows: bool, a: usize, lda: i32, bRows: bool, b: usize, ldb: i32, out: usize, m: i32, k: i32, n: i32, packing: usize, packingStride: usize,
  byRows: bool, before: i32, then: i32, net: usize, l: i32, batch: i32,
): bool;

// rows.ts layerRows(task, net, l, from, to, 0) over rows 0 … size−1 (of the layer's weights or of
// the batch, as the task says) split across the network's threads; returns whether every part
// returned true.
@external("env", "parallelRows")
export declare function parallelRows(task: i32, net: usize, l: i32, size: i32): bool;

// Sets how many threads the core may use, and the least work (m·k·n multiply-adds) of a product
// split across them; before the first networkReserve, since the packing scratch is one per thread.
export function productThreads(count: i32, minimumWork: i32): void {
  threads = max(1, count);
  parallelWork = <i64>minimumWork;
}
