// "Download model": one button per format the library can write. JSON is Network.toJSON's
// (Network.fromJSON reads it back, exactly); ONNX joins this list when the library writes it
// (the interop issue), as { id: "onnx", label: "ONNX", extension: "onnx", type:
// "application/octet-stream", write: (trainer) => the model's bytes }.
import type { Trainer } from "./trainer.js";

export interface ModelFormat {
  id: string;
  label: string;
  extension: string;
  type: string;
  write(trainer: Trainer): Promise<string | Uint8Array>;
}

export const MODEL_FORMATS: ModelFormat[] = [
  { id: "json", label: "JSON", extension: "json", type: "application/json", write: async (trainer) => `${JSON.stringify(await trainer.toJSON(), null, 1)}\n` },
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
