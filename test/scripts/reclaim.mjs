// Run by test/reclaim.test.ts, with --expose-gc and under a limit on virtual memory (ulimit -v):
// networks dropped without dispose() give their memory back.
// Every Wasm network has a memory of its own, for which V8 reserves address space (some 12,800 fit
// in a process; a few under the test's limit). 1. Live networks until the next is refused: a
// CapacityError, not a crash, and the live ones still work. 2. Drop them and create many more than
// that, never disposing and never calling gc(): the engine reclaims the dropped ones by itself.
// 3. With gc(), every dropped network and its memory is collected (nothing holds on to them).
import { CapacityError, Network } from "../../dist/backprop-wasm.js";

const spec = {
  inputs: 2,
  layers: [
    { units: 4, activation: "tanh" },
    { units: 1, activation: "sigmoid" },
  ],
  loss: "mse",
  seed: 1,
};
const probe = [[0.5, -0.5]];
const expected = JSON.stringify((await Network.create(spec)).predict(probe));
const report = {};

let live = [];
try {
  while (live.length < 40_000) live.push(await Network.create(spec));
} catch (error) {
  report.refusal = { name: error.name, isCapacityError: error instanceof CapacityError, message: error.message };
}
report.live = live.length;
report.liveStillWork = live.every((net) => JSON.stringify(net.predict(probe)) === expected);
live = null;

let created = 0;
try {
  for (; created < 10 * report.live + 50; created++) {
    const net = await Network.create(spec);
    if (JSON.stringify(net.predict(probe)) !== expected) throw new Error("wrong predictions");
  }
} catch (error) {
  report.droppedError = String(error);
}
report.createdAfterDropping = created;

// weak references to a network and to its memory (a private field: only this test looks)
const weakly = async () => {
  const net = await Network.create(spec);
  return [new WeakRef(net), new WeakRef(net.backendRef.core.memory)];
};
const refs = [];
for (let i = 0; i < 100; i++) refs.push(await weakly());
const networks = refs.map(([net]) => net),
  memories = refs.map(([, memory]) => memory);
globalThis.gc();
await new Promise((resolve) => setTimeout(resolve, 0));
globalThis.gc();
report.collected = {
  networks: networks.filter((r) => r.deref() === undefined).length,
  memories: memories.filter((r) => r.deref() === undefined).length,
};
console.log(JSON.stringify(report));
