// Output files are written in full or not at all: into a temporary file beside the target (same
// file system, so that rename(2) replaces it in one step), renamed when complete, removed on a
// failure or when the process exits first.
import {
  closeSync,
  createReadStream,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { UsageError } from "./errors.js";

const pending = new Set<string>();
let exitHookInstalled = false;

function removePending(): void {
  for (const path of pending) rmSync(path, { force: true, recursive: true });
  pending.clear();
}

// Ctrl-C or a kill while a temporary file exists: remove it, then end as the signal would have
const onSignal = (signal: NodeJS.Signals) => {
  removePending();
  process.exit(128 + (signal === "SIGINT" ? 2 : 15));
};

function track(path: string): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on("exit", removePending);
  }
  if (pending.size === 0) {
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  }
  pending.add(path);
}

function untrack(path: string): void {
  pending.delete(path);
  if (pending.size === 0) {
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
  }
}

function temporaryPath(near: string): string {
  const path = join(dirname(near), `.${basename(near)}.${process.pid}-${Math.random().toString(36).slice(2, 10)}.tmp`);
  track(path);
  return path;
}

/** A path the command may write: its folder exists and it is not a folder itself (else a usage error). */
export function checkWritable(path: string, option: string): void {
  let folder;
  try {
    folder = statSync(dirname(path));
  } catch {
    throw new UsageError(`${option} ${path}: the folder ${dirname(path)} does not exist`);
  }
  if (!folder.isDirectory()) throw new UsageError(`${option} ${path}: ${dirname(path)} is not a folder`);
  try {
    if (statSync(path).isDirectory()) throw new UsageError(`${option} ${path}: is a folder; expected a file name`);
  } catch (error) {
    if (error instanceof UsageError) throw error;
  }
}

/**
 * A file written piece by piece and then put in place whole: at `path`, or, with no path, copied
 * to standard output once complete (so that a failure part-way writes nothing there either).
 */
export class OutputFile {
  private readonly temporary: string;
  private fd: number | null;
  private pendingText = "";

  constructor(private readonly path: string | null) {
    this.temporary = temporaryPath(path ?? join(tmpdir(), "backprop-output"));
    this.fd = openSync(this.temporary, "wx", 0o644);
  }

  write(text: string): void {
    this.pendingText += text;
    if (this.pendingText.length >= 1 << 20) this.flush();
  }

  private flush(): void {
    if (this.fd === null || this.pendingText === "") return;
    writeSync(this.fd, this.pendingText);
    this.pendingText = "";
  }

  /** Puts the file in place (or copies it to standard output). */
  async commit(): Promise<void> {
    this.flush();
    fsyncSync(this.fd!);
    closeSync(this.fd!);
    this.fd = null;
    if (this.path !== null) {
      renameSync(this.temporary, this.path);
      untrack(this.temporary);
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const input = createReadStream(this.temporary);
      input.on("error", reject);
      input.on("end", resolve);
      input.pipe(process.stdout, { end: false });
    });
    this.discard();
  }

  /** Removes what was written. */
  discard(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    rmSync(this.temporary, { force: true });
    untrack(this.temporary);
  }
}

/** Writes a whole file at once, in full or not at all. */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const file = new OutputFile(path);
  try {
    file.write(text);
    await file.commit();
  } catch (error) {
    file.discard();
    throw error;
  }
}

/** Writes bytes to a file, in full or not at all. */
export async function writeBytesAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const temporary = temporaryPath(path);
  try {
    writeFileSync(temporary, bytes, { flag: "wx", mode: 0o644 });
    renameSync(temporary, path);
  } finally {
    rmSync(temporary, { force: true });
    untrack(temporary);
  }
}

/** Writes a new folder of files, in full or not at all: into a temporary folder beside it, renamed when complete. */
export async function writeFolderAtomic(path: string, files: Record<string, string | Uint8Array>): Promise<void> {
  const temporary = temporaryPath(path);
  try {
    mkdirSync(temporary);
    for (const [name, content] of Object.entries(files))
      writeFileSync(join(temporary, name), content, { flag: "wx", mode: 0o644 });
    renameSync(temporary, path);
  } finally {
    rmSync(temporary, { force: true, recursive: true });
    untrack(temporary);
  }
}
