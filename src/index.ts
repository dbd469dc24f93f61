// The public surface of backprop-wasm.
export { Network } from "./network.js";
export type { LayerParameters, NetworkJSON, TrainStepOptions } from "./network.js";
export type { Activation, BackendKind, LayerSpec, Loss, NetworkSpec } from "./plan.js";
export { ACTIVATIONS, LOSSES } from "./plan.js";
export type { MatrixInput } from "./data/rows.js";
export type { ExplainedLayer, ExplainedStep } from "./explain.js";
export { ShapeError, NonFiniteError, DisposedError, DivergenceError } from "./errors.js";
export { Random } from "./random.js";
export { SEED_EXAMPLE, runSeedExample } from "./seed-example.js";
export type { SeedExampleResult, SeedFigures } from "./seed-example.js";
