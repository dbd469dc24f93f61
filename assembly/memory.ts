// The core's memory. Every network owns blocks from AssemblyScript's TLSF heap:
//
//   Network header ─► layer table ─► parameters [W1 b1 W2 b2 …]  (f64, row-major)
//                                   gradients   [dW1 dB1 dW2 dB2 …] (same layout)
//                                   scratch     [z a dZ per layer] × capacity rows
//                                   batch       x [rows×inputs], y [rows×outputs]
//
// JavaScript reads and writes these blocks through Float64Array views on the exported
// memory; a block that grows may move the whole buffer, so views are re-made after calls.

// A zero-filled block of `bytes` bytes, 16-byte aligned (TLSF's alignment).
export function alloc(bytes: usize): usize {
  const ptr = heap.alloc(bytes);
  memory.fill(ptr, 0, bytes);
  return ptr;
}

// A block whose contents the caller overwrites at once (no zero-filling).
export function allocUninitialized(bytes: usize): usize {
  return heap.alloc(bytes);
}

export function free(ptr: usize): void {
  if (ptr != 0) heap.free(ptr);
}

// to[0..n) = from[0..n) for f64s, two at a time (memory.copy is a call out of the module in V8,
// and most of what the core copies is short)
// @ts-ignore: decorator
@inline export function copyValues(to: usize, from: usize, n: i32): void {
  let i = 0;
  for (; i + 2 <= n; i += 2) v128.store(to + (<usize>i << 3), v128.load(from + (<usize>i << 3)));
  if (i < n) store<f64>(to + (<usize>i << 3), load<f64>(from + (<usize>i << 3)));
}
