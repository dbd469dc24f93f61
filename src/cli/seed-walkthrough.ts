// The seed post's worked example, step by step: `npm start` and `backprop explain` with no
// arguments. It is worked as the post works it: forward, the total error, then backwards from the
// output layer (w5…w8) to the hidden layer (w1…w4), then the update. Every figure is the
// library's (net.explain for round 1, runSeedExample for the 10,000 rounds); the sums of the
// hidden layer are shown term by term. Round 1 is printed before the 10,000 rounds run, so the
// first figure comes at once.
import { Network, runSeedExample, SEED_EXAMPLE } from "../index.js";

/** Ten significant digits; ASCII minus, so that a figure can be pasted into code. */
const f = (v: number) => v.toPrecision(10);

/**
 * Rows under headers, two spaces in from the margin. Numbers (cells that are numbers) line up on
 * their decimal point, negative or not; text is left-aligned.
 */
function table(log: (line: string) => void, headers: string[], rows: (string | number)[][]): void {
  const cells = [headers, ...rows.map((row) => row.map((c) => (typeof c === "number" ? f(c) : c)))];
  const numeric = headers.map((_, j) => rows.some((row) => typeof row[j] === "number"));
  // each numeric column: the widest integer part (sign included) and the widest fraction
  const parts = headers.map((_, j) =>
    rows.filter((row) => typeof row[j] === "number").map((row) => f(row[j] as number).split(".")),
  );
  const intWidth = parts.map((ps) => Math.max(0, ...ps.map(([i]) => i!.length)));
  const fracWidth = parts.map((ps) => Math.max(0, ...ps.map(([, d = ""]) => d.length)));
  const aligned = cells.map((row, r) =>
    row.map((cell, j) => {
      if (r === 0 || !numeric[j] || typeof rows[r - 1]![j] !== "number") return cell;
      const [i, d = ""] = cell.split(".");
      return `${i!.padStart(intWidth[j]!)}.${d.padEnd(fracWidth[j]!)}`;
    }),
  );
  const widths = headers.map((_, j) => Math.max(...aligned.map((row) => row[j]!.length)));
  if (headers.every((h) => h === "")) aligned.shift();
  for (const row of aligned)
    log(
      `  ${row
        .map((c, j) => c.padEnd(widths[j]!))
        .join("   ")
        .trimEnd()}`,
    );
}

