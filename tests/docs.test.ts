// The format document's examples must stay valid: the world it shows loads, and its steps run
// against that world (docs/scenario-format.md).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadScenario, runScenario } from "../src/index.js";

const doc = readFileSync("docs/scenario-format.md", "utf8");
const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe("docs/scenario-format.md", () => {
  it("has a world example and step examples", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
  });
  it("its world loads, and each example of steps runs against it with its expectations holding", () => {
    const world = blocks.find((b) => b.includes("\nvpc:"))!;
    const examples = blocks.filter((b) => b.trimStart().startsWith("- "));
    let passed = 0;
    for (const steps of examples) {
      const text = `${world}steps:\n${steps.trimEnd().replace(/^/gm, "  ")}\n`;
      const loaded = loadScenario(text, "doc.yaml");
      if (!loaded.ok) throw new Error(loaded.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`).join("\n"));
      const result = runScenario(loaded.scenario);
      expect(result.failed).toBe(0);
      passed += result.passed;
    }
    expect(passed).toBeGreaterThan(0);
  });
});
