// Training progress: on a terminal, one bar redrawn in place (the epochs done, and within an
// epoch the time since the last one against the mean epoch's time), with the last epoch's loss,
// accuracy, validation figures, samples/s and the time left; piped, one plain line per epoch.
import type { EpochLogs } from "../index.js";

export type ProgressMode = "bar" | "lines" | "none";

interface Out {
  write(text: string): unknown;
  columns?: number;
}

export const formatCount = (n: number): string => Math.round(n).toLocaleString("en-US");

/** m:ss, or h:mm:ss from an hour on. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  const pad = (v: number) => String(v).padStart(2, "0");
  return h > 0 ? `${h}:${pad(m)}:${pad(r)}` : `${m}:${pad(r)}`;
}

/** The figures of an epoch as `name value` pairs, Keras's names. */
export function formatLogs(logs: EpochLogs): string {
  const parts = [`loss ${logs.loss.toFixed(4)}`];
  if (logs.accuracy !== undefined) parts.push(`accuracy ${logs.accuracy.toFixed(4)}`);
  if (logs.valLoss !== undefined) parts.push(`val_loss ${logs.valLoss.toFixed(4)}`);
  if (logs.valAccuracy !== undefined) parts.push(`val_accuracy ${logs.valAccuracy.toFixed(4)}`);
  return parts.join("  ");
}

export class Progress {
  private started = 0;
  private lastEnd = 0;
  private done = 0;
  private logs: EpochLogs | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private drawn = false;

  constructor(
    private readonly mode: ProgressMode,
    private readonly out: Out,
    private readonly epochs: number,
    private readonly rowsPerEpoch: number,
  ) {}

  start(): void {
    this.started = this.lastEnd = performance.now();
    if (this.mode === "bar") {
      this.draw();
      this.timer = setInterval(() => this.draw(), 100);
      this.timer.unref();
    }
  }

  /** After epoch `epoch` (from 0) with its figures. */
  epoch(epoch: number, logs: EpochLogs): void {
    this.done = epoch + 1;
    this.logs = logs;
    this.lastEnd = performance.now();
    if (this.mode === "lines")
      this.out.write(`epoch ${this.done}/${this.epochs}  ${formatLogs(logs)}  ${this.rates()}\n`);
    else if (this.mode === "bar") this.draw();
  }

  /** Ends the bar's line. */
  finish(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.mode === "bar" && this.drawn) {
      this.draw();
      this.out.write("\n");
    }
  }

  // samples/s over the epochs done, and the time the rest would take at that pace
  private rates(): string {
    const seconds = (this.lastEnd - this.started) / 1000;
    if (this.done === 0 || seconds <= 0) return "";
    const left = (seconds / this.done) * (this.epochs - this.done);
    return `${formatCount((this.done * this.rowsPerEpoch) / seconds)} samples/s  ${formatDuration(left)} left`;
  }

  private draw(): void {
    const now = performance.now();
    let fraction = this.done / this.epochs;
    if (this.done > 0 && this.done < this.epochs) {
      const perEpoch = (this.lastEnd - this.started) / this.done;
      fraction += Math.min(0.99, (now - this.lastEnd) / perEpoch) / this.epochs;
    }
    const shown = this.done === this.epochs ? this.epochs : Math.min(this.done + 1, this.epochs);
    const head = `epoch ${String(shown).padStart(String(this.epochs).length)}/${this.epochs}`;
    // the figures in the order shown, each with its rank: on a narrow terminal the least needed go first
    const parts: [string, number][] = [];
    const logs = this.logs;
    if (logs) {
      parts.push([`loss ${logs.loss.toFixed(4)}`, 0]);
      if (logs.accuracy !== undefined) parts.push([`accuracy ${logs.accuracy.toFixed(4)}`, 4]);
      if (logs.valLoss !== undefined) parts.push([`val_loss ${logs.valLoss.toFixed(4)}`, 1]);
      if (logs.valAccuracy !== undefined) parts.push([`val_accuracy ${logs.valAccuracy.toFixed(4)}`, 3]);
      const seconds = (this.lastEnd - this.started) / 1000;
      if (seconds > 0) {
        parts.push([`${formatCount((this.done * this.rowsPerEpoch) / seconds)} samples/s`, 5]);
        parts.push([`${formatDuration((seconds / this.done) * (this.epochs - this.done))} left`, 2]);
      }
    } else {
      parts.push([formatDuration((now - this.started) / 1000), 0]);
    }
    const columns = this.out.columns || Number(process.env.COLUMNS) || 80;
    const BAR = 10; // the bar's least width; it takes what the figures leave, up to 30
    const length = (kept: [string, number][]) =>
      head.length + 3 + BAR + kept.reduce((sum, [text]) => sum + 2 + text.length, 0);
    let kept = parts;
    while (kept.length > 1 && length(kept) > columns - 1) {
      const drop = Math.max(...kept.map(([, rank]) => rank));
      kept = kept.filter(([, rank]) => rank !== drop);
    }
    const barWidth = Math.max(BAR, Math.min(30, columns - 1 - length(kept) + BAR));
    const filled = Math.min(barWidth, Math.floor(fraction * barWidth));
    const bar = `[${"=".repeat(filled)}${filled < barWidth ? ">" : ""}${" ".repeat(Math.max(0, barWidth - filled - 1))}]`;
    const line = `${head} ${bar}${kept.map(([text]) => `  ${text}`).join("")}`.slice(0, Math.max(20, columns - 1));
    this.out.write(`\r${line}\x1b[K`);
    this.drawn = true;
  }
}
