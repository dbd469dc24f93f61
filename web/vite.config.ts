// The playground and the seed walk-through, served by `npm run demo` (vite web) and built by
// scripts/build-web.mjs. Both pages use the package as a user would: "backprop-wasm" is the
// built bundle, dist/backprop-wasm.js (`npm run build:bundle` makes it).
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

// Cross-origin isolation (COOP + COEP): only an isolated page has SharedArrayBuffer, and so a
// network with threads; the playground's training worker then uses every core. A page opened
// from disk is not isolated and trains on one thread.
const isolated = { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" };

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "./",
  resolve: {
    alias: { "backprop-wasm": fileURLToPath(new URL("../dist/backprop-wasm.js", import.meta.url)) },
  },
  server: { host: "localhost", headers: isolated },
  preview: { headers: isolated },
});
