// The same module with its imported memory declared shared, for the threads of a network
// (threads.ts): a module imports a shared memory only if it declares it shared, with a maximum
// (a mismatch is a LinkError), and that is the one difference. So a threaded network runs the very
// bytes of the one-thread core, not a second compilation of its sources, and what does not
// depend on the products is the same code by construction.
//
// The binary format (WebAssembly Core Specification 2.0, §5.5): after the 8-byte header, sections
// of [id: byte][size: u32 LEB128][contents]; the import section (id 2) is a vector of
// [module: name][field: name][kind: byte][description], where a memory's description (kind 2) is
// its limits: 0x00 min, 0x01 min max, or 0x03 min max for a shared memory.

const IMPORT_SECTION = 2;
const MEMORY = 2;

function readU32(bytes: Uint8Array, at: number): [value: number, end: number] {
  let value = 0;
  for (let shift = 0; ; shift += 7) {
    const byte = bytes[at++]!;
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [value, at];
  }
}

function writeU32(value: number): number[] {
  const out: number[] = [];
  do {
    const byte = value % 128;
    value = Math.floor(value / 128);
    out.push(value > 0 ? byte | 0x80 : byte);
  } while (value > 0);
  return out;
}

/** The module's bytes with its one imported memory shared and `maximumPages` at most. */
export function withSharedMemory(module: Uint8Array, maximumPages: number): Uint8Array {
  let at = 8;
  while (at < module.length) {
    const id = module[at]!;
    const [size, start] = readU32(module, at + 1);
    if (id !== IMPORT_SECTION) {
      at = start + size;
      continue;
    }
    let [count, p] = readU32(module, start);
    for (; count > 0; count--) {
      for (let name = 0; name < 2; name++) {
        const [length, text] = readU32(module, p);
        p = text + length;
      }
      const kind = module[p++]!;
      if (kind !== MEMORY) {
        // a function (type index), a table (reference type, limits) or a global (type, mutability)
        if (kind === 0) p = readU32(module, p)[1];
        else if (kind === 1) p = skipLimits(module, p + 1);
        else p += 2;
        continue;
      }
      const limitsEnd = skipLimits(module, p);
      const [minimum] = readU32(module, p + 1);
      const limits = [0x03, ...writeU32(minimum), ...writeU32(maximumPages)];
      const contents = [...module.subarray(start, p), ...limits, ...module.subarray(limitsEnd, start + size)];
      return Uint8Array.from([
        ...module.subarray(0, at),
        IMPORT_SECTION,
        ...writeU32(contents.length),
        ...contents,
        ...module.subarray(start + size),
      ]);
    }
    break;
  }
  throw new Error("the core's module imports no memory");
}

function skipLimits(bytes: Uint8Array, at: number): number {
  const flags = bytes[at]!;
  let p = readU32(bytes, at + 1)[1];
  if (flags & 1) p = readU32(bytes, p)[1];
  return p;
}
