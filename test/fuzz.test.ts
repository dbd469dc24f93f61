// The invariant, searched for counterexamples (fast-check, a fixed seed, bounded time): sequences
// of calls with arbitrary arguments, valid and not, on a Wasm network, a JS network and a Wasm
// network on 2 threads built alike, with a bystander network beside each. After every call:
// - it returned a valid result, or threw a named error (no trap, no engine message such as
//   "Cannot read properties" or "out of bounds"), and a call with an unknown key never succeeds;
// - a call that threw left its network exactly as it was (toJSON: parameters, optimizer and its
//   state, generator, standardizer), and a call that only reads changed nothing;
// - the two backends agree: the same error class, or results within 1e-9; and 2 threads give
//   what 1 does, bit for bit (result or error, and the network);
// - whatever toJSON writes, fromJSON reads back to the same network;
// - the bystanders are unchanged; and at the end the library still creates and trains networks.
// Oracles for particular promises: calls between a fit's epochs leave that fit as it is without
// them; a batch size of at least the rows is one full batch; an optimizer state fromJSON accepts
// trains without diverging.
import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  CapacityError,
  DisposedError,
  DivergenceError,
  Network,
  NonFiniteError,
  oneHot,
  ShapeError,
  Standardizer,
  type FitOptions,
  type NetworkJSON,
  type NetworkSpec,
} from "../src/index.js";
import { MEMORY_LIMIT } from "../src/capacity.js";
import { ACTIVATIONS } from "../src/operations/activations.js";
import { settings } from "../src/backends/wasm/threads.js";
import { relativeDifference, flat } from "./backends.js";

const SEED = 20261202;
// "threads": the Wasm backend on 2 threads with every product above 64 multiply-adds split
// (settings.parallelWork = 0 below), which must match "wasm" bit for bit, call by call
const KINDS = ["wasm", "js", "threads"] as const;
type Kind = (typeof KINDS)[number];
const options = (kind: Kind) => (kind === "threads" ? { backend: "wasm" as const, threads: 2 } : { backend: kind });

// ---- arguments ----------------------------------------------------------------------------

const value = fc.double({ min: -3, max: 3, noNaN: true });
const strange = fc.constantFrom<unknown>(
  NaN,
  Infinity,
  -Infinity,
  "1",
  null,
  undefined,
  {},
  [1],
  1e308,
  -1e308,
  1e-320,
  -0,
);

/** Rows of `cols` values, or something that is not quite that. */
function matrix(cols: number, rows: fc.Arbitrary<number> = fc.integer({ min: 1, max: 12 })): fc.Arbitrary<unknown> {
  const good = rows.chain((r) =>
    fc.array(fc.array(value, { minLength: cols, maxLength: cols }), { minLength: r, maxLength: r }),
  );
  return fc.oneof(
    { arbitrary: good, weight: 6 },
    { arbitrary: good.map((m) => Float64Array.from(m.flat())), weight: 2 },
    {
      arbitrary: fc
        .tuple(good, fc.nat(), fc.nat(), strange)
        .map(([m, i, j, v]) =>
          m.map((row, r) => (r === i % m.length ? row.map((x, c) => (c === j % cols ? v : x)) : row)),
        ),
      weight: 2,
    },
    {
      arbitrary: fc
        .tuple(good, fc.nat())
        .map(([m, i]) => m.map((row, r) => (r === i % m.length ? [...row, 0.5] : row))),
      weight: 1,
    }, // ragged
    {
      arbitrary: fc
        .tuple(good, fc.integer({ min: 1, max: 3 }))
        .map(([m, cut]) => Float64Array.from(m.flat()).subarray(cut)),
      weight: 1,
    },
    { arbitrary: fc.constantFrom<unknown>([], null, "rows", 7, [[]], new Float64Array(0), [[[1]]]), weight: 1 },
  );
}

/** Rows of values up to float64's largest, whose spread overflows a naive standard deviation. */
function hugeRows(cols: number): fc.Arbitrary<number[][]> {
  const huge = fc.constantFrom(1e200, -1e200, 3e250, -1e300, 1.7e308, -1.7e308, 0);
  return fc.array(fc.array(huge, { minLength: cols, maxLength: cols }), { minLength: 2, maxLength: 5 });
}

