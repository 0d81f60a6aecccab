// A scenario built in code as a plain object is checked as a file is, with paths for positions.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { diagnosticsText, loadScenario, loadScenarioValue, runScenario, scenarioText } from "../src/index.js";

const lesson = (name: string) => readFileSync(join(import.meta.dirname, "..", "scenarios", name), "utf8");

describe("loadScenarioValue", () => {
  it("gives a lesson written as an object the same result as its file", () => {
    for (const name of ["ephemeral-ports.yaml", "nat-gateway.yaml", "connection-close.yaml"]) {
      const text = lesson(name);
      const fromFile = loadScenario(text, name);
      const fromValue = loadScenarioValue(parse(text), name);
      expect(fromFile.ok && fromValue.ok).toBe(true);
      if (!fromFile.ok || !fromValue.ok) continue;
      expect(scenarioText(runScenario(fromValue.scenario))).toBe(scenarioText(runScenario(fromFile.scenario)));
      expect(fromValue.scenario.world).toEqual(fromFile.scenario.world);
    }
  });

  it("positions a problem by its path, and prints it so", () => {
    const r = loadScenarioValue({
      name: "t",
      vpc: { cidr: "10.0.0.0/16" },
      subnets: { a: { cidr: "10.0.1.0/24" } },
      "security-groups": { web: { inbound: [{ protocol: "tcp", ports: 99999, source: "0.0.0.0/0" }] } },
      steps: [],
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostics[0]).toMatchObject({ line: 0, column: 0, path: "security-groups.web.inbound[0].ports", code: "port/range" });
    expect(diagnosticsText(r.diagnostics)).toContain("<scenario>: security-groups.web.inbound[0].ports  error  port 99999");
  });

  it("refuses what a file cannot hold, each at its path", () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    class Rule {}
    const r = loadScenarioValue({ name: "t", f: () => 1, d: new Date(0), c: cycle, n: Number.NaN, r: new Rule(), s: Symbol("x") });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostics.map((d) => [d.path, d.code])).toEqual([
      ["f", "value/not-plain-data"],
      ["d", "value/not-plain-data"],
      ["c.self", "value/not-plain-data"],
      ["n", "value/not-plain-data"],
      ["r", "value/not-plain-data"],
      ["s", "value/not-plain-data"],
    ]);
  });

  it("turns a getter that throws into a problem, and leaves undefined fields out", () => {
    const hostile = {
      name: "t",
      get vpc(): never {
        throw new Error("boom");
      },
    };
    const r = loadScenarioValue(hostile);
    expect(r.ok ? [] : r.diagnostics.map((d) => [d.path, d.message])).toEqual([["vpc", "reading the value failed: boom"]]);
    const ok = loadScenarioValue({ ...parse(lesson("same-subnet.yaml")), description: undefined });
    expect(ok.ok).toBe(true);
  });

  it("refuses undefined, null and an own __proto__ key", () => {
    for (const v of [undefined, null]) expect(loadScenarioValue(v).ok).toBe(false);
    const r = loadScenarioValue(JSON.parse('{"name":"t","__proto__":{"x":1}}'));
    expect(r.ok ? [] : r.diagnostics.map((d) => d.code)).toEqual(["yaml/reserved-key"]);
  });
});
