// "Download model": one button per format the library can write. JSON is Network.toJSON's
// (Network.fromJSON reads it back, exactly); ONNX is Network.toONNX's (float64; onnxruntime runs
// it), from the worker's network rebuilt here from its JSON. Both take the features the
// network takes (x, y, x², … as chosen), not the raw point.
import { Network } from "backprop-wasm";
import type { Trainer } from "./trainer.js";

export interface ModelFormat {
  id: string;
  label: string;
  extension: string;
  type: string;
  write(trainer: Trainer): Promise<string | Uint8Array>;
}

export const MODEL_FORMATS: ModelFormat[] = [
  {
    id: "json",
    label: "JSON",
    extension: "json",
    type: "application/json",
    write: async (trainer) => `${JSON.stringify(await trainer.toJSON(), null, 1)}\n`,
  },
  {
    id: "onnx",
    label: "ONNX",
    extension: "onnx",
    type: "application/octet-stream",
    write: async (trainer) => {
      const net = await Network.fromJSON(await trainer.toJSON());
      try {
        return net.toONNX();
      } finally {
        net.dispose();
      }
    },
  },
];

/** Saves `data` as a file named `name`, through a temporary link. */
export function saveFile(name: string, data: string | Uint8Array, type: string): void {
  const url = URL.createObjectURL(new Blob([data as BlobPart], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
