// The kernel-only module that a network's threads run (src/backends/wasm/threads.ts): tiles of
// the products (matrix.ts productBlock) and rows of a layer's update (update.ts layerRows) on
// pointers into a memory shared with the network's instance of the core, which owns every block
// in it. Nothing else: no allocator, no static data and no data segments (each instance would
// write its segments into the shared memory again when it starts; scripts/embed-wasm.mjs checks
// that there are none), and no bulk memory operations.
export { productBlock } from "./matrix";
export { layerRows } from "./update";
