// Copies tsc's declarations (dist/**/*.d.ts) into dist/umd/, beside the UMD bundle and its
// package.json ("type": "commonjs"): there TypeScript reads them as the declarations of a
// CommonJS module, which is what `require("backprop-wasm")` loads. The ES module's own
// declarations, read as ESM, would make a CommonJS caller's import fail (TS1479).
import { copyFileSync, mkdirSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const dist = fileURLToPath(new URL("../dist/", import.meta.url));
let copied = 0;
for (const entry of readdirSync(dist, { recursive: true, withFileTypes: true })) {
  const from = join(entry.parentPath, entry.name);
  const path = from.slice(dist.length);
  if (!entry.isFile() || !entry.name.endsWith(".d.ts") || path.startsWith("umd")) continue;
  mkdirSync(dirname(join(dist, "umd", path)), { recursive: true });
  copyFileSync(from, join(dist, "umd", path));
  copied++;
}
console.log(`copied ${copied} declaration files to dist/umd/`);
