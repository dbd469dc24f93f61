// The training worker's entry point, bundled into one classic script (scripts/build-bundle.mjs)
// so that it starts from a Blob URL in browsers, file:// pages included, and with `eval` in
// Node's worker_threads.
import { serve, type Port } from "./host.js";
import type { ToWorker } from "./protocol.js";

interface NodeWorkerThreads {
  parentPort: {
    postMessage(message: unknown): void;
    on(event: "message", listener: (message: ToWorker) => void): void;
  };
}

declare const WorkerGlobalScope: unknown;
declare const process: { getBuiltinModule(id: string): unknown };

function browserPort(): Port {
  const scope = globalThis as unknown as {
    postMessage(message: unknown): void;
    onmessage: ((event: { data: ToWorker }) => void) | null;
  };
  return {
    post: (message) => scope.postMessage(message),
    listen: (onMessage) => {
      scope.onmessage = (event) => onMessage(event.data);
    },
  };
}

function nodePort(): Port {
  const { parentPort } = process.getBuiltinModule("node:worker_threads") as NodeWorkerThreads;
  return {
    post: (message) => parentPort.postMessage(message),
    listen: (onMessage) => parentPort.on("message", onMessage),
  };
}

serve(typeof WorkerGlobalScope !== "undefined" ? browserPort() : nodePort());
