// `vpcsim lint` on the command line: formats, --fail-on and its exit codes, and SARIF output that
// validates against the SARIF 2.1.0 schema (tests/fixtures/sarif-schema-2.1.0.json, OASIS).
import { readFileSync } from "node:fs";
import AjvDraft04 from "ajv-draft-04";
import { describe, expect, it } from "vitest";
import { fileUri } from "../src/render/findings-sarif.js";
import { runCli } from "./cli-run.js";

const schema = JSON.parse(readFileSync("tests/fixtures/sarif-schema-2.1.0.json", "utf8"));
// a CommonJS module: its class is `default` of what Node's ESM import gives
const Ajv = AjvDraft04.default;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

describe("vpcsim lint", () => {
  it("prints findings compiler-style with the fix and the rule behind each, and a count", async () => {
    const r = await runCli(["lint", "scenarios/ephemeral-ports.yaml", "--no-color"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("scenarios/ephemeral-ports.yaml:14:9  warning  network ACL web-acl admits tcp 443");
    expect(r.out).toContain("    fix: add an outbound rule allowing tcp 1024-65535");
    expect(r.out).toContain(
      "    rule: aws-rules §1.4 Ephemeral ports (https://docs.aws.amazon.com/vpc/latest/userguide/nacl-ephemeral-ports.html)",
    );
    expect(r.out.trim().split("\n").at(-1)).toBe("3 findings: 0 errors, 2 warnings, 1 note");
  });
  it("--fail-on: exit 1 when a finding at or above exists, 0 otherwise", async () => {
    expect((await runCli(["lint", "scenarios", "--fail-on", "error"])).code).toBe(0);
    expect((await runCli(["lint", "scenarios", "--fail-on", "warning"])).code).toBe(1);
    expect((await runCli(["lint", "scenarios/stateful-security-groups.yaml", "--fail-on", "warning"])).code).toBe(0);
    expect((await runCli(["lint", "scenarios/stateful-security-groups.yaml", "--fail-on", "note"])).code).toBe(1);
    expect((await runCli(["lint", "scenarios", "--fail-on", "fatal"])).code).toBe(2);
  });
  it("an error-level finding fails by default", async () => {
    const r = await runCli(["lint", "tests/fixtures/lint/open-database.yaml", "--format", "json"]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out);
    expect(doc.summary).toEqual({ error: 2, warning: 3, note: 0 });
    expect(doc.findings.map((f: { code: string; line: number }) => `${f.line} ${f.code}`)).toEqual([
      "10 sg/specific-ports-unrestricted",
      "10 sg/open-to-unauthorized-ports",
      "11 sg/restricted-ssh",
      "11 sg/open-to-unauthorized-ports",
      "11 sg/unrestricted-access",
    ]);
  });
  it("an unloadable file is exit 2, with its diagnostics and the other files' findings", async () => {
    const r = await runCli(["lint", "scenarios/ephemeral-ports.yaml", "no-such-file.yaml", "--format", "json"]);
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.out);
    expect(doc.invalid.map((d: { code: string }) => d.code)).toEqual(["input/not-found"]);
    expect(doc.findings).toHaveLength(3);
  });
  it("--authorized-tcp-ports is AWS Config's parameter; a bad list is a usage error", async () => {
    const open = await runCli(["lint", "scenarios/rule-order.yaml", "--format", "json"]);
    const authorized = await runCli([
      "lint",
      "scenarios/rule-order.yaml",
      "--format",
      "json",
      "--authorized-tcp-ports",
      "80,443,4000-4001",
    ]);
    const count = (out: string) =>
      JSON.parse(out).findings.filter((f: { code: string }) => f.code === "sg/open-to-unauthorized-ports").length;
    expect([count(open.out), count(authorized.out)]).toEqual([1, 0]);
    const bad = await runCli(["lint", "scenarios", "--authorized-tcp-ports", "22,70000"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("--authorized-tcp-ports");
  });
});

describe("SARIF 2.1.0", () => {
  it("the output of every lesson and of a failing world validates against the schema", async () => {
    for (const args of [["scenarios"], ["tests/fixtures/lint/open-database.yaml"]]) {
      const r = await runCli(["lint", ...args, "--format", "sarif"]);
      const doc = JSON.parse(r.out);
      const ok = validate(doc);
      expect(validate.errors ?? [], JSON.stringify(validate.errors)).toEqual([]);
      expect(ok).toBe(true);
      expect(doc.runs[0].results.length).toBeGreaterThan(0);
    }
  });
  it("each result points at its rule, its level and its line", async () => {
    const doc = JSON.parse((await runCli(["lint", "scenarios/rule-order.yaml", "--format", "sarif"])).out);
    const run = doc.runs[0];
    for (const result of run.results) expect(run.tool.driver.rules[result.ruleIndex].id).toBe(result.ruleId);
    const shadowed = run.results.find((x: { ruleId: string }) => x.ruleId === "nacl/shadowed-rule");
    expect(shadowed.level).toBe("warning");
    expect(shadowed.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: "scenarios/rule-order.yaml" },
      region: { startLine: 12, startColumn: 9 },
    });
  });
  it("the schema catches a broken document: the test can fail", () => {
    expect(validate({ version: "2.1.0", runs: [{ tool: { driver: {} }, results: [] }] })).toBe(false);
  });
  it("file names become URI references", () => {
    expect(fileUri("my lessons/a#1.yaml")).toBe("my%20lessons/a%231.yaml");
    expect(fileUri("/abs/x.yaml")).toBe("file:///abs/x.yaml");
    expect(fileUri("C:\\x\\y.yaml")).toBe("C%3A/x/y.yaml");
  });
});
