// Where a command writes: its results and progress on standard output.
export interface Io {
  out(text: string): void;
  /** standard output is a terminal (the progress bar), not a pipe or a file (one line per epoch) */
  isTTY: boolean;
  stream: { write(text: string): unknown; columns?: number };
}

export const processIo: Io = {
  out: (text) => void process.stdout.write(text),
  isTTY: process.stdout.isTTY === true,
  stream: process.stdout,
};
