// One training run in a worker: play (fit until paused), pause (abort), one step (one epoch).
// Every epoch's figures and parameters come back through onEpochEnd, on this thread.
import { createTrainingWorker, type Evaluation, type LayerParameters, type NetworkSpec, type OptimizerName, type WorkerNetwork } from "backprop-wasm";

export interface TrainingOptions {
  optimizer: OptimizerName;
  learningRate: number;
  batchSize: number;
  weightDecay: number;
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
    /** called after every epoch, and once for the untrained network */
    private readonly onProgress: () => void,
    /** called if training fails (a DivergenceError, say) */
    private readonly onError: (error: Error) => void,
    /** what the worker waits for after each epoch: nothing, or the next frame to go at the page's pace */
    private readonly pace: () => Promise<void> | undefined,
  ) {}

  static async start(spec: NetworkSpec, data: Data, hooks: { onProgress(): void; onError(error: Error): void; pace(): Promise<void> | undefined }): Promise<Trainer> {
    const trainer = new Trainer(await createTrainingWorker(spec), data, hooks.onProgress, hooks.onError, hooks.pace);
    const [parameters, train, test] = await Promise.all([
      trainer.net.getParameters(),
      trainer.net.evaluate(data.xTrain, data.yTrain),
      trainer.net.evaluate(data.xTest, data.yTest),
    ]);
    trainer.record(parameters, train, test);
    return trainer;
  }

  get playing(): boolean {
    return this.controller !== null;
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
    this.onProgress();
  }

  // resolves to false if training failed
  private fit(epochs: number, options: TrainingOptions, signal?: AbortSignal): Promise<boolean> {
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
          this.record(parameters!, { loss: logs.loss, accuracy: logs.accuracy }, { loss: logs.valLoss!, accuracy: logs.valAccuracy });
          return this.pace();
        },
      })
      .then(
        () => true,
        (error: Error) => {
          if (error.name !== "DisposedError") this.onError(error);
          return false;
        },
      );
  }

  play(options: TrainingOptions): void {
    if (this.controller) return;
    const controller = new AbortController();
    this.controller = controller;
    const loop = async () => {
      while (!controller.signal.aborted) {
        if (!(await this.fit(PLAY_EPOCHS, options, controller.signal))) {
          controller.abort();
          if (this.controller === controller) this.controller = null;
        }
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
    this.running = this.fit(1, options);
    await this.running;
  }

  dispose(): void {
    this.controller?.abort();
    this.controller = null;
    void this.net.dispose();
  }
}
