// A worker thread of the Wasm core, bundled into one classic script (scripts/build-bundle.mjs)
// and started from a Blob URL in browsers or with `eval` in Node (threads.ts). It waits to be
// attached to a network: an instance of the kernel-only module (assembly/kernels.ts) on the
// network's shared memory, then serves its jobs (tiles.ts) until the network stops it, drops
// the instance and waits for the next network.
import { type Kernels, serve } from "./tiles.js";
import type { FromThread, ToThread } from "./threads.js";

interface NodeWorkerThreads {
  parentPort: {
    postMessage(message: FromThread): void;
    on(event: "message", listener: (message: ToThread) => void): void;
  };
}

declare const WorkerGlobalScope: unknown;
declare const process: { getBuiltinModule(id: string): unknown };

function attach(message: ToThread, post: (message: FromThread) => void): void {
  let kernels: Kernels;
  try {
    const instance = new WebAssembly.Instance(message.module, { env: { memory: message.memory } });
    kernels = instance.exports as unknown as Kernels;
  } catch (error) {
    post({ kind: "failed", message: error instanceof Error ? error.message : String(error) });
    return;
  }
  post({ kind: "attached" });
  serve(new Int32Array(message.control), kernels, message.thread, message.spinMs);
  post({ kind: "detached" });
}

if (typeof WorkerGlobalScope !== "undefined") {
  const scope = globalThis as unknown as {
    postMessage(message: FromThread): void;
    onmessage: ((event: { data: ToThread }) => void) | null;
  };
  scope.onmessage = (event) => attach(event.data, (message) => scope.postMessage(message));
} else {
  const { parentPort } = process.getBuiltinModule("node:worker_threads") as NodeWorkerThreads;
  parentPort.on("message", (message) => attach(message, (reply) => parentPort.postMessage(reply)));
}