/** Targets that fit the loss: one-hot rows for softmax, values in [0, 1] for sigmoid, any for mse. */
function targets(spec: NetworkSpec, rows: number): fc.Arbitrary<number[][]> {
  const outputs = spec.layers[spec.layers.length - 1]!.units;
  const row =
    spec.loss === "crossEntropy"
      ? fc.nat({ max: outputs - 1 }).map((k) => Array.from({ length: outputs }, (_, j) => (j === k ? 1 : 0)))
      : spec.loss === "binaryCrossEntropy"
        ? fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: outputs, maxLength: outputs })
        : fc.array(value, { minLength: outputs, maxLength: outputs });
  return fc.array(row, { minLength: rows, maxLength: rows });
}

/** x and y of matching rows (mostly), either or both possibly bad. */
function batch(spec: NetworkSpec): fc.Arbitrary<{ x: unknown; y: unknown }> {
  const outputs = spec.layers[spec.layers.length - 1]!.units;
  const good = fc
    .integer({ min: 1, max: 24 })
    .chain((r) => fc.record({ x: matrix(spec.inputs, fc.constant(r)), y: targets(spec, r) }));
  return fc.oneof(
    { arbitrary: good, weight: 8 },
    { arbitrary: fc.record({ x: matrix(spec.inputs), y: matrix(outputs) }), weight: 2 },
  );
}

const withUnknownKey = <T extends object>(options: T) =>
  fc.constantFrom(options, { ...options, momentum: 0.9 }, { ...options, lr: 0.1 });

/** An option that is mostly absent or valid, sometimes wrong. */
function option(valid: fc.Arbitrary<unknown>, wrong: fc.Arbitrary<unknown>, absent = 3): fc.Arbitrary<unknown> {
  return fc.oneof(
    { arbitrary: fc.constant(undefined), weight: absent },
    { arbitrary: valid, weight: 4 },
    { arbitrary: wrong, weight: 1 },
  );
}

function fitOptions(): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .record({
      epochs: option(fc.integer({ min: 1, max: 3 }), fc.constantFrom(0, -1, 1.5, "2", Infinity), 0),
      batchSize: option(
        fc.oneof(fc.integer({ min: 1, max: 40 }), fc.constantFrom(2 ** 31, 2 ** 32, 2 ** 53)),
        fc.constantFrom(0, -3, 2.5),
      ),
      shuffle: option(fc.boolean(), fc.constant("yes")),
      optimizer: option(
        fc.constantFrom(
          "sgd",
          "momentum",
          "adam",
          "rmsprop",
          "adagrad",
          "adamw",
          { name: "adam", beta1: 0.5 },
          { name: "momentum", nesterov: true },
          { name: "rmsprop", centered: true, momentum: 0.5 },
          { name: "adagrad", initialAccumulatorValue: 0.1, lrDecay: 0.01 },
        ),
        fc.constantFrom(
          "lion",
          { name: "adam", beta1: 1 },
          { name: "rmsprop", alpha: 2 },
          { name: "adagrad", momentum: 0.9 },
        ),
        1,
      ),
      learningRate: option(fc.double({ min: 1e-4, max: 0.5, noNaN: true }), fc.constantFrom(0, -1, NaN, 1e300)),
      weightDecay: option(fc.constantFrom(0, 1e-3), fc.constantFrom(-1, Infinity)),
      l1: option(fc.constantFrom(0, 1e-3, 0.1), fc.constantFrom(-1, "0.1")),
      clipGradientNorm: option(fc.constantFrom(0.5, 5), fc.constantFrom(0, -1, NaN)),
      learningRateSchedule: option(
        fc.constantFrom(
          { name: "step", stepSize: 1 },
          { name: "exponential", gamma: 0.9 },
          { name: "cosine", epochs: 3 },
          { name: "plateau", patience: 0, factor: 0.5 },
        ),
        fc.constantFrom(
          { name: "step" },
          { name: "cosine", epochs: 0 },
          { name: "linear" },
          { name: "plateau", cooldown: 2 },
        ),
      ),
      validationSplit: option(fc.constantFrom(0.25, 0.5), fc.constantFrom(0, 1, 2)),
      earlyStopping: option(
        fc.constant({ patience: 1 }),
        fc.constantFrom({ patience: 1, mode: "min" }, { monitor: "accuracy" }),
      ),
      colour: option(fc.constant("red"), fc.constant("red"), 30), // an unknown option, now and then
    })
    .map((o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)));
}

// ---- the calls ----------------------------------------------------------------------------

type Call =
  | { kind: "predict"; x: unknown }
  | { kind: "loss" | "evaluate" | "gradients"; x: unknown; y: unknown }
  | { kind: "trainStep" | "explain"; x: unknown; y: unknown; options: unknown }
  | {
      kind: "fit";
      x: unknown;
      y: unknown;
      options: Record<string, unknown>;
      during: "nothing" | "read" | "throw" | "stop";
    }
  | { kind: "setParameters"; scale: number; change: "none" | "nan" | "drop" | "short" | "string" }
  | { kind: "fromJSON"; mutation: string; value: unknown }
  | { kind: "standardize"; rows: unknown; columns: number | null }
  | { kind: "oversized"; method: "trainStep" | "gradients" | "fit" | "explain"; extraRows: number }
  | { kind: "oneHot"; labels: unknown; classes: unknown };

