// Learning-rate schedules, stepped after each epoch as torch.optim.lr_scheduler's are stepped
// after each epoch: each gives the learning rate of the next epoch from the one just run.
import { checkKeys, describe } from "../errors.js";
import { hyperparameterValue, type Hyperparameter } from "../operations/hyperparameters.js";

/** A learning-rate schedule for fit (torch.optim.lr_scheduler's, with their defaults). */
export type LearningRateSchedule =
  /** StepLR: lr ← lr·gamma after every stepSize epochs (gamma default 0.1) */
  | { name: "step"; stepSize: number; gamma?: number }
  /** ExponentialLR: lr ← lr·gamma after every epoch */
  | { name: "exponential"; gamma: number }
  /** CosineAnnealingLR: lr after epoch t = min + (lr₀ − min)·(1 + cos(π·t/epochs))/2 (minLearningRate default 0) */
  | { name: "cosine"; epochs: number; minLearningRate?: number }
  /** ReduceLROnPlateau on the validation loss (the training loss without validation): lr ← max(lr·factor, min) after more than `patience` epochs without a relative improvement of 10⁻⁴ (factor 0.1, patience 10) */
  | { name: "plateau"; factor?: number; patience?: number; minLearningRate?: number };

export const SCHEDULES = ["step", "exponential", "cosine", "plateau"] as const;

const positiveInteger = (name: string): Hyperparameter => ({
  name,
  type: "number",
  default: NaN,
  min: 1,
  max: Infinity,
  maxOpen: true,
});
const HYPERPARAMETERS: Record<(typeof SCHEDULES)[number], { list: Hyperparameter[]; integers: string[] }> = {
  step: {
    list: [
      positiveInteger("stepSize"),
      { name: "gamma", type: "number", default: 0.1, min: 0, max: Infinity, minOpen: true, maxOpen: true },
    ],
    integers: ["stepSize"],
  },
  exponential: {
    list: [{ name: "gamma", type: "number", default: NaN, min: 0, max: Infinity, minOpen: true, maxOpen: true }],
    integers: [],
  },
  cosine: {
    list: [
      positiveInteger("epochs"),
      { name: "minLearningRate", type: "number", default: 0, min: 0, max: Infinity, maxOpen: true },
    ],
    integers: ["epochs"],
  },
  plateau: {
    list: [
      { name: "factor", type: "number", default: 0.1, min: 0, max: 1, minOpen: true, maxOpen: true },
      { name: "patience", type: "number", default: 10, min: 0, max: Infinity, maxOpen: true },
      { name: "minLearningRate", type: "number", default: 0, min: 0, max: Infinity, maxOpen: true },
    ],
    integers: ["patience"],
  },
};

/** A schedule in use by one fit: the learning rate for the next epoch, from the metric of the one just run. */
export interface Scheduler {
  readonly schedule: LearningRateSchedule;
  /** after epoch `epoch` (from 0) with `metric` (the plateau's loss): the learning rate of epoch + 1 */
  next(epoch: number, metric: number): number;
}

/** Checks a schedule option; a TypeError or RangeError naming what is wrong. */
export function checkSchedule(option: unknown): LearningRateSchedule {
  if (option === null || typeof option !== "object" || Array.isArray(option))
    throw new TypeError(
      `fit: learningRateSchedule is ${describe(option)}; expected { name, ... } with name one of ${SCHEDULES.map((s) => `"${s}"`).join(", ")}`,
    );
  const name = (option as { name?: unknown }).name;
  if (typeof name !== "string" || !(SCHEDULES as readonly string[]).includes(name))
    throw new TypeError(
      `fit: learningRateSchedule.name is ${describe(name)}; expected one of ${SCHEDULES.map((s) => `"${s}"`).join(", ")}`,
    );
  const { list, integers } = HYPERPARAMETERS[name as (typeof SCHEDULES)[number]];
  checkKeys(option, ["name", ...list.map((h) => h.name)], "fit: learningRateSchedule");
  const checked: Record<string, unknown> = { name };
  for (const h of list) {
    const given = (option as Record<string, unknown>)[h.name];
    if (given === undefined && h.type === "number" && Number.isNaN(h.default))
      throw new TypeError(`fit: learningRateSchedule "${name}" needs ${h.name}`);
    const v = hyperparameterValue(h, given, `fit: learningRateSchedule.${h.name}`);
    if (integers.includes(h.name) && !Number.isInteger(v))
      throw new RangeError(`fit: learningRateSchedule.${h.name} is ${v}; expected an integer`);
    checked[h.name] = v;
  }
  return checked as LearningRateSchedule;
}

/** A new scheduler for one fit starting at `base`. */
export function scheduler(schedule: LearningRateSchedule, base: number): Scheduler {
  let lr = base;
  switch (schedule.name) {
    case "step": {
      const gamma = schedule.gamma ?? 0.1;
      // StepLR's chainable form: lr·γ whenever last_epoch = epoch + 1 is a multiple of step_size
      return { schedule, next: (epoch) => ((epoch + 1) % schedule.stepSize === 0 ? (lr = lr * gamma) : lr) };
    }
    case "exponential":
      return { schedule, next: () => (lr = lr * schedule.gamma) };
    case "cosine": {
      const min = schedule.minLearningRate ?? 0;
      // CosineAnnealingLR's closed form, η_t = η_min + (η₀ − η_min)(1 + cos(π·t/T))/2 at t = epoch + 1
      return {
        schedule,
        next: (epoch) => min + ((base - min) * (1 + Math.cos((Math.PI * (epoch + 1)) / schedule.epochs))) / 2,
      };
    }
    case "plateau": {
      const factor = schedule.factor ?? 0.1,
        patience = schedule.patience ?? 10,
        min = schedule.minLearningRate ?? 0;
      let best = Infinity,
        bad = 0;
      // ReduceLROnPlateau, mode "min", threshold 1e-4 relative, cooldown 0, eps 1e-8
      return {
        schedule,
        next: (_, metric) => {
          if (metric < best * (1 - 1e-4)) {
            best = metric;
            bad = 0;
          } else bad++;
          if (bad > patience) {
            const reduced = Math.max(lr * factor, min);
            if (lr - reduced > 1e-8) lr = reduced;
            bad = 0;
          }
          return lr;
        },
      };
    }
    default:
      return schedule satisfies never;
  }
}
