// The pure-TypeScript backend: the reference the Wasm core is tested against, and the
// fallback where WebAssembly is unavailable.
import type { Backend, LayerTrace } from "../backend.js";
import type { Plan } from "../../plan.js";
import {
  networkCreate, networkForward, networkGradients, networkInit, networkLoss, networkReserve,
  networkTrainStep, type Network,
} from "./network.js";

export class JsBackend implements Backend {
  readonly kind = "js" as const;
  private readonly net: Network;

  constructor(plan: Plan) {
    this.net = networkCreate(plan);
  }

  private load(x: Float64Array, y: Float64Array | null, rows: number): void {
    networkReserve(this.net, rows);
    this.net.x.set(x);
    if (y) this.net.y.set(y);
  }

  initParameters(seed: number): void {
    networkInit(this.net, seed);
  }

  readParameters(): Float64Array {
    return this.net.params.slice();
  }

  writeParameters(flat: Float64Array): void {
    this.net.params.set(flat);
  }

  predict(x: Float64Array, rows: number): Float64Array {
    this.load(x, null, rows);
    networkForward(this.net, rows);
    return this.net.layers[this.net.layers.length - 1].a.slice(0, rows * this.net.outputs);
  }

  loss(x: Float64Array, y: Float64Array, rows: number): number {
    this.load(x, y, rows);
    return networkLoss(this.net, rows);
  }

  gradients(x: Float64Array, y: Float64Array, rows: number): { loss: number; gradients: Float64Array } {
    this.load(x, y, rows);
    const loss = networkGradients(this.net, rows);
    return { loss, gradients: this.net.grads.slice() };
  }

  trainStep(x: Float64Array, y: Float64Array, rows: number, learningRate: number): number {
    this.load(x, y, rows);
    return networkTrainStep(this.net, rows, learningRate);
  }

  trace(x: Float64Array, y: Float64Array, rows: number): LayerTrace[] {
    this.load(x, y, rows);
    networkGradients(this.net, rows);
    return this.net.layers.map((layer) => {
      const n = rows * layer.units;
      return { z: layer.z.slice(0, n), a: layer.a.slice(0, n), dZ: layer.dZ.slice(0, n) };
    });
  }

  dispose(): void {}
}
