// The caller's side of a network trained in a worker: the Network surface, each method returning
// a Promise. The worker runs calls one at a time, in the order they were made.
import { DisposedError } from "../errors.js";
import type { Evaluation, LayerParameters, NetworkJSON } from "../network.js";
import type { NetworkSpec } from "../plan.js";
import type { MatrixInput } from "../data/rows.js";
import type { EpochLogs, History } from "../training/fit.js";
import type { FitOptions } from "../training/options.js";
import { deserializeError, type FitChannel, type FromWorker, type Method } from "./protocol.js";
import { spawnWorker, type Channel } from "./spawn.js";

export interface WorkerFitOptions extends Omit<FitOptions, "onEpochEnd"> {
  /**
   * Called on the caller's side after each epoch; the worker waits for it (and for the promise
   * it returns, if any) before the next epoch. Returning false stops training.
   */
  onEpochEnd?: (epoch: number, logs: EpochLogs, parameters?: LayerParameters[]) => unknown;
  /** also pass onEpochEnd the parameters after each epoch (to draw the network as it learns) */
  includeParameters?: boolean;
}

type EpochReport = Extract<FromWorker, { kind: "epoch" }>;

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  onEpoch?(report: EpochReport): void;
}

/**
 * A network that lives in a worker (a Web Worker in browsers, worker_threads in Node), so that
 * training never blocks the caller's thread. Made by `createTrainingWorker`; its methods are
 * Network's, each returning a Promise, and errors arrive as the same classes (ShapeError, …).
 */
export class WorkerNetwork {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private stopped: Error | undefined;
  private specValue: NetworkJSON["spec"] | undefined;
  private threadCount = 1;

  private constructor(private readonly channel: Channel) {
    channel.listen(
      (message) => this.receive(message),
      (error) => this.stop(error),
    );
  }

  /** @internal — use createTrainingWorker */
  static async start(spec: NetworkSpec): Promise<WorkerNetwork> {
    const net = new WorkerNetwork(spawnWorker());
    try {
      const created = await net.call<{ spec: NetworkJSON["spec"]; threads: number }>("create", [spec]);
      net.specValue = created.spec;
      net.threadCount = created.threads;
      return net;
    } catch (error) {
      net.stop(error as Error);
      throw error;
    }
  }

  /** The layer specs, loss and seed the network was built with. */
  get spec(): NetworkJSON["spec"] {
    return this.specValue!;
  }

  /** Threads computing the network's large products in the worker (Network.threads): in a browser, more than 1 only if the page is cross-origin isolated. */
  get threads(): number {
    return this.threadCount;
  }

  /** Width of an input row. */
  get inputs(): number {
    return this.spec.inputs;
  }

  /** Width of an output row. */
  get outputs(): number {
    return this.spec.layers[this.spec.layers.length - 1]!.units;
  }

  private receive(message: FromWorker): void {
    const pending = this.pending.get(message.id);
    if (!pending) return;
    if (message.kind === "epoch") {
      pending.onEpoch?.(message);
      return;
    }
    this.pending.delete(message.id);
    if (this.pending.size === 0) this.channel.keepAlive(false);
    if (message.kind === "result") pending.resolve(message.value);
    else pending.reject(deserializeError(message.error));
  }

  // the worker is gone: every pending and later call rejects with `error`
  private stop(error: Error): void {
    this.stopped ??= error;
    this.channel.terminate();
    for (const pending of this.pending.values()) pending.reject(this.stopped);
    this.pending.clear();
  }

  private call<T>(
    method: Method,
    args: unknown[],
    fit?: { id: number; channel: FitChannel; onEpoch?: Pending["onEpoch"] },
  ): Promise<T> {
    if (this.stopped)
      return Promise.reject(
        this.stopped instanceof DisposedError
          ? new DisposedError(`${method}: this network was disposed; create a new one`)
          : this.stopped,
      );
    const id = fit?.id ?? this.nextId++;
    return new Promise<T>((resolve, reject) => {
      // postMessage throws (DataCloneError) for what cannot leave this thread, such as a function inside x
      this.channel.post({ kind: "call", id, method, args, fit: fit?.channel });
      this.pending.set(id, { resolve: resolve as Pending["resolve"], reject, onEpoch: fit?.onEpoch });
      this.channel.keepAlive(true);
    });
  }

  /** Outputs for each input row. */
  predict(x: MatrixInput): Promise<number[][]> {
    return this.call("predict", [x]);
  }

