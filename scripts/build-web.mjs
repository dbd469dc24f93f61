// Builds the playground and the seed walk-through (web/) into web/dist/, a static site that
// works on any static host and opened from disk. Chromium will not run type="module" scripts,
// nor scripts fetched in CORS mode (crossorigin), from file:// pages, so each page is built on
// its own as one classic script, loaded with `defer` in place of Vite's module tag. The
// training worker needs no file: the package starts it from a Blob.
import { rmSync } from "node:fs";
import { build } from "vite";

const root = new URL("../web/", import.meta.url).pathname;
const outDir = new URL("dist/", `file://${root}`).pathname;
const PAGES = ["index", "seed"];

/** Vite's `<script type="module" crossorigin src>` and `<link … crossorigin>` as classic tags. */
const classicScripts = {
  name: "classic-scripts",
  enforce: "post",
  transformIndexHtml: (html) =>
    html
      .replace(/<script type="module" crossorigin (src="[^"]+")><\/script>/g, "<script defer $1></script>")
      .replace(/ crossorigin(?=[ >])/g, ""),
};

rmSync(outDir, { recursive: true, force: true });
for (const page of PAGES) {
  await build({
    configFile: new URL("vite.config.ts", `file://${root}`).pathname,
    logLevel: "warn",
    plugins: [classicScripts],
    build: {
      outDir,
      emptyOutDir: false,
      modulePreload: false,
      cssCodeSplit: false,
      rolldownOptions: {
        input: { [page]: `${root}${page}.html` },
        output: {
          format: "iife",
          entryFileNames: `assets/${page}-[hash].js`,
          assetFileNames: "assets/[name]-[hash][extname]",
        },
      },
    },
  });
}
console.log(`built web/dist/ (${PAGES.map((p) => `${p}.html`).join(", ")})`);
