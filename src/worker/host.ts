// The worker's side: one Network, driven by messages from a WorkerNetwork (client.ts). Calls run
// one at a time in arrival order, so a predict sent during a fit sees the network after it;
// "epochReply" and "abort" are handled at once, between the fit's batches. Disposing is
// terminating the worker, which frees everything.
import { Network, type NetworkJSON } from "../network.js";
import type { FitOptions } from "../training/options.js";
import type { NetworkSpec } from "../plan.js";
import type { MatrixInput } from "../data/rows.js";
import { serializeError, type FromWorker, type ToWorker } from "./protocol.js";

/** How the host talks to its caller: `self` in a browser worker, `parentPort` in Node. */
export interface Port {
  post(message: FromWorker): void;
  listen(onMessage: (message: ToWorker) => void): void;
}

interface RunningFit {
  controller: AbortController;
  /** resolves the pending epoch report with the caller's verdict: true to stop */
  reply?: (stop: boolean) => void;
}

export function serve(port: Port): void {
  let net: Network | undefined;
  let queue = Promise.resolve();
  const fits = new Map<number, RunningFit>();

  function network(): Network {
    if (!net) throw new Error("the worker's network was not created");
    return net;
  }

  async function fit(call: Extract<ToWorker, { kind: "call" }>, running: RunningFit): Promise<unknown> {
    const [x, y, options] = call.args as [MatrixInput, MatrixInput, FitOptions];
    const channel = call.fit!;
    const hooks: Partial<FitOptions> = {};
    if (channel.signal !== "none") hooks.signal = running.controller.signal;
    if (channel.reportEpochs)
      hooks.onEpochEnd = (epoch, logs) =>
        new Promise<boolean>((reply) => {
          running.reply = reply;
          const parameters = channel.includeParameters ? network().getParameters() : undefined;
          port.post({ kind: "epoch", id: call.id, epoch, logs, parameters });
        }).then((stop) => (stop ? false : undefined));
    try {
      return await network().fit(x, y, { ...options, ...hooks });
    } finally {
      fits.delete(call.id);
    }
  }

  async function run(call: Extract<ToWorker, { kind: "call" }>, running: RunningFit | undefined): Promise<unknown> {
    const args = call.args;
    switch (call.method) {
      case "create":
        net = await Network.create(args[0] as NetworkSpec);
        return { spec: net.spec, threads: net.threads };
      case "predict":
        return network().predict(args[0] as MatrixInput);
      case "evaluate":
        return network().evaluate(args[0] as MatrixInput, args[1] as MatrixInput);
      case "getParameters":
        return network().getParameters();
      case "setParameters":
        return network().setParameters(args[0] as NetworkJSON["parameters"]);
      case "toJSON":
        return network().toJSON();
      case "fit":
        return fit(call, running!);
    }
  }

  port.listen((message) => {
    if (message.kind === "abort") {
      const running = fits.get(message.id);
      running?.controller.abort();
      // stop waiting for the caller's onEpochEnd: fit sees the aborted signal right after it
      running?.reply?.(false);
    } else if (message.kind === "epochReply") {
      fits.get(message.id)?.reply?.(message.stop);
    } else {
      // registered on arrival, so that an abort sent while the fit waits its turn is not lost
      const running = message.method === "fit" ? { controller: new AbortController() } : undefined;
      if (running) fits.set(message.id, running);
      if (message.fit?.signal === "aborted") running?.controller.abort();
      queue = queue.then(() =>
        run(message, running).then(
          (value) => port.post({ kind: "result", id: message.id, value }),
          (error: unknown) => port.post({ kind: "error", id: message.id, error: serializeError(error) }),
        ),
      );
    }
  });
}
