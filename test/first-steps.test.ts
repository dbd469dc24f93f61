// A newcomer's first steps, as the README tells them: a new project made by `npm init -y` (which
// writes "type": "commonjs"), the packed tarball installed into it, and the README's first
// example run each way the README names, in Node and in TypeScript. The CommonJS way runs with
// --no-experimental-require-module: require() must find the package's CommonJS entry, as on the
// Node versions (20.16–20.18) that cannot require an ES module.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const exec = promisify(execFile);
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const TSC = join(ROOT, "node_modules", "typescript", "bin", "tsc");

/** The first ```js block after `heading`, and the one marked `<!-- snippet: commonjs -->`. */
async function readmeExamples(): Promise<{ first: string; commonjs: string }> {
  const readme = await readFile(join(ROOT, "README.md"), "utf8");
  const block = (from: number) => {
    const start = readme.indexOf("```js\n", from) + 6;
    return readme.slice(start, readme.indexOf("\n```", start));
  };
  const marked = readme.indexOf("<!-- snippet: commonjs -->");
  expect(marked).toBeGreaterThan(0);
  return { first: block(readme.indexOf("## A first example")), commonjs: block(marked) };
}

/** Runs node; resolves to its exit code and output, whether it failed or not. */
async function node(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, args, { cwd, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const failed = e as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** The four numbers the first example prints, rounded: XOR learnt. */
const xor = (stdout: string) =>
  stdout
    .match(/\d+(?:\.\d+)?(?:e-\d+)?/g)!
    .slice(0, 4)
    .map((v) => Math.round(Number(v)));

describe("the first example in a project made by npm init", () => {
  let project: string;
  let examples: { first: string; commonjs: string };

  beforeAll(async () => {
    examples = await readmeExamples();
    project = await mkdtemp(join(tmpdir(), "backprop-first-steps-"));
    const { stdout } = await exec("npm", ["pack", "--json", "--pack-destination", project], { cwd: ROOT });
    const [{ filename }] = JSON.parse(stdout) as [{ filename: string }];
    await exec("npm", ["init", "-y"], { cwd: project });
    await exec("npm", ["install", "--offline", "--no-audit", "--no-fund", join(project, filename)], { cwd: project });
  }, 180_000);

  afterAll(async () => {
    if (project) await rm(project, { recursive: true, force: true });
  });

  it("npm init writes type commonjs, so a .js file with the example stops at its import, as the README says", async () => {
    expect(JSON.parse(await readFile(join(project, "package.json"), "utf8")).type).toBe("commonjs");
    await writeFile(join(project, "first.js"), examples.first);
    const run = await node(["first.js"], project);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain("Cannot use import statement outside a module");
  });

  it("saved as first.mjs, it runs and learns XOR", async () => {
    await writeFile(join(project, "first.mjs"), examples.first);
    const run = await node(["first.mjs"], project);
    expect(run.stderr).toBe("");
    expect(xor(run.stdout)).toEqual([0, 1, 1, 0]);
  });

  it('in a package with "type": "module", first.js runs and learns XOR', async () => {
    await mkdir(join(project, "esm"));
    await writeFile(join(project, "esm", "package.json"), JSON.stringify({ type: "module" }));
    await writeFile(join(project, "esm", "first.js"), examples.first);
    const run = await node(["first.js"], join(project, "esm"));
    expect(run.stderr).toBe("");
    expect(xor(run.stdout)).toEqual([0, 1, 1, 0]);
  });

  it("the CommonJS version, in a .js file, runs without require(esm) and learns XOR", async () => {
    await writeFile(join(project, "main.js"), examples.commonjs);
    const run = await node(["--no-experimental-require-module", "main.js"], project);
    expect(run.stderr).toBe("");
    expect(xor(run.stdout)).toEqual([0, 1, 1, 0]);
    // what it loaded: the UMD bundle, not the ES module
    const loaded = await node(["--no-experimental-require-module", "-p", 'require.resolve("backprop-wasm")'], project);
    expect(loaded.stdout.trim()).toBe(
      join(project, "node_modules", "backprop-wasm", "dist", "umd", "backprop-wasm.js"),
    );
  });

  // node16, not nodenext: TypeScript 5.8's nodenext lets CommonJS import an ES module's types; node16 does
  // not (TS1479), so it checks that require() gets declarations TypeScript reads as CommonJS
  it("in TypeScript (node16): the example compiles as an ES module, gives TS1309 as CommonJS, and the wrapper compiles as CommonJS", async () => {
    const ts = join(project, "ts");
    await mkdir(join(ts, "esm"), { recursive: true });
    await writeFile(join(ts, "esm", "package.json"), JSON.stringify({ type: "module" }));
    await writeFile(join(ts, "esm", "first.ts"), examples.first);
    await writeFile(join(ts, "first.cts"), examples.first);
    // the CommonJS version as TypeScript writes it: import, compiled to require
    await writeFile(
      join(ts, "main.cts"),
      examples.commonjs
        .replace(/const \{ Network \} = require\("backprop-wasm"\);/, 'import { Network } from "backprop-wasm";')
        .replace("process.exitCode = 1;", ""),
    );
    await writeFile(
      join(ts, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          module: "node16",
          target: "es2022",
          lib: ["es2022", "dom"],
          types: [],
          strict: true,
          noEmit: true,
        },
        include: ["**/*.ts", "**/*.cts"],
      }),
    );
    const run = await node([TSC, "-p", "tsconfig.json"], ts);
    const errors = run.stdout.split("\n").filter((line) => /error TS\d+/.test(line));
    expect(errors.length).toBeGreaterThan(0);
    // every error is TS1309 (top-level await in CommonJS), in first.cts; none in first.ts or main.cts
    for (const line of errors) expect(line).toMatch(/^first\.cts\(\d+,\d+\): error TS1309:/);
  }, 60_000);
});
