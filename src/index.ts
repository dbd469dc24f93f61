// The public surface of backprop-wasm.
export { Network } from "./network.js";
export type { LayerParameters, NetworkJSON, TrainStepOptions } from "./network.js";
export type { Activation, BackendKind, LayerSpec, Loss, NetworkSpec } from "./plan.js";
export { ACTIVATIONS, LOSSES, LAYER_KINDS } from "./plan.js";
export type { LayerKind } from "./plan.js";
export { ACTIVATION_DESCRIPTORS } from "./operations/activations.js";
export type { ActivationDescriptor } from "./operations/activations.js";
export { LOSS_DESCRIPTORS } from "./operations/losses.js";
export type { LossDescriptor } from "./operations/losses.js";
export type { Hyperparameter } from "./operations/hyperparameters.js";
export type { MatrixInput } from "./data/rows.js";
export type { ExplainedLayer, ExplainedStep } from "./explain.js";
export {
  ShapeError,
  NonFiniteError,
  DisposedError,
  DivergenceError,
  CapacityError,
  ModelFormatError,
} from "./errors.js";
export { MAX_PARAMETERS, MEMORY_LIMIT } from "./capacity.js";
export { MAX_THREADS } from "./threads.js";
export { Random } from "./random.js";
export { SEED_EXAMPLE, runSeedExample } from "./seed-example.js";
export type { SeedExampleResult, SeedFigures } from "./seed-example.js";
export type { Evaluation } from "./network.js";
export type { FitOptions } from "./training/options.js";
export type { LearningRateSchedule } from "./training/schedules.js";
export type { LossOption } from "./operations/losses.js";
export type { EpochLogs, History, Monitor } from "./training/fit.js";
export { OPTIMIZERS, DEFAULT_LEARNING_RATES, OPTIMIZER_DESCRIPTORS } from "./operations/optimizers.js";
export type { OptimizerName, OptimizerOption, OptimizerConfig, OptimizerDescriptor } from "./operations/optimizers.js";
export { oneHot, argmax, classify } from "./data/encoding.js";
export { Standardizer } from "./data/standardizer.js";
export type { StandardizerJSON } from "./data/standardizer.js";
export { trainTestSplit } from "./data/split.js";
export type { Split } from "./data/split.js";
export { createTrainingWorker, WorkerNetwork } from "./worker/client.js";
export type { WorkerFitOptions } from "./worker/client.js";
export type { ModelImportOptions } from "./io/model.js";
export type { ONNXExportOptions } from "./io/onnx.js";
export type { TFJSArtifacts, TFJSWeightSpec } from "./io/tfjs.js";
