// The backends every spec runs against, and the comparisons the specs share.
import { Network, type BackendKind, type NetworkSpec } from "../src/index.js";

export const BACKENDS: { name: BackendKind; create: (spec: Omit<NetworkSpec, "backend">) => Promise<Network> }[] = [
  { name: "wasm", create: (spec) => Network.create({ ...spec, backend: "wasm" }) },
  { name: "js", create: (spec) => Network.create({ ...spec, backend: "js" }) },
];

/** max |a − b| / max(max |a|, max |b|): a norm-wise relative difference of two lists. */
export function relativeDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} and ${b.length}`);
  let diff = 0,
    scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(a[i]!), Math.abs(b[i]!));
  }
  return scale === 0 ? diff : diff / scale;
}

/** Every number of a nested structure of arrays and objects, in order. */
export function flat(value: unknown): number[] {
  if (typeof value === "number") return [value];
  if (Array.isArray(value) || ArrayBuffer.isView(value)) return Array.from(value as ArrayLike<unknown>).flatMap(flat);
  if (value && typeof value === "object") return Object.values(value).flatMap(flat);
  return [];
}

/** A seeded stream of uniform numbers for test data (a plain LCG, independent of the library's generator). */
export function testRandom(seed: number): (lo?: number, hi?: number) => number {
  let s = seed >>> 0;
  return (lo = -1, hi = 1) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return lo + ((hi - lo) * s) / 4294967296;
  };
}

export function randomMatrix(rows: number, cols: number, next: () => number): number[][] {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => next()));
}

/** Bytes of the memory of a Wasm network's core (reached through private fields: tests only). */
export function wasmMemoryBytes(net: Network): number {
  const backend = (net as unknown as { backendRef: { core: { memory: WebAssembly.Memory } } }).backendRef;
  return backend.core.memory.buffer.byteLength;
}
