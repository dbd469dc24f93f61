// The core's memory. Each network has an instance of the core, and so a memory, of its own
// (src/backends/wasm/core.ts), and owns every block of its heap:
//
//   static data │ Network header ─► layer table ─► parameters [W1 b1 W2 b2 …]  (f64, row-major)
//               │                                  gradients   [dW1 dB1 dW2 dB2 …] (same layout)
//               │                                  scratch     [z a dZ per layer] × capacity rows
//               │                                  batch       x [rows×inputs], y [rows×outputs]
//               │ optimizer state · data sets · the order of an epoch's rows · the
//               │ products' packing scratch (matrix.ts)
//
// A network holds a dozen blocks at most, so the heap is a list of free blocks in address order,
// searched for the best fit and merged with their neighbours when freed. `alloc` returns 0 instead of trapping
// when a block cannot be had (the memory cannot grow to hold it): JavaScript then reports a
// CapacityError and the network is left as it was, since every caller allocates before it frees.
//
//   block: [ size: u32 │ next free: u32 │ 8 unused ][ payload: size bytes, 16-byte aligned ]
//
// JavaScript reads and writes the blocks through Float64Array views on the memory; growing
// the memory replaces its buffer, so views are re-made after calls that can allocate.

const HEADER: usize = 16;
const MIN_PAYLOAD: usize = 16;
const PAGE: usize = 65536;
// the largest request: its payload and header, rounded, stay below 2³² (a wasm32 address)
const MAX_REQUEST: usize = 0xffff_0000;

let heapEnd: usize = 0; // end of the memory the heap manages; 0 until the first alloc
let freeList: usize = 0; // payload address of the lowest free block, 0 if none

// @ts-ignore: decorator
@inline function sizeOf(block: usize): usize {
  return load<u32>(block - HEADER);
}

// @ts-ignore: decorator
@inline function setSize(block: usize, size: usize): void {
  store<u32>(block - HEADER, <u32>size);
}

// @ts-ignore: decorator
@inline function nextOf(block: usize): usize {
  return load<u32>(block - HEADER, 4);
}

// @ts-ignore: decorator
@inline function setNext(block: usize, next: usize): void {
  store<u32>(block - HEADER, <u32>next, 4);
}

// Puts the region [block − HEADER, block + size) on the free list, merged with a free
// neighbour on either side.
function release(block: usize, size: usize): void {
  let prev: usize = 0, next = freeList;
  while (next != 0 && next < block) {
    prev = next;
    next = nextOf(next);
  }
  setSize(block, size);
  setNext(block, next);
  if (next != 0 && block + size + HEADER == next) {
    setSize(block, size + HEADER + sizeOf(next));
    setNext(block, nextOf(next));
  }
  if (prev == 0) {
    freeList = block;
  } else if (prev + sizeOf(prev) + HEADER == block) {
    setSize(prev, sizeOf(prev) + HEADER + sizeOf(block));
    setNext(prev, nextOf(block));
  } else {
    setNext(prev, block);
  }
}

// Grows the memory so that a free block of `size` bytes exists; false if it cannot.
function grow(size: usize): bool {
  if (heapEnd == 0) heapEnd = (__heap_base + HEADER - 1) & ~(HEADER - 1);
  // a free block that ends at heapEnd is extended rather than followed by a new one
  let tail: usize = 0;
  for (let block = freeList; block != 0; block = nextOf(block)) {
    if (block + sizeOf(block) == heapEnd) tail = sizeOf(block) + HEADER;
  }
  const memoryEnd = <u64>memory.size() << 16;
  const needed = <u64>heapEnd + <u64>(size + HEADER) - <u64>tail; // the new heap end
  if (needed > memoryEnd) {
    const pages = (needed - memoryEnd + <u64>(PAGE - 1)) >> 16;
    if (memory.grow(<i32>pages) < 0) return false;
  }
  const end = <usize>min<u64>(<u64>memory.size() << 16, 0xffff_fff0);
  if (end - heapEnd >= HEADER + MIN_PAYLOAD) release(heapEnd + HEADER, end - heapEnd - HEADER);
  heapEnd = end;
  return true;
}

// A block of at least `bytes` bytes, 16-byte aligned, its contents undefined; 0 if the memory
// cannot hold it. Best fit: the smallest free block that holds it (the lowest of equals), so that
// a small block does not take the front of a large hole a large one could reuse.
export function allocUninitialized(bytes: usize): usize {
  if (bytes > MAX_REQUEST) return 0;
  const size = max(MIN_PAYLOAD, (bytes + 15) & ~15);
  for (let attempt = 0; attempt < 2; attempt++) {
    let best: usize = 0, bestPrev: usize = 0;
    for (let prev: usize = 0, block = freeList; block != 0; prev = block, block = nextOf(block)) {
      const have = sizeOf(block);
      if (have >= size && (best == 0 || have < sizeOf(best))) {
        best = block;
        bestPrev = prev;
      }
    }
    if (best != 0) {
      const have = sizeOf(best);
      let next = nextOf(best);
      if (have - size >= HEADER + MIN_PAYLOAD) {
        const rest = best + size + HEADER;
        setSize(rest, have - size - HEADER);
        setNext(rest, next);
        setSize(best, size);
        next = rest;
      }
      if (bestPrev == 0) freeList = next;
      else setNext(bestPrev, next);
      return best;
    }
    if (!grow(size)) return 0;
  }
  return 0; // not reached: after a successful grow the block fits
}

// A zero-filled block of at least `bytes` bytes, 16-byte aligned; 0 if the memory cannot hold it.
export function alloc(bytes: usize): usize {
  const block = allocUninitialized(bytes);
  if (block != 0) memory.fill(block, 0, bytes);
  return block;
}

// A zero-filled block of `count` f64s; 0 if the memory cannot hold it. The count is 64-bit,
// so that a product of sizes cannot wrap before it is checked.
export function allocValues(count: u64): usize {
  return count > <u64>(MAX_REQUEST >> 3) ? 0 : alloc(<usize>count << 3);
}

// allocValues for a block the caller fills at once (not zeroed)
export function allocValuesUninitialized(count: u64): usize {
  return count > <u64>(MAX_REQUEST >> 3) ? 0 : allocUninitialized(<usize>count << 3);
}

export function free(block: usize): void {
  if (block != 0) release(block, sizeOf(block));
}

// to[0..n) = from[0..n) for f64s, two at a time (memory.copy is a call out of the module in V8,
// and most of what the core copies is short)
// @ts-ignore: decorator
@inline export function copyValues(to: usize, from: usize, n: i32): void {
  let i = 0;
  for (; i + 2 <= n; i += 2) v128.store(to + (<usize>i << 3), v128.load(from + (<usize>i << 3)));
  if (i < n) store<f64>(to + (<usize>i << 3), load<f64>(from + (<usize>i << 3)));
}
