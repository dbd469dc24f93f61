// Training the MLP 784-128-10 (the train workload of mlp.mjs) on one thread and on two while
// another process keeps one of the machine's cores busy (a loop that never ends): two threads must
// not be slower than one there (issue 13: at least 0.9×), since a thread that waits sleeps
// rather than spinning for long, and the network's own thread takes the tiles a descheduled
// worker has not claimed. On a machine of two cores this is the worst case for threads.
import { spawn } from "node:child_process";
import { backpropWasm } from "../models/backprop-wasm.mjs";
import { measure } from "../lib/measure.mjs";

export async function busyWorkload(mode, data) {
  const busy = spawn(process.execPath, ["-e", "for (;;);"], { stdio: "ignore" });
  const rows = [];
  try {
    await new Promise((resolve) => setTimeout(resolve, 200)); // let it start spinning
    for (const threads of [1, 2]) {
      const model = backpropWasm("wasm", threads);
      await model.init(data);
      const stats = await measure(`busy core, ${threads} thread(s)`, () => model.train(10_000), mode, { async: true });
      model.dispose();
      rows.push({
        workload: "train MLP 784-128-10 (as above) while another process keeps one core busy",
        implementation: model.name,
        threads,
        config: "float64; fit: sgd, batch 32, shuffle false; epoch of 10,000 rows; `node -e 'for (;;);'` running beside it",
        ...stats,
        throughput: 10_000 / stats.median,
        unit: "samples/s",
        reference: threads === 1,
      });
    }
  } finally {
    busy.kill();
  }
  return rows;
}
