// Starts the training worker from its inlined source: a classic Web Worker from a Blob URL in
// browsers (module workers and file URLs do not load on file:// pages; a Blob does), or a
// worker_threads Worker with `eval` in Node. No file has to be found, served or copied.
import type { FromWorker, ToWorker } from "./protocol.js";
import { WORKER_SOURCE } from "./worker-source.generated.js";

/** A started worker, whichever kind. */
export interface Channel {
  post(message: ToWorker): void;
  /** `onFailure` is called once if the worker dies of an error nobody caught */
  listen(onMessage: (message: FromWorker) => void, onFailure: (error: Error) => void): void;
  /** whether the worker should keep a Node process alive (while calls are pending) */
  keepAlive(alive: boolean): void;
  terminate(): void;
}

interface NodeWorker {
  postMessage(message: unknown): void;
  on(event: "message", listener: (message: FromWorker) => void): void;
  on(event: "error", listener: (error: Error) => void): void;
  ref(): void;
  unref(): void;
  terminate(): Promise<number>;
}

interface NodeWorkerThreads {
  Worker: new (source: string, options: { eval: true }) => NodeWorker;
}

declare const process: { getBuiltinModule?(id: string): unknown } | undefined;

let blobUrl: string | undefined;

function webWorker(): Channel {
  blobUrl ??= URL.createObjectURL(new Blob([WORKER_SOURCE], { type: "text/javascript" }));
  const worker = new Worker(blobUrl);
  return {
    post: (message) => worker.postMessage(message),
    listen(onMessage, onFailure) {
      worker.onmessage = (event: MessageEvent<FromWorker>) => onMessage(event.data);
      worker.onerror = (event) => {
        event.preventDefault();
        onFailure(new Error(`the training worker failed: ${event.message}`));
      };
    },
    keepAlive: () => {},
    terminate: () => worker.terminate(),
  };
}

function nodeWorker(threads: NodeWorkerThreads): Channel {
  const worker = new threads.Worker(WORKER_SOURCE, { eval: true });
  return {
    post: (message) => worker.postMessage(message),
    listen(onMessage, onFailure) {
      worker.on("message", onMessage);
      worker.on("error", (error) => onFailure(new Error(`the training worker failed: ${error.message}`)));
    },
    keepAlive: (alive) => (alive ? worker.ref() : worker.unref()),
    terminate: () => void worker.terminate(),
  };
}

export function spawnWorker(): Channel {
  if (typeof Worker === "function" && typeof Blob === "function") return webWorker();
  const threads = typeof process === "object" ? process?.getBuiltinModule?.("node:worker_threads") : undefined;
  if (threads) return nodeWorker(threads as NodeWorkerThreads);
  throw new TypeError(
    "createTrainingWorker: found neither Web Workers nor Node's worker_threads (process.getBuiltinModule, Node 20.16 or later)",
  );
}
