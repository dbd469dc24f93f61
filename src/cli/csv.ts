// Reading CSV files by streaming, with Papa Parse (RFC 4180: quoted fields with commas, quotes
// and line breaks inside; CRLF, LF or CR line ends). A record's line is the physical line it
// starts on, counting the line breaks inside quoted fields. A BOM is dropped; empty lines are
// skipped; a record with more or fewer fields than the header is an error naming its line.
import { createReadStream, statSync } from "node:fs";
import Papa from "papaparse";
import { DataError, UsageError, place } from "./errors.js";

export interface CsvHandlers {
  /** The column names, from the first non-empty line (`line`). */
  header(names: string[], line: number): void;
  /**
   * The next records, each with as many fields as the header; `lineOf(i)` is the line record i
   * starts on. Return false to stop reading.
   */
  records(records: string[][], lineOf: (i: number) => number): boolean | void;
}

/** A file the command may read: it exists and is not a directory (else a usage error). */
export function checkReadable(file: string): void {
  let stats;
  try {
    stats = statSync(file);
  } catch {
    throw new UsageError(`${file}: no such file`);
  }
  if (stats.isDirectory()) throw new UsageError(`${file}: is a directory; expected a CSV file`);
}

const BOM = 0xfeff;
// Papa Parse calls back once per read; 64 KiB reads keep each one's garbage (a string per field)
// small: less time collecting it than with 256 KiB or 1 MiB reads on the MNIST table
const READ_BYTES = 64 * 1024;

/** Streams the records of a CSV file to `handlers`; resolves with the number of data records. */
export function readCsv(file: string, handlers: CsvHandlers): Promise<{ records: number }> {
  checkReadable(file);
  return new Promise((resolve, reject) => {
    // decoded by the stream, so that a character split between two reads stays whole
    const stream = createReadStream(file, { encoding: "utf8", highWaterMark: READ_BYTES });
    let settled = false;
    let quoted = false; // a quote seen so far: only then can a field hold a line break
    let columns = -1;
    let line = 1; // where the next record starts
    let count = 0;
    let stopped = false;
    const finish = (error?: unknown) => {
      if (settled) return;
      settled = true;
      stream.destroy();
      if (error) reject(error);
      else resolve({ records: count });
    };
    stream.on("data", (text) => {
      if (!quoted && text.includes('"')) quoted = true;
    });
    stream.on("error", (error) => finish(new DataError(`${file}: ${error.message}`)));

    Papa.parse<string[]>(stream, {
      delimiter: ",",
      skipEmptyLines: false, // kept, so that they are counted as lines
      beforeFirstChunk: (chunk) => (chunk.charCodeAt(0) === BOM ? chunk.slice(1) : undefined),
      chunk(results, parser) {
        if (settled || stopped) return;
        try {
          const data = results.data;
          const empty = data.some((record) => record.length === 1 && record[0] === "");
          const start = line;
          const lines =
            quoted || empty ? lineStarts(data, start, quoted, results.meta.linebreak === "\r" ? "\r" : "\n") : null;
          const lineOf = (i: number) => (lines ? lines[i]! : start + i);
          line = lines ? lines[data.length]! : start + data.length;

          for (const error of results.errors) {
            const at = error.row === undefined || error.row >= data.length ? undefined : lineOf(error.row);
            const what =
              error.code === "MissingQuotes"
                ? "a quoted field has no closing quote"
                : "a quoted field has text after its closing quote";
            throw new DataError(
              `${place(file, at)}: ${what}; expected "…" around a field, with "" for a quote inside it`,
            );
          }

          let records = data;
          let recordLines = lineOf;
          if (empty || columns < 0) {
            const kept: number[] = [];
            data.forEach((record, i) => {
              if (!(record.length === 1 && record[0] === "")) kept.push(i);
            });
            records = kept.map((i) => data[i]!);
            recordLines = (i) => lineOf(kept[i]!);
          }
          let first = 0;
          if (columns < 0 && records.length > 0) {
            const header = records[0]!;
            columns = header.length;
            handlers.header(header, recordLines(0));
            first = 1;
          }
          for (let i = first; i < records.length; i++) {
            if (records[i]!.length !== columns) {
              const n = records[i]!.length;
              throw new DataError(
                `${place(file, recordLines(i))}: ${n} field${n === 1 ? "" : "s"}; expected ${columns}, as in the header`,
              );
            }
          }
          const batch = first === 0 ? records : records.slice(first);
          if (batch.length === 0) return;
          count += batch.length;
          if (handlers.records(batch, first === 0 ? recordLines : (i) => recordLines(i + first)) === false) {
            stopped = true;
            parser.abort();
            finish();
          }
        } catch (error) {
          stopped = true;
          parser.abort();
          finish(error);
        }
      },
      complete() {
        if (stopped) return;
        if (columns < 0)
          finish(
            new DataError(`${file}: the file is empty; expected a header line of column names, then rows of data`),
          );
        else finish();
      },
      error(error) {
        finish(new DataError(`${file}: ${error.message}`));
      },
    });
  });
}

// The line each record starts on (and, last, the line after them): one line per record, plus the
// line breaks inside its quoted fields
function lineStarts(data: string[][], start: number, quoted: boolean, breaks: string): Int32Array {
  const lines = new Int32Array(data.length + 1);
  let at = start;
  for (let i = 0; i < data.length; i++) {
    lines[i] = at++;
    if (quoted)
      for (const field of data[i]!)
        for (let k = field.indexOf(breaks); k !== -1; k = field.indexOf(breaks, k + 1)) at++;
  }
  lines[data.length] = at;
  return lines;
}

/** One CSV field, quoted when it holds a comma, a quote, a line break or outer spaces (RFC 4180). */
export function csvField(value: string): string {
  if (/[",\r\n]|^\s|\s$/.test(value)) return `"${value.replaceAll('"', '""')}"`;
  return value;
}

/** One CSV line (no line break). */
export function csvLine(values: readonly string[]): string {
  let out = "";
  for (let i = 0; i < values.length; i++) out += (i === 0 ? "" : ",") + csvField(values[i]!);
  return out;
}
