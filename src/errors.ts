// Every error the library throws for bad input. Sizes are ShapeErrors, values outside their
// allowed range (NaN, ±Infinity, a learning rate ≤ 0) are RangeErrors, wrong kinds and unknown
// names are TypeErrors; all say what was given and what was expected.

/** A size that does not fit: a row of the wrong width, a layer of 0 units, a matrix of the wrong shape. */
export class ShapeError extends RangeError {
  override name = "ShapeError";
}

/** NaN or ±Infinity where a finite number is needed (inputs, targets, parameters). */
export class NonFiniteError extends RangeError {
  override name = "NonFiniteError";
}

/** A call on a network after `dispose()`. */
export class DisposedError extends Error {
  override name = "DisposedError";
}

/** Training produced a non-finite loss or parameter; the parameters were left at their last finite values. */
export class DivergenceError extends Error {
  override name = "DivergenceError";
}

/** A model file (ONNX, TensorFlow.js) that cannot be read as a network: malformed bytes, or an op, attribute or graph this library has no layer for. */
export class ModelFormatError extends TypeError {
  override name = "ModelFormatError";
}
