// Paired timing on a machine shared with other processes (Linux): two variants run one after the
// other, round after round, and a round counts only if nothing else used the CPU meanwhile (the
// machine's busy time from /proc/stat, less this process's own, below `tolerance` of the time
// available). Used where two variants are compared side by side (threads-threshold.mjs,
// threads-ab.mjs); the main benchmark uses benchmark.js (measure.mjs).
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";

const STAT = "/proc/stat";

// jiffies a process has run (utime + stime, fields 14 and 15 of /proc/<pid>/stat)
function processJiffies(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8")
      .replace(/^.*\) /, "")
      .split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

// busy and total jiffies of all CPUs
function cpuTimes() {
  const fields = readFileSync(STAT, "utf8").split("\n", 1)[0].trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((sum, v) => sum + v, 0);
  return { busy: total - fields[3] - fields[4], total };
}

/** How many calls of `run` take about `ms` (at least 1): /proc/stat counts in 10 ms ticks, so a round must be long. */
export async function callsFor(run, ms = 150) {
  const started = performance.now();
  await run();
  return Math.max(1, Math.round(ms / Math.max(1e-3, performance.now() - started)));
}

/**
 * Times `variants` (functions returning a promise or not), each `repeat` times a round, in
 * rounds (in the opposite order every other round) until `rounds` undisturbed rounds are in, or `limitMs` passed. Returns per
 * variant the seconds per call of each kept round, and how many rounds were dropped. The CPU time
 * of the processes `alsoOurs` (pids: a load made on purpose) does not count as disturbance.
 */
export async function paired(
  variants,
  { rounds = 15, tolerance = 0.04, limitMs = 600_000, repeat = 1, alsoOurs = [] } = {},
) {
  const watch = existsSync(STAT);
  const hz = 100; // jiffies per second (USER_HZ)
  const cores = os.cpus().length;
  const kept = variants.map(() => []);
  let dropped = 0;
  const started = Date.now();
  while (kept[0].length < rounds && Date.now() - started < limitMs) {
    const before = watch && cpuTimes(),
      ours = process.cpuUsage(),
      t0 = performance.now();
    const oursBefore = alsoOurs.reduce((sum, pid) => sum + processJiffies(pid), 0);
    // every other round in the opposite order, so that neither variant always runs first
    const seconds = new Array(variants.length);
    const order = variants.map((_, i) => i);
    if ((kept[0].length + dropped) % 2 === 1) order.reverse();
    for (const i of order) {
      const t = performance.now();
      for (let call = 0; call < repeat; call++) await variants[i]();
      seconds[i] = (performance.now() - t) / 1000 / repeat;
    }
    if (watch) {
      const after = cpuTimes(),
        own = process.cpuUsage(ours);
      const wall = (performance.now() - t0) / 1000;
      const load = alsoOurs.reduce((sum, pid) => sum + processJiffies(pid), 0) - oursBefore;
      const others = (after.busy - before.busy - load) / hz - (own.user + own.system) / 1e6;
      if (others > tolerance * wall * cores + 1 / hz) {
        dropped++;
        await new Promise((resolve) => setTimeout(resolve, 200)); // let the other work pass
        continue;
      }
    }
    seconds.forEach((s, i) => kept[i].push(s));
  }
  return { seconds: kept, dropped };
}

export const median = (values) => values.slice().sort((a, b) => a - b)[values.length >> 1];

/** The median over rounds of a/b, for two lists of seconds from the same rounds. */
export const medianRatio = (a, b) => median(a.map((v, i) => v / b[i]));
