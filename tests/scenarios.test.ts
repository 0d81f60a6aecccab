// Every scenario in scenarios/ is a test, and so are the contract files (tests/fixtures/contract),
// which must pass exactly as written.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadScenario, runScenario } from "../src/index.js";

const folders = ["scenarios", "tests/fixtures/contract"];

for (const dir of folders) {
  describe(dir, () => {
    const files = readdirSync(dir)
      .filter((f) => f.endsWith(".yaml"))
      .sort();
    it("has scenarios", () => expect(files.length).toBeGreaterThan(0));
    for (const f of files) {
      it(f, () => {
        const loaded = loadScenario(readFileSync(join(dir, f), "utf8"), f);
        if (!loaded.ok) throw new Error(loaded.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`).join("\n"));
        const result = runScenario(loaded.scenario);
        const failures = result.steps
          .filter((s) => s.check && !s.check.pass)
          .map((s) => `step ${s.index + 1}: ${s.check!.failures.join("; ")}`);
        expect(failures).toEqual([]);
        expect(result.passed).toBeGreaterThan(0);
      });
    }
  });
}
