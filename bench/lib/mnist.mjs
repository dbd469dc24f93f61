// The digits (examples/data/mnist.mjs, in its class-interleaved order), and rows as plain arrays
// for the libraries that take no typed arrays.
export { loadMnist as loadDigits } from "../../examples/data/mnist.mjs";

/** The first `count` rows of a row-major matrix as an array of plain arrays (brain.js, synaptic). */
export function rowsOf(matrix, cols, count) {
  return Array.from({ length: count }, (_, i) => Array.from(matrix.subarray(i * cols, (i + 1) * cols)));
}
