// `vpcsim trace`: one connection built from the options against a scenario's world. A bad option is
// an error about that option (exit 2), never about a line of a file the user did not write.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./cli-run.js";

const trace = (args: string[]) => runCli(["trace", ...args, "--no-color"]);

const web = "scenarios/ephemeral-ports.yaml";
const dir = mkdtempSync(join(tmpdir(), "vpcsim-trace-"));

describe("vpcsim trace", () => {
  it("prints every hop of the request and the reply; exit 1 when a packet is dropped", async () => {
    const r = await trace([web, "--from", "laptop", "--to", "web", "--protocol", "tcp", "--port", "443"]);
    expect(r.code).toBe(1);
    expect(r.err).toBe("");
    const lines = r.out.split("\n");
    expect(lines[0]).toBe(
      "connect laptop → web tcp/443: request delivered, reply denied at network-acl web-acl outbound (SUBNET_ACL_RESTRICTION)",
    );
    expect(lines[1]).toBe("request: tcp 198.51.100.7:49152 → 203.0.113.10:443 [SYN]  delivered");
    expect(r.out).toContain("reply: tcp 10.0.1.10:443 → 198.51.100.7:49152 [SYN,ACK]  dropped: SUBNET_ACL_RESTRICTION");
    expect(r.out).toContain("fix: add rule 110 allow tcp 1024-65535 to 198.51.100.7/32 to outbound of network ACL web-acl");
  });

  it("exit 0 when the request and the reply arrive, with --source-port", async () => {
    const r = await trace([
      "scenarios/nat-gateway.yaml",
      "--from",
      "worker",
      "--to",
      "api",
      "--protocol",
      "tcp",
      "--port",
      "443",
      "--source-port",
      "40000",
    ]);
    expect(r.code).toBe(0);
    expect(r.out.split("\n")[0]).toBe("connect worker → api tcp/443: allowed: request and reply delivered");
    expect(r.out).toContain("request: tcp 10.0.1.25:40000 → 93.184.216.34:443 [SYN]  delivered");
  });

  const bad: [what: string, options: string[], message: string][] = [
    [
      "an unknown --from",
      ["--from", "nobody", "--to", "web", "--protocol", "tcp", "--port", "443"],
      'vpcsim trace: --from "nobody": "nobody" is neither an instance, a NAT gateway, an internet host nor an IP address',
    ],
    [
      "an unknown --to",
      ["--from", "laptop", "--to", "nowhere", "--protocol", "tcp", "--port", "443"],
      'vpcsim trace: --to "nowhere": "nowhere" is neither an instance, a NAT gateway, an internet host nor an IP address',
    ],
    [
      "a bad protocol",
      ["--from", "laptop", "--to", "web", "--protocol", "tpc", "--port", "443"],
      'vpcsim trace: --protocol "tpc": unknown protocol "tpc": use tcp, udp, icmp, icmpv6, all or a number 0-255',
    ],
    [
      "protocol all",
      ["--from", "laptop", "--to", "web", "--protocol", "all"],
      'vpcsim trace: --protocol "all": a packet has one protocol: tcp, udp, icmp, icmpv6 or a number',
    ],
    [
      "a port on icmp",
      ["--from", "laptop", "--to", "web", "--protocol", "icmp", "--port", "443"],
      "vpcsim trace: --port 443: only tcp and udp packets have ports",
    ],
    [
      "tcp without a port",
      ["--from", "laptop", "--to", "web", "--protocol", "tcp"],
      "vpcsim trace: --port: tcp and udp packets need a destination port",
    ],
    [
      "a source port out of range",
      ["--from", "laptop", "--to", "web", "--protocol", "tcp", "--port", "443", "--source-port", "70000"],
      "vpcsim trace: --source-port 70000: port 70000 is outside 0-65535",
    ],
    [
      "an ICMP type on tcp",
      ["--from", "laptop", "--to", "web", "--protocol", "tcp", "--port", "443", "--icmp-type", "8"],
      "vpcsim trace: --icmp-type 8: icmp-type and icmp-code go with icmp or icmpv6",
    ],
  ];
  for (const [what, options, message] of bad) {
    it(`${what}: exit 2, an error about the option`, async () => {
      const r = await trace([web, ...options]);
      expect(r.code).toBe(2);
      expect(r.out).toBe("");
      expect(r.err).toBe(`${message}\n`);
    });
  }

  it("reports every bad endpoint at once", async () => {
    const r = await trace([web, "--from", "a", "--to", "b", "--protocol", "icmp"]);
    expect(r.code).toBe(2);
    expect(r.err.trimEnd().split("\n")).toEqual([
      'vpcsim trace: --from "a": "a" is neither an instance, a NAT gateway, an internet host nor an IP address',
      'vpcsim trace: --to "b": "b" is neither an instance, a NAT gateway, an internet host nor an IP address',
    ]);
  });

  it("a scenario file that does not exist: exit 2, file:1:1 and why", async () => {
    const missing = join(dir, "missing.yaml");
    const r = await trace([missing, "--from", "laptop", "--to", "web", "--protocol", "tcp", "--port", "443"]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      new RegExp(`^${missing.replace(/[.\\/]/g, "\\$&")}:1:1 {2}error {2}ENOENT: no such file or directory.* {2}input/unreadable\n$`),
    );
  });

  it("an invalid scenario is reported at its own lines, and nothing is traced", async () => {
    const f = join(dir, "invalid.yaml");
    writeFileSync(f, "name: x\nvpc: { cidr: 10.0.0.5/16 }\nsubnets: {}\n");
    const r = await trace([f, "--from", "10.0.0.9", "--to", "10.0.0.10", "--protocol", "icmp"]);
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toContain(`${f}:2:14  error  "10.0.0.5/16" has host bits set: did you mean 10.0.0.0/16?  cidr/host-bits`);
  });

  it("traces a scenario that uses YAML anchors and aliases, even one set in its steps", async () => {
    // The steps come first and set an anchor the groups use: rewriting the steps would lose it.
    const f = join(dir, "anchors.yaml");
    writeFileSync(
      f,
      `name: anchors
vpc: { cidr: 10.0.0.0/16 }
subnets:
  a: { cidr: 10.0.1.0/24 }
steps:
  - connect: &connect { from: x, to: y, protocol: tcp, port: &ssh-port 22 }
    expect: allowed
  - connect: *connect
security-groups:
  ssh: { inbound: [ &ssh { protocol: tcp, ports: *ssh-port, source: 10.0.0.0/16 } ] }
  also-ssh: { inbound: [ *ssh ] }
instances:
  x: { subnet: a, private-ip: 10.0.1.10, security-groups: &groups [ssh, also-ssh] }
  y: { subnet: a, private-ip: 10.0.1.11, security-groups: *groups }
`,
    );
    const r = await trace([f, "--from", "x", "--to", "y", "--protocol", "tcp", "--port", "22"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out.split("\n")[0]).toBe("connect x → y tcp/22: allowed: request and reply delivered");
  });

  const cut = "scenarios/untracked-flow-cut.yaml";
  const ssh = ["--from", "admin", "--to", "server", "--protocol", "tcp", "--port", "22"];

  it("--after-step N traces after the first N steps: their rule changes apply, their ports are taken", async () => {
    const before = await trace([cut, ...ssh]);
    expect(before.code).toBe(0);
    const after = await trace([cut, ...ssh, "--after-step", "4"]);
    expect(after.code).toBe(1);
    const lines = after.out.split("\n");
    expect(lines[0]).toBe("connect admin → server tcp/22: request denied at security-groups server inbound (ENI_SG_RULES_MISMATCH)");
    expect(lines[1]).toBe('traced after step 4 (remove inbound rule "tcp port 22 from 198.51.100.7/32" from security group web: applied)');
    // steps 1 and 2 took the client's first two ephemeral ports: this connection is a new one
    expect(lines[2]).toMatch(/^request: tcp 198\.51\.100\.7:(\d+) → /);
    expect(lines[2]).not.toContain(before.out.split("\n")[1]!.split(" ")[2]);
  });

  it("--after-step out of range, or not a whole number: exit 2, an error about the option", async () => {
    const r = await trace([cut, ...ssh, "--after-step", "7"]);
    expect([r.code, r.out, r.err]).toEqual([2, "", "vpcsim trace: --after-step 7: the scenario has 6 steps: give 0-6\n"]);
    const negative = await trace([cut, ...ssh, "--after-step", "-1"]);
    expect(negative.code).toBe(2);
    expect(negative.err).toContain("--after-step -1: the scenario has 6 steps");
    const fraction = await trace([cut, ...ssh, "--after-step", "1.5"]);
    expect(fraction.code).toBe(2);
    expect(fraction.err).toContain('"1.5" is not a whole number');
  });

  it("--format json: one document with the connection and its verdict, the exit code as in text", async () => {
    const r = await trace([web, "--from", "laptop", "--to", "web", "--protocol", "tcp", "--port", "443", "--format", "json"]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out);
    expect(doc).toMatchObject({ version: 1, file: web, afterStep: 0, delivered: false });
    expect(doc.connection.packets.map((p: { role: string; result: { delivered: boolean } }) => [p.role, p.result.delivered])).toEqual([
      ["request", true],
      ["reply", false],
    ]);
  });

  it("--format markdown: a heading, where it was traced, and each packet's hops", async () => {
    const r = await trace([cut, ...ssh, "--after-step", "4", "--format", "markdown"]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^## connect admin → server tcp\/22\n\n`scenarios\/untracked-flow-cut\.yaml`, after step 4 \(/);
    expect(r.out).toContain("**request:** `tcp 198.51.100.7:");
    expect(r.out).toContain("3. security-groups server inbound: deny — no rule matches");
  });

  it("an unknown --format is an option error; the help documents the exit codes", async () => {
    const r = await trace([web, ...ssh, "--format", "xml"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("argument 'xml' is invalid. Allowed choices are text, json, markdown, html.");
    const help = await runCli(["trace", "--help"]);
    expect(help.code).toBe(0);
    expect(help.out).toContain("Exit codes:\n  0  the request and its reply are delivered\n  1  a packet is dropped");
    expect(help.out).toContain("--after-step <n>");
  });

  it("--format html: one self-contained page with the path of the request and the reply", async () => {
    const r = await trace([web, "--from", "laptop", "--to", "web", "--protocol", "tcp", "--port", "443", "--format", "html"]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^<!doctype html>/);
    expect(r.out).toContain("<svg");
    expect(r.out).toContain("before the steps");
    expect(r.out).not.toContain("<script");
  });
});
