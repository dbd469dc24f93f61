// Networks dropped without dispose() are reclaimed, and the engine's limit on live networks is a
// CapacityError: test/scripts/reclaim.mjs in a child process with --expose-gc, under a limit on
// virtual memory that lets only a few networks' memories be reserved at once.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

it("networks dropped without dispose() give their memory back; the engine's limit on live networks is a CapacityError", () => {
  const script = fileURLToPath(new URL("./scripts/reclaim.mjs", import.meta.url));
  const command = `ulimit -v 60000000 && exec "${process.execPath}" --expose-gc "${script}"`;
  const output = execFileSync("bash", ["-c", command], { encoding: "utf8", timeout: 110_000 });
  const report = JSON.parse(output.trim().split("\n").pop()!);
  expect(report.refusal).toMatchObject({ name: "CapacityError", isCapacityError: true });
  expect(report.refusal.message).toMatch(
    /no memory left for another network's core .* dispose\(\) the networks you no longer need/,
  );
  expect(report.live).toBeGreaterThan(0);
  expect(report.liveStillWork).toBe(true);
  expect(report.droppedError).toBeUndefined();
  expect(report.createdAfterDropping).toBe(10 * report.live + 50);
  expect(report.collected).toEqual({ networks: 100, memories: 100 });
}, 120_000);
