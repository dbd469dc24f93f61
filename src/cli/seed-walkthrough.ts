// The seed post's worked example, step by step (what `npm start` prints, examples/seed.mjs):
// `backprop explain` with no arguments.
import { runSeedExample, SEED_EXAMPLE } from "../index.js";

export async function printSeedExample(log: (line: string) => void): Promise<void> {
  const { first, exact, postOrder } = await runSeedExample("wasm");
  const [hidden, output] = first.layers as [(typeof first.layers)[0], (typeof first.layers)[0]];
  const post = SEED_EXAMPLE.post;
  const f = (v: number) => v.toPrecision(10);
  const line = (label: string, value: string, note = "") => log(`  ${label.padEnd(34)} ${value}${note ? `   ${note}` : ""}`);

  log("The seed example: a 2-2-2 network, sigmoid on both layers, one sample");
  log(
    `  i1, i2 = ${SEED_EXAMPLE.x[0]!.join(", ")}; targets ${SEED_EXAMPLE.y[0]!.join(", ")}` +
      `; learning rate ${SEED_EXAMPLE.learningRate}; biases fixed\n`,
  );

  log("Forward pass: net = w·input + b, out = σ(net) = 1/(1 + e^−net)");
  ["h1", "h2"].forEach((name, j) => line(`net_${name}, out_${name}`, `${f(hidden.z[j]!)}, ${f(hidden.a[j]!)}`));
  ["o1", "o2"].forEach((name, k) => line(`net_${name}, out_${name}`, `${f(output.z[k]!)}, ${f(output.a[k]!)}`));
  line("E_total = Σ ½(target − out)²", f(first.loss), `post: ${post.initialError}`);

  log("\nBackward pass, output layer: dE/dw = dE/dout · dout/dnet · dnet/dw");
  const outputNames = [
    ["w5", "w6"],
    ["w7", "w8"],
  ];
  outputNames.forEach((names, k) =>
    names.forEach((w, j) =>
      line(
        `dE/d${w}`,
        f(output.gradients.weights[k]![j]!),
        `= (out_o${k + 1} − t) ${f(output.dEdA[k]!)} · out(1 − out) ${f(output.dAdZ![k]!)} · out_h${j + 1} ${f(output.input[j]!)}`,
      ),
    ),
  );
  log("Hidden layer: dE/dout_h = Σₖ δₖ · wₖₕ, with δₖ = dE/dnet of output k (the original w5..w8)");
  const hiddenNames = [
    ["w1", "w2"],
    ["w3", "w4"],
  ];
  hiddenNames.forEach((names, j) =>
    names.forEach((w, i) =>
      line(
        `dE/d${w}`,
        f(hidden.gradients.weights[j]![i]!),
        `= dE/dout_h${j + 1} ${f(hidden.dEdA[j]!)} · out(1 − out) ${f(hidden.dAdZ![j]!)} · i${i + 1} ${f(hidden.input[i]!)}`,
      ),
    ),
  );

  log(`\nUpdate: w ← w − ${SEED_EXAMPLE.learningRate} · dE/dw`);
  const updated: [string, number][] = [
    ...hiddenNames.flat().map((w, n): [string, number] => [w, hidden.updated.weights[n >> 1]![n & 1]!]),
    ...outputNames.flat().map((w, n): [string, number] => [w, output.updated.weights[n >> 1]![n & 1]!]),
  ];
  updated.forEach(([w, v]) => line(`${w}⁺`, f(v)));

  log(`\nAfter the first round and after ${SEED_EXAMPLE.rounds} rounds`);
  line("E after round 1 (exact)", f(exact.errorAfterOneRound), `post: ${post.errorAfterOneRound} — agrees to 6 digits only`);
  line("E after round 1 (post's order)", f(postOrder.errorAfterOneRound), `post: ${post.errorAfterOneRound} — every digit`);
  line(`E computed in round ${SEED_EXAMPLE.rounds} (exact)`, f(exact.lossOfLastRound), `post: ${post.errorAfterRounds} — every digit`);
  line(`E after ${SEED_EXAMPLE.rounds} updates (exact)`, f(exact.errorAfterRounds));
  line(`out_o1, out_o2 (exact)`, exact.outputsAfterRounds.map(f).join(", "), `post: ${post.outputsAfterRounds.join(", ")} — 4 to 5 digits`);
  line(`out_o1, out_o2 (post's order)`, postOrder.outputsAfterRounds.map(f).join(", "), "every digit");

  log(`
Which of the post's figures the exact gradient reproduces, and why:
  - The first error, ${post.initialError}, and every dE/dw and updated weight of round 1 are reproduced to every
    printed digit: they come from one forward pass and the chain rule.
  - ${post.errorAfterRounds} is reproduced to every digit as the error computed in the forward pass of round
    ${SEED_EXAMPLE.rounds}, i.e. before that round's update (what a training loop prints).
  - ${post.errorAfterOneRound} after round 1, and the outputs ${post.outputsAfterRounds.join(" and ")} (printed as 0.159121960),
    come from a different order of work: the output weights w5..w8 are updated first and the hidden
    δ's are then computed through the updated weights. That is not the gradient of E (the exact gradient
    uses the weights of the forward pass), so exact gradient descent agrees with them to about six digits
    after one round and four to five digits after ${SEED_EXAMPLE.rounds}.`);
}
