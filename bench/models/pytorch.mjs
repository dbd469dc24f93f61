// PyTorch (float64) on the MLP workload, at 1 and 2 threads, when `python3` can import torch
// (Debian: apt-get install python3-torch); otherwise the report says why it was skipped. Timed
// in Python (pytorch.py, its own warm-up and samples), not by benchmark.js.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MLP } from "./mlp.mjs";

// the first Python that has torch: the PATH's python3 (a virtualenv, pyenv), then Debian's, where apt-get install python3-torch puts it
let python = null;

/** null if PyTorch can run here, else why not. */
export function pytorchMissing() {
  for (const candidate of ["python3", "/usr/bin/python3"]) {
    const probe = spawnSync(candidate, ["-c", "import torch, numpy"], { encoding: "utf8" });
    if (!probe.error && probe.status === 0) {
      python = candidate;
      return null;
    }
  }
  return "neither python3 on the PATH nor /usr/bin/python3 can import torch and numpy (Debian: apt-get install python3-torch)";
}

const median = (values) => values.slice().sort((a, b) => a - b)[values.length >> 1];

// benchmark.js's relative margin of error at 95%: t(0.975, n − 1) ≈ 1.96 for the sample sizes here
function rme(values) {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, values.length - 1);
  return ((1.96 * Math.sqrt(variance / values.length)) / mean) * 100;
}

/** Train and predict rows of the MLP workloads, one per thread count, for `rows` digits. */
export function pytorchRows(mode, { x, labels }, rows, threadCounts = [1, 2]) {
  const dir = mkdtempSync(join(tmpdir(), "backprop-bench-"));
  const file = join(dir, "digits.f64");
  const data = new Float64Array(rows * (MLP.inputs + 1));
  data.set(x.subarray(0, rows * MLP.inputs));
  for (let i = 0; i < rows; i++) data[rows * MLP.inputs + i] = labels[i];
  writeFileSync(file, new Uint8Array(data.buffer));
  const script = new URL("./pytorch.py", import.meta.url).pathname;
  const out = { train: [], predict: [] };
  try {
    for (const threads of threadCounts) {
      const args = [script, file, rows, threads, mode.warmupSeconds, mode.maxTime, mode.minSamples].map(String);
      const run = spawnSync(python, args, { encoding: "utf8", maxBuffer: 2 ** 26 });
      if (run.status !== 0) throw new Error(`pytorch.py failed: ${run.stderr}`);
      const result = JSON.parse(run.stdout.trim().split("\n").pop());
      for (const task of ["train", "predict"]) {
        const seconds = result[task];
        out[task].push({
          implementation: `PyTorch ${result.version} (CPU)`,
          threads: result.threads,
          config:
            task === "train"
              ? `float64; SGD 0.1, batch 32, in order; torch.set_num_threads(${threads}); epoch of ${rows.toLocaleString("en")} rows`
              : `float64; model(x) under no_grad; ${rows.toLocaleString("en")} rows`,
          median: median(seconds),
          rme: rme(seconds),
          samples: seconds.length,
          throughput: rows / median(seconds),
        });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
