// The laws, checked on random inputs with fast-check, IPv4 and IPv6.
import fc from "fast-check";
import { IPv4, IPv4CidrRange, IPv6, IPv6CidrRange } from "ip-num";
import { describe, expect, it } from "vitest";
import { rng } from "../bench/workloads.js";
import { packetKey } from "../src/compile/keys.js";
import type { Rect } from "../src/compile/match-index.js";
import { compileNacl, evaluateNacl, naclList } from "../src/compile/network-acl.js";
import { compileGroup, interfaceRules, matchSecurityGroups } from "../src/compile/security-groups.js";
import type { Address, Cidr, NetworkAcl, NetworkAclRule, NetworkInterface, SecurityGroup, SecurityGroupRule, World } from "../src/index.js";
import {
  addressFromV4,
  addressFromV6,
  cidrContains,
  DEFAULT_SETTINGS,
  DEFAULT_TIMEOUTS,
  formatV4,
  formatV6,
  makePacket,
  parseAddress,
  parseCidr,
} from "../src/index.js";
import { blockHolds } from "../src/reference/blocks.js";
import { firstCoveringRule } from "../src/reference/network-acl.js";
import { securityGroupsAllow, sgRuleCovers } from "../src/reference/security-groups.js";

/**
 * A world for the reference's functions: one interface per address in `members`, carrying the
 * groups given; `g` is the group under test, on interface "x" (which owns no address in the rules'
 * space).
 */
function referenceWorld(members: readonly (readonly [Address, readonly string[]])[], g?: SecurityGroup): World {
  const x = parseAddress("192.0.2.1");
  if (!x.ok) throw new Error(x.message);
  const iface = (name: string, a: Address, groups: readonly string[]): NetworkInterface => ({
    name,
    instance: name,
    subnet: "s",
    privateIps: a.family === 4 ? [a] : [],
    ipv6s: a.family === 6 ? [a] : [],
    securityGroups: groups,
    sourceDestCheck: true,
    nat: false,
    ephemeral: { from: 32768, to: 60999 },
    timeouts: DEFAULT_TIMEOUTS,
  });
  const instances = Object.fromEntries([
    ["x", { name: "x", interfaces: [iface("x", x.value, g ? [g.name] : [])] }],
    ...members.map(([a, groups], i) => [`m${i}`, { name: `m${i}`, interfaces: [iface(`m${i}`, a, groups)] }]),
  ]);
  const any = parseCidr("0.0.0.0/0");
  if (!any.ok) throw new Error(any.message);
  return {
    vpc: { name: "v", cidrs: [any.value], defaultSecurityGroup: "default", defaultNetworkAcl: "acl", mainRouteTable: "rt" },
    subnets: {},
    securityGroups: g ? { [g.name]: g } : {},
    networkAcls: {},
    routeTables: {},
    instances,
    natGateways: {},
    internetHosts: {},
    prefixLists: {},
    settings: DEFAULT_SETTINGS,
  };
}

const v4 = fc.integer({ min: 0, max: 0xffffffff });
const v6 = fc.bigInt({ min: 0n, max: (1n << 128n) - 1n });
const cidr4 = fc.tuple(v4, fc.integer({ min: 0, max: 32 })).map(([a, p]) => {
  const mask = p === 0 ? 0 : (0xffffffff << (32 - p)) >>> 0;
  return parseCidr(`${formatV4((a & mask) >>> 0)}/${p}`);
});
const cidr6 = fc.tuple(v6, fc.integer({ min: 0, max: 128 })).map(([a, p]) => {
  const mask = p === 0 ? 0n : ((1n << BigInt(p)) - 1n) << BigInt(128 - p);
  return parseCidr(`${formatV6(a & mask)}/${p}`);
});

