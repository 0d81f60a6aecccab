// `vpcsim run --format html`: one self-contained page with each scenario's pictures; `--format
// markdown` ends with a summary that stays a list and a paragraph.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./cli-run.js";

describe("vpcsim run --format html", () => {
  it("writes one page: topology and path pictures, no scripts, the exit code of the run", async () => {
    const r = await runCli(["run", "scenarios/ephemeral-ports.yaml", "scenarios/nat-gateway.yaml", "--format", "html"]);
    expect(r.code).toBe(0);
    expect(r.out.startsWith("<!doctype html>")).toBe(true);
    expect(r.out.match(/<html/g)).toHaveLength(1);
    expect(r.out).toContain("Topology of VPC");
    expect(r.out).toContain("dropped at network-acl web-acl outbound (SUBNET_ACL_RESTRICTION)");
    expect(r.out).not.toMatch(/<script|\son\w+=/);
    const again = await runCli(["run", "scenarios/ephemeral-ports.yaml", "scenarios/nat-gateway.yaml", "--format", "html"]);
    expect(again.out).toBe(r.out);
  });
  it("lists the files that could not be loaded, escaped, and exits 2", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vpcsim-html-"));
    writeFileSync(join(dir, "<b>bad.yaml"), "name: x\nvpc: [\n");
    const r = await runCli(["run", dir, "--format", "html"]);
    expect(r.out).toContain("Files that could not be loaded");
    expect(r.out).toContain("&lt;b&gt;bad.yaml");
    expect(r.out).not.toContain("<b>");
    expect(r.code).toBe(2);
  });
});

describe("vpcsim run --format markdown", () => {
  it("ends with the summary as a list, then the totals as their own paragraph", async () => {
    const r = await runCli(["run", "scenarios/ephemeral-ports.yaml", "--format", "markdown"]);
    expect(r.out.trimEnd().split("\n").slice(-4)).toEqual([
      "- Scenarios: 1 passed (1)",
      "- Expectations: 2 passed (2)",
      "",
      "2 passed, 0 failed",
    ]);
  });
});
