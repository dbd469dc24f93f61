// One training run in a worker: play (fit until paused), pause (abort), one step (one epoch),
// and a weight or bias set by hand. Every epoch's figures and parameters come back through
// onEpochEnd, on this thread.
import {
  createTrainingWorker,
  type Evaluation,
  type LayerParameters,
  type NetworkJSON,
  type NetworkSpec,
  type OptimizerName,
  type WorkerNetwork,
} from "backprop-wasm";

export interface TrainingOptions {
  optimizer: OptimizerName;
  learningRate: number;
  batchSize: number;
  weightDecay: number;
  l1: number;
}

export interface Data {
  xTrain: Float64Array;
  yTrain: Float64Array;
  xTest: Float64Array;
  yTest: Float64Array;
}

export interface Curves {
  trainLoss: number[];
  testLoss: number[];
  trainAccuracy: number[];
  testAccuracy: number[];
}

export interface TrainerHooks {
  /** after every epoch, after an edit, and once for the untrained network */
  onProgress(): void;
  /** when training stops by itself: `error` is why (a DivergenceError, say); `playing` is already false */
  onStop(error: Error): void;
  /** what the worker waits for after each epoch: nothing, or a promise that sets the pace */
  pace(): Promise<void> | undefined;
}

// epochs asked of one fit while playing; pausing stops it long before
const PLAY_EPOCHS = 1_000_000;
// past this many points a curve keeps every other one, so that a long run's memory stays bounded
const CURVE_POINTS = 20_000;

export class Trainer {
  epoch = 0;
  readonly curves: Curves = { trainLoss: [], testLoss: [], trainAccuracy: [], testAccuracy: [] };
  parameters: LayerParameters[] = [];
  private controller: AbortController | null = null;
  private running: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly net: WorkerNetwork,
    private readonly data: Data,
    private readonly hooks: TrainerHooks,
  ) {}

  static async start(spec: NetworkSpec, data: Data, hooks: TrainerHooks): Promise<Trainer> {
    const trainer = new Trainer(await createTrainingWorker(spec), data, hooks);
    trainer.parameters = await trainer.net.getParameters();
    await trainer.measure(false);
    return trainer;
  }

  /** threads the worker's network computes its products on: more than 1 only on a cross-origin isolated page */
  get threads(): number {
    return this.net.threads;
  }

  get playing(): boolean {
    return this.controller !== null;
  }

  // the losses of the network as it is now; `replace` overwrites the last point instead of adding one
  private async measure(replace: boolean): Promise<void> {
    const [train, test] = await Promise.all([
      this.net.evaluate(this.data.xTrain, this.data.yTrain),
      this.net.evaluate(this.data.xTest, this.data.yTest),
    ]);
    if (replace) for (const curve of Object.values(this.curves)) curve.pop();
    this.record(this.parameters, train, test);
  }

  private record(parameters: LayerParameters[], train: Evaluation, test: Evaluation): void {
    this.parameters = parameters;
    this.curves.trainLoss.push(train.loss);
    this.curves.testLoss.push(test.loss);
    if (train.accuracy !== undefined) this.curves.trainAccuracy.push(train.accuracy);
    if (test.accuracy !== undefined) this.curves.testAccuracy.push(test.accuracy);
    for (const key of Object.keys(this.curves) as (keyof Curves)[]) {
      const curve = this.curves[key];
      if (curve.length > CURVE_POINTS) this.curves[key] = curve.filter((_, i) => i % 2 === (curve.length - 1) % 2);
    }
    this.hooks.onProgress();
  }

  // resolves to the error that stopped training, or null
  private fit(epochs: number, options: TrainingOptions, signal?: AbortSignal): Promise<Error | null> {
    const { xTrain, yTrain, xTest, yTest } = this.data;
    return this.net
      .fit(xTrain, yTrain, {
        ...options,
        epochs,
        validationData: [xTest, yTest],
        signal,
        includeParameters: true,
        onEpochEnd: (_, logs, parameters) => {
          this.epoch++;
          this.record(
            parameters!,
            { loss: logs.loss, accuracy: logs.accuracy },
            { loss: logs.valLoss!, accuracy: logs.valAccuracy },
          );
          return this.pace();
        },
      })
      .then(
        () => null,
        (error: Error) => error,
      );
  }

  private pace(): Promise<void> | undefined {
    return this.hooks.pace();
  }

  // The control state first (not playing), then the network put back as it was at the end of the
  // last whole epoch (the one shown: the failed epoch's earlier batches, applied in the worker,
  // are what blew up), then the news: whoever is told sees a paused trainer that can go on.
  private async stopped(error: Error, controller: AbortController | null): Promise<void> {
    controller?.abort();
    if (this.controller === controller) this.controller = null;
    if (error.name === "DisposedError") return;
    try {
      await this.net.setParameters(this.parameters);
    } catch {
      return; // disposed meanwhile: nothing to go on from
    }
    this.hooks.onStop(error);
  }

  play(options: TrainingOptions): void {
    if (this.controller) return;
    const controller = new AbortController();
    this.controller = controller;
    const loop = async () => {
      while (!controller.signal.aborted) {
        const error = await this.fit(PLAY_EPOCHS, options, controller.signal);
        if (error) await this.stopped(error, controller);
      }
    };
    this.running = this.running.then(loop);
  }

  async pause(): Promise<void> {
    this.controller?.abort();
    this.controller = null;
    await this.running;
  }

  async step(options: TrainingOptions): Promise<void> {
    await this.pause();
    this.running = this.fit(1, options).then((error) => error && this.stopped(error, null));
    await this.running;
  }

  /** Sets one weight (`input` ≥ 0) or bias (`input` = "bias") of layer `layer`'s unit `unit`, pausing first. */
  async edit(layer: number, unit: number, input: number | "bias", value: number): Promise<void> {
    await this.pause();
    const parameters = structuredClone(this.parameters);
    if (input === "bias") parameters[layer]!.biases[unit] = value;
    else parameters[layer]!.weights[unit]![input] = value;
    await this.net.setParameters(parameters);
    this.parameters = parameters;
    await this.measure(true);
  }

  /** The network as JSON (Network.fromJSON reads it back). */
  toJSON(): Promise<NetworkJSON> {
    return this.net.toJSON();
  }

  dispose(): void {
    this.controller?.abort();
    this.controller = null;
    void this.net.dispose();
  }
}
