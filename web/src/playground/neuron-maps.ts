// Every neuron's own output over the lattice, computed by the engine itself: for each layer l,
// a network made of layers 1…l with the trained parameters predicts the lattice, and its
// outputs are layer l's neurons. Runs in the page; it is one forward pass per layer.
import { Network, type LayerParameters, type LayerSpec } from "backprop-wasm";

export class NeuronMaps {
  private constructor(private readonly prefixes: Network[]) {}

  static async create(inputs: number, layers: LayerSpec[]): Promise<NeuronMaps> {
    const prefixes = await Promise.all(
      layers.map((_, l) => Network.create({ inputs, layers: layers.slice(0, l + 1), loss: "mse" })),
    );
    return new NeuronMaps(prefixes);
  }

  /**
   * maps[l][unit] holds that neuron's output at each point of the input rows: the hidden
   * layers' on `hiddenRows`, the output layer's on `outputRows` (the finer lattice).
   */
  compute(parameters: LayerParameters[], hiddenRows: Float64Array, outputRows: Float64Array): Float64Array[][] {
    const last = this.prefixes.length - 1;
    return this.prefixes.map((net, l) => {
      net.setParameters(parameters.slice(0, l + 1));
      const rows = net.predict(l === last ? outputRows : hiddenRows);
      return Array.from({ length: net.outputs }, (_, unit) => Float64Array.from(rows, (row) => row[unit]!));
    });
  }

  /** Layer `layer`'s outputs (every unit) at `rows`, with the parameters of the last `compute`. */
  layer(layer: number, rows: Float64Array): Float64Array[] {
    const net = this.prefixes[layer]!;
    const out = net.predict(rows);
    return Array.from({ length: net.outputs }, (_, unit) => Float64Array.from(out, (row) => row[unit]!));
  }

  dispose(): void {
    for (const net of this.prefixes) net.dispose();
  }
}
