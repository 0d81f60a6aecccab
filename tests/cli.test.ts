// The command line: exit codes and compiler-style messages for bad input (file:line:col, exit 2).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scenarioJsonSchema } from "../src/index.js";
import { runCli } from "./cli-run.js";

const cli = (args: string[]) => runCli(args);

const dir = mkdtempSync(join(tmpdir(), "vpcsim-"));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const base = (body: string) => `name: bad
vpc: { cidr: 10.0.0.0/16 }
subnets:
  a: { cidr: 10.0.1.0/24 }
${body}`;

describe("the installed command (bin/vpcsim.js, the bundle `npm install` builds)", () => {
  it("runs a scenario: exit 0, N passed, N failed; exit 2 on a bad file", () => {
    const ok = spawnSync(process.execPath, ["bin/vpcsim.js", "run", "scenarios/ephemeral-ports.yaml"], {
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
    });
    expect(ok.status).toBe(0);
    expect(ok.stdout.trimEnd().split("\n").at(-1)).toBe("2 passed, 0 failed");
    const bad = spawnSync(process.execPath, ["bin/vpcsim.js", "run", file("bad.yaml", "name: x\nvpc: {}\n")], { encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/bad\.yaml:\d+:\d+ {2}error {2}/);
  });
});

describe("vpcsim run", () => {
  it("exits 0 on the scenarios folder and ends with N passed, N failed", async () => {
    const r = await cli(["run", "scenarios"]);
    expect(r.code).toBe(0);
    expect(r.out.trimEnd().split("\n").at(-1)).toMatch(/^\d+ passed, 0 failed$/);
  });

  it("exits 1 when an expectation fails, and shows the trace", async () => {
    const f = file(
      "fail.yaml",
      base(`instances:
  x: { subnet: a, private-ip: 10.0.1.10 }
  y: { subnet: a, private-ip: 10.0.1.11, security-groups: [locked] }
security-groups: { locked: {} }
steps:
  - connect: { from: x, to: y, protocol: tcp, port: 22 }
    expect: allowed
`),
    );
    const r = await cli(["run", f]);
    expect(r.code).toBe(1);
    expect(r.out).toContain("why: No inbound rule of security group locked on y allows tcp port 22");
    expect(r.out.trimEnd().split("\n").at(-1)).toBe("0 passed, 1 failed");
  });

  it("--format json is versioned", async () => {
    const r = await cli(["run", "scenarios/ephemeral-ports.yaml", "--format", "json"]);
    const json = JSON.parse(r.out);
    expect(json.version).toBe(1);
    expect(json.summary.failed).toBe(0);
  });

  it("--format markdown renders a table", async () => {
    const r = await cli(["run", "scenarios/ephemeral-ports.yaml", "--format", "markdown"]);
    expect(r.out).toContain("| # | step | outcome | expectation |");
  });

  const bad: [string, string, RegExp, string, number][] = [
    ["YAML syntax", base("instances: { x: [ }\n"), /./, "yaml/", 5],
    ["unknown key", base("instancez: {}\n"), /unknown key "instancez"; did you mean "instances"\?/, "schema/unrecognized_keys", 5],
    [
      "unknown reference",
      base("instances:\n  x: { subnet: nowhere, private-ip: 10.0.1.10 }\n"),
      /unknown subnet "nowhere"/,
      "ref/unknown-subnet",
      6,
    ],
    [
      "CIDR with host bits",
      base("security-groups:\n  s: { inbound: [ { protocol: tcp, ports: 22, source: 10.0.0.5/24 } ] }\n"),
      /host bits set: did you mean 10.0.0.0\/24\?/,
      "cidr/host-bits",
      6,
    ],
    [
      "port out of range",
      base("security-groups:\n  s: { inbound: [ { protocol: tcp, ports: 70000, source: 0.0.0.0/0 } ] }\n"),
      /outside 0-65535/,
      "port/range",
      6,
    ],
    [
      "duplicate rule number",
      base(
        "network-acls:\n  n:\n    inbound:\n      - { rule: 100, action: allow, protocol: all, cidr: 0.0.0.0/0 }\n      - { rule: 100, action: deny, protocol: all, cidr: 0.0.0.0/0 }\n",
      ),
      /rule number 100 is used twice/,
      "nacl/duplicate-rule-number",
      9,
    ],
    [
      "rule number out of range",
      base("network-acls:\n  n:\n    inbound:\n      - { rule: 32767, action: allow, protocol: all, cidr: 0.0.0.0/0 }\n"),
      /outside 1-32766/,
      "nacl/rule-number-range",
      8,
    ],
    [
      "route inside the VPC that is not a whole subnet",
      base("route-tables:\n  r: { routes: [ { destination: 10.0.1.0/25, target: internet-gateway } ] }\n"),
      /only a whole subnet's block may be routed/,
      "route/local",
      6,
    ],
    [
      "IPv6 block in an IPv4 field",
      base("").replace("10.0.1.0/24", '"2600::/64"'),
      /IPv6 block where an IPv4 block belongs/,
      "cidr/family",
      4,
    ],
  ];
  for (const [what, text, message, code, line] of bad) {
    it(`bad input: ${what} → file:line:col, message, code, exit 2`, async () => {
      const f = file(`${code.replace(/\W/g, "_")}.yaml`, text);
      const r = await cli(["run", f]);
      expect(r.code).toBe(2);
      const first = r.err.split("\n")[0]!;
      expect(first).toMatch(new RegExp(`^${f.replace(/[.\\/]/g, "\\$&")}:${line}:\\d+  error  `));
      expect(first).toMatch(message);
      expect(first).toContain(code);
    });
  }

  it("bad input: a huge file is refused before parsing", async () => {
    const f = file("huge.yaml", `name: x\n#${"x".repeat(2_100_000)}\n`);
    const r = await cli(["run", f]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("input/too-large");
  });

  it("bad input: an alias bomb is refused", async () => {
    const lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 0; i < 12; i++)
      lines.push(
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(97 + i)}`)
          .join(", ")}]`,
      );
    const r = await cli(["run", file("bomb.yaml", `${lines.join("\n")}\n`)]);
    expect(r.code).toBe(2);
  });

  it("a missing path exits 2", async () => {
    expect((await cli(["run", join(dir, "nope.yaml")])).code).toBe(2);
  });
});

