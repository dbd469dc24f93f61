// Run by test/threads.test.ts: a process that creates networks with threads, trains them and
// ends without dispose(). It must exit by itself (the workers never keep Node alive).
import { Network } from "../../dist/backprop-wasm.js";

const spec = {
  inputs: 64,
  layers: [
    { units: 64, activation: "relu" },
    { units: 2, activation: "softmax" },
  ],
  loss: "crossEntropy",
  seed: 1,
};
const nets = [await Network.create({ ...spec, threads: 2 }), await Network.create({ ...spec, threads: 3 })];
const x = Array.from({ length: 256 }, (_, i) => Array.from({ length: 64 }, (_, j) => Math.sin(i + j)));
const y = x.map((_, i) => (i % 2 ? [1, 0] : [0, 1]));
for (const net of nets) await net.fit(x, y, { epochs: 2, batchSize: 64 });
console.log(
  JSON.stringify({
    threads: nets.map((net) => net.threads),
    trained: nets.every((net) => net.predict(x).length === 256),
  }),
);
