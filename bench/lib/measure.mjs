// One measurement with benchmark.js: warm up (V8 compiles Wasm with Liftoff first and tiers the
// hot functions up to TurboFan; JavaScript likewise), then let benchmark.js time cycles until it
// has `minSamples` samples and `maxTime` seconds. Reports benchmark.js's own statistics (mean,
// relative margin of error) and the median of its samples (seconds per call).
import Benchmark from "benchmark";

/** Settings of the two modes: full (npm run bench) and quick (npm run bench:quick, a smoke test). */
export const MODES = {
  full: { warmupSeconds: 1, maxTime: 4, minSamples: 6 },
  quick: { warmupSeconds: 0.15, maxTime: 0.3, minSamples: 2 },
};

/**
 * Times `fn` and returns seconds per call; `async` says that fn returns a promise to wait for
 * (a deferred benchmark: a few µs of overhead per call, so only for work of milliseconds).
 * @returns {Promise<{ median: number, mean: number, rme: number, samples: number }>}
 */
export async function measure(name, fn, mode, { async = false } = {}) {
  await warmUp(fn, mode.warmupSeconds);
  const timing = async ? { defer: true, fn: (deferred) => fn().then(() => deferred.resolve()) } : { fn };
  const bench = new Benchmark(name, { ...timing, maxTime: mode.maxTime, minSamples: mode.minSamples, initCount: 1 });
  await new Promise((resolve, reject) => {
    bench.on("complete", resolve);
    bench.on("error", () => reject(bench.error));
    bench.run({ async: true });
  });
  const { sample, mean, rme } = bench.stats;
  return { median: median(sample), mean, rme, samples: sample.length };
}

async function warmUp(fn, seconds) {
  const started = performance.now();
  do await fn();
  while (performance.now() - started < seconds * 1000);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
