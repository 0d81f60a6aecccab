// `vpcsim import` and `vpcsim trace` on AWS exports: the YAML on stdout and warnings on stderr,
// exit 2 naming file, resource and field; trace exits 0 when request and reply are delivered, 1
// when either is dropped, on every snapshot.
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readAwsDocuments } from "../../src/node/import-files.js";
import { readTextFile } from "../../src/node/read-file.js";
import { runCli } from "../cli-run.js";
import { SNAPSHOTS } from "../snapshots.js";

const dir = mkdtempSync(join(tmpdir(), "vpcsim-import-"));
const snapshot = (name: string) => join(SNAPSHOTS, name);

describe("vpcsim import", () => {
  it("writes the scenario YAML, IDs in comments, stand-ins named; the warnings go to stderr", async () => {
    const r = await runCli(["import", snapshot("test-public-private-subnet"), "--no-color"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^# Imported by vpcsim from tests\/fixtures\/batfish-aws\/test-public-private-subnet\n/);
    expect(r.out).toContain("- { destination: 0.0.0.0/0, target: { unmodelled: vgw-070087240d6fa2989 } }");
    expect(r.out).toContain("  # sg-063f2bb51713c3236\n  launch-wizard-3:");
    expect(r.err).toContain(
      "RouteTables.json: RouteTables[0].Routes[1]  warning  rtb-002f0eabf583bf991: virtual private gateway vgw-070087240d6fa2989",
    );
  });

  it("several VPCs: exit 2 naming them; --vpc imports one", async () => {
    const all = await runCli(["import", snapshot("test-vpc-peering"), "--no-color"]);
    expect(all.code).toBe(2);
    expect(all.out).toBe("");
    expect(all.err).toContain("error  the import holds 3 VPCs: vpc-00a31ce9d0c06675c (192.168.0.0/16)");
    const one = await runCli(["import", snapshot("test-vpc-peering"), "--vpc", "vpc-0404e08ceddf7f650", "--name", "vpc-a", "--no-color"]);
    expect(one.code).toBe(0);
    expect(one.out).toContain("\nname: vpc-a\n");
    expect(one.err).toContain("import/other-vpc");
  });

  it("a file that is not JSON: exit 2 at its line and column", async () => {
    const bad = join(dir, "bad");
    mkdirSync(bad);
    writeFileSync(join(bad, "Vpcs.json"), '{\n  "Vpcs" []\n}\n');
    const r = await runCli(["import", bad, "--no-color"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${join(bad, "Vpcs.json")}:2:10  error  not JSON:`);
  });

  it("a missing path: exit 2", async () => {
    const r = await runCli(["import", join(dir, "missing"), "--no-color"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("input/not-found");
  });

  it("reads Batfish's aws_configs/[account/][region/]*.json layout, and one combined file", async () => {
    const nested = join(dir, "nested");
    cpSync(join(snapshot("test-subnet"), "aws_configs"), join(nested, "aws_configs", "554773406868", "us-east-2"), { recursive: true });
    const a = await runCli(["import", nested, "--no-color"]);
    const b = await runCli(["import", snapshot("test-subnet"), "--no-color"]);
    expect(a.code).toBe(0);
    expect(a.out.split("\n").slice(1)).toEqual(b.out.split("\n").slice(1));
    const read = await readAwsDocuments(snapshot("test-subnet"));
    const combined = join(dir, "account.json");
    writeFileSync(combined, JSON.stringify(Object.assign({}, ...read.documents.map((d) => d.data))));
    const c = await runCli(["import", combined, "--no-color"]);
    expect(c.code).toBe(0);
    expect(c.out.split("\n").slice(1)).toEqual(b.out.split("\n").slice(1));
  });

  it("an import's files are refused over their limit, as scenarios are over theirs", async () => {
    const r = await readTextFile(join(snapshot("test-subnet"), "aws_configs", "Vpcs.json"), 100, "imported files");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.diagnostics[0]!.message).toBe("the file is 452 bytes; imported files are limited to 100");
  });
});

describe("vpcsim run on AWS exports", () => {
  it("runs a snapshot folder beside scenario files: its import is checked, its warnings told", async () => {
    const r = await runCli(["run", snapshot("test-public-private-subnet"), "scenarios/nat-gateway.yaml", "--no-color"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("Scenarios     2 passed (2)");
    expect(r.err).toContain("import/unmodelled");
  });

  it("an export that does not import is invalid (exit 2); --vpc chooses", async () => {
    expect((await runCli(["run", snapshot("test-vpc-peering"), "--no-color"])).code).toBe(2);
    expect((await runCli(["run", snapshot("test-vpc-peering"), "--vpc", "vpc-0404e08ceddf7f650", "--no-color"])).code).toBe(0);
  });
});

describe("vpcsim trace on a snapshot folder", () => {
  const cases: [snapshot: string, from: string, to: string, port: number, code: number][] = [
    ["test-subnet", "10.10.1.228", "10.10.1.44", 22, 0],
    ["test-subnet", "10.10.1.228", "10.10.1.44", 80, 1],
    ["test-public-subnet", "8.8.8.8", "18.216.80.133", 22, 0],
    ["test-public-subnet", "8.8.8.8", "18.216.80.133", 80, 1],
    ["test-public-private-subnet", "10.0.0.47", "8.8.8.8", 443, 0],
    ["test-public-private-subnet", "10.0.1.204", "8.8.8.8", 443, 1],
    ["test-nat-gateway", "10.1.1.98", "8.8.8.8", 80, 0],
    ["test-nat-gateway", "8.8.8.8", "3.135.127.225", 80, 1],
  ];
  it.each(cases)("%s: %s → %s tcp/%d exits %d", async (name, from, to, port, code) => {
    const r = await runCli([
      "trace",
      snapshot(name),
      "--from",
      from,
      "--to",
      to,
      "--protocol",
      "tcp",
      "--port",
      String(port),
      "--no-color",
    ]);
    expect(r.code).toBe(code);
    expect(r.out).toContain(code === 0 ? "allowed: request and reply delivered" : "denied");
  });

  it("test-vpc-peering: exit 2 naming the VPCs; with --vpc, the peering route stops at its stand-in (exit 1)", async () => {
    const args = [
      "trace",
      snapshot("test-vpc-peering"),
      "--from",
      "10.10.10.157",
      "--to",
      "192.168.1.106",
      "--protocol",
      "tcp",
      "--port",
      "22",
    ];
    const all = await runCli([...args, "--no-color"]);
    expect(all.code).toBe(2);
    expect(all.err).toContain("choose one with --vpc ID");
    const one = await runCli([...args, "--vpc", "vpc-0404e08ceddf7f650", "--no-color"]);
    expect(one.code).toBe(1);
    expect(one.out).toContain("(UNMODELLED_TARGET)");
    expect(one.err).toContain("VPC peering connection pcx-0b89b559e3319d6cf is not modelled yet");
  });
});