function calls(spec: NetworkSpec): fc.Arbitrary<Call> {
  const b = batch(spec);
  const lr = fc.oneof(
    fc.record({ learningRate: fc.double({ min: 1e-3, max: 1, noNaN: true }) }),
    fc.constantFrom<unknown>({}, { learningRate: 0 }, null, { learningRate: "0.1" }),
  );
  const stepOptions = lr.chain((o) => (o && typeof o === "object" ? withUnknownKey(o) : fc.constant(o)));
  const single = fc
    .integer({ min: 1, max: 1 })
    .chain(() => fc.record({ x: matrix(spec.inputs, fc.constant(1)), y: targets(spec, 1) }));
  const json = fc.oneof(
    fc.record({
      mutation: fc.constantFrom("beta1Power", "beta2Power"),
      value: fc.oneof(fc.double({ min: -2, max: 2, noNaN: true }), strange),
    }),
    fc.record({
      mutation: fc.constant("steps"),
      value: fc.oneof(fc.integer({ min: -3, max: 50 }), fc.constantFrom<unknown>(2.5, NaN, "3")),
    }),
    fc.record({
      mutation: fc.constantFrom("secondMoment", "firstMoment"),
      value: fc.double({ min: -1, max: 1, noNaN: true }),
    }),
    fc.record({
      mutation: fc.constantFrom("parameter", "rng", "seed", "units", "extraKey", "standardizerStd", "version"),
      value: strange,
    }),
  );
  return fc.oneof(
    { arbitrary: fc.record({ kind: fc.constant("predict" as const), x: matrix(spec.inputs) }), weight: 4 },
    {
      arbitrary: fc
        .tuple(fc.constantFrom("loss" as const, "evaluate" as const, "gradients" as const), b)
        .map(([kind, { x, y }]) => ({ kind, x, y })),
      weight: 4,
    },
    {
      arbitrary: fc
        .tuple(fc.constantFrom("trainStep" as const), b, stepOptions)
        .map(([kind, { x, y }, options]) => ({ kind, x, y, options })),
      weight: 3,
    },
    {
      arbitrary: fc
        .tuple(single, stepOptions)
        .map(([{ x, y }, options]) => ({ kind: "explain" as const, x, y, options })),
      weight: 1,
    },
    {
      arbitrary: fc
        .tuple(b, fitOptions(), fc.constantFrom("nothing" as const, "read" as const, "throw" as const, "stop" as const))
        .map(([{ x, y }, options, during]) => ({ kind: "fit" as const, x, y, options, during })),
      weight: 5,
    },
    {
      arbitrary: fc.record({
        kind: fc.constant("setParameters" as const),
        scale: fc.constantFrom(0, 0.5, 2, 1e200),
        change: fc.constantFrom("none" as const, "nan" as const, "drop" as const, "short" as const, "string" as const),
      }),
      weight: 2,
    },
    { arbitrary: json.map((j) => ({ kind: "fromJSON" as const, ...j })), weight: 3 },
    {
      arbitrary: fc.record({
        kind: fc.constant("standardize" as const),
        rows: fc.oneof(matrix(spec.inputs), hugeRows(spec.inputs)),
        columns: fc.constantFrom(null, null, spec.inputs + 1),
      }),
      weight: 2,
    },
    {
      arbitrary: fc.record({
        kind: fc.constant("oversized" as const),
        method: fc.constantFrom("trainStep" as const, "gradients" as const, "fit" as const),
        extraRows: fc.constantFrom(0, 1, 1000),
      }),
      weight: 1,
    },
    {
      arbitrary: fc.record({
        kind: fc.constant("oneHot" as const),
        labels: fc.constantFrom<unknown>([0, 1], [3], [0.5], "0", null),
        classes: fc.constantFrom<unknown>(2, 4, 1e9, 2 ** 40, 0, "3"),
      }),
      weight: 1,
    },
  );
}

// ---- specs --------------------------------------------------------------------------------

