// The command line of one command, read with node:util's parseArgs (strict: an unknown option
// or a missing value is an error), and the checks of each option's value. Every failure is a
// UsageError (exit code 2) that names the option, what was given and what was expected.
import { parseArgs } from "node:util";
import { MAX_THREADS } from "../index.js";
import { UsageError } from "./errors.js";

export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  /** may be given more than once (its values are joined by commas) */
  multiple?: boolean;
}

export interface CommandLine {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** Reads `argv` (the words after the command's name) against the command's options. */
export function readCommandLine(command: string, argv: string[], options: Record<string, OptionSpec>): CommandLine {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...options, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(`${describeParseError(error, Object.keys(options))}; see backprop ${command} --help`);
  }
  const values: CommandLine["values"] = {};
  for (const [name, value] of Object.entries(parsed.values))
    values[name] = Array.isArray(value) ? value.join(",") : value;
  return { values, positionals: parsed.positionals };
}

function describeParseError(error: unknown, known: string[]): string {
  const code = (error as { code?: string }).code;
  const message = (error as Error).message ?? String(error);
  const option = /'(-[^' ]*)/.exec(message)?.[1];
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && option) {
    const name = option.replace(/^-+/, "").split("=")[0]!;
    const near = known
      .filter((k) => editDistance(k, name) <= Math.max(2, Math.floor(k.length / 3)))
      .map((k) => `--${k}`);
    return (
      `unknown option ${option}${near.length ? ` (did you mean ${near.join(" or ")}?)` : ""}` +
      `; the options are ${known.map((k) => `--${k}`).join(", ")}`
    );
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && option) {
    const name = option.replace(/,$/, "");
    if (/does not take an argument/.test(message)) return `${name} takes no value`;
    if (/ambiguous/.test(message)) return `${name} needs a value (for one that starts with "-", write ${name}=VALUE)`;
    return `${name} needs a value`;
  }
  return message;
}

// Levenshtein distance, for "did you mean"
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}

/** Exactly the positional arguments a command takes, by name, else a usage error. */
export function positionals(command: string, given: string[], names: string[], optional = 0): string[] {
  const required = names.length - optional;
  if (given.length < required)
    throw new UsageError(
      `missing ${names.slice(given.length, required).join(" and ")}; usage: backprop ${command} ${names.join(" ")} …`,
    );
  if (given.length > names.length)
    throw new UsageError(
      `unexpected argument ${JSON.stringify(given[names.length])}; it takes ${names.length === 0 ? "no arguments" : names.join(" and ")}`,
    );
  return given;
}

function value(option: string, text: string | boolean | undefined): string | undefined {
  if (typeof text === "boolean") throw new UsageError(`--${option} needs a value`);
  return text;
}

function number(option: string, text: string): number {
  const v = text.trim() === "" ? NaN : Number(text);
  if (!Number.isFinite(v)) throw new UsageError(`--${option} is ${JSON.stringify(text)}; expected a number`);
  return v;
}

/** An integer ≥ `min` (and ≤ `max`). */
export function integerOption(
  option: string,
  text: string | boolean | undefined,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const t = value(option, text);
  if (t === undefined) return fallback;
  const v = number(option, t);
  if (!Number.isInteger(v) || v < min || v > max)
    throw new UsageError(
      `--${option} is ${t}; expected an integer ${max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`}`,
    );
  return v;
}

/** --threads: how many threads the network computes its large products on, 1 to MAX_THREADS, or auto (one per core); default 1. */
export function threadsOption(text: string | boolean | undefined): number | "auto" {
  const t = value("threads", text);
  if (t === undefined) return 1;
  if (t === "auto") return "auto";
  const v = t.trim() === "" ? NaN : Number(t);
  if (!Number.isInteger(v) || v < 1 || v > MAX_THREADS)
    throw new UsageError(`--threads is ${JSON.stringify(t)}; expected an integer from 1 to ${MAX_THREADS}, or auto`);
  return v;
}

/** A number in [0, 1). */
export function fractionOption(option: string, text: string | boolean | undefined, fallback: number): number {
  const t = value(option, text);
  if (t === undefined) return fallback;
  const v = number(option, t);
  if (!(v >= 0 && v < 1))
    throw new UsageError(`--${option} is ${t}; expected a fraction from 0 up to (not including) 1`);
  return v;
}

/** A finite number > 0. */
export function positiveOption(option: string, text: string | boolean | undefined): number | undefined {
  const t = value(option, text);
  if (t === undefined) return undefined;
  const v = number(option, t);
  if (!(v > 0)) throw new UsageError(`--${option} is ${t}; expected a number > 0`);
  return v;
}

/** One of `names`. */
export function choiceOption<T extends string>(
  option: string,
  text: string | boolean | undefined,
  names: readonly T[],
  fallback: T,
): T {
  const t = value(option, text);
  if (t === undefined) return fallback;
  if (!(names as readonly string[]).includes(t))
    throw new UsageError(`--${option} is ${JSON.stringify(t)}; expected one of ${names.join(", ")}`);
  return t as T;
}

/** A comma-separated list of names (column names). */
export function namesOption(option: string, text: string | boolean | undefined): string[] {
  const t = value(option, text);
  if (t === undefined) return [];
  const names = t.split(",").map((n) => n.trim());
  if (names.some((n) => n === ""))
    throw new UsageError(`--${option} is ${JSON.stringify(t)}; expected column names separated by commas`);
  return names;
}

/** A string option's text. */
export function stringOption(option: string, text: string | boolean | undefined): string | undefined {
  const t = value(option, text);
  if (t !== undefined && t.trim() === "") throw new UsageError(`--${option} is empty; expected a value`);
  return t;
}