describe("compiled CIDR matching equals ip-num (§1.1, §2.1)", () => {
  it("IPv4", () => {
    fc.assert(
      fc.property(cidr4, v4, (c, a) => {
        if (!c.ok) return false;
        const expected = IPv4CidrRange.fromCidr(c.value.text).contains(IPv4.fromNumber(BigInt(a)));
        return cidrContains(c.value, addressFromV4(a)) === expected && blockHolds(c.value, addressFromV4(a)) === expected;
      }),
      { numRuns: 300 },
    );
  });
  it("IPv6", () => {
    fc.assert(
      fc.property(cidr6, v6, (c, a) => {
        if (!c.ok) return false;
        const expected = IPv6CidrRange.fromCidr(c.value.text).contains(IPv6.fromBigInt(a));
        return cidrContains(c.value, addressFromV6(a)) === expected && blockHolds(c.value, addressFromV6(a)) === expected;
      }),
      { numRuns: 100 },
    );
  });
  it("the IPv6 text round-trips through ip-num", () => {
    fc.assert(
      fc.property(v6, (a) => IPv6.fromString(formatV6(a)).getValue() === a),
      { numRuns: 300 },
    );
  });
});

// Small address space so that random rules and packets often meet.
const smallV4 = fc.integer({ min: 0, max: 15 }).map((n) => 0x0a000000 + n);
const smallV6 = fc.integer({ min: 0, max: 15 }).map((n) => (0x26000000n << 96n) | BigInt(n));
const ruleCidr = (family: 4 | 6) =>
  fc
    .tuple(family === 4 ? smallV4 : smallV6.map(Number), fc.integer({ min: 0, max: 3 }))
    .map(([a, bits]) => {
      if (family === 4) {
        const mask = (0xffffffff << bits) >>> 0;
        return parseCidr(`${formatV4(((a as number) & mask) >>> 0)}/${32 - bits}`);
      }
      const base = (0x26000000n << 96n) | (BigInt(a) & ~((1n << BigInt(bits)) - 1n));
      return parseCidr(`${formatV6(base)}/${128 - bits}`);
    })
    .map((r) => {
      if (!r.ok) throw new Error(r.message);
      return r.value;
    });
const proto = fc.constantFrom(-1, 6, 17, 1);
const ports = fc
  .tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 }))
  .map(([a, b]) => ({ from: Math.min(a, b), to: Math.max(a, b) }));
const sgRule = (family: 4 | 6): fc.Arbitrary<SecurityGroupRule> =>
  fc
    .record({ protocol: proto, ports, cidr: ruleCidr(family), type: fc.integer({ min: -1, max: 3 }) })
    .map(({ protocol, ports, cidr, type }) => ({
      protocol,
      peer: { kind: "cidr", cidr },
      ...(protocol === 6 || protocol === 17 ? { ports } : {}),
      ...(protocol === 1 ? { icmp: { type, code: -1 } } : {}),
    }));
const packet = (family: 4 | 6) =>
  fc
    .record({
      protocol: fc.constantFrom(6, 17, 1),
      src: family === 4 ? smallV4 : smallV6,
      port: fc.integer({ min: 0, max: 20 }),
      type: fc.integer({ min: 0, max: 3 }),
    })
    .map(({ protocol, src, port, type }) =>
      makePacket({
        src: typeof src === "number" ? addressFromV4(src) : addressFromV6(src),
        dst: family === 4 ? addressFromV4(0x0a0000ff) : addressFromV6((0x26000000n << 96n) | 0xffn),
        protocol,
        srcPort: 40000,
        dstPort: port,
        icmpType: type,
        icmpCode: 0,
      }),
    );
const noPeers = { id: () => 0, prefixList: () => undefined };
const allowed = (rules: SecurityGroupRule[], p: ReturnType<typeof makePacket>) => {
  const group: SecurityGroup = { name: "g", inbound: rules, outbound: [] };
  const compiled = interfaceRules([compileGroup(group, "inbound", noPeers)]);
  return matchSecurityGroups(compiled, p.protocol, packetKey(p), p.src, () => undefined, false) >= 0;
};