// every hidden activation the descriptors list, so that a new one is fuzzed too
const HIDDEN = ACTIVATIONS.filter((activation) => activation !== "softmax");
const goodSpec: fc.Arbitrary<NetworkSpec> = fc
  .record({
    inputs: fc.integer({ min: 1, max: 4 }),
    hidden: fc.array(
      fc.record({
        units: fc.integer({ min: 1, max: 6 }),
        activation: fc.constantFrom(...HIDDEN),
        dropout: fc.constantFrom(undefined, undefined, 0, 0.3),
      }),
      { maxLength: 2 },
    ),
    output: fc.constantFrom("softmax", "sigmoid", "linear", "tanh"),
    regression: fc.constantFrom<NetworkSpec["loss"]>("mse", "huber", { name: "huber", delta: 0.5 }, "mae"),
    units: fc.integer({ min: 2, max: 4 }),
    seed: fc.nat(),
  })
  .map(({ inputs, hidden, output, regression, units, seed }) => ({
    inputs,
    layers: [
      ...hidden.map(({ dropout, ...layer }) => (dropout === undefined ? layer : { ...layer, dropout })),
      { units: output === "sigmoid" ? units - 1 : units, activation: output as "softmax" },
    ],
    loss: output === "softmax" ? "crossEntropy" : output === "sigmoid" ? "binaryCrossEntropy" : regression,
    seed,
  }));

/** Specs create must refuse, with whether the refusal must be a TypeError (a wrong kind, an unknown key, a hole). */
const badSpec: fc.Arbitrary<{ spec: unknown; typeError: boolean }> = fc.constantFrom(
  { spec: { inputs: 65_536, layers: [{ units: 65_536, activation: "relu" }], loss: "mse" }, typeError: false },
  { spec: { inputs: 2 ** 25, layers: [{ units: 2, activation: "relu" }], loss: "mse" }, typeError: false }, // 8·P just past 2³¹... and 2²⁶ parameters
  { spec: { inputs: 2 ** 26, layers: [{ units: 4, activation: "relu" }], loss: "mse" }, typeError: false }, // 16·P past 2³²
  {
    spec: { inputs: 1, layers: Array.from({ length: 3 }, () => ({ units: 2 ** 14, activation: "relu" })), loss: "mse" },
    typeError: false,
  },
  { spec: { inputs: "2", layers: [{ units: 2, activation: "relu" }], loss: "mse" }, typeError: true },
  // eslint-disable-next-line no-sparse-arrays
  {
    spec: { inputs: 2, layers: [{ units: 2, activation: "relu" }, , { units: 1, activation: "linear" }], loss: "mse" },
    typeError: true,
  },
  { spec: { inputs: 2, layers: [{ units: 2, activation: "relu", dropout: 0.1 }], loss: "mse" }, typeError: true },
  { spec: { inputs: 2, layers: [{ units: 2, activation: "relu" }], loss: "mse", optimizer: "adam" }, typeError: true },
  { spec: { inputs: 0, layers: [{ units: 2, activation: "relu" }], loss: "mse" }, typeError: false },
  { spec: { inputs: 2, layers: [{ units: Infinity, activation: "relu" }], loss: "mse" }, typeError: false },
  { spec: null, typeError: true },
);

// ---- checks -------------------------------------------------------------------------------

const NAMED = [ShapeError, NonFiniteError, CapacityError, DivergenceError, DisposedError, TypeError, RangeError];
// what the engine says when the library has a bug, never what the library says
const ENGINE =
  /Cannot read prop|Cannot destructure|is not a function|is not iterable|is not defined|call stack|Invalid array length|Invalid typed array length|allocation failed|unreachable|out of bounds|abort|Cannot convert/i;

type Outcome = { ok: true; value: unknown } | { ok: false; error: Error };

function named(outcome: Outcome, what: string): void {
  if (outcome.ok) return;
  const { error } = outcome;
  if (
    !NAMED.some((type) => error instanceof type) ||
    error instanceof WebAssembly.RuntimeError ||
    ENGINE.test(error.message)
  )
    throw new Error(`${what}: not a named error: ${error.name}: ${error.message}`);
}

async function attempt(run: () => unknown): Promise<Outcome> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    return { ok: false, error: error as Error };
  }
}

function numbersOf(value: unknown): number[] {
  return flat(value).filter((v) => typeof v === "number");
}

function agree(outcomes: Record<Kind, Outcome>, what: string): void {
  const { wasm, js } = outcomes;
  if (wasm.ok !== js.ok)
    throw new Error(
      `${what}: wasm ${wasm.ok ? "returned" : `threw ${(wasm as { error: Error }).error.message}`}, js ${js.ok ? "returned" : `threw ${(js as { error: Error }).error.message}`}`,
    );
  if (!wasm.ok || !js.ok) {
    if (!wasm.ok && !js.ok && wasm.error.name !== js.error.name)
      throw new Error(`${what}: wasm threw ${wasm.error.name}, js ${js.error.name}`);
    return;
  }
  const a = numbersOf(wasm.value),
    b = numbersOf(js.value);
  if (a.length !== b.length || relativeDifference(a, b) > 1e-9)
    throw new Error(`${what}: the backends' results differ`);
}

