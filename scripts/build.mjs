// Builds what is out of date, and only that. Each step names the files it reads and the files it
// writes; it runs when an output is missing or when the SHA-256 of its inputs differs from the
// one recorded after its last run (build/stamps/<step>). Contents, not times: a checkout, a
// copy or a clock change cannot make a stale output look fresh, and an edit always rebuilds.
//
//   node scripts/build.mjs            every step (what `npm test` needs); a fresh clone builds all
//   node scripts/build.mjs package    the core and the bundles (what `npm start` and the examples import)
//   node scripts/build.mjs wasm --force   one step, run whatever the stamps say
//
// A step's inputs include what earlier steps write (the bundle reads the embedded core), so a
// change travels down the chain. package-lock.json is an input of every step: a new compiler
// rebuilds.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { delimiter, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const STAMPS = join(ROOT, "build", "stamps");
const node = (script, ...args) => [process.execPath, join(ROOT, script), ...args];
const bin = (name, ...args) => [join(ROOT, "node_modules", ".bin", name), ...args];

const STEPS = {
  wasm: {
    inputs: ["assembly", "asconfig.json", "scripts/embed-wasm.mjs"],
    outputs: ["build/core.wasm", "build/kernels.wasm", "src/backends/wasm/core-wasm.generated.ts"],
    commands: [
      // the core, and the kernel-only module its threads run (assembly/kernels.ts), side by side
      [
        bin("asc", "assembly/index.ts", "--target", "release"),
        bin(
          "asc",
          "assembly/kernels.ts",
          "--target",
          "release",
          "--outFile",
          "build/kernels.wasm",
          "--textFile",
          "build/kernels.wat",
        ),
      ],
      node("scripts/embed-wasm.mjs"),
    ],
  },
  bundle: {
    inputs: ["src", "scripts/build-bundle.mjs"],
    ignore: ["src/worker/worker-source.generated.ts", "src/backends/wasm/thread-worker-source.generated.ts", "src/cli"],
    outputs: [
      "dist/backprop-wasm.js",
      "dist/umd/backprop-wasm.js",
      "dist/umd/package.json",
      "src/worker/worker-source.generated.ts",
      "src/backends/wasm/thread-worker-source.generated.ts",
    ],
    commands: [node("scripts/build-bundle.mjs")],
  },
  cli: {
    inputs: ["src/cli", "dist/backprop-wasm.js", "scripts/build-cli.mjs"],
    outputs: ["dist/cli.js"],
    commands: [node("scripts/build-cli.mjs")],
  },
  types: {
    inputs: ["src", "tsconfig.json", "scripts/copy-types.mjs"],
    outputs: ["dist/index.d.ts", "dist/umd/index.d.ts"],
    commands: [bin("tsc", "-p", "tsconfig.json"), node("scripts/copy-types.mjs")],
  },
  web: {
    inputs: ["web", "dist/backprop-wasm.js", "dist/index.d.ts", "scripts/build-web.mjs"],
    ignore: ["web/dist"],
    outputs: ["web/dist/index.html", "web/dist/seed.html"],
    commands: [bin("tsc", "-p", "web/tsconfig.json"), node("scripts/build-web.mjs")],
  },
};

const TARGETS = { all: ["wasm", "bundle", "cli", "types", "web"], package: ["wasm", "bundle"] };

function files(path, ignore) {
  const full = join(ROOT, path);
  if (ignore.includes(path) || !existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full)
    .sort()
    .flatMap((name) => files(join(path, name), ignore));
}

function inputHash(step) {
  const hash = createHash("sha256");
  for (const file of [...step.inputs, "package-lock.json", "scripts/build.mjs"].flatMap((p) =>
    files(p, step.ignore ?? []),
  )) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(join(ROOT, file)));
    hash.update("\0");
  }
  return hash.digest("hex");
}

// A command is [program, ...args], or a list of commands run at the same time.
async function run(name, step) {
  const env = { ...process.env, PATH: `${join(ROOT, "node_modules", ".bin")}${delimiter}${process.env.PATH ?? ""}` };
  const failed = ([command, ...args], status) => {
    console.error(`build: step "${name}" failed: ${relative(ROOT, command) || command} ${args.join(" ")}`);
    process.exit(status ?? 1);
  };
  for (const command of step.commands) {
    if (Array.isArray(command[0])) {
      const statuses = await Promise.all(
        command.map(
          ([program, ...args]) =>
            new Promise((resolve) =>
              spawn(program, args, { cwd: ROOT, env, stdio: ["ignore", 2, 2] }).on("close", resolve),
            ),
        ),
      );
      statuses.forEach((status, i) => status !== 0 && failed(command[i], status));
      continue;
    }
    // all of it on stderr: stdout stays clean for the caller's own output (npm pack --json runs this as prepack)
    const result = spawnSync(command[0], command.slice(1), { cwd: ROOT, env, stdio: ["inherit", 2, 2] });
    if (result.status !== 0) failed(command, result.status);
  }
}

const args = process.argv.slice(2);
const force = args.includes("--force");
const names = args.filter((a) => a !== "--force").flatMap((a) => TARGETS[a] ?? [a]);
for (const name of names)
  if (!STEPS[name])
    throw new Error(
      `build: unknown step or target "${name}"; known: ${[...Object.keys(TARGETS), ...Object.keys(STEPS)].join(", ")}`,
    );

mkdirSync(STAMPS, { recursive: true });
const done = [];
for (const name of names.length > 0 ? names : TARGETS.all) {
  const step = STEPS[name];
  const stamp = join(STAMPS, name);
  const before = inputHash(step);
  const fresh =
    !force &&
    step.outputs.every((o) => existsSync(join(ROOT, o))) &&
    existsSync(stamp) &&
    readFileSync(stamp, "utf8") === before;
  if (fresh) continue;
  const started = performance.now();
  await run(name, step);
  // hashed again after the run: a step that writes one of its own inputs (none should) stays out of date
  writeFileSync(stamp, inputHash(step) === before ? before : "");
  done.push(`${name} ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
console.error(done.length > 0 ? `build: ${done.join(", ")}` : "build: up to date");
