// The messages between a WorkerNetwork (the caller's side, client.ts) and the network it drives
// in a worker (host.ts). Every value is structured-cloneable; functions (onEpochEnd) and the
// AbortSignal stay on the caller's side and travel as "epoch", "epochReply" and "abort" messages.
import {
  CapacityError,
  DisposedError,
  DivergenceError,
  ModelFormatError,
  NonFiniteError,
  ShapeError,
} from "../errors.js";

/** The methods the host runs, one at a time, in the order they were called. */
export type Method = "create" | "predict" | "evaluate" | "getParameters" | "setParameters" | "toJSON" | "fit";

export type ToWorker =
  | { kind: "call"; id: number; method: Method; args: unknown[]; fit?: FitChannel }
  /** the caller's onEpochEnd has returned for the report of call `id`; stop if it returned false */
  | { kind: "epochReply"; id: number; stop: boolean }
  | { kind: "abort"; id: number };

/** What a fit call carries besides its arguments: which of the caller's hooks it must serve. */
export interface FitChannel {
  /** post an "epoch" report after each epoch and wait for the caller's "epochReply" */
  reportEpochs: boolean;
  /** put the parameters in each report */
  includeParameters: boolean;
  /** the caller's AbortSignal: none; open (fit gets one, aborted by an "abort" message); already aborted */
  signal: "none" | "open" | "aborted";
}

export type FromWorker =
  | { kind: "result"; id: number; value: unknown }
  | { kind: "error"; id: number; error: SerializedError }
  | { kind: "epoch"; id: number; epoch: number; logs: unknown; parameters?: unknown };

export interface SerializedError {
  name: string;
  message: string;
  /** the error's own fields, such as a DivergenceError's epoch, batch and history */
  fields: Record<string, unknown>;
}

export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: "Error", message: String(error), fields: {} };
  let fields: Record<string, unknown> = {};
  try {
    fields = structuredClone({ ...error });
  } catch {
    // a field that cannot be cloned: send the name and message alone
  }
  return { name: error.name, message: error.message, fields };
}

const ERROR_CLASSES: Record<string, (message: string) => Error> = {
  ShapeError: (m) => new ShapeError(m),
  NonFiniteError: (m) => new NonFiniteError(m),
  DisposedError: (m) => new DisposedError(m),
  DivergenceError: (m) => new DivergenceError(m),
  CapacityError: (m) => new CapacityError(m, { bytes: NaN, limit: null }), // the sizes come with the fields
  ModelFormatError: (m) => new ModelFormatError(m),
  TypeError: (m) => new TypeError(m),
  RangeError: (m) => new RangeError(m),
  SyntaxError: (m) => new SyntaxError(m),
  ReferenceError: (m) => new ReferenceError(m),
  EvalError: (m) => new EvalError(m),
  URIError: (m) => new URIError(m),
  Error: (m) => new Error(m),
};

/** The error the worker threw, as an instance of the caller's class of the same name. */
export function deserializeError({ name, message, fields }: SerializedError): Error {
  const make = ERROR_CLASSES[name] ?? ERROR_CLASSES.Error!;
  return Object.assign(make(message), fields, { name });
}