const state = (net: Network) => JSON.stringify(net.toJSON());

// threads change no bit: the same result or error, and the same network, as on one thread (a
// CapacityError's figures differ: each thread beyond the first has a packing scratch of its own)
function sameAsOneThread(world: World, { wasm, threads }: Record<Kind, Outcome>, what: string): void {
  const text = (outcome: Outcome) =>
    outcome.ok
      ? JSON.stringify(outcome.value, (_, v: unknown) => (Object.is(v, -0) ? "-0" : v))
      : outcome.error instanceof CapacityError
        ? outcome.error.name
        : `${outcome.error.name}: ${outcome.error.message}`;
  if (text(threads) !== text(wasm))
    throw new Error(`${what}: 2 threads gave ${text(threads).slice(0, 200)}, 1 thread ${text(wasm).slice(0, 200)}`);
  if (state(world.nets.threads) !== state(world.nets.wasm))
    throw new Error(`${what}: the network on 2 threads differs from the one on 1`);
  if (world.nets.threads.threads !== 2)
    throw new Error(`${what}: the network asked for 2 threads has ${world.nets.threads.threads}`);
  const core = (world.nets.threads as unknown as { backendRef: { core: { splitJobs: number } } | null }).backendRef
    ?.core;
  if (core && core.splitJobs > 0) splitSeen++;
}
let splitSeen = 0; // calls after which the network on threads had split products

// ---- one run ------------------------------------------------------------------------------

interface World {
  spec: NetworkSpec;
  nets: Record<Kind, Network>;
  bystanders: Record<Kind, { net: Network; state: string; out: string }>;
}

const FIT_DATA = { x: [[0.1, 0.2, 0.3, 0.4]], y: [[1]] };

async function perform(world: World, call: Call, kind: Kind): Promise<Outcome> {
  const net = world.nets[kind];
  switch (call.kind) {
    case "predict":
      return attempt(() => net.predict(call.x as never));
    case "loss":
      return attempt(() => net.loss(call.x as never, call.y as never));
    case "evaluate":
      return attempt(() => net.evaluate(call.x as never, call.y as never));
    case "gradients":
      return attempt(() => net.gradients(call.x as never, call.y as never));
    case "trainStep":
      return attempt(() => net.trainStep(call.x as never, call.y as never, call.options as never));
    case "explain":
      return attempt(() => net.explain(call.x as never, call.y as never, call.options as never));
    case "fit": {
      const options: FitOptions = { ...(call.options as unknown as FitOptions) };
      if (call.during === "read")
        options.onEpochEnd = () => {
          // reads between epochs; they may throw (a loss too large, say), which is theirs, not the fit's
          for (const read of [
            () =>
              net.evaluate(
                FIT_DATA.x.map((r) => r.slice(0, world.spec.inputs)),
                targetsLike(world.spec),
              ),
            () => net.toJSON(),
            () => net.predict(FIT_DATA.x.map((r) => r.slice(0, world.spec.inputs))),
          ])
            try {
              read();
            } catch {
              /* the read's own error */
            }
        };
      if (call.during === "throw")
        options.onEpochEnd = (epoch) => {
          if (epoch === 1) throw new RangeError("from onEpochEnd");
        };
      if (call.during === "stop") options.onEpochEnd = () => false;
      return attempt(() => net.fit(call.x as never, call.y as never, options));
    }
    case "setParameters": {
      const parameters = net.getParameters().map((l) => ({
        weights: l.weights.map((r) => r.map((w) => w * call.scale)),
        biases: l.biases.map((v) => v * call.scale),
      }));
      const changed: unknown =
        call.change === "nan"
          ? parameters.map((l, i) => (i === 0 ? { ...l, biases: l.biases.map(() => NaN) } : l))
          : call.change === "drop"
            ? parameters.slice(1)
            : call.change === "short"
              ? parameters.map((l, i) => (i === 0 ? { ...l, weights: l.weights.slice(1) } : l))
              : call.change === "string"
                ? parameters.map((l) => ({ ...l, biases: l.biases.map(String) }))
                : parameters;
      return attempt(() => net.setParameters(changed as never));
    }
    case "fromJSON":
      return attempt(() => loadMutated(net, call, kind));
    case "standardize": {
      return attempt(() => {
        const s = Standardizer.fit(call.rows as never, call.columns ?? undefined);
        net.setStandardizer(s);
      });
    }
    case "oversized":
      return attempt(() => oversized(call, kind));
    case "oneHot":
      return attempt(() => oneHot(call.labels as never, call.classes as never));
  }
}

