// What a network's work takes in memory, counted in exact arithmetic before anything reaches a
// backend. Sizes are JavaScript numbers, exact integers below 2⁵³; every product here is of
// sizes already bounded far below that, so none can wrap as a 32-bit count would. Both backends
// keep the same limits, so that a program runs unchanged on either.
import { CapacityError } from "./errors.js";
import type { Plan } from "./plan.js";

/** The largest network: 2²⁶ parameters, 512 MiB of float64 (3 GiB with gradients and Adam's state). */
export const MAX_PARAMETERS = 2 ** 26;

/**
 * A network's memory: the most a wasm32 memory addresses, 65,536 pages of 64 KiB. A network with
 * threads has a shared memory of the same maximum (an engine reserves address space for the
 * maximum of every memory, shared or not, so a smaller one would buy nothing).
 */
export const MEMORY_LIMIT = 2 ** 32;

// the core's static data, its blocks' headers and the products' packing scratch (≤ 1.25 MiB)
const RESERVED_BYTES = 2 ** 21;

/** The packing scratch of each thread beyond the first (assembly/matrix.ts: MC·KC·8 + B_MAX + the edge tile, rounded to 16). */
export const THREAD_PACKING_BYTES = 128 * 256 * 8 + 2 ** 20 + 128;

/** predict, loss and evaluate run in chunks of rows whose batch memory is at most this. */
export const CHUNK_BYTES = 2 ** 24;

/** fit holds its data in a network's memory up to this size, and streams larger data batch by batch. */
export const RESIDENT_DATA_BYTES = 2 ** 30;

/** number[][] results (predict, oneHot, …) of at most this much JavaScript heap, estimated as 8·rows·(cols + 8). */
export const MAX_RESULT_BYTES = 2 ** 31;

/** Bytes of the network itself: its parameters, their gradients, a record per layer, and a packing scratch per thread beyond the first. */
export function networkBytes(plan: Plan): number {
  return 16 * plan.paramCount + 64 * plan.layers.length + (plan.threads - 1) * THREAD_PACKING_BYTES;
}

/** Bytes of an optimizer's state and the spare it writes the next state into: `values` per parameter each. */
export function optimizerBytes(plan: Plan, values: number): number {
  return 2 * 8 * values * plan.paramCount;
}

/** Bytes of the batch block for `rows`: x, y and every layer's z, a and dE/dz (and a dropout layer's mask and dropped outputs). */
export function batchBytes(plan: Plan, rows: number): number {
  const units = plan.layers.reduce((sum, layer) => sum + layer.units * (layer.dropout > 0 ? 5 : 3), 0);
  return 8 * rows * (plan.inputs + plan.outputs + units);
}

/** Bytes of a data set of `rows` held in a network's memory. */
export function dataBytes(plan: Plan, rows: number): number {
  return 8 * rows * (plan.inputs + plan.outputs);
}

/** Bytes of the order of an epoch's rows. */
export function orderBytes(rows: number): number {
  return 4 * rows;
}

/** Rows per chunk of predict, loss and evaluate: as many as CHUNK_BYTES of batch memory hold, at least one. */
export function chunkRows(plan: Plan): number {
  return Math.max(1, Math.floor(CHUNK_BYTES / batchBytes(plan, 1)));
}

const GiB = 2 ** 30;

/** "12,884,901,888 bytes (12 GiB)" */
export function formatBytes(bytes: number): string {
  const readable = bytes >= GiB ? `${+(bytes / GiB).toPrecision(3)} GiB` : `${+(bytes / 2 ** 20).toPrecision(3)} MiB`;
  return `${bytes.toLocaleString("en-US")} bytes (${readable})`;
}

/** The bytes a request needs a network's memory to hold at once, by what they are for. */
export interface MemoryParts {
  network: number;
  optimizer?: number;
  batch: number;
  order?: number;
}

/**
 * Throws a CapacityError unless the parts fit in a network's memory.
 * @param what names the request in the message (a function: it is worded only if it fails)
 */
export function checkMemory(what: () => string, parts: MemoryParts): void {
  const bytes = parts.network + (parts.optimizer ?? 0) + parts.batch + (parts.order ?? 0);
  if (bytes + RESERVED_BYTES <= MEMORY_LIMIT) return;
  const listed = Object.entries(parts)
    .filter(([, part]) => part > 0)
    .map(([name, part]) => `${name} ${formatBytes(part)}`)
    .join(", ");
  throw new CapacityError(
    `${what()} needs ${formatBytes(bytes)} of memory (${listed}); a network holds at most ${formatBytes(MEMORY_LIMIT - RESERVED_BYTES)}`,
    { bytes, limit: MEMORY_LIMIT - RESERVED_BYTES },
  );
}

/** Throws a CapacityError if rows×cols numbers are too many for number[][] arrays. */
export function checkResultSize(what: string, rows: number, cols: number): void {
  const bytes = 8 * rows * (cols + 8);
  if (bytes <= MAX_RESULT_BYTES) return;
  throw new CapacityError(
    `${what} would be ${rows.toLocaleString("en-US")} rows of ${cols.toLocaleString("en-US")} numbers, about ` +
      `${formatBytes(bytes)} of JavaScript arrays; the limit is ${formatBytes(MAX_RESULT_BYTES)}: ask for fewer rows at a time`,
    { bytes, limit: MAX_RESULT_BYTES },
  );
}
