// vpcsim lint's checks: each fires on a world made to trip it, names what it must, and stays quiet
// on the world that is right; on the lessons, each finding was read and is true.
import { readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { aclRules, keyDecisions } from "../src/analysis/acl-decisions.js";
import { cidrRange } from "../src/analysis/boxes.js";
import type { Finding } from "../src/analysis/finding.js";
import { intersect, normalize, subtract } from "../src/analysis/intervals.js";
import type { LintOptions } from "../src/analysis/lint.js";
import { failsAt, lint } from "../src/analysis/lint.js";
import { compileNacl, evaluateNacl, naclList } from "../src/compile/network-acl.js";
import type { NetworkAcl } from "../src/index.js";
import { loadScenario, parseCidr } from "../src/index.js";
import type { WorldBuilder } from "./world-builder.js";
import { world } from "./world-builder.js";

function lintText(text: string, file = "test.yaml", options: LintOptions = {}): Finding[] {
  const r = loadScenario(text, file);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`).join("\n"));
  const positions = r.positions!;
  const changes = r.scenario.steps.flatMap((s) => (s.kind === "change" ? [s.change] : []));
  return lint(r.scenario.world, { file, at: (p) => positions.at(p), has: (p) => positions.has(p) }, { changes, ...options });
}

function lintWorld(w: WorldBuilder, options: LintOptions = {}): Finding[] {
  return lintText(w.yaml(), "test.yaml", options);
}

const codes = (fs: readonly Finding[], code: string) => fs.filter((f) => f.code === code);

/** A VPC with one public subnet and one instance in group `sg`. */
const base = world()
  .vpc("10.0.0.0/16")
  .subnet("public", { cidr: "10.0.1.0/24" })
  .instance("web", { subnet: "public", "private-ip": "10.0.1.10", "security-groups": ["sg"] });

const withInbound = (...inbound: NonNullable<Parameters<WorldBuilder["group"]>[1]>["inbound"] & object) => base.group("sg", { inbound });

describe("Trusted Advisor: Security Groups - Specific Ports Unrestricted (red) and Unrestricted Access (yellow)", () => {
  it("a database port open to the world is an error naming the port, at the rule's line", () => {
    const fs = lintWorld(
      withInbound({ protocol: "tcp", ports: "3300-3400", source: "::/0" }, { protocol: "tcp", ports: 3306, source: "0.0.0.0/0" }),
    );
    const red = codes(fs, "sg/specific-ports-unrestricted");
    expect(red.map((f) => f.severity)).toEqual(["error", "error"]);
    expect(red[0]!.message).toContain("tcp 3306, 3389 to ::/0");
    expect(red[1]!.message).toContain("tcp 3306 to 0.0.0.0/0");
    expect(red[0]!.basis.source).toBe("trusted-advisor");
    expect(red[0]!.line).not.toBe(red[1]!.line);
  });
  it("every port open: red for the nine, yellow for all but the nine and 25, 80, 443, 465", () => {
    const fs = lintWorld(withInbound({ protocol: "all", source: "0.0.0.0/0" }));
    const red = codes(fs, "sg/specific-ports-unrestricted").map((f) => f.message);
    expect(red).toHaveLength(2); // tcp and udp
    expect(red[0]).toContain("tcp 20-21, 1433-1434, 3306, 3389, 4333, 5432, 5500");
    const yellow = codes(fs, "sg/unrestricted-access");
    expect(yellow.map((f) => f.severity)).toEqual(["warning", "warning"]);
    expect(yellow[0]!.message).toContain("tcp 0-19, 22-24, 26-79, 81-442, 444-464, 466-1432, 1435-3305");
  });
  it("web ports to the world, or any port to a narrower block, are quiet", () => {
    const fs = lintWorld(
      withInbound(
        { protocol: "tcp", ports: 443, source: "0.0.0.0/0" },
        { protocol: "tcp", ports: 80, source: "::/0" },
        { protocol: "tcp", ports: 3306, source: "10.0.0.0/16" },
        { protocol: "icmp", source: "0.0.0.0/0" },
      ),
    );
    expect(codes(fs, "sg/specific-ports-unrestricted")).toEqual([]);
    expect(codes(fs, "sg/unrestricted-access")).toEqual([]);
  });
  it("a prefix list holding 0.0.0.0/0 is the world too", () => {
    const fs = lintWorld(withInbound({ protocol: "tcp", ports: 5432, source: "pl" }).prefixList("pl", ["0.0.0.0/0"]));
    expect(codes(fs, "sg/specific-ports-unrestricted")).toHaveLength(1);
  });
});

describe("AWS Config rules", () => {
  it("restricted-ssh: tcp 22 from anyone, not udp 22 nor tcp 22 from a block", () => {
    expect(codes(lintWorld(withInbound({ protocol: "tcp", ports: "20-30", source: "0.0.0.0/0" })), "sg/restricted-ssh")).toHaveLength(1);
    const quiet = lintWorld(
      withInbound({ protocol: "udp", ports: 22, source: "0.0.0.0/0" }, { protocol: "tcp", ports: 22, source: "10.0.0.0/8" }),
    );
    expect(codes(quiet, "sg/restricted-ssh")).toEqual([]);
  });
  it("vpc-sg-open-only-to-authorized-ports: a port outside the list, and the list is a setting", () => {
    const w = withInbound({ protocol: "tcp", ports: 8443, source: "0.0.0.0/0" }, { protocol: "udp", ports: 500, source: "0.0.0.0/0" });
    expect(codes(lintWorld(w), "sg/open-to-unauthorized-ports").map((f) => f.message)).toEqual([
      expect.stringContaining("tcp 8443"),
      expect.stringContaining("udp 500"),
    ]);
    const authorized = { tcp: [[8443, 8443]] as const, udp: [[500, 500]] as const };
    expect(codes(lintWorld(w, { authorized }), "sg/open-to-unauthorized-ports")).toEqual([]);
  });
  it("vpc-default-security-group-closed: a warning when an interface is in it, a note when none is, quiet when closed", () => {
    const inDefault = world()
      .vpc("10.0.0.0/16")
      .subnet("a", { cidr: "10.0.1.0/24" })
      .instance("x", { subnet: "a", "private-ip": "10.0.1.10" });
    expect(codes(lintWorld(inDefault), "sg/default-group-not-closed").map((f) => f.severity)).toEqual(["warning"]);
    expect(codes(lintWorld(base.group("sg")), "sg/default-group-not-closed").map((f) => f.severity)).toEqual(["note"]);
    expect(codes(lintWorld(base.group("sg").group("default", { inbound: [], outbound: [] })), "sg/default-group-not-closed")).toEqual([]);
  });
  it("nacl-no-unrestricted-ssh-rdp: the first rule for everyone that matches SSH or RDP allows it", () => {
    const open = base.group("sg").subnet("public", { cidr: "10.0.1.0/24", "network-acl": "acl" });
    const all = lintWorld(open.acl("acl", { inbound: [{ rule: 100, action: "allow", protocol: "all", cidr: "0.0.0.0/0" }] }));
    expect(codes(all, "nacl/unrestricted-ssh-rdp")[0]!.message).toContain("tcp 22 (SSH), udp 22 (SSH), tcp 3389 (RDP), udp 3389 (RDP)");
    const guarded = open.acl("acl", {
      inbound: [
        { rule: 10, action: "deny", protocol: "all", ports: undefined, cidr: "0.0.0.0/0" },
        { rule: 100, action: "allow", protocol: "all", cidr: "0.0.0.0/0" },
      ],
    });
    expect(codes(lintWorld(guarded), "nacl/unrestricted-ssh-rdp")).toEqual([]);
  });
});

describe("stateless traps (aws-rules §1.4, §4.4)", () => {
  const server = base
    .group("sg", { inbound: [{ protocol: "tcp", ports: 443, source: "0.0.0.0/0" }], outbound: [] })
    .subnet("public", { cidr: "10.0.1.0/24", "network-acl": "acl" });
  const acl = (outbound: { rule: number; action: "allow" | "deny"; protocol: string; ports?: string; cidr: string }[]) =>
    server.acl("acl", { inbound: [{ rule: 100, action: "allow", protocol: "tcp", ports: 443, cidr: "0.0.0.0/0" }], outbound });
  it("a service admitted whose replies are denied names the ranges, the rule and the client profiles hit", () => {
    const fs = codes(
      lintWorld(acl([{ rule: 100, action: "allow", protocol: "tcp", ports: "49152-65535", cidr: "0.0.0.0/0" }])),
      "nacl/replies-blocked",
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]!.message).toContain("1024-49151 by the implicit deny (*)");
    expect(fs[0]!.message).toContain("linux 32768-60999");
    expect(fs[0]!.message).not.toContain("windows 49152-65535");
    expect(fs[0]!.severity).toBe("warning");
  });
  it("a deny rule in the range is named, with the profiles whose range it cuts", () => {
    const fs = codes(
      lintWorld(
        acl([
          { rule: 90, action: "deny", protocol: "tcp", ports: "1025-5000", cidr: "0.0.0.0/0" },
          { rule: 100, action: "allow", protocol: "tcp", ports: "0-65535", cidr: "0.0.0.0/0" },
        ]),
      ),
      "nacl/replies-blocked",
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]!.message).toContain(
      "1025-5000 by rule 90; clients hit: windows-2003 1025-5000, nat-gateway 1024-65535, elb 1024-65535, lambda 1024-65535",
    );
  });
  it("replies allowed on 1024-65535: quiet", () => {
    expect(
      codes(
        lintWorld(acl([{ rule: 100, action: "allow", protocol: "tcp", ports: "1024-65535", cidr: "0.0.0.0/0" }])),
        "nacl/replies-blocked",
      ),
    ).toEqual([]);
  });
  it("the mirror: an instance's own connections whose replies the ACL denies, on its own ephemeral range", () => {
    const w = base
      .group("sg", { inbound: [], outbound: [{ protocol: "tcp", ports: 443, destination: "0.0.0.0/0" }] })
      .subnet("public", { cidr: "10.0.1.0/24", "network-acl": "acl" })
      .instance("web", { subnet: "public", "private-ip": "10.0.1.10", "security-groups": ["sg"], "ephemeral-ports": "windows" })
      .acl("acl", {
        inbound: [{ rule: 100, action: "allow", protocol: "tcp", ports: "32768-60999", cidr: "0.0.0.0/0" }],
        outbound: [{ rule: 100, action: "allow", protocol: "all", cidr: "0.0.0.0/0" }],
      });
    const fs = codes(lintWorld(w), "nacl/own-replies-blocked");
    expect(fs).toHaveLength(1);
    expect(fs[0]!.message).toContain("ephemeral ports 49152-65535 (windows): 61000-65535 by the implicit deny (*)");
    const fixed = w.acl("acl", {
      inbound: [{ rule: 100, action: "allow", protocol: "tcp", ports: "1024-65535", cidr: "0.0.0.0/0" }],
      outbound: [{ rule: 100, action: "allow", protocol: "all", cidr: "0.0.0.0/0" }],
    });
    expect(codes(lintWorld(fixed), "nacl/own-replies-blocked")).toEqual([]);
  });
  const natWorld = (returnPorts: string) =>
    world()
      .vpc("10.0.0.0/16")
      .subnet("public", { cidr: "10.0.0.0/24", "route-table": "to-igw", "network-acl": "public-acl" })
      .subnet("private", { cidr: "10.0.1.0/24", "route-table": "to-nat" })
      .routeTable("to-igw", { routes: [{ destination: "0.0.0.0/0", target: "internet-gateway" }] })
      .routeTable("to-nat", { routes: [{ destination: "0.0.0.0/0", target: "nat" }] })
      .acl("public-acl", {
        inbound: [
          { rule: 100, action: "allow", protocol: "tcp", ports: "0-65535", cidr: "10.0.0.0/16" },
          { rule: 110, action: "allow", protocol: "tcp", ports: returnPorts, cidr: "0.0.0.0/0" },
        ],
        outbound: [{ rule: 100, action: "allow", protocol: "tcp", ports: "0-65535", cidr: "0.0.0.0/0" }],
      })
      .natGateway("nat", { subnet: "public", "private-ip": "10.0.0.5", "public-ip": "198.51.100.20" })
      .group("sg")
      .instance("worker", { subnet: "private", "private-ip": "10.0.1.25", "security-groups": ["sg"] });
  it("a NAT gateway subnet's ACL that denies the return of the private subnet's traffic", () => {
    const fs = codes(lintWorld(natWorld("32768-60999")), "nacl/nat-return-blocked");
    expect(fs.map((f) => f.message)).toEqual([
      "NAT gateway nat forwards tcp from subnet private, but network ACL public-acl of its subnet public denies the return: inbound from 0.0.0.0/0 to the gateway's ports: 1024-32767, 61000-65535 by the implicit deny (*)",
    ]);
    expect(codes(lintWorld(natWorld("1024-65535")), "nacl/nat-return-blocked")).toEqual([]);
  });
});

describe("dead and redundant rules", () => {
  const aclWorld = (inbound: { rule: number; action: "allow" | "deny"; protocol: string; ports?: string; cidr: string }[]) =>
    base.group("sg").subnet("public", { cidr: "10.0.1.0/24", "network-acl": "acl" }).acl("acl", { inbound });
  it("an ACL rule shadowed by one earlier rule of the other action is a warning naming both", () => {
    const fs = codes(
      lintWorld(
        aclWorld([
          { rule: 100, action: "allow", protocol: "tcp", ports: "0-65535", cidr: "0.0.0.0/0" },
          { rule: 200, action: "deny", protocol: "tcp", ports: "22", cidr: "10.0.0.0/8" },
        ]),
      ),
      "nacl/shadowed-rule",
    );
    expect(fs.map((f) => [f.severity, f.message])).toEqual([
      [
        "warning",
        "network ACL acl inbound rule 200 deny tcp port 22 from 10.0.0.0/8 never decides: rule 100 allow tcp all ports from 0.0.0.0/0 matches everything it matches first, so its deny never applies",
      ],
    ]);
  });
  it("a rule covered by the union of earlier rules is found; a rule with one key left is not", () => {
    const union = [
      { rule: 100, action: "allow" as const, protocol: "tcp", ports: "0-1000", cidr: "10.0.0.0/8" },
      { rule: 110, action: "allow" as const, protocol: "all", cidr: "10.1.0.0/16" },
      { rule: 120, action: "allow" as const, protocol: "tcp", ports: "1001-65535", cidr: "10.0.0.0/8" },
    ];
    const fs = codes(
      lintWorld(aclWorld([...union, { rule: 130, action: "allow", protocol: "tcp", ports: "22-2000", cidr: "10.1.2.0/24" }])),
      "nacl/shadowed-rule",
    );
    expect(fs.map((f) => f.severity)).toEqual(["note"]);
    expect(fs[0]!.message).toContain("rules 100 allow tcp ports 0-1000 from 10.0.0.0/8; 110 allow all traffic from 10.1.0.0/16; 120 allow");
    const partial = [
      { ...union[0]!, ports: "0-999" },
      union[2]!,
      { rule: 130, action: "allow" as const, protocol: "tcp", ports: "22-2000", cidr: "10.1.2.0/24" },
    ];
    expect(codes(lintWorld(aclWorld(partial)), "nacl/shadowed-rule")).toEqual([]);
  });
  it("a group rule another rule of the group covers (two equal rules the loader refuses, as AWS does)", () => {
    const fs = codes(
      lintWorld(
        withInbound(
          { protocol: "tcp", ports: "0-65535", source: "10.0.0.0/8" },
          { protocol: "tcp", ports: 22, source: "10.1.0.0/16" },
          { protocol: "udp", ports: 53, source: "sg" },
          { protocol: "udp", ports: "50-60", source: "sg" },
          { protocol: "tcp", ports: 22, source: "192.168.0.0/16" },
        ),
      ),
      "sg/covered-rule",
    );
    expect(fs.map((f) => f.path)).toEqual([
      ["security-groups", "sg", "inbound", 1],
      ["security-groups", "sg", "inbound", 2],
    ]);
  });
  it("a reference to a group no interface carries, unless a later step attaches it", () => {
    const w = withInbound({ protocol: "tcp", ports: 5432, source: "app" }).group("app");
    expect(codes(lintWorld(w), "sg/reference-without-members").map((f) => f.message)).toEqual([
      "group sg inbound rule tcp port 5432 from security group app matches no one: no interface carries group app",
    ]);
    const later = w.steps({ "attach-security-group": { instance: "web", "security-group": "app" } });
    expect(codes(lintWorld(later), "sg/reference-without-members")).toEqual([]);
  });
  it("IPv6 rules where nothing filtered has IPv6", () => {
    const w = aclWorld([{ rule: 100, action: "allow", protocol: "all", cidr: "::/0" }]).group("sg", {
      inbound: [{ protocol: "tcp", ports: 443, source: "::/0" }],
    });
    expect(codes(lintWorld(w), "rule/family-absent").map((f) => f.path)).toEqual([
      ["network-acls", "acl", "inbound", 0],
      ["security-groups", "sg", "inbound", 0],
    ]);
  });
  it("an ACL and a group used by nothing; AWS's defaults are not reported", () => {
    const fs = lintWorld(base.group("sg").group("spare").acl("spare-acl"));
    expect(codes(fs, "nacl/unused").map((f) => f.path)).toEqual([["network-acls", "spare-acl"]]);
    expect(codes(fs, "sg/unused").map((f) => f.path)).toEqual([["security-groups", "spare"]]);
  });
});

describe("ACL decisions over key intervals agree with the compiled ACL packet by packet", () => {
  const rule = fc.record({
    number: fc.integer({ min: 1, max: 200 }),
    action: fc.constantFrom("allow" as const, "deny" as const),
    protocol: fc.constantFrom(-1, 6, 17, 1),
    lo: fc.integer({ min: 0, max: 40 }),
    len: fc.integer({ min: 0, max: 30 }),
    cidr: fc.constantFrom("0.0.0.0/0", "10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24"),
  });
  it("every key's verdict and rule", () => {
    fc.assert(
      fc.property(fc.uniqueArray(rule, { maxLength: 8, selector: (r) => r.number }), fc.constantFrom(6, 17, 1), (rs, protocol) => {
        const rules = rs.map((r) => {
          const c = parseCidr(r.cidr);
          if (!c.ok) throw new Error(c.message);
          return {
            number: r.number,
            action: r.action,
            protocol: r.protocol,
            ports: r.protocol === 6 || r.protocol === 17 ? { from: r.lo, to: r.lo + r.len } : undefined,
            cidr: c.value,
          };
        });
        const acl: NetworkAcl = { name: "a", inbound: rules.map((r) => (r.ports ? r : { ...r, ports: undefined })), outbound: [] };
        const compiled = naclList(compileNacl(acl), "inbound", 4);
        const peer = parseCidr("10.1.2.0/24");
        if (!peer.ok) throw new Error("cidr");
        const decisions = keyDecisions(aclRules(acl, "inbound", 4), protocol, 4, cidrRange(peer.value));
        const address = { family: 4 as const, v4: peer.value.lo4 + 7, v6: 0n, text: "10.1.2.7" };
        // the decisions partition the keys
        const covered = normalize(decisions.flatMap((d) => d.keys));
        expect(covered).toEqual([[0, 65535]]);
        for (const key of [0, 1, 5, 20, 39, 40, 70, 71, 256, 2048, 65535]) {
          const d = decisions.find((x) => intersect(x.keys, [[key, key]]).length > 0)!;
          const i = evaluateNacl(compiled, protocol, key, address as never);
          expect(d.rule === undefined ? -1 : compiled.rules.indexOf(d.rule)).toBe(i);
        }
      }),
    );
  });
  it("subtract and intersect are set difference and intersection", () => {
    const set = fc
      .array(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 8 })), { maxLength: 6 })
      .map((xs) => normalize(xs.map(([lo, n]) => [lo, lo + n])));
    fc.assert(
      fc.property(set, set, (a, b) => {
        const has = (s: readonly (readonly [number, number])[], k: number) => s.some(([lo, hi]) => lo <= k && k <= hi);
        for (let k = 0; k <= 70; k++) {
          expect(has(subtract(a, b), k)).toBe(has(a, k) && !has(b, k));
          expect(has(intersect(a, b), k)).toBe(has(a, k) && has(b, k));
        }
      }),
    );
  });
});

describe("the lessons", () => {
  // Each finding below was read against its lesson and is true; every other lesson gets only the
  // default group's finding (AWS Config flags a default group with rules in every VPC).
  const expected: Record<string, string[]> = {
    "block-one-address.yaml": ["nacl/own-replies-blocked"],
    "ephemeral-ports.yaml": ["nacl/replies-blocked", "nacl/own-replies-blocked"],
    "nat-gateway-ports.yaml": ["nacl/nat-return-blocked", "nacl/nat-return-blocked"],
    "nat-gateway.yaml": ["nacl/unrestricted-ssh-rdp", "nacl/own-replies-blocked", "nacl/own-replies-blocked", "nacl/own-replies-blocked"],
    "rule-order.yaml": ["nacl/unrestricted-ssh-rdp", "nacl/shadowed-rule", "sg/open-to-unauthorized-ports", "sg/unrestricted-access"],
  };
  for (const file of readdirSync("scenarios").filter((f) => f.endsWith(".yaml"))) {
    it(file, () => {
      const fs = lintText(readFileSync(`scenarios/${file}`, "utf8"), `scenarios/${file}`);
      expect(fs.filter((f) => f.code !== "sg/default-group-not-closed").map((f) => f.code)).toEqual(expected[file] ?? []);
      expect(codes(fs, "sg/default-group-not-closed")).toHaveLength(1);
      expect(failsAt(fs, "error")).toBe(false);
    });
  }
});