export async function printSeedExample(log: (line: string) => void): Promise<void> {
  const { post, learningRate, rounds } = SEED_EXAMPLE;
  const target = SEED_EXAMPLE.y[0]!;
  // round 1, factor by factor, printed at once; the 10,000 rounds (section 5) come after
  const net = await Network.create({ ...SEED_EXAMPLE.spec, backend: "wasm" });
  net.setParameters(SEED_EXAMPLE.parameters);
  const first = net.explain(SEED_EXAMPLE.x, SEED_EXAMPLE.y, { learningRate });
  net.dispose();
  const [hidden, output] = first.layers as [(typeof first.layers)[0], (typeof first.layers)[0]];

  log("The seed example: a 2-2-2 network, sigmoid on both layers, one sample");
  log(
    `  inputs i1, i2 = ${SEED_EXAMPLE.x[0]!.join(", ")}; targets ${target.join(", ")}; learning rate ${learningRate};`,
  );
  log(
    `  biases b1 = ${hidden.parameters.biases[0]} (into h1, h2) and b2 = ${output.parameters.biases[0]} (into o1, o2), kept fixed`,
  );
  log("  Figures to ten significant digits; the post prints nine decimals.\n");

  log("1. Forward pass: net = w·input + b, out = σ(net) = 1/(1 + e^-net)");
  table(
    log,
    ["neuron", "net", "out"],
    [
      ...hidden.z.map((z, j) => [`h${j + 1}`, z, hidden.a[j]!]),
      ...output.z.map((z, k) => [`o${k + 1}`, z, output.a[k]!]),
    ],
  );

  log("\n2. Total error: E_total = Σ ½(target − out)²");
  const errors = output.a.map((o, k) => 0.5 * (target[k]! - o) ** 2);
  table(
    log,
    ["", "", ""],
    [
      ...errors.map((e, k) => [`E_o${k + 1} = ½(${target[k]} − out_o${k + 1})²`, e, ""]),
      ["E_total = E_o1 + E_o2", first.loss, `the post: ${post.initialError}`],
    ],
  );

  log("\n3. Backwards from the output layer: δ_o = ∂E/∂net_o = ∂E/∂out_o · ∂out_o/∂net_o,");
  log("   how fast the error changes with the neuron's net input. Every weight into o shares it.");
  table(
    log,
    ["", "∂E/∂out = out − target", "∂out/∂net = out(1 − out)", "δ"],
    output.a.map((_, k) => [`o${k + 1}`, output.dEdA[k]!, output.dAdZ![k]!, output.dEdZ[k]!]),
  );
  log("   ∂E/∂w = δ_o · ∂net_o/∂w = δ_o · out_h, and w⁺ = w − η·∂E/∂w");
  const outputWeights: [string, number, number][] = [
    ["w5", 0, 0],
    ["w6", 0, 1],
    ["w7", 1, 0],
    ["w8", 1, 1], // [name, output k, hidden j]
  ];
  table(
    log,
    ["weight", "w", "δ_o", "out_h", "∂E/∂w", "w⁺"],
    outputWeights.map(([name, k, j]) => [
      `${name} h${j + 1}→o${k + 1}`,
      output.parameters.weights[k]![j]!,
      output.dEdZ[k]!,
      output.input[j]!,
      output.gradients.weights[k]![j]!,
      output.updated.weights[k]![j]!,
    ]),
  );

  log("\n4. The hidden layer: ∂E/∂out_h = Σ_o δ_o · w_oh, through the weights of the forward pass");
  table(
    log,
    ["", "δ_o1 · w(h→o1)", "δ_o2 · w(h→o2)", "∂E/∂out_h", "∂out/∂net", "δ_h"],
    hidden.a.map((_, j) => [
      `h${j + 1}`,
      output.dEdZ[0]! * output.parameters.weights[0]![j]!,
      output.dEdZ[1]! * output.parameters.weights[1]![j]!,
      hidden.dEdA[j]!,
      hidden.dAdZ![j]!,
      hidden.dEdZ[j]!,
    ]),
  );
  log("   ∂E/∂w = δ_h · input, and w⁺ = w − η·∂E/∂w");
  const hiddenWeights: [string, number, number][] = [
    ["w1", 0, 0],
    ["w2", 0, 1],
    ["w3", 1, 0],
    ["w4", 1, 1],
  ]; // [name, hidden j, input i]
  table(
    log,
    ["weight", "w", "δ_h", "input", "∂E/∂w", "w⁺"],
    hiddenWeights.map(([name, j, i]) => [
      `${name} i${i + 1}→h${j + 1}`,
      hidden.parameters.weights[j]![i]!,
      hidden.dEdZ[j]!,
      hidden.input[i]!,
      hidden.gradients.weights[j]![i]!,
      hidden.updated.weights[j]![i]!,
    ]),
  );

  const { exact, postOrder } = await runSeedExample("wasm");
  log(`\n5. ${rounds.toLocaleString("en")} rounds from the initial weights (each: forward, backward, update)`);
  table(
    log,
    ["", "exact gradient descent", "the post's order", "the post prints"],
    [
      ["E after round 1", exact.errorAfterOneRound, postOrder.errorAfterOneRound, String(post.errorAfterOneRound)],
      [
        `E computed in round ${rounds.toLocaleString("en")}`,
        exact.lossOfLastRound,
        postOrder.lossOfLastRound,
        post.errorAfterRounds.toFixed(10),
      ],
      [`E after ${rounds.toLocaleString("en")} updates`, exact.errorAfterRounds, postOrder.errorAfterRounds, ""],
      ["out_o1 then", exact.outputsAfterRounds[0]!, postOrder.outputsAfterRounds[0]!, "0.159121960 *"],
      [
        "out_o2 then",
        exact.outputsAfterRounds[1]!,
        postOrder.outputsAfterRounds[1]!,
        String(post.outputsAfterRounds[1]),
      ],
    ],
  );

  log(`
    * The post prints the first output as 0.159121960, a slip for ${post.outputsAfterRounds[0]} (the same digits, one
      place to the left): with the error it reports, ${post.errorAfterRounds}, out_o1 is at most √(2 · ${post.errorAfterRounds}) ≈ 0.0084
      from its target 0.01, so it cannot be 0.159. The comparisons here are with ${post.outputsAfterRounds[0]}.

  Which of the post's figures exact gradient descent reproduces, and why:
    - The first error, ${post.initialError}, and every ∂E/∂w and updated weight of round 1: to every printed
      digit. They come from one forward pass and the chain rule.
    - ${post.errorAfterRounds}: to every digit, as the error computed in round ${rounds.toLocaleString("en")}'s forward pass, before
      that round's update (what a training loop prints, and what trainStep returns).
    - ${post.errorAfterOneRound} after round 1 and the outputs after ${rounds.toLocaleString("en")} rounds come from a different order
      of work: the post updates w5…w8 first and then computes the hidden δ's through the updated
      weights. That is not the gradient of E (the exact gradient uses the weights of the forward
      pass), so exact gradient descent agrees with them to about six digits after one round and
      four to five after ${rounds.toLocaleString("en")}; done in the post's order, they agree to every digit.`);
}
