// Bundles the `backprop` command (src/cli/main.ts) with rolldown into dist/cli.js: one ES module
// for Node with Papa Parse inside it, that imports the library from its own bundle beside it
// (./backprop-wasm.js, made by build-bundle.mjs) and nothing else but Node's modules. So the
// package still depends on nothing, the library's code is shipped once, and the browser bundle
// holds none of the command's code.
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { rolldown } from "rolldown";

const root = new URL("..", import.meta.url);
const path = (relative) => new URL(relative, root).pathname;
const LIBRARY = path("src/index.ts");

const NOTICE =
  "/*! backprop-wasm (MIT) | the backprop command | bundles Papa Parse 5 (MIT, https://github.com/mholt/PapaParse) */";

// the command reaches the library only through its public surface, src/index.ts: at run time, the bundle
const library = {
  name: "library-bundle",
  async resolveId(source, importer) {
    if (!importer) return null;
    const resolved = await this.resolve(source, importer, { skipSelf: true });
    if (resolved?.id === LIBRARY) return { id: "./backprop-wasm.js", external: true };
    return null;
  },
};

const build = await rolldown({
  input: path("src/cli/main.ts"),
  platform: "node",
  plugins: [library],
  logLevel: "warn",
});
try {
  const { output } = await build.generate({ format: "esm", banner: `#!/usr/bin/env node\n${NOTICE}` });
  if (output.length !== 1) throw new Error(`src/cli/main.ts: expected one chunk, got ${output.length}`);
  const code = output[0].code;
  if (!code.includes('from "./backprop-wasm.js"')) throw new Error("dist/cli.js does not import the library bundle");
  mkdirSync(path("dist"), { recursive: true });
  writeFileSync(path("dist/cli.js"), code);
  chmodSync(path("dist/cli.js"), 0o755);
  console.log(`bundled dist/cli.js (${code.length} bytes)`);
} finally {
  await build.close();
}
