// vpcsim diff: the intervals whose outcome changes between two worlds, each side's rule named; a
// world against itself changes nothing; and the answer agrees with the engine run connection by
// connection on both worlds of random pairs.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { DiffChange } from "../src/analysis/diff.js";
import { diffWorlds } from "../src/analysis/diff.js";
import type { World } from "../src/model/model.js";
import { ICMP, TCP, UDP } from "../src/model/protocol.js";
import type { Endpoint } from "../src/scenario/load.js";
import { ephemeralRange, runConnection } from "../src/scenario/run.js";
import { runCli } from "./cli-run.js";
import { scenario } from "./helpers.js";
import type { AclRule, GroupRule, GroupSpec } from "./world-builder.js";
import { world } from "./world-builder.js";

// db answers web on 5432, but its subnet's ACL lets out only replies to ports 0-1023
const base = world()
  .vpc("10.0.0.0/16")
  .subnet("front", { cidr: "10.0.1.0/24" })
  .subnet("back", { cidr: "10.0.2.0/24", "network-acl": "back-acl" })
  .acl("back-acl", {
    inbound: [{ rule: 100, action: "allow", protocol: "all", cidr: "0.0.0.0/0" }],
    outbound: [{ rule: 100, action: "allow", protocol: "tcp", ports: "0-1023", cidr: "0.0.0.0/0" }],
  })
  .group("web", {})
  .instance("web", { subnet: "front", "private-ip": "10.0.1.10", "security-groups": ["web"] })
  .instance("web2", { subnet: "front", "private-ip": "10.0.1.11", "security-groups": ["web"] });
const withRule = base
  .group("db", { inbound: [{ protocol: "tcp", ports: 5432, source: "web" }] })
  .instance("db", { subnet: "back", "private-ip": "10.0.2.10", "security-groups": ["db"] });
const withoutRule = withRule.group("db", { inbound: [] });

describe("diffWorlds", () => {
  it("a rule removed: exactly the interval it opened, each side with its rule", () => {
    const d = diffWorlds(scenario(withRule.yaml()).world, scenario(withoutRule.yaml()).world);
    expect(d.changes).toEqual([
      {
        from: ["web", "web2"],
        to: ["db"],
        example: { from: "web", to: "db" },
        protocol: TCP,
        ports: [5432, 5432],
        before: {
          outcome: "reply-denied",
          blockedBy: { component: "network-acl back-acl outbound", code: "SUBNET_ACL_RESTRICTION", rule: "* deny all to 0.0.0.0/0" },
        },
        after: {
          outcome: "request-denied",
          blockedBy: { component: "security-groups db inbound", code: "ENI_SG_RULES_MISMATCH", rule: "no rule matches" },
        },
      },
    ]);
    // web's class to db's and back; web to web2 meets only web's group, alike in both worlds
    expect([d.endpoints, d.classes, d.computedPairs]).toEqual([3, 2, 2]);
  });
  it("a world against itself changes nothing, and computes nothing", () => {
    const w = scenario(withRule.yaml()).world;
    expect(diffWorlds(w, w)).toMatchObject({ changes: [], computedPairs: 0 });
    expect(diffWorlds(w, scenario(withRule.yaml()).world)).toMatchObject({ changes: [], computedPairs: 0 });
  });
  it("an ACL changed: every pair is computed", () => {
    const d = diffWorlds(scenario(withRule.yaml()).world, scenario(withRule.acl("back-acl", {}).yaml()).world);
    expect(d.computedPairs).toBe(3);
    expect(d.changes.map((c) => `${c.from} → ${c.to} ${c.ports} ${c.before.outcome} → ${c.after.outcome}`)).toContain(
      "web,web2 → db 5432,5432 reply-denied → request-denied",
    );
  });
  it("compares only endpoints both worlds hold, and names the others", () => {
    const d = diffWorlds(scenario(withRule.yaml()).world, scenario(withRule.without("instances", "web2").yaml()).world);
    expect([d.onlyBefore, d.onlyAfter, d.changes]).toEqual([["web2"], [], []]);
  });
});

