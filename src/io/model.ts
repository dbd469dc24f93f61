// A network as the file formats see it: sizes, activations, parameters and standardizer, in plain
// arrays. Built from a Network and turned back into one through its public API only.
import type { Network } from "../network.js";
import { LOSSES, type Activation, type BackendKind, type Loss } from "../plan.js";
import { LOSS_DESCRIPTORS, lossOption, lossOptionOf, type LossOption } from "../operations/losses.js";
import { Standardizer } from "../data/standardizer.js";
import { ModelFormatError } from "../errors.js";

export interface DenseLayerModel {
  inputs: number;
  units: number;
  activation: Activation;
  /** [units × inputs] row-major: z = W·a + b */
  weights: Float64Array;
  biases: Float64Array;
}

export interface DenseModel {
  inputs: number;
  layers: DenseLayerModel[];
  /** x′ = (x − mean) / std in front of the first layer */
  standardizer: { mean: Float64Array; std: Float64Array } | null;
  /** the loss the file names, if any */
  loss: LossOption | null;
}

/** What `Network.fromONNX` and `Network.fromTFJS` take besides the file. */
export interface ModelImportOptions {
  /** default "wasm" */
  backend?: BackendKind;
  /** the loss for later training; default: the file's (toONNX writes it), else crossEntropy for a softmax output, else mse */
  loss?: LossOption;
  /** seeds later shuffles and dropout; default 0 */
  seed?: number;
  /** threads for the Wasm core's products, as in Network.create; default 1 */
  threads?: number | "auto";
}

/** The version written into files as their producer's. */
export const LIBRARY_VERSION = "0.1.0";

export function describeNetwork(net: Network): DenseModel {
  const spec = net.spec;
  const parameters = net.getParameters();
  let inputs = spec.inputs;
  const layers = spec.layers.map((layer, l) => {
    const { weights, biases } = parameters[l]!;
    const flat = new Float64Array(layer.units * inputs);
    weights.forEach((row, u) => flat.set(row, u * inputs));
    const dense = {
      inputs,
      units: layer.units,
      activation: layer.activation,
      weights: flat,
      biases: new Float64Array(biases),
    };
    inputs = layer.units;
    return dense;
  });
  const s = net.standardizer;
  const standardizer = s && { mean: Float64Array.from(s.mean), std: Float64Array.from(s.std) };
  return { inputs: spec.inputs, layers, standardizer, loss: spec.loss };
}

/** An ArrayBuffer, also one from another realm (a worker, an iframe), where instanceof fails. */
export function isArrayBuffer(value: unknown): value is ArrayBuffer {
  return Object.prototype.toString.call(value) === "[object ArrayBuffer]";
}

/** A loss as files hold it: its name, or for a loss with hyperparameters its option as JSON ({"name":"huber","delta":2}). */
export function lossText(loss: LossOption): string {
  return typeof loss === "string" ? loss : JSON.stringify(loss);
}

/** The loss a file names, checked: it must be a known one that fits the output activation. */
export function fileLoss(text: string, output: Activation, where: string): LossOption {
  let option: unknown = text;
  if (text.startsWith("{")) {
    try {
      option = JSON.parse(text);
    } catch {
      throw new ModelFormatError(`${where}: the loss ${JSON.stringify(text)} is not a name or a JSON object`);
    }
  }
  let loss: Loss, hyperparameters: Record<string, number>;
  try {
    ({ loss, hyperparameters } = lossOption(option, "the loss"));
  } catch (error) {
    throw new ModelFormatError(
      `${where}: ${(error as Error).message} (the file's ${JSON.stringify(text)}); expected one of ${LOSSES.join(", ")}`,
    );
  }
  const needs = LOSS_DESCRIPTORS[loss].output;
  if (needs && output !== needs)
    throw new ModelFormatError(`${where}: the loss "${loss}" needs a ${needs} output; the last layer is ${output}`);
  return lossOptionOf(loss, hyperparameters);
}

/** A new Network with the model's layers, parameters and standardizer; disposed again if any of them is refused. */
export async function buildNetwork(
  NetworkClass: typeof Network,
  model: DenseModel,
  options: ModelImportOptions,
  where: string,
): Promise<Network> {
  if (options === null || typeof options !== "object")
    throw new TypeError(`${where}: options is ${String(options)}; expected an object`);
  const last = model.layers[model.layers.length - 1]!;
  const loss = options.loss ?? model.loss ?? (last.activation === "softmax" ? "crossEntropy" : "mse");
  const net = await NetworkClass.create({
    inputs: model.inputs,
    layers: model.layers.map((l) => ({ units: l.units, activation: l.activation })),
    loss,
    backend: options.backend,
    seed: options.seed,
    threads: options.threads,
  });
  try {
    net.setParameters(
      model.layers.map((l) => ({
        weights: Array.from({ length: l.units }, (_, u) =>
          Array.from(l.weights.subarray(u * l.inputs, (u + 1) * l.inputs)),
        ),
        biases: Array.from(l.biases),
      })),
    );
    const s = model.standardizer;
    if (s) net.setStandardizer(Standardizer.fromJSON({ mean: Array.from(s.mean), std: Array.from(s.std) }));
    return net;
  } catch (error) {
    net.dispose();
    throw error;
  }
}
