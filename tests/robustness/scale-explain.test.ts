// The fix of a network ACL drop names a free rule number below the denying rule (aws-rules §1.1):
// found by a binary search over the ACL's sorted numbers, so that a denied packet costs the same
// to explain at 3,276 rules as at 32,766. And a step from an IP-address endpoint looks the address
// up once, instead of walking every instance.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addressSendSteps, buildWorld, deniedSendSteps, fullAclWorld, scenarioOf, W1 } from "../../bench/workloads.js";
import { freeNumberBelow } from "../../src/explain/drop.js";
import { Engine, makePacket, runScenario } from "../../src/index.js";
import { ip, pkt, scenario } from "../helpers.js";
import { medianMs } from "./timing.js";

describe("freeNumberBelow", () => {
  const slow = (taken: readonly number[], below: number) => {
    for (let n = below - 1; n >= 1; n--) if (!taken.includes(n)) return n;
    return 0;
  };
  it("is the highest number below that no rule has, or 0 when there is none", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 60 }), { maxLength: 60 }), fc.integer({ min: 1, max: 62 }), (numbers, below) => {
        const taken = Int32Array.from(numbers).sort();
        expect(freeNumberBelow(taken, below)).toBe(slow(numbers, below));
      }),
      { numRuns: 1000 },
    );
  });
  it("skips a run of taken numbers", () => {
    expect(freeNumberBelow([1, 2, 3, 5, 6, 7, 9], 8)).toBe(4);
    expect(freeNumberBelow([1, 2, 3], 4)).toBe(0);
    expect(freeNumberBelow([], 100)).toBe(99);
  });
});

describe("the fix of a network ACL drop", () => {
  it("never names a number an IPv6 rule of the same direction holds (numbers are shared, aws-rules §1.1)", () => {
    const e = new Engine(
      scenario(`
name: t
vpc: { cidr: 10.0.0.0/16, ipv6-cidr: "2600:1f18:aaaa:bb00::/56" }
subnets:
  a: { cidr: 10.0.1.0/24 }
  b: { cidr: 10.0.2.0/24, network-acl: strict }
network-acls:
  strict:
    inbound:
      - { rule: 99, action: allow, protocol: -1, cidr: "::/0" }
      - { rule: 100, action: deny, protocol: tcp, ports: 22, cidr: 0.0.0.0/0 }
      - { rule: 101, action: allow, protocol: -1, cidr: "::/0" }
    outbound: [ { rule: 100, action: allow, protocol: -1, cidr: 0.0.0.0/0 } ]
security-groups:
  open: { inbound: [ { protocol: -1, source: 0.0.0.0/0 } ] }
instances:
  client: { subnet: a, private-ip: 10.0.1.10 }
  server: { subnet: b, private-ip: 10.0.2.20, security-groups: [open] }
`).world,
    );
    expect(e.send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:22 SYN")).drop?.fix).toBe(
      "add rule 98 allow tcp 22 from 10.0.1.10/32 to inbound of network ACL strict (a number free in IPv4 and IPv6 alike: they share the numbering)",
    );
    // no IPv4 rule matches port 80: the next ten above the highest number of either version
    expect(e.send(pkt("udp 10.0.1.10:40000 > 10.0.2.20:80")).drop?.fix).toBe(
      "add rule 110 allow udp 80 from 10.0.1.10/32 to inbound of network ACL strict (a number free in IPv4 and IPv6 alike: they share the numbering)",
    );
  });

  it("when every number below the denying rule is taken, says to free one", () => {
    const e = new Engine(fullAclWorld(300));
    const p = makePacket({ src: ip("10.0.1.10"), dst: ip("10.0.2.20"), protocol: 6, srcPort: 40000, dstPort: 443, flags: 2 });
    expect(e.send(p).drop?.fix).toBe(
      "free a rule number below 300 (all of 1-299 are taken), then add a rule allow tcp 443 from 10.0.1.10/32 to inbound of network ACL full",
    );
  });

  it("costs about the same on a 32,766-rule ACL as on a 3,276-rule one", () => {
    const steps = deniedSendSteps(300);
    const perRun = (rules: number) => {
      const world = fullAclWorld(rules);
      const s = scenarioOf(world, steps, "hint");
      return medianMs(
        () => new Engine(world),
        (e) => runScenario(s, e),
      );
    };
    perRun(3276); // warm up
    const small = perRun(3276);
    const large = perRun(32766);
    // scanning the rules for a free number made this about 100
    expect(large / small).toBeLessThan(4);
  });
});

describe("steps from an IP-address endpoint", () => {
  it("cost about the same in a world with ten times the instances", () => {
    const perRun = (instances: number) => {
      const world = buildWorld({ ...W1, groups: 20, sgRules: 10, instances });
      const s = scenarioOf(world, addressSendSteps(world, 1000), "address");
      return medianMs(
        () => new Engine(world),
        (e) => runScenario(s, e),
      );
    };
    perRun(200); // warm up
    const small = perRun(200);
    const large = perRun(2000);
    // walking every instance at each step made this about 10
    expect(large / small).toBeLessThan(2.5);
  });
});
