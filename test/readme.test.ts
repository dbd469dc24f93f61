// Every ```js snippet of the README runs as pasted: each is saved as a file of its own in a new
// project whose node_modules/backprop-wasm is this package (a link to the repository, so its
// package.json "exports" decide what is loaded, as for an installed copy), and run with node.
// A snippet must define what it uses. Another package it imports (onnxruntime-node, say, which
// the README tells the reader to install) is linked into that project from this repository's
// node_modules. Marks, on the line above the fence:
//   <!-- snippet: commonjs -->          saved as .cjs and run with --no-experimental-require-module,
//                                       so that require() must find the package's CommonJS entry
//   <!-- snippet: skip, <reason> -->    not run; the reason is required
// Every ```html snippet is opened from disk (file://) in Chromium and must log without errors.
import { execFile } from "node:child_process";
import { access, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, skipBrowser } from "./web-helpers.js";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("..", import.meta.url));

interface Snippet {
  language: "js" | "html";
  code: string;
  /** the README's line of the opening fence, from 1 */
  line: number;
  /** the heading the snippet is under */
  section: string;
  mark: { kind: "commonjs" } | { kind: "skip"; reason: string } | null;
}

/** The README's ```js and ```html blocks, each with the mark on the line above it, if any. */
function snippets(readme: string): Snippet[] {
  const lines = readme.split("\n");
  const found: Snippet[] = [];
  let section = "";
  for (let i = 0; i < lines.length; i++) {
    const heading = /^#+\s+(.*)/.exec(lines[i]!);
    if (heading) section = heading[1]!;
    const fence = /^```(\w*)\s*$/.exec(lines[i]!);
    if (!fence) continue;
    const end = lines.indexOf("```", i + 1);
    if (end < 0) throw new Error(`README.md:${i + 1}: a fence that is never closed`);
    const language = fence[1];
    if (language === "js" || language === "html") {
      const above =
        lines
          .slice(0, i)
          .reverse()
          .find((l) => l.trim() !== "") ?? "";
      const mark = /^<!--\s*snippet:\s*(commonjs|skip)\s*(?:,\s*(.*?))?\s*-->$/.exec(above.trim());
      if (/snippet:/.test(above) && !mark) throw new Error(`README.md:${i}: a snippet mark not understood: ${above}`);
      const reason = mark?.[2] ?? "";
      if (mark?.[1] === "skip" && reason.length < 10) throw new Error(`README.md:${i}: a skipped snippet must say why`);
      found.push({
        language,
        code: lines.slice(i + 1, end).join("\n"),
        line: i + 1,
        section,
        mark: mark ? (mark[1] === "skip" ? { kind: "skip", reason } : { kind: "commonjs" }) : null,
      });
    }
    i = end;
  }
  return found;
}

/** The packages a snippet imports by name, other than this one and Node's own: "pkg" or "@scope/pkg". */
function otherPackages(code: string): string[] {
  const names = [...code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)["']([^"'./][^"']*)["']/g)].map(
    (m) => m[1]!,
  );
  const packages = names.map((n) =>
    n
      .split("/")
      .slice(0, n.startsWith("@") ? 2 : 1)
      .join("/"),
  );
  return [...new Set(packages)].filter(
    (p) => p !== "backprop-wasm" && !p.startsWith("node:") && !builtinModules.includes(p),
  );
}

/** Links a package the README asks for from this repository's node_modules into `project`, once. */
async function linkPackage(project: string, name: string): Promise<void> {
  const target = join(project, "node_modules", name);
  try {
    await access(target);
    return;
  } catch {}
  await mkdir(join(target, ".."), { recursive: true });
  await symlink(join(ROOT, "node_modules", name), target, "dir");
}

const readme = await readFile(join(ROOT, "README.md"), "utf8");
const all = snippets(readme);

