// The model file: the network's own toJSON() (so that Network.fromJSON reads it as it is) with the
// command's section beside it, `table`: the task, the input columns in order with their
// statistics or categories, and the targets with their classes or statistics (encoding.ts).
import { readFileSync, statSync } from "node:fs";
import { Network, type NetworkJSON } from "../index.js";
import { checkTableModel, type TableModel } from "./encoding.js";
import { DataError, UsageError } from "./errors.js";
import { writeFileAtomic } from "./output.js";

export type ModelFile = NetworkJSON & { table: TableModel };

// a model file is read whole; one larger than this is not one that backprop train wrote for a table
const MAX_MODEL_BYTES = 1 << 30;

export async function writeModel(path: string, net: Network, table: TableModel): Promise<void> {
  const file: ModelFile = { ...net.toJSON(), table };
  await writeFileAtomic(path, JSON.stringify(file));
}

/** Reads and checks a model file, into a network on `threads` threads; a file that is not one is a data error naming it. */
export async function readModel(
  path: string,
  threads: number | "auto" = 1,
): Promise<{ net: Network; table: TableModel }> {
  let size;
  try {
    const stats = statSync(path);
    if (stats.isDirectory()) throw new UsageError(`${path}: is a folder; expected a model file (JSON)`);
    size = stats.size;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${path}: no such file`);
  }
  if (size > MAX_MODEL_BYTES)
    throw new DataError(`${path}: ${size} bytes; expected a model file of at most ${MAX_MODEL_BYTES} bytes`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new DataError(
      `${path}: not JSON (${(error as Error).message}); expected a model file written by backprop train`,
    );
  }
  if (json === null || typeof json !== "object" || (json as ModelFile).format !== "backprop-wasm")
    throw new DataError(`${path}: not a model file; expected JSON written by backprop train`);
  let net: Network;
  try {
    net = await Network.fromJSON(json as NetworkJSON, { threads });
  } catch (error) {
    throw new DataError(`${path}: the network cannot be read: ${(error as Error).message}`);
  }
  try {
    const table = checkTableModel(path, (json as ModelFile).table, net.inputs, net.outputs);
    const { layers, loss } = net.spec;
    const output = layers[layers.length - 1]!.activation;
    const expected =
      table.task === "regression" ? "mse" : table.targets.length === 1 ? "crossEntropy" : "binaryCrossEntropy";
    if (loss !== expected)
      throw new DataError(
        `${path}: a ${table.task} model with loss "${loss}" (output "${output}"); expected loss "${expected}"`,
      );
    return { net, table };
  } catch (error) {
    net.dispose();
    throw error;
  }
}