// Random pairs of worlds: three instances in two subnets with one or both of two groups, an
// internet host, and the second world the first with one ACL and one group drawn again.
const ports = fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 12 })).map(([lo, n]) => `${lo}-${lo + n}`);
const proto = fc.constantFrom("tcp", "udp", "all");
const aclRule = fc
  .record({
    rule: fc.integer({ min: 1, max: 300 }),
    action: fc.constantFrom("allow" as const, "deny" as const),
    protocol: proto,
    ports,
    cidr: fc.constantFrom("0.0.0.0/0", "10.0.1.0/24", "10.0.2.0/24", "10.0.1.10/32", "198.51.100.0/24"),
  })
  .map(
    (r) =>
      ({
        rule: r.rule,
        action: r.action,
        protocol: r.protocol,
        cidr: r.cidr,
        ...(tcpOrUdp(r.protocol) ? { ports: r.ports } : {}),
      }) as AclRule,
  );
const acl = fc.record({
  inbound: fc.uniqueArray(aclRule, { maxLength: 4, selector: (r) => r.rule }),
  outbound: fc.uniqueArray(aclRule, { maxLength: 4, selector: (r) => r.rule }),
});
const groupRule = (peer: "source" | "destination") =>
  fc
    .record({ protocol: proto, ports, peer: fc.constantFrom("0.0.0.0/0", "10.0.0.0/16", "198.51.100.7/32", "g1", "g2") })
    .map((r) => ({ protocol: r.protocol, ...(tcpOrUdp(r.protocol) ? { ports: r.ports } : {}), [peer]: r.peer }) as GroupRule);
const group: fc.Arbitrary<GroupSpec> = fc.record({
  inbound: fc.uniqueArray(groupRule("source"), { maxLength: 3, selector: (r) => JSON.stringify(r) }),
  outbound: fc.uniqueArray(groupRule("destination"), { maxLength: 3, selector: (r) => JSON.stringify(r) }),
});
const placement = fc.record({ subnet: fc.constantFrom("one", "two"), groups: fc.constantFrom(["g1"], ["g1", "g2"]) });

function tcpOrUdp(p: string): boolean {
  return p === "tcp" || p === "udp";
}

const randomPair = fc
  .record({ acls: fc.tuple(acl, acl, acl), groups: fc.tuple(group, group, group), places: fc.tuple(placement, placement, placement) })
  .map(({ acls, groups, places }) => {
    const build = (a1: (typeof acls)[0], g1: GroupSpec) => {
      let b = world()
        .vpc("10.0.0.0/16")
        .subnet("one", { cidr: "10.0.1.0/24", "network-acl": "acl1", "route-table": "rt" })
        .subnet("two", { cidr: "10.0.2.0/24", "network-acl": "acl2", "route-table": "rt" })
        .routeTable("rt", { routes: [{ destination: "0.0.0.0/0", target: "internet-gateway" }] })
        .acl("acl1", a1)
        .acl("acl2", acls[1])
        .group("g1", g1)
        .group("g2", groups[1])
        .internetHost("h", { ip: "198.51.100.7", "ephemeral-ports": "35-45" });
      places.forEach((p, i) => {
        const ip = `10.0.${p.subnet === "one" ? 1 : 2}.${10 + i}`;
        b = b.instance(`i${i}`, {
          subnet: p.subnet,
          "private-ip": ip,
          "public-ip": `203.0.113.${10 + i}`,
          "security-groups": [...p.groups],
          "ephemeral-ports": "20-30",
        });
      });
      return scenario(b.yaml()).world;
    };
    return [build(acls[0], groups[0]), build(acls[2], groups[2])] as const;
  });

type Outcome = DiffChange["before"]["outcome"];

function bruteForce(w: World, from: Endpoint, to: Endpoint, protocol: number, port: number): { outcome: Outcome; code?: string } {
  const flow = protocol === ICMP ? { from, to, protocol } : { from, to, protocol, port, sourcePort: ephemeralRange(w, from).from };
  const [request, reply] = runConnection(w, flow).packets.map((p) => p.result);
  const outcome: Outcome = !request!.delivered ? "request-denied" : reply && !reply.delivered ? "reply-denied" : "allowed";
  const drop = (request!.delivered ? reply : request)?.drop;
  return { outcome, ...(drop ? { code: drop.code } : {}) };
}