describe("the README's snippets, as pasted", () => {
  let project: string;

  beforeAll(async () => {
    project = await mkdtemp(join(tmpdir(), "backprop-readme-"));
    await mkdir(join(project, "node_modules"));
    await symlink(ROOT, join(project, "node_modules", "backprop-wasm"), "dir");
  });

  afterAll(async () => {
    if (project) await rm(project, { recursive: true, force: true });
  });

  it("are found, and import the package by its name", () => {
    const js = all.filter((s) => s.language === "js");
    expect(js.length).toBeGreaterThanOrEqual(4);
    for (const s of js.filter((s) => s.mark?.kind !== "skip"))
      expect(s.code, `README.md:${s.line}`).toMatch(/["']backprop-wasm["']/);
  });

  const TFJS_NODE_NOTICE = /\n=+\nHi, looks like you are running TensorFlow\.js in Node\.js\.[\s\S]*?=+\n/;
  for (const [n, snippet] of all.entries()) {
    if (snippet.language !== "js") continue;
    const title = `README.md:${snippet.line} (${snippet.section})${snippet.mark ? `, ${snippet.mark.kind}` : ""}`;
    if (snippet.mark?.kind === "skip") {
      it.skip(`${title}: ${snippet.mark.reason}`, () => {});
      continue;
    }
    it(`${title} runs with node and exits cleanly`, async () => {
      for (const name of otherPackages(snippet.code)) await linkPackage(project, name);
      const commonjs = snippet.mark?.kind === "commonjs";
      const file = join(project, `snippet-${n}.${commonjs ? "cjs" : "mjs"}`);
      await writeFile(file, `${snippet.code}\n`);
      const flags = commonjs ? ["--no-experimental-require-module"] : [];
      const { stdout, stderr } = await run(process.execPath, [...flags, file], { cwd: project, timeout: 120_000 });
      // TensorFlow.js prints, on its first use in Node, that its native package would be faster
      expect(stderr.replace(TFJS_NODE_NOTICE, "")).toBe("");
      // the first example says what it prints: predictions ≈ [[0], [1], [1], [0]]
      if (/≈ \[\[0\], \[1\], \[1\], \[0\]\]/.test(snippet.code)) {
        const printed = stdout
          .match(/-?\d+(?:\.\d+)?(?:e-?\d+)?/g)!
          .slice(0, 4)
          .map(Number);
        expect(printed.map(Math.round)).toEqual([0, 1, 1, 0]);
      }
    }, 130_000);
  }
});

describe.skipIf(skipBrowser)("the README's page snippets, opened from disk in Chromium", () => {
  const pages = all.filter((s) => s.language === "html" && s.mark?.kind !== "skip");
  for (const s of all.filter((s) => s.language === "html" && s.mark?.kind === "skip"))
    it.skip(`README.md:${s.line} (${s.section}): ${(s.mark as { reason: string }).reason}`, () => {});
  let project: string;
  let browser: Awaited<ReturnType<typeof launchChromium>>;

  beforeAll(async () => {
    project = await mkdtemp(join(tmpdir(), "backprop-readme-page-"));
    await mkdir(join(project, "node_modules"));
    await symlink(ROOT, join(project, "node_modules", "backprop-wasm"), "dir");
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    if (project) await rm(project, { recursive: true, force: true });
  });

  it("there is one", () => expect(pages.length).toBeGreaterThanOrEqual(1));

  for (const [n, snippet] of pages.entries()) {
    it(`README.md:${snippet.line} (${snippet.section}) logs its result and no error`, async () => {
      const file = join(project, `page-${n}.html`);
      await writeFile(file, snippet.code);
      const page = await browser.context.newPage();
      const logs: string[] = [];
      const errors: string[] = [];
      page.on("console", (m) => (m.type() === "error" ? errors : logs).push(m.text()));
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(pathToFileURL(file).href);
      await expect.poll(() => logs.length + errors.length, { timeout: 20_000 }).toBeGreaterThan(0);
      expect(errors).toEqual([]);
      await page.close();
    });
  }
});