  /** Mean loss over the rows, and accuracy for softmax and sigmoid outputs; the network is unchanged. */
  evaluate(x: MatrixInput, y: MatrixInput): Promise<Evaluation> {
    return this.call("evaluate", [x, y]);
  }

  /** A copy of the parameters: `weights[unit][input]` and `biases[unit]` per layer. */
  getParameters(): Promise<LayerParameters[]> {
    return this.call("getParameters", []);
  }

  /** Replaces every parameter; checked whole before anything changes. */
  setParameters(parameters: LayerParameters[]): Promise<void> {
    return this.call("setParameters", [parameters]);
  }

  /**
   * Spec, parameters and training state as plain JSON (`Network.fromJSON` reads it). A promise,
   * so `JSON.stringify(workerNetwork)` cannot use it: stringify `await workerNetwork.toJSON()`.
   */
  toJSON(): Promise<NetworkJSON> {
    return this.call("toJSON", []);
  }

  /**
   * `Network.fit` in the worker; resolves to the history. Stops early, with the history so far,
   * when `signal` aborts or `onEpochEnd` returns false. If onEpochEnd throws, training stops
   * and fit rejects with that error.
   */
  async fit(x: MatrixInput, y: MatrixInput, options: WorkerFitOptions): Promise<History> {
    if (options === null || typeof options !== "object")
      return this.call("fit", [x, y, options], {
        id: this.nextId++,
        channel: { reportEpochs: false, includeParameters: false, signal: "none" },
      });
    const { onEpochEnd, signal, includeParameters = false, ...rest } = options;
    // functions and the signal stay here; a value of the wrong kind goes to the worker's fit, which names it
    const remote: Record<string, unknown> = { ...rest };
    const reportEpochs = typeof onEpochEnd === "function";
    const abortable = signal instanceof AbortSignal;
    if (onEpochEnd !== undefined && !reportEpochs) remote.onEpochEnd = onEpochEnd;
    if (signal !== undefined && !abortable) remote.signal = signal;

    const id = this.nextId++;
    let callbackError: unknown;
    let stop = false;
    const onEpoch = async ({ epoch, logs, parameters }: EpochReport) => {
      try {
        stop ||= (await onEpochEnd!(epoch, logs as EpochLogs, parameters as LayerParameters[] | undefined)) === false;
      } catch (error) {
        callbackError = error;
        stop = true;
      }
      if (this.pending.has(id)) this.channel.post({ kind: "epochReply", id, stop });
    };
    const abort = () => {
      if (this.pending.has(id)) this.channel.post({ kind: "abort", id });
    };
    const result = this.call<History>("fit", [x, y, remote], {
      id,
      channel: { reportEpochs, includeParameters, signal: !abortable ? "none" : signal.aborted ? "aborted" : "open" },
      onEpoch: reportEpochs ? onEpoch : undefined,
    });
    const local = abortable ? signal : undefined;
    local?.addEventListener("abort", abort);
    try {
      const history = await result;
      if (callbackError !== undefined) throw callbackError;
      return history;
    } finally {
      local?.removeEventListener("abort", abort);
    }
  }

  /**
   * Stops the worker, which frees the network; a call still pending (a fit, say) rejects with
   * DisposedError, and so does every later call.
   */
  async dispose(): Promise<void> {
    this.stop(new DisposedError("the network was disposed while this call was pending"));
  }
}

/**
 * A network trained off the caller's thread: in a Web Worker in browsers (started from an
 * inlined script, so there is nothing to serve or copy), in worker_threads in Node. Same spec as
 * `Network.create`; the same methods, each returning a Promise.
 *
 * @example
 * const net = await createTrainingWorker({
 *   inputs: 2,
 *   layers: [{ units: 8, activation: "tanh" }, { units: 1, activation: "sigmoid" }],
 *   loss: "binaryCrossEntropy",
 *   seed: 1,
 * });
 * const controller = new AbortController(); // controller.abort() stops training
 * const history = await net.fit(x, y, {
 *   epochs: 500, optimizer: "adam", learningRate: 0.01, signal: controller.signal,
 *   onEpochEnd: (epoch, logs) => console.log(epoch, logs.loss), // runs here, on this thread
 * });
 * console.log(await net.predict(x));
 * await net.dispose();
 */
export function createTrainingWorker(spec: NetworkSpec): Promise<WorkerNetwork> {
  return WorkerNetwork.start(spec);
}
