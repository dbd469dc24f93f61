// The contract between Network (src/network.ts) and the engines that do the arithmetic.
// Arguments arrive validated: row-major data of the right widths, finite values (but predict's x),
// rows ≥ 1, and sizes that src/capacity.ts found to fit. A method that cannot get the memory it
// needs throws a CapacityError and changes nothing. Every method computes the same thing on both
// backends; see assembly/network.ts.
import type { BackendKind } from "../plan.js";

/** One layer's values for a batch after a forward and backward pass, each rows×units. */
export interface LayerTrace {
  z: Float64Array;
  a: Float64Array;
  /** dE/dz */
  dZ: Float64Array;
}

/** An optimizer's settings block: kind, learning rate, weight decay, …, hyperparameters (src/operations/optimizers.ts optimizerSettings). */
export type OptimizerSettings = Float64Array;

/** What training adds to the parameters: the generator's state and the optimizer's. */
export interface TrainingState {
  rng: number;
  optimizer: { steps: number; beta1Power: number; beta2Power: number; state: Float64Array } | null;
}

/** Training data loaded into the backend once per fit (or, if too large for it, streamed from JavaScript). */
export interface DataSet {
  readonly rows: number;
}

/** Why a fit call stopped early: a batch's loss was non-finite, or its update would have made a parameter so. */
export interface FitFailure {
  reason: "loss" | "update";
  batch: number;
}

export interface Backend {
  readonly kind: BackendKind;
  /** threads computing the large matrix products (1 on the JS backend) */
  readonly threads: number;
  /** Seeded initial parameters (Glorot-uniform, He-uniform for relu layers; zero biases). */
  initParameters(seed: number): void;
  /** A copy of the flat parameters [W1 b1 W2 b2 …], into `into` if given (of paramCount values). */
  readParameters(into?: Float64Array): Float64Array;
  writeParameters(flat: Float64Array): void;
  /** Outputs rows×outputs, a copy. The one method whose x may hold values that are not finite (Network.predict). */
  predict(x: Float64Array, rows: number): Float64Array;
  /** Whether the last forward pass's first-layer z is finite at the first unit of each of its `rows` rows. */
  firstUnitFinite(rows: number): boolean;
  loss(x: Float64Array, y: Float64Array, rows: number): number;
  /** dE/dθ averaged over rows, flat like the parameters (a copy), and the loss. */
  gradients(x: Float64Array, y: Float64Array, rows: number): { loss: number; gradients: Float64Array };
  /**
   * One gradient-descent step, checked whole before it is written: the loss before it, and
   * "loss" or "update" if the loss, or a parameter the update would write, is non-finite (the
   * step is then not applied). With `dropout`, the layers that have it drop outputs, the masks
   * drawn from the network's generator.
   */
  trainStep(
    x: Float64Array,
    y: Float64Array,
    rows: number,
    learningRate: number,
    dropout: boolean,
  ): { loss: number; failure: FitFailure["reason"] | null };
  /** The loss, dE/dθ (flat) and every layer's z, a and dE/dz for the batch, without changing the parameters. */
  trace(
    x: Float64Array,
    y: Float64Array,
    rows: number,
  ): { loss: number; gradients: Float64Array; layers: LayerTrace[] };
  /** Mean loss of the batch and its correct outputs (softmax: argmax matches; sigmoid: same side of ½). */
  evaluateBatch(x: Float64Array, y: Float64Array, rows: number): { loss: number; correct: number };
  dispose(): void;

  // Training (src/training/fit.ts). A fit loads its data once, then runs whole epochs, or an
  // epoch in slices of batches, each in one call.
  /** Makes room for batches of `rows` and epochs over `orderRows` rows of a data set. */
  reserve(rows: number, orderRows?: number): void;
  /** Sets the optimizer (null: none); its state is kept while its kind stays the same. */
  setOptimizer(settings: OptimizerSettings | null): void;
  /** The generator's and the optimizer's state; the optimizer's values copied into `into` if given (of the right length). */
  readTrainingState(into?: Float64Array): TrainingState;
  /** Restores a saved state; the optimizer it belongs to must be set first. */
  writeTrainingState(state: TrainingState): void;
  createDataSet(x: Float64Array, y: Float64Array, rows: number): DataSet;
  freeDataSet(data: DataSet): void;
  /** Starts an epoch: row order 0..rows−1, shuffled from the network's generator if asked. */
  beginEpoch(data: DataSet, shuffle: boolean): void;
  /** Batches first … first+count−1 of the epoch; false if one failed (then nothing of it was applied). */
  runBatches(data: DataSet, batchSize: number, first: number, count: number): boolean;
  /** The current epoch so far: Σ loss × rows, correct outputs, and the failure if runBatches returned false. */
  epochTotals(): { lossSum: number; correct: number; failure: FitFailure | null };
  /** Whole epochs in one call: each epoch's mean loss and correct count; fewer than asked if one failed. */
  runEpochs(
    data: DataSet,
    batchSize: number,
    shuffle: boolean,
    epochs: number,
  ): {
    losses: Float64Array;
    corrects: Float64Array;
    failure: FitFailure | null;
  };
  /** Mean loss and correct outputs over a data set in chunks of `chunk` rows, combined as Network.evaluate combines its chunks. */
  evaluate(data: DataSet, chunk: number): { loss: number; correct: number };
}