describe("vpcsim trace and schema", () => {
  it("trace prints every hop of one connection", async () => {
    const r = await cli([
      "trace",
      "scenarios/ephemeral-ports.yaml",
      "--from",
      "laptop",
      "--to",
      "web",
      "--protocol",
      "tcp",
      "--port",
      "443",
    ]);
    expect(r.code).toBe(1);
    expect(r.out).toContain("network-acl web-acl outbound: deny");
  });
  it("schema prints the committed JSON Schema, which is not stale", async () => {
    const r = await cli(["schema"]);
    expect(JSON.parse(r.out)).toEqual(scenarioJsonSchema());
    expect(JSON.parse(readFileSync("schema/scenario.schema.json", "utf8"))).toEqual(scenarioJsonSchema());
  });
  it("usage errors exit 2", async () => {
    expect((await cli(["frobnicate"])).code).toBe(2);
  });
  it("--help shows examples, for the program and each command, and exits 0", async () => {
    for (const args of [["--help"], ["run", "--help"], ["trace", "--help"], ["schema", "--help"]]) {
      const r = await cli(args);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/Examples?:\n {2}vpcsim /);
    }
  });
});

describe("vpcsim run --flow-logs", () => {
  it("writes the header and a record for each interface a packet crossed; the run's output is unchanged", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vpcsim-flow-logs-"));
    const file = join(dir, "flow.log");
    const plain = await runCli(["run", "scenarios/ephemeral-ports.yaml", "--no-color"]);
    const r = await runCli(["run", "scenarios/ephemeral-ports.yaml", "--no-color", "--flow-logs", file]);
    expect([r.code, r.out]).toEqual([plain.code, plain.out]);
    const lines = readFileSync(file, "utf8").trimEnd().split("\n");
    expect(lines[0]).toBe(
      "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status",
    );
    expect(lines.slice(1, 3)).toEqual([
      "2 123456789012 eni-web 198.51.100.7 10.0.1.10 49152 443 6 1 40 1700000000 1700000060 ACCEPT OK",
      "2 123456789012 eni-web 10.0.1.10 198.51.100.7 443 49152 6 1 40 1700000000 1700000060 REJECT OK",
    ]);
  });

  it("a file that cannot be written is exit 2 with the reason", async () => {
    const r = await runCli(["run", "scenarios/ephemeral-ports.yaml", "--flow-logs", "/nonexistent-dir/flow.log"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("vpcsim: cannot write the flow logs to /nonexistent-dir/flow.log: ENOENT");
  });
});
