// The `threads` option of a network: how many threads its Wasm core may use for the matrix
// products (src/backends/wasm/threads.ts). Checked here, with the spec; how many it gets depends
// on where it runs (net.threads).
import { describe } from "./errors.js";

/** The most threads a network may ask for. */
export const MAX_THREADS = 16;

declare const process: { getBuiltinModule?(id: string): unknown } | undefined;

/** The cores of this machine as the engine reports them (os.availableParallelism in Node, navigator.hardwareConcurrency in browsers), at least 1. */
export function coreCount(): number {
  const os =
    typeof process === "object"
      ? (process?.getBuiltinModule?.("node:os") as { availableParallelism?(): number; cpus(): unknown[] } | undefined)
      : undefined;
  if (os) return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  return Math.max(
    1,
    (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1,
  );
}

/** The thread count a spec asks for: an integer from 1 to MAX_THREADS, or "auto" (the cores, at most MAX_THREADS); default 1. */
export function threadCount(value: unknown): number {
  if (value === undefined) return 1;
  if (value === "auto") return Math.min(MAX_THREADS, coreCount());
  if (typeof value !== "number")
    throw new TypeError(`threads is ${describe(value)}; expected an integer from 1 to ${MAX_THREADS}, or "auto"`);
  if (!Number.isInteger(value) || value < 1 || value > MAX_THREADS)
    throw new RangeError(`threads is ${value}; expected an integer from 1 to ${MAX_THREADS}, or "auto"`);
  return value;
}