function targetsLike(spec: NetworkSpec): number[][] {
  const outputs = spec.layers[spec.layers.length - 1]!.units;
  return [Array.from({ length: outputs }, (_, j) => (j === 0 ? 1 : 0))];
}

// the optimizers with β powers, and where each keeps a value that is never negative (a second moment, mean square or sum of squares)
const BIAS_CORRECTED = ["adam", "adamw"];
const MEAN_SQUARE: Record<string, ((length: number) => number) | undefined> = {
  adam: (n) => n - 1,
  adamw: (n) => n - 1,
  rmsprop: () => 0,
  adagrad: () => 0,
};

// fromJSON of the network's toJSON with one thing changed; an optimizer state it accepts must train without diverging
async function loadMutated(net: Network, call: Extract<Call, { kind: "fromJSON" }>, kind: Kind): Promise<unknown> {
  const json = JSON.parse(JSON.stringify(net.toJSON())) as NetworkJSON & Record<string, unknown>;
  const opt = json.optimizer;
  const v = call.value;
  switch (call.mutation) {
    case "beta1Power":
    case "beta2Power":
      if (opt) (opt as unknown as Record<string, unknown>)[call.mutation] = v;
      break;
    case "steps":
      if (opt) (opt as unknown as Record<string, unknown>).steps = v;
      break;
    case "secondMoment":
      if (opt && MEAN_SQUARE[opt.name] !== undefined) opt.state[MEAN_SQUARE[opt.name]!(opt.state.length)] = v as number;
      break;
    case "firstMoment":
      if (opt && opt.state.length > 0) opt.state[0] = v as number;
      break;
    case "parameter":
      (json.parameters[0]!.biases as unknown[])[0] = v;
      break;
    case "rng":
      (json as Record<string, unknown>).rng = v;
      break;
    case "seed":
      (json.spec as unknown as Record<string, unknown>).seed = v;
      break;
    case "units":
      (json.spec.layers[0] as unknown as Record<string, unknown>).units = v;
      break;
    case "extraKey":
      (json.spec as unknown as Record<string, unknown>).extra = v;
      break;
    case "standardizerStd":
      if (json.standardizer) (json.standardizer.std as unknown[])[0] = v;
      break;
    case "version":
      (json as Record<string, unknown>).version = v;
      break;
  }
  const mutatedOptimizer = opt && ["beta1Power", "beta2Power", "steps", "secondMoment"].includes(call.mutation);
  const impossible =
    mutatedOptimizer &&
    ((call.mutation.endsWith("Power") &&
      (!BIAS_CORRECTED.includes(opt.name) || opt.steps === 0
        ? v !== 1
        : !(typeof v === "number" && v >= 0 && v < 1))) ||
      (call.mutation === "secondMoment" && MEAN_SQUARE[opt.name] !== undefined && (v as number) < 0) ||
      (call.mutation === "steps" && !(typeof v === "number" && Number.isInteger(v) && v >= 0)));
  const loaded = await Network.fromJSON(JSON.parse(JSON.stringify(json)), options(kind));
  if (impossible)
    throw new Error(`fromJSON accepted an optimizer state training cannot produce: ${call.mutation} = ${String(v)}`);
  if (call.mutation.endsWith("Power") || call.mutation === "steps" || call.mutation.endsWith("Moment")) {
    if (loaded.toJSON().optimizer) {
      // accepted: then a state that training could have produced, which trains on without diverging
      const outputs = loaded.outputs;
      const y = [Array.from({ length: outputs }, (_, j) => (j === 0 ? 1 : 0))];
      const config = loaded.toJSON().optimizer!;
      await loaded
        .fit([Array.from({ length: loaded.inputs }, () => 0.1)], y, {
          epochs: 1,
          optimizer: config.name,
          learningRate: 1e-3,
        })
        .catch((error: unknown) => {
          if (error instanceof DivergenceError)
            throw new Error(`an optimizer state fromJSON accepted diverged: ${call.mutation} = ${String(v)}`);
          throw error;
        });
    }
  }
  return loaded.getParameters();
}

