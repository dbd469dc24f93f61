// The MLP 784-128-10 in every library (bench/models/), each in its best-fitting configuration, on
// the digits of the `mnist` package:
//   train:   samples per second over one epoch (for the slowest libraries, an epoch of the first
//            N digits); each timed call continues training the same model.
//   predict: rows per second; 10,000 rows in one call where the library has a batch call,
//            row by row on fewer rows for brain.js and synaptic, which have none.
import { measure } from "../lib/measure.mjs";

const TASKS = {
  train: {
    workload: "train MLP 784-128-10 (sigmoid, softmax, cross-entropy, SGD 0.1, batch 32) on MNIST digits",
    rows: (entry) => entry.trainRows,
    config: (model, count) => `${model.config}; epoch of ${count.toLocaleString("en")} rows`,
    run: (model, count) => model.train(count),
    unit: "samples/s",
  },
  predict: {
    workload: "predict with the MLP 784-128-10",
    rows: (entry) => entry.predictRows,
    config: (model, count) => `${model.predictConfig}; ${count.toLocaleString("en")} rows`,
    run: (model, count) => model.predict(count),
    unit: "rows/s",
  },
};

/**
 * @param {"train" | "predict"} taskName
 * @param entries [{ model, trainRows: { full, quick }, predictRows: { full, quick } }]; the first
 *   is the reference row (backprop-wasm, Wasm)
 */
export async function mlpWorkload(taskName, mode, modeName, data, entries) {
  const task = TASKS[taskName];
  const rows = [];
  for (const [index, entry] of entries.entries()) {
    const { model } = entry;
    const count = task.rows(entry)[modeName];
    await model.init({ ...data, rows: count });
    const stats = await measure(`${taskName} ${model.name}`, async () => task.run(model, count), mode, { async: true });
    model.dispose();
    rows.push({
      workload: task.workload,
      implementation: model.name,
      threads: model.threads ?? 1,
      config: task.config(model, count),
      ...stats,
      throughput: count / stats.median,
      unit: task.unit,
      reference: index === 0,
    });
    if (entry.after)
      rows.push(...entry.after(taskName).map((row) => ({ workload: task.workload, unit: task.unit, ...row })));
  }
  return rows;
}
