// A hyperparameter as a descriptor states it (src/operations/*.ts): its name, its default, what
// values it takes, and where it sits in the settings block the core reads. Checked in one place.
import { describe } from "../errors.js";

/** A number in [min, max] (an end left out of the range when it is open) or true/false. */
export type Hyperparameter =
  | {
      readonly name: string;
      readonly type: "number";
      readonly default: number;
      readonly min: number;
      readonly max: number;
      readonly minOpen?: boolean;
      readonly maxOpen?: boolean;
    }
  | { readonly name: string; readonly type: "boolean"; readonly default: boolean };

/** "[0, 1)", "(0, Infinity)": the range as messages state it. */
export function rangeText(h: Extract<Hyperparameter, { type: "number" }>): string {
  return `${h.minOpen ? "(" : "["}${h.min}, ${h.max}${h.maxOpen ? ")" : "]"}`;
}

/** The value given (or the default, if undefined) checked against its range; a TypeError for a wrong kind, a RangeError out of range. */
export function hyperparameterValue(h: Hyperparameter, given: unknown, what: string): number | boolean {
  const v = given ?? h.default;
  if (h.type === "boolean") {
    if (typeof v !== "boolean") throw new TypeError(`${what} is ${describe(v)}; expected true or false`);
    return v;
  }
  if (typeof v !== "number") throw new TypeError(`${what} is ${describe(v)}; expected a number in ${rangeText(h)}`);
  const ok = Number.isFinite(v) || (v === Infinity && h.max === Infinity && !h.maxOpen);
  if (!ok || (h.minOpen ? !(v > h.min) : !(v >= h.min)) || (h.maxOpen ? !(v < h.max) : !(v <= h.max)))
    throw new RangeError(`${what} is ${v}; expected a number in ${rangeText(h)}`);
  return v;
}

/** Every hyperparameter of a descriptor, checked; the keys of `given` must be among them (and `allowed`). */
export function hyperparameterValues(
  list: readonly Hyperparameter[],
  given: Record<string, unknown>,
  what: string,
): Record<string, number | boolean> {
  const values: Record<string, number | boolean> = {};
  for (const h of list) values[h.name] = hyperparameterValue(h, given[h.name], `${what}: ${h.name}`);
  return values;
}