// A batch of a 1-1023-1 network whose memory is just past what a network holds (4 GiB): refused
// before anything is allocated, the network unchanged. (Its predict past 2³² bytes of batch
// memory, which runs in chunks, is test/reliability.test.ts's, being slow for a fuzz.)
async function oversized(call: Extract<Call, { kind: "oversized" }>, kind: Kind): Promise<unknown> {
  const wide = await Network.create({
    inputs: 1,
    layers: [
      { units: 1023, activation: "relu" },
      { units: 1, activation: "linear" },
    ],
    loss: "mse",
    seed: 2,
    ...options(kind),
  });
  const before = state(wide);
  const rows = Math.ceil((MEMORY_LIMIT - 2 ** 21) / (8 * (2 + 3 * 1024))) + call.extraRows;
  const x = new Float64Array(rows).fill(0.5),
    y = new Float64Array(rows);
  const outcome = await attempt(() =>
    call.method === "fit"
      ? wide.fit(x, y, { epochs: 1, batchSize: rows })
      : call.method === "gradients"
        ? wide.gradients(x, y)
        : wide.trainStep(x, y, { learningRate: 0.1 }),
  );
  if (outcome.ok || !(outcome.error instanceof CapacityError))
    throw new Error(`a batch of ${rows} rows of 1-1023-1 was not refused with a CapacityError`);
  if (state(wide) !== before) throw new Error("a refused batch changed the network");
  throw outcome.error;
}

async function check(world: World, call: Call): Promise<void> {
  const what = `${call.kind} on ${JSON.stringify(world.spec)}`;
  const before = { wasm: state(world.nets.wasm), js: state(world.nets.js), threads: state(world.nets.threads) };
  const outcomes = {
    wasm: await perform(world, call, "wasm"),
    js: await perform(world, call, "js"),
    threads: await perform(world, call, "threads"),
  };
  for (const kind of KINDS) {
    const outcome = outcomes[kind];
    named(outcome, `${what} (${kind})`);
    const after = state(world.nets[kind]);
    const reads = ["predict", "loss", "evaluate", "gradients", "explain", "fromJSON", "oversized", "oneHot"].includes(
      call.kind,
    );
    if ((!outcome.ok || reads) && after !== before[kind])
      throw new Error(
        `${what} (${kind}): the network changed although the call ${outcome.ok ? "only reads" : `threw ${outcome.error.message}`}`,
      );
    // (the error may name another of the call's mistakes first)
    if (outcome.ok && unknownKeyIn(call)) throw new Error(`${what} (${kind}): an unknown key was silently ignored`);
    // whatever toJSON writes loads back
    const json = world.nets[kind].toJSON();
    const copy = await Network.fromJSON(JSON.stringify(json), options(kind));
    if (JSON.stringify(copy.toJSON()) !== JSON.stringify(json))
      throw new Error(`${what} (${kind}): toJSON did not load back as it was`);
    const bystander = world.bystanders[kind];
    if (
      state(bystander.net) !== bystander.state ||
      JSON.stringify(bystander.net.predict([[0.3, -0.7]])) !== bystander.out
    )
      throw new Error(`${what} (${kind}): the bystander network changed`);
  }
  agree(outcomes, what);
  sameAsOneThread(world, outcomes, what);
  if (call.kind === "fit" && call.during !== "stop" && call.during !== "throw")
    await fitOracles(world, call, before.wasm, outcomes.wasm);
}

function unknownKeyIn(call: Call): boolean {
  const options = "options" in call ? (call.options as Record<string, unknown> | null) : null;
  if (!options || typeof options !== "object") return false;
  if ("momentum" in options && call.kind !== "fit") return true;
  if ("lr" in options || "colour" in options) return true;
  const schedule = options.learningRateSchedule as Record<string, unknown> | undefined;
  if (schedule && typeof schedule === "object" && "cooldown" in schedule) return true;
  const optimizer = options.optimizer as Record<string, unknown> | undefined;
  if (optimizer && typeof optimizer === "object" && optimizer.name === "adagrad" && "momentum" in optimizer)
    return true;
  const early = options.earlyStopping as Record<string, unknown> | undefined;
  return !!early && typeof early === "object" && "mode" in early;
}

