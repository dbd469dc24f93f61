// The seed post's worked example: a 2-2-2 sigmoid network, one sample, mse, learning rate 0.5,
// biases fixed. Runs it on a backend and returns every figure the post prints, beside the
// figures of the post's own order of updates (see `postOrder`).
import { Network, type LayerParameters } from "./network.js";
import type { ExplainedStep } from "./explain.js";
import type { BackendKind, NetworkSpec } from "./plan.js";

export const SEED_EXAMPLE = {
  spec: {
    inputs: 2,
    layers: [
      { units: 2, activation: "sigmoid", trainBias: false },
      { units: 2, activation: "sigmoid", trainBias: false },
    ],
    loss: "mse",
  } satisfies NetworkSpec,
  // w1..w4 into h1, h2 and b1; w5..w8 into o1, o2 and b2
  parameters: [
    {
      weights: [
        [0.15, 0.2],
        [0.25, 0.3],
      ],
      biases: [0.35, 0.35],
    },
    {
      weights: [
        [0.4, 0.45],
        [0.5, 0.55],
      ],
      biases: [0.6, 0.6],
    },
  ] as LayerParameters[],
  x: [[0.05, 0.1]],
  y: [[0.01, 0.99]],
  learningRate: 0.5,
  rounds: 10000,
  /** the figures as the post prints them */
  post: {
    initialError: 0.298371109,
    errorAfterOneRound: 0.291027924,
    errorAfterRounds: 0.0000351085,
    outputsAfterRounds: [0.015912196, 0.984065734], // the post prints 0.159121960: a typo
  },
};

export interface SeedFigures {
  errorAfterOneRound: number;
  /** the loss the last round computed in its forward pass, before its update */
  lossOfLastRound: number;
  /** the error after all rounds' updates */
  errorAfterRounds: number;
  outputsAfterRounds: number[];
}

export interface SeedExampleResult {
  /** the first round, factor by factor */
  first: ExplainedStep;
  /** exact gradient descent: every weight updated from the gradient of the same forward pass */
  exact: SeedFigures;
  /** the post's order: the output weights updated first, and the hidden δ's computed through
   * the updated ones (δ_h = Σₖ δₖ · w⁺ₖₕ · h(1 − h)) */
  postOrder: SeedFigures;
}

async function seedNetwork(backend: BackendKind): Promise<Network> {
  const net = await Network.create({ ...SEED_EXAMPLE.spec, backend });
  net.setParameters(SEED_EXAMPLE.parameters);
  return net;
}

function figures(net: Network, round: () => number): SeedFigures {
  const { x, y, rounds } = SEED_EXAMPLE;
  round();
  const errorAfterOneRound = net.loss(x, y);
  let lossOfLastRound = 0;
  for (let r = 1; r < rounds; r++) lossOfLastRound = round();
  return {
    errorAfterOneRound,
    lossOfLastRound,
    errorAfterRounds: net.loss(x, y),
    outputsAfterRounds: net.predict(x)[0]!,
  };
}

// one round in the post's order; returns the loss before it
function postOrderRound(net: Network): number {
  const { x, y, learningRate } = SEED_EXAMPLE;
  const step = net.explain(x, y, { learningRate });
  const [hidden, output] = step.layers as [ExplainedStep["layers"][0], ExplainedStep["layers"][0]];
  const updatedOutput = output.updated.weights;
  const deltaHidden = hidden.a.map(
    (h, j) => output.dEdZ.reduce((s, d, k) => s + d * updatedOutput[k]![j]!, 0) * h * (1 - h),
  );
  const hiddenWeights = hidden.parameters.weights.map((row, j) =>
    row.map((w, i) => w - learningRate * deltaHidden[j]! * hidden.input[i]!),
  );
  net.setParameters([
    { weights: hiddenWeights, biases: hidden.parameters.biases },
    { weights: updatedOutput, biases: output.parameters.biases },
  ]);
  return step.loss;
}

/** Runs the worked example: the first round explained, then the exact and the post's 10,000 rounds. */
export async function runSeedExample(backend: BackendKind = "wasm"): Promise<SeedExampleResult> {
  const { x, y, learningRate } = SEED_EXAMPLE;
  const net = await seedNetwork(backend);
  const post = await seedNetwork(backend);
  try {
    const first = net.explain(x, y, { learningRate });
    const exact = figures(net, () => net.trainStep(x, y, { learningRate }));
    const postOrder = figures(post, () => postOrderRound(post));
    return { first, exact, postOrder };
  } finally {
    net.dispose();
    post.dispose();
  }
}
