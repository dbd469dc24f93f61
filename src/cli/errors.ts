// The command's two kinds of failure and their exit codes: a usage error (the command line is
// wrong: an unknown option, a bad value, a column the file does not have) exits with 2, a data
// error (the file's contents are wrong) with 1. Each is one line naming where and what was expected.

/** The command line is wrong; exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
  readonly exitCode = 2;
}

/** A file's contents are wrong; exit code 1. */
export class DataError extends Error {
  override name = "DataError";
  readonly exitCode = 1;
}

/** "FILE, line N, column "name"": where in a CSV file something is; parts not known are left out. */
export function place(file: string, line?: number, column?: string): string {
  let where = file;
  if (line !== undefined) where += `, line ${line}`;
  if (column !== undefined) where += `, column ${JSON.stringify(column)}`;
  return where;
}

/** A list of names for a message: "a", "b" and "c", or the first `max` and how many more. */
export function listNames(names: readonly string[], max = 12): string {
  const quoted = names.slice(0, max).map((n) => JSON.stringify(n));
  if (names.length > max) return `${quoted.join(", ")} and ${names.length - max} more`;
  return quoted.length <= 1 ? quoted.join("") : `${quoted.slice(0, -1).join(", ")} and ${quoted.at(-1)}`;
}
