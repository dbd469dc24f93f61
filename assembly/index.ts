// The core's exports: the whole surface JavaScript sees (src/backends/wasm/ loads it).
export { alloc, free } from "./memory";
export {
  networkCreate, networkFree, networkReserve, networkInit, networkForward, networkLoss,
  networkGradients, networkTrainStep, networkParams, networkGrads, networkParamCount,
  networkInput, networkTarget, networkOutput, networkLayerZ, networkLayerA, networkLayerDZ, networkRng, networkFailure,
} from "./network";
export {
  dataCreate, dataFree, dataSetRows, dataX, dataY, optimizerSet, optimizerState, optimizerStateLength, optimizerCounters,
  fitEpochBegin, fitBatches, fitEpochs, epochLoss, epochCorrect, fitFailedBatch, evaluate,
} from "./training";
export { matmul, matmulTransA, matmulTransB } from "./matrix";
