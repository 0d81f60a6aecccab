// vpcsim reach: the table of intervals agrees with the engine run port by port on random worlds,
// and names what blocks each denied interval.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { portPieces, reach } from "../src/analysis/reach.js";
import { TCP, UDP } from "../src/model/protocol.js";
import { runConnection } from "../src/scenario/run.js";
import { runCli } from "./cli-run.js";
import { scenario } from "./helpers.js";
import type { AclRule, GroupRule } from "./world-builder.js";
import { world } from "./world-builder.js";

const a = { kind: "instance" as const, name: "a" };
const b = { kind: "instance" as const, name: "b" };
const host = { kind: "internet-host" as const, name: "h" };

const ports = fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 12 })).map(([lo, n]) => `${lo}-${lo + n}`);
const proto = fc.constantFrom("tcp", "udp", "all");
const aclRule = fc.record({
  rule: fc.integer({ min: 1, max: 300 }),
  action: fc.constantFrom("allow" as const, "deny" as const),
  protocol: proto,
  ports,
  cidr: fc.constantFrom("0.0.0.0/0", "10.0.1.0/24", "10.0.2.0/24", "198.51.100.0/24"),
});
const groupRule = (peer: "source" | "destination") =>
  fc
    .record({ protocol: proto, ports, cidr: fc.constantFrom("0.0.0.0/0", "10.0.0.0/16", "198.51.100.7/32") })
    .map((r) => ({ protocol: r.protocol, ...(r.protocol === "all" ? {} : { ports: r.ports }), [peer]: r.cidr }) as GroupRule);
const acl = fc.record({
  inbound: fc.uniqueArray(aclRule, { maxLength: 5, selector: (r) => r.rule }),
  outbound: fc.uniqueArray(aclRule, { maxLength: 5, selector: (r) => r.rule }),
});
// a group holds each rule once: AWS refuses a duplicate, and so does the loader
const group = fc.record({
  inbound: fc.uniqueArray(groupRule("source"), { maxLength: 4, selector: (r) => JSON.stringify(r) }),
  outbound: fc.uniqueArray(groupRule("destination"), { maxLength: 4, selector: (r) => JSON.stringify(r) }),
});
const clean = (rules: { rule: number; action: "allow" | "deny"; protocol: string; ports: string; cidr: string }[]): AclRule[] =>
  rules.map((r) => (r.protocol === "all" ? { rule: r.rule, action: r.action, protocol: r.protocol, cidr: r.cidr } : r));

const randomWorld = fc.record({ acl1: acl, acl2: acl, g1: group, g2: group }).map(
  ({ acl1, acl2, g1, g2 }) =>
    scenario(
      world()
        .vpc("10.0.0.0/16")
        .subnet("one", { cidr: "10.0.1.0/24", "network-acl": "acl1", "route-table": "rt" })
        .subnet("two", { cidr: "10.0.2.0/24", "network-acl": "acl2", "route-table": "rt" })
        .routeTable("rt", { routes: [{ destination: "0.0.0.0/0", target: "internet-gateway" }] })
        .acl("acl1", { inbound: clean(acl1.inbound), outbound: clean(acl1.outbound) })
        .acl("acl2", { inbound: clean(acl2.inbound), outbound: clean(acl2.outbound) })
        .group("g1", g1)
        .group("g2", g2)
        .instance("a", { subnet: "one", "private-ip": "10.0.1.10", "security-groups": ["g1"], "ephemeral-ports": "20-30" })
        .instance("b", { subnet: "two", "private-ip": "10.0.2.10", "public-ip": "203.0.113.10", "security-groups": ["g2"] })
        .internetHost("h", { ip: "198.51.100.7", "ephemeral-ports": "35-45" })
        .yaml(),
    ).world,
);

describe("reach agrees with the engine packet by packet (brute force)", () => {
  it("on random worlds, for every port up to 60 and two beyond, tcp and udp, both ways and from the internet", () => {
    fc.assert(
      fc.property(randomWorld, fc.constantFrom([a, b], [b, a], [host, b], [a, host]), (w, [from, to]) => {
        const table = reach(w, from, to, { protocols: [TCP, UDP] });
        for (const protocol of [TCP, UDP]) {
          for (const port of [...Array.from({ length: 61 }, (_, i) => i), 1000, 65535]) {
            const row = table.rows.find((r) => r.protocol === protocol && r.ports![0] <= port && port <= r.ports![1])!;
            const step = runConnection(w, { from, to, protocol, port, sourcePort: table.sourcePort });
            const [request, reply] = step.packets.map((p) => p.result);
            const outcome = !request!.delivered ? "request-denied" : reply && !reply.delivered ? "reply-denied" : "allowed";
            expect([protocol, port, row.outcome]).toEqual([protocol, port, outcome]);
            const drop = (request!.delivered ? reply : request)?.drop;
            if (drop) expect(row.blockedBy?.code).toBe(drop.code);
          }
        }
      }),
      { numRuns: 40 },
    );
  });
  it("cuts ports only where a rule's range starts or ends", () => {
    const w = scenario(
      world()
        .vpc("10.0.0.0/16")
        .subnet("s", { cidr: "10.0.1.0/24" })
        .group("g", {
          inbound: [
            { protocol: "tcp", ports: "80-90", source: "0.0.0.0/0" },
            { protocol: "udp", ports: 53, source: "0.0.0.0/0" },
          ],
        })
        .yaml(),
    ).world;
    expect(portPieces(w, TCP)).toEqual([
      [0, 79],
      [80, 90],
      [91, 65535],
    ]);
  });
});

describe("vpcsim reach", () => {
  it("prints the intervals and what blocks each, on the ephemeral-ports lesson", async () => {
    const r = await runCli(["reach", "scenarios/ephemeral-ports.yaml", "laptop", "web", "--no-color"]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      "tcp       443        allowed  denied  network-acl web-acl outbound: * deny all to 0.0.0.0/0 (SUBNET_ACL_RESTRICTION)",
    );
    const json = JSON.parse((await runCli(["reach", "scenarios/nat-gateway.yaml", "worker", "api", "--format", "json"])).out);
    expect(json.rows.map((x: { protocol: number; outcome: string }) => `${x.protocol} ${x.outcome}`)).toEqual([
      "6 allowed",
      "17 reply-denied",
      "1 allowed",
    ]);
  });
  it("an unknown end is a usage error", async () => {
    const r = await runCli(["reach", "scenarios/nat-gateway.yaml", "worker", "nobody"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('"nobody" is neither an instance');
  });
});
