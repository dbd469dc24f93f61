// The messages between a WorkerNetwork (the caller's side, client.ts) and the network it drives
// in a worker (host.ts). Every value is structured-cloneable; functions (onEpochEnd) and the
// AbortSignal stay on the caller's side and travel as "epoch", "epochReply" and "abort" messages.
import { DisposedError, DivergenceError, NonFiniteError, ShapeError } from "../errors.js";
import { ModelFormatError } from "../errors.js";

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

const ERROR_CLASSES: Record<string, new (message: string) => Error> = {
  ShapeError, NonFiniteError, DisposedError, DivergenceError,
  ModelFormatError,
  TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError, Error,
};

/** The error the worker threw, as an instance of the caller's class of the same name. */
export function deserializeError({ name, message, fields }: SerializedError): Error {
  const ErrorClass = ERROR_CLASSES[name] ?? Error;
  return Object.assign(new ErrorClass(message), fields, { name });
}