// Calls between epochs change nothing of the fit; a batch size of at least the rows is a full
// batch: the same fit, on a copy of the network as it was, without the calls or with the batch
// size the rows, must come out the same (history and network, or the same error).
async function fitOracles(
  world: World,
  call: Extract<Call, { kind: "fit" }>,
  before: string,
  outcome: Outcome,
): Promise<void> {
  const options = { ...call.options } as unknown as FitOptions;
  const rows = Array.isArray(call.x)
    ? call.x.length
    : call.x instanceof Float64Array
      ? call.x.length / world.spec.inputs
      : 0;
  const split = typeof options.validationSplit === "number" ? Math.floor(rows * (1 - options.validationSplit)) : rows;
  const fullBatch =
    typeof options.batchSize === "number" &&
    Number.isInteger(options.batchSize) &&
    options.batchSize >= split &&
    split >= 1;
  if (fullBatch) options.batchSize = split;
  if (!fullBatch && call.during !== "read") return;
  const fresh = await Network.fromJSON(before, { backend: "wasm" });
  const again = await attempt(() => fresh.fit(call.x as never, call.y as never, options));
  const what = `fit on ${JSON.stringify(world.spec)} with ${JSON.stringify(call.options)} differs from the same fit ${fullBatch ? "with the batch size the rows" : "without calls between epochs"}`;
  if (again.ok !== outcome.ok || (!again.ok && !outcome.ok && again.error.name !== outcome.error.name))
    throw new Error(`${what}: one threw, the other did not`);
  if (
    outcome.ok &&
    again.ok &&
    (JSON.stringify(again.value) !== JSON.stringify(outcome.value) || state(fresh) !== state(world.nets.wasm))
  )
    throw new Error(what);
}

async function newWorld(spec: NetworkSpec): Promise<World> {
  const bystanderSpec: NetworkSpec = {
    inputs: 2,
    layers: [
      { units: 3, activation: "tanh" },
      { units: 2, activation: "softmax" },
    ],
    loss: "crossEntropy",
    seed: 9,
  };
  const nets = {} as World["nets"],
    bystanders = {} as World["bystanders"];
  for (const kind of KINDS) {
    const bystander = await Network.create({ ...bystanderSpec, ...options(kind) });
    await bystander.fit(
      [
        [0.1, 0.2],
        [0.3, 0.1],
      ],
      [
        [1, 0],
        [0, 1],
      ],
      { epochs: 2, optimizer: "adam" },
    );
    bystanders[kind] = {
      net: bystander,
      state: state(bystander),
      out: JSON.stringify(bystander.predict([[0.3, -0.7]])),
    };
    nets[kind] = await Network.create({ ...spec, ...options(kind) });
  }
  return { spec, nets, bystanders };
}

const parallelWork = settings.parallelWork;
beforeAll(() => {
  settings.parallelWork = 0;
});
afterAll(() => {
  settings.parallelWork = parallelWork;
});

it("sequences of arbitrary calls keep the invariant on both backends and on threads (fixed seed)", async () => {
  const started = Date.now();
  const result = await fc.check(
    fc.asyncProperty(
      goodSpec.chain((spec) => fc.tuple(fc.constant(spec), fc.array(calls(spec), { minLength: 1, maxLength: 8 }))),
      async ([spec, sequence]) => {
        const world = await newWorld(spec);
        for (const call of sequence) await check(world, call);
      },
    ),
    { seed: SEED, numRuns: 600, interruptAfterTimeLimit: 50_000 },
  );
  if (result.failed) throw new Error(`${fc.defaultReportMessage(result)}\n${String(result.errorInstance)}`);
  console.log(
    `fuzz: ${result.numRuns} sequences${result.interrupted ? " (stopped at the time limit)" : ""}, ${splitSeen} calls on a network whose products went to its threads`,
  );
  expect(splitSeen).toBeGreaterThan(100);
  // and afterwards the library still creates and trains networks
  const net = await Network.create({
    inputs: 2,
    layers: [
      { units: 4, activation: "tanh" },
      { units: 1, activation: "sigmoid" },
    ],
    loss: "binaryCrossEntropy",
    seed: 1,
  });
  const history = await net.fit(
    [
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ],
    [[0], [1], [1], [0]],
    { epochs: 5, optimizer: "adam", learningRate: 0.1 },
  );
  expect(history.loss.every(Number.isFinite)).toBe(true);
  expect(Date.now() - started).toBeLessThan(90_000);
}, 120_000);

it("specs create must refuse get a named error, a TypeError for wrong kinds, unknown keys and holes (both backends)", async () => {
  await fc.assert(
    fc.asyncProperty(badSpec, fc.constantFrom(...KINDS), async ({ spec, typeError }, kind) => {
      const outcome = await attempt(() =>
        Network.create(spec === null ? (null as never) : ({ ...(spec as object), ...options(kind) } as never)),
      );
      expect(outcome.ok).toBe(false);
      named(outcome, JSON.stringify(spec));
      if (!outcome.ok && typeError) expect(outcome.error).toBeInstanceOf(TypeError);
      if (!outcome.ok && !typeError) expect(outcome.error).toBeInstanceOf(RangeError);
    }),
    { seed: SEED, numRuns: 40 },
  );
});
