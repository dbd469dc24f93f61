// The kernel-only module that a network's threads run (src/backends/wasm/threads.ts): tiles of
// the products (matrix.ts productBlock) and the tasks of rows.ts layerRows (a layer's update, its
// bias and activation, the first layer's dZ) on pointers into a memory shared with the
// network's instance of the core, which owns every block in it. Nothing else: no allocator, no
// globals, no memory.grow, and no bulk memory operations (memory.copy in a worker trapped out of
// bounds after the network's thread grew the memory: the worker's instance learns of the growth
// late, and a bulk operation checks against the size it knows). Each instance writes the
// module's data segments into the memory again when it starts, so its only data are constant
// tables (e^x's) that the core holds at the same addresses, byte for byte: writing them again
// writes what is there (scripts/embed-wasm.mjs checks it).
export { productBlock } from "./matrix";
export { layerRows } from "./rows";