for (const family of [4, 6] as const) {
  describe(`security group laws, IPv${family} (aws-rules §2.1)`, () => {
    it("permuting a group's rules never changes a verdict", () => {
      fc.assert(
        fc.property(fc.array(sgRule(family), { maxLength: 8 }), packet(family), fc.integer(), (rules, p, seed) => {
          const shuffled = [...rules].sort((a, b) => ((rules.indexOf(a) * 7919 + seed) % 13) - ((rules.indexOf(b) * 7919 + seed) % 13));
          return allowed(rules, p) === allowed(shuffled, p);
        }),
        { numRuns: 300 },
      );
    });
    it("adding an allow rule never turns allowed into denied", () => {
      fc.assert(
        fc.property(fc.array(sgRule(family), { maxLength: 8 }), sgRule(family), packet(family), (rules, extra, p) => {
          return !allowed(rules, p) || allowed([...rules, extra], p);
        }),
        { numRuns: 300 },
      );
    });
    it("the compiled groups allow exactly what the reference's union of rules allows", () => {
      fc.assert(
        fc.property(fc.array(sgRule(family), { maxLength: 8 }), packet(family), (rules, p) => {
          const world = referenceWorld([], { name: "g", inbound: rules, outbound: [] });
          return allowed(rules, p) === securityGroupsAllow(world, world.instances.x!.interfaces[0]!, "inbound", p);
        }),
        { numRuns: 300 },
      );
    });
  });

  describe(`network ACL laws, IPv${family} (aws-rules §1.1)`, () => {
    const naclRule = fc.record({ number: fc.integer({ min: 1, max: 200 }), allow: fc.boolean(), rule: sgRule(family) }).map(
      ({ number, allow, rule }): NetworkAclRule => ({
        number,
        action: allow ? "allow" : "deny",
        protocol: rule.protocol,
        cidr: (rule.peer as { cidr: NetworkAclRule["cidr"] }).cidr,
        ...(rule.ports ? { ports: rule.ports } : {}),
        ...(rule.icmp ? { icmp: rule.icmp } : {}),
      }),
    );
    const unique = fc.uniqueArray(naclRule, { selector: (r) => r.number, maxLength: 10 });
    const verdict = (rules: NetworkAclRule[], p: ReturnType<typeof makePacket>) => {
      const acl: NetworkAcl = { name: "a", inbound: rules, outbound: [] };
      const list = naclList(compileNacl(acl), "inbound", family);
      const i = evaluateNacl(list, p.protocol, packetKey(p), p.src);
      return i < 0 ? "deny*" : `${list.allow[i] ? "allow" : "deny"}@${list.rules[i]!.number}`;
    };
    it("a rule numbered above the first matching rule never changes the verdict", () => {
      fc.assert(
        fc.property(unique, naclRule, packet(family), (rules, extra, p) => {
          const before = verdict(rules, p);
          if (before === "deny*") return true;
          const first = Number(before.split("@")[1]);
          if (extra.number <= first || rules.some((r) => r.number === extra.number)) return true;
          return verdict([...rules, extra], p) === before;
        }),
        { numRuns: 300 },
      );
    });
    it("the order rules are written in never matters, only their numbers", () => {
      fc.assert(
        fc.property(unique, packet(family), (rules, p) => verdict(rules, p) === verdict([...rules].reverse(), p)),
        { numRuns: 300 },
      );
    });
    it("the compiled first match is the reference's first covering rule, or the * deny", () => {
      fc.assert(
        fc.property(unique, packet(family), (rules, p) => {
          const rule = firstCoveringRule({ name: "a", inbound: rules, outbound: [] }, "inbound", p);
          return verdict(rules, p) === (rule ? `${rule.action}@${rule.number}` : "deny*");
        }),
        { numRuns: 300 },
      );
    });
  });
}

describe("connection table (aws-rules §3)", () => {
  it("finds exactly what was inserted and not removed, like a Map", async () => {
    const { ConnectionTable } = await import("../src/engine/connection-table.js");
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 3 }))), (ops) => {
        const t = new ConnectionTable(4);
        const model = new Map<string, number>();
        const a = addressFromV4(1);
        for (const [add, port, eni] of ops) {
          const key = `${eni}:${port}`;
          const i = t.findLive(eni, 6, a, port, a, 80, 0);
          expect(i !== undefined).toBe(model.has(key));
          if (add && i === undefined) model.set(key, t.insert(eni, 6, a, port, a, 80, 0, 10, 0));
          if (!add && i !== undefined) {
            t.remove(i);
            model.delete(key);
          }
        }
        expect(t.size).toBe(model.size);
        for (const [key] of model) {
          const [eni, port] = key.split(":").map(Number) as [number, number];
          expect(t.findLive(eni, 6, a, port, a, 80, 0)).toBeDefined();
        }
        // past every entry's timeout, none is live and each lookup removes its entry
        for (const [key] of model) {
          const [eni, port] = key.split(":").map(Number) as [number, number];
          expect(t.findLive(eni, 6, a, port, a, 80, 11)).toBeUndefined();
        }
        expect(t.size).toBe(0);
      }),
      { numRuns: 200 },
    );
  });
});

