// The report: a line about the machine, one markdown table of every timed workload (with the
// threads each used), the memory checks, and the targets of issues 4 and 13 against what was measured.
import os from "node:os";

export function machineLine() {
  const cpus = os.cpus();
  return (
    `${cpus[0]?.model ?? "unknown CPU"} (${cpus.length} logical cores), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ` +
    `${os.platform()} ${os.arch()}; Node ${process.version} (V8 ${process.versions.v8})`
  );
}

const duration = (seconds) =>
  seconds >= 1
    ? `${seconds.toFixed(2)} s`
    : seconds >= 1e-3
      ? `${(seconds * 1e3).toFixed(2)} ms`
      : `${(seconds * 1e6).toFixed(1)} µs`;

const rate = (value, unit) => `${value >= 100 ? Math.round(value).toLocaleString("en") : value.toFixed(2)} ${unit}`;

// how the row compares with the workload's backprop-wasm (Wasm) row, by throughput
function versus(row, reference) {
  if (row === reference) return "1×";
  const ratio = reference.throughput / row.throughput;
  return ratio >= 1 ? `${ratio.toFixed(1)}× slower` : `${(1 / ratio).toFixed(1)}× faster`;
}

/** Rows: { workload, implementation, threads (default 1), config, median, rme, samples, throughput, unit, reference }. */
export function timingTable(rows) {
  const lines = [
    "| workload | implementation | threads | configuration | median | spread (±rme, samples) | throughput | vs backprop-wasm |",
    "| --- | --- | ---: | --- | ---: | ---: | ---: | ---: |",
  ];
  let workload;
  for (const row of rows) {
    const reference = rows.find((r) => r.workload === row.workload && r.reference);
    lines.push(
      `| ${row.workload === workload ? "" : row.workload} | ${row.implementation} | ${row.threads ?? 1} | ${row.config} | ${duration(row.median)} | ` +
        `±${row.rme.toFixed(1)}% (${row.samples}) | ${rate(row.throughput, row.unit)} | ${versus(row, reference)} |`,
    );
    workload = row.workload;
  }
  return lines.join("\n");
}

/** Checks: { what, before, after, flat }; isolation: { createDispose (ms), live, rss, cores (bytes) }. */
export function memoryTable({ checks, isolation }, format) {
  return [
    "| a network's Wasm memory (bytes of its `memory.buffer`) | before | after | |",
    "| --- | ---: | ---: | --- |",
    ...checks.map((c) => `| ${c.what} | ${format(c.before)} | ${format(c.after)} | ${c.flat ? "flat" : "GREW"} |`),
    "",
    "| a memory of its own per network (2-16-1 networks) | measured |",
    "| --- | ---: |",
    `| create + dispose, median of 5 rounds of ${isolation.live.toLocaleString("en")} | ${(isolation.createDispose * 1000).toFixed(0)} µs |`,
    `| ${isolation.live.toLocaleString("en")} live networks: process memory (RSS) | +${format(isolation.rss)} |`,
    `| ${isolation.live.toLocaleString("en")} live networks: their Wasm memories | ${format(isolation.cores)} |`,
  ].join("\n");
}

/** Targets: { target, measured, met }. */
export function targetsTable(targets) {
  return [
    "| target | measured | |",
    "| --- | --- | --- |",
    ...targets.map((t) => `| ${t.target} | ${t.measured} | ${t.met ? "met" : "not met"} |`),
  ].join("\n");
}
