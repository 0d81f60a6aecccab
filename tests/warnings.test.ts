// Warnings (AWS quotas, a file with no steps, a rule no packet can match) never stop a file: it
// loads, runs and passes, and the warnings reach the user in every output format.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadScenario } from "../src/scenario/load.js";
import { runCli } from "./cli-run.js";

const dir = mkdtempSync(join(tmpdir(), "vpcsim-warnings-"));

/** A passing scenario whose group has a rule for icmpv6 from an IPv4 block (line 6). */
const WARNED = `name: warned
vpc: { cidr: 10.0.0.0/16 }
subnets: { a: { cidr: 10.0.1.0/24 } }
security-groups:
  s:
    inbound: [ { protocol: icmpv6, source: 10.0.0.0/16 }, { protocol: tcp, ports: 22, source: 10.0.0.0/16 } ]
instances:
  x: { subnet: a, private-ip: 10.0.1.10 }
  y: { subnet: a, private-ip: 10.0.1.11, security-groups: [s] }
steps:
  - connect: { from: x, to: y, protocol: tcp, port: 22 }
    expect: allowed
`;

describe("warnings", () => {
  it("a warned file loads, with its warnings beside the scenario", () => {
    const r = loadScenario(WARNED, "w.yaml");
    expect(r.ok).toBe(true);
    expect(r.ok && r.warnings.map((d) => `${d.line}:${d.column} ${d.severity} ${d.code}`)).toEqual(["6:28 warning rule/icmp-family"]);
  });

  it("a file with an error lists its warnings among its problems, each with its severity", () => {
    const r = loadScenario(WARNED.replace("ports: 22, ", ""), "w.yaml");
    expect(r.ok).toBe(false);
    expect(!r.ok && r.diagnostics.map((d) => `${d.severity ?? "error"} ${d.code}`)).toEqual([
      "warning rule/icmp-family",
      "error rule/ports-required",
    ]);
  });

  it("vpcsim run prints them as `warning` on stderr, passes the file and exits 0", async () => {
    const file = join(dir, "warned.yaml");
    writeFileSync(file, WARNED);
    const r = await runCli(["run", file]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/warned\.yaml:6:28 {2}warning {2}icmpv6 with an IPv4 block matches no ping.* {2}rule\/icmp-family/);
    expect(r.err).not.toMatch(/ {2}error {2}/);
  });

  it("vpcsim run --format json lists them under `warnings`, and the file is not invalid", async () => {
    const file = join(dir, "warned-json.yaml");
    writeFileSync(file, WARNED);
    const r = await runCli(["run", file, "--format", "json"]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc.invalid).toEqual([]);
    expect(doc.warnings).toMatchObject([{ line: 6, column: 28, code: "rule/icmp-family", severity: "warning" }]);
  });

  it("a file with no steps warns at its steps key, or at its start when it has none", () => {
    const world = "name: t\nvpc: { cidr: 10.0.0.0/16 }\nsubnets: {}\n";
    for (const [text, at] of [
      [world, "1:1"],
      [`${world}steps: []\n`, "4:1"],
    ] as const) {
      const r = loadScenario(text, "t.yaml");
      expect(r.ok && r.warnings.map((d) => `${d.line}:${d.column} ${d.code}`)).toEqual([`${at} scenario/no-steps`]);
    }
  });
});