describe("the IPv4 table of the packet path", () => {
  it("answers like a Map, for addresses on both sides of 2^31", async () => {
    const { V4Table } = await import("../src/compile/v4-table.js");
    fc.assert(
      fc.property(fc.uniqueArray(v4, { maxLength: 60 }), fc.array(v4, { maxLength: 20 }), (keys, probes) => {
        const entries = keys.map((k, i) => [k, i] as const);
        const table = new V4Table(entries);
        const map = new Map(entries);
        return [...keys, ...probes].every((a) => table.get(a) === (map.get(a) ?? -1));
      }),
      { numRuns: 300 },
    );
  });
});

describe("match index: the winning rule equals the reference's rule-by-rule scan, with ip-num (§1.1, §2.1)", () => {
  // Keys over the whole port range (so that the page table is used), blocks over a small space.
  const key = fc.oneof(fc.integer({ min: 0, max: 65535 }), fc.constantFrom(0, 443, 1023, 1024, 32768, 65535));
  for (const family of [4, 6] as const) {
    it(`IPv${family}, with group references`, async () => {
      const { buildMatchIndex, lookup } = await import("../src/compile/match-index.js");
      const rect = fc.record({
        protocol: fc.constantFrom(-1, 6, 17),
        lo: key,
        span: fc.integer({ min: 0, max: 40000 }),
        cidr: ruleCidr(family),
        wide: fc.boolean(),
        group: fc.integer({ min: -1, max: 3 }), // -1: a block, not a group
      });
      const point = fc.record({ protocol: fc.constantFrom(6, 17, 50), key, host: fc.integer({ min: 0, max: 15 }) });
      fc.assert(
        fc.property(fc.array(rect, { maxLength: 24 }), fc.array(point, { minLength: 1, maxLength: 10 }), (specs, points) => {
          const any = family === 4 ? parseCidr("0.0.0.0/0") : parseCidr("::/0");
          if (!any.ok) return false;
          const rects: Rect[] = specs.map((r, priority) => ({
            priority,
            protocol: r.protocol,
            keyLo: r.protocol === -1 ? 0 : r.lo,
            keyHi: r.protocol === -1 ? 65535 : Math.min(65535, r.lo + r.span),
            peer: r.group >= 0 ? { group: r.group } : { cidr: r.wide ? any.value : r.cidr },
          }));
          const index = buildMatchIndex(family, rects);
          // addresses 0-7 carry groups {host % 4}; 8-15 carry none
          const groupsOf = (a: { v4: number; v6: bigint }) => {
            const host = family === 4 ? a.v4 & 15 : Number(a.v6 & 15n);
            return host < 8 ? Int32Array.of(host % 4) : undefined;
          };
          const hostAddress = (host: number) =>
            family === 4 ? addressFromV4(0x0a000000 + host) : addressFromV6((0x26000000n << 96n) | BigInt(host));
          // The same rectangles as the reference reads them: security group rules, a port range for
          // tcp and udp, and members 0-7 of groups g0-g3 as interfaces of a world.
          const world = referenceWorld([0, 1, 2, 3, 4, 5, 6, 7].map((host) => [hostAddress(host), [`g${host % 4}`]] as const));
          const rules: SecurityGroupRule[] = rects.map((r) => ({
            protocol: r.protocol,
            ...(r.protocol === 6 || r.protocol === 17 ? { ports: { from: r.keyLo, to: r.keyHi } } : {}),
            peer: "group" in r.peer ? { kind: "security-group", group: `g${r.peer.group}` } : { kind: "cidr", cidr: r.peer.cidr },
          }));
          return points.every((pt) => {
            const a = hostAddress(pt.host);
            const p = makePacket({ src: a, dst: a, protocol: pt.protocol, srcPort: 40000, dstPort: pt.key });
            // the first rectangle, in priority order, that the reference says covers the packet
            const expected = rules.findIndex((rule) => sgRuleCovers(world, rule, "inbound", p));
            return lookup(index, pt.protocol, pt.key, a, groupsOf) === expected;
          });
        }),
        { numRuns: family === 4 ? 300 : 150 },
      );
    });
  }
});