describe("diff agrees with the engine connection by connection on both worlds (brute force)", () => {
  it("on random pairs of worlds, for every pair of endpoints, tcp and udp ports 0-60 and two beyond, and icmp echo", () => {
    const ends: Extract<Endpoint, { name: string }>[] = [
      { kind: "instance", name: "i0" },
      { kind: "instance", name: "i1" },
      { kind: "instance", name: "i2" },
      { kind: "internet-host", name: "h" },
    ];
    fc.assert(
      fc.property(randomPair, ([before, after]) => {
        const d = diffWorlds(before, after);
        for (const from of ends) {
          for (const to of ends) {
            if (from === to || (from.kind === "internet-host" && to.kind === "internet-host")) continue;
            const checks = [
              ...[TCP, UDP].flatMap((protocol) =>
                [...Array.from({ length: 61 }, (_, i) => i), 1000, 65535].map((port) => ({ protocol, port })),
              ),
              { protocol: ICMP, port: -1 },
            ];
            for (const { protocol, port } of checks) {
              const b = bruteForce(before, from, to, protocol, port);
              const a = bruteForce(after, from, to, protocol, port);
              const found = d.changes.filter(
                (c) =>
                  c.from.includes(from.name) &&
                  c.to.includes(to.name) &&
                  c.protocol === protocol &&
                  (c.ports === undefined || (c.ports[0] <= port && port <= c.ports[1])),
              );
              const said = found.map((c) => [c.before.outcome, c.before.blockedBy?.code, c.after.outcome, c.after.blockedBy?.code]);
              const truth = b.outcome === a.outcome ? [] : [[b.outcome, b.code, a.outcome, a.code]];
              expect([from.name, to.name, protocol, port, said]).toEqual([from.name, to.name, protocol, port, truth]);
            }
          }
        }
      }),
      { numRuns: 8 },
    );
  });
});

describe("vpcsim diff", () => {
  const dir = mkdtempSync(join(tmpdir(), "vpcsim-diff-"));
  const before = join(dir, "before.yaml");
  const after = join(dir, "after.yaml");
  writeFileSync(before, withRule.yaml());
  writeFileSync(after, withoutRule.yaml());
  it("prints each change on a line with both sides' rules, and exits 1", async () => {
    const r = await runCli(["diff", before, after, "--no-color"]);
    expect(r.code).toBe(1);
    expect(r.out).toBe(
      "web, web2 → db tcp 5432: reply denied (network-acl back-acl outbound: * deny all to 0.0.0.0/0) → request denied (security-groups db inbound: no rule matches)\n" +
        "1 change between 3 endpoints in 2 classes\n",
    );
  });
  it("a world against itself: nothing, exit 0", async () => {
    const r = await runCli(["diff", before, before, "--format", "json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ version: 1, changes: [], endpoints: 3, classes: 2 });
  });
  it("--after-steps: a lesson's world before its steps against the world its steps leave", async () => {
    const r = await runCli(["diff", "scenarios/untracked-flow-cut.yaml", "--after-steps", "--format", "json"]);
    expect(r.code).toBe(1);
    const changes = JSON.parse(r.out).changes as DiffChange[];
    expect(
      changes.map(
        (c) => `${c.from} → ${c.to} ${c.protocol} ${c.ports} ${c.before.outcome} → ${c.after.outcome} ${c.after.blockedBy?.rule}`,
      ),
    ).toEqual([
      "admin → server 6 22,22 allowed → request-denied no rule matches",
      "admin → server 6 80,80 allowed → request-denied no rule matches",
    ]);
  });
  it("unloadable input, or a wrong number of worlds, is exit 2", async () => {
    expect((await runCli(["diff", before, join(dir, "missing.yaml")])).code).toBe(2);
    expect((await runCli(["diff", before])).code).toBe(2);
    expect((await runCli(["diff", before, after, "--after-steps"])).code).toBe(2);
  });
});
