// The core's exports: the whole surface JavaScript sees (src/backends/wasm/ loads it).
export { alloc, free } from "./memory";
export {
  networkCreate, networkReserve, networkInit, networkForward, networkLoss,
  networkGradients, networkTrainStep, networkParams, networkGrads,
  networkInput, networkTarget, networkOutput, networkLayerZ, networkLayerA, networkLayerDZ, networkRng, networkFailure,
} from "./network";
export {
  dataCreate, dataFree, dataSetRows, dataX, dataY, optimizerSet, optimizerClear, optimizerState, optimizerStateLength,
  optimizerCounters, networkSettings, fitEpochBegin, fitBatches, fitLoadedBatch, fitOrder, fitEpochs, epochLoss, epochCorrect, fitFailedBatch,
  evaluate, networkEvaluate, evalCorrect,
} from "./training";
export { matmul, matmulTransA, matmulTransB, packingBytesFor, packingReserve, productBlock } from "./matrix";
export { productThreads } from "./threads";
export { layerRows } from "./rows";