// Rule sets built to stress the compile (issue 14): hundreds of all-port rules from nested and
// overlapping blocks (which every port interval shares), port ranges cutting the keys into many
// intervals, wide lines and group references, IPv4 and IPv6. Packets probe every block's edges and
// every range's ends; the winner must be the reference's first covering rule.
describe("match index on adversarial rule sets, against the reference (§1.1, §2.1)", () => {
  const KEYS = 65535;
  /** `n` rectangles (priority = position) and the security group rules the reference reads. */
  function adversarial(family: 4 | 6, n: number, seed: number): { rects: Rect[]; rules: SecurityGroupRule[]; blocks: Cidr[] } {
    const rand = rng(seed);
    const bits = family === 4 ? 32 : 128;
    const centers = [0x0a000000n, 0x0a0000f0n, 0x0a800000n, 0xc0a80000n].map((c) => (family === 4 ? c : (0x2600n << 112n) | c));
    const any = parseCidr(family === 4 ? "0.0.0.0/0" : "::/0");
    if (!any.ok) throw new Error(any.message);
    const rects: Rect[] = [];
    const blocks: Cidr[] = [];
    for (let priority = 0; priority < n; priority++) {
      const center = centers[Math.floor(rand() * centers.length)]!;
      // nested prefixes around a few centres, from a /8 (or /104) to single addresses
      const prefix = bits - Math.floor(rand() * 25);
      const mask = ((1n << BigInt(bits)) - 1n) ^ ((1n << BigInt(bits - prefix)) - 1n);
      const text = family === 4 ? `${formatV4(Number(center & mask))}/${prefix}` : `${formatV6(center & mask)}/${prefix}`;
      const c = parseCidr(text);
      if (!c.ok) throw new Error(c.message);
      const kind = rand();
      const protocol = kind < 0.15 ? -1 : kind < 0.9 ? 6 : 17;
      const allPorts = protocol === -1 || rand() < 0.3 / 0.85;
      const lo = Math.floor(rand() * KEYS);
      const keyHi = allPorts ? KEYS : Math.min(KEYS, lo + (rand() < 0.1 ? Math.floor(rand() * KEYS) : Math.floor(rand() * 200)));
      const shape = rand();
      const peer = shape < 0.05 ? { cidr: any.value } : shape < 0.15 ? { group: Math.floor(rand() * 4) } : { cidr: c.value };
      rects.push({ priority, protocol, keyLo: allPorts ? 0 : lo, keyHi, peer });
      blocks.push(c.value);
    }
    const rules: SecurityGroupRule[] = rects.map((r) => ({
      protocol: r.protocol,
      ...(r.protocol === 6 || r.protocol === 17 ? { ports: { from: r.keyLo, to: r.keyHi } } : {}),
      peer: "group" in r.peer ? { kind: "security-group", group: `g${r.peer.group}` } : { kind: "cidr", cidr: r.peer.cidr },
    }));
    return { rects, rules, blocks };
  }

  for (const family of [4, 6] as const) {
    // the reference checks IPv6 blocks through ip-num, slowly: fewer rules
    const n = family === 4 ? 200 : 120;
    it(`IPv${family}: ${n} rules, a third of them all-port, every block edge and range end`, async () => {
      const { buildMatchIndex, lookup } = await import("../src/compile/match-index.js");
      const { rects, rules, blocks } = adversarial(family, n, family);
      const index = buildMatchIndex(family, rects);
      const address = (v: bigint) => (family === 4 ? addressFromV4(Number(v)) : addressFromV6(v));
      const max = family === 4 ? 0xffffffffn : (1n << 128n) - 1n;
      const value = (c: Cidr, end: boolean) => (family === 4 ? BigInt(end ? c.hi4 : c.lo4) : end ? c.hi6 : c.lo6);
      // members of groups g0-g3: the first addresses of the first blocks
      const members = blocks.slice(0, 8).map((c, i) => [address(value(c, false)), [`g${i % 4}`]] as const);
      const world = referenceWorld(members);
      const groupsOf = (a: Address) => {
        const i = members.findIndex(([m]) => (family === 4 ? m.v4 === a.v4 : m.v6 === a.v6));
        return i < 0 ? undefined : Int32Array.of(i % 4);
      };
      const rand = rng(10 + family);
      let checked = 0;
      for (const [k, c] of blocks.entries()) {
        const r = rects[k]!;
        const keys = [r.keyLo, r.keyHi, Math.max(0, r.keyLo - 1), Math.min(KEYS, r.keyHi + 1), Math.floor(rand() * KEYS)];
        const edges = [value(c, false), value(c, true), value(c, false) - 1n, value(c, true) + 1n].filter((v) => v >= 0n && v <= max);
        for (const v of edges) {
          const a = address(v);
          const protocol = [6, 17, 50][Math.floor(rand() * 3)]!;
          const key = protocol === 50 ? 0 : keys[Math.floor(rand() * keys.length)]!;
          const p = makePacket({ src: a, dst: a, protocol, srcPort: 40000, dstPort: key });
          const expected = rules.findIndex((rule) => sgRuleCovers(world, rule, "inbound", p));
          expect(lookup(index, protocol, key, a, groupsOf), `${protocol}/${key} from ${v}`).toBe(expected);
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(3 * n);
    });

    it(`IPv${family}: a network ACL of ${n} rules, a third all-port, numbered out of order`, () => {
      const { rects } = adversarial(family, n, 20 + family);
      const rand = rng(30 + family);
      const any = parseCidr(family === 4 ? "0.0.0.0/0" : "::/0");
      if (!any.ok) throw new Error(any.message);
      const numbers = [...new Set(rects.map(() => 1 + Math.floor(rand() * 32766)))];
      const inbound: NetworkAclRule[] = numbers.map((number, i) => {
        const r = rects[i]!;
        return {
          number,
          action: rand() < 0.5 ? "allow" : "deny",
          protocol: r.protocol,
          cidr: "cidr" in r.peer ? r.peer.cidr : any.value,
          ...(r.protocol === 6 || r.protocol === 17 ? { ports: { from: r.keyLo, to: r.keyHi } } : {}),
        };
      });
      const acl: NetworkAcl = { name: "a", inbound, outbound: [] };
      const list = naclList(compileNacl(acl), "inbound", family);
      let matched = 0;
      for (const rule of inbound) {
        const c = rule.cidr;
        const edges =
          family === 4 ? [c.lo4, c.hi4, c.lo4 - 1, c.hi4 + 1].filter((v) => v >= 0 && v <= 0xffffffff) : [c.lo6, c.hi6, c.lo6 - 1n];
        for (const v of edges) {
          const a = typeof v === "number" ? addressFromV4(v) : addressFromV6(v < 0n ? 0n : v);
          const protocol = [6, 17, 50][Math.floor(rand() * 3)]!;
          const key = protocol === 50 ? 0 : rule.ports ? [rule.ports.from, rule.ports.to + 1][Math.floor(rand() * 2)]! % 65536 : 443;
          const p = makePacket({ src: a, dst: a, protocol, srcPort: 40000, dstPort: key });
          const expected = firstCoveringRule(acl, "inbound", p);
          const i = evaluateNacl(list, protocol, key, a);
          expect(i < 0 ? undefined : list.rules[i]!.number, `${protocol}/${key}`).toBe(expected?.number);
          if (expected) matched++;
        }
      }
      // most probes meet a rule, not the * deny
      expect(matched).toBeGreaterThan(inbound.length);
    });
  }

  it("all-port rules are stored once, not once per port interval: the index grows linearly with the rules", async () => {
    const { buildMatchIndex } = await import("../src/compile/match-index.js");
    const size = (n: number) => {
      // single addresses, all distinct, so that no two blocks merge; 30% of the rules all-port
      const rects: Rect[] = Array.from({ length: n }, (_, priority) => {
        const c = parseCidr(`${formatV4(0x0a000000 + 2 * priority)}/32`);
        if (!c.ok) throw new Error(c.message);
        const allPorts = priority % 10 < 3;
        const lo = (priority * 7919) % 60000;
        return { priority, protocol: 6, keyLo: allPorts ? 0 : lo, keyHi: allPorts ? KEYS : lo + 50, peer: { cidr: c.value } };
      });
      return buildMatchIndex(4, rects).byProtocol[6]!.length;
    };
    // painted per interval, 300 all-port rules over ~1,400 intervals made ~1.3 million entries
    expect(size(1000)).toBeLessThan(40 * 1000);
    expect(size(2000) / size(1000)).toBeLessThan(2.5);
  });
});
