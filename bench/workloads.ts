// The benchmark's fixed, seeded workloads (issue 4). Shared by `bench/run.ts` and the test that
// holds the engine to the reference evaluator on a W1 sample.

import type { Address, Cidr, NetworkAclRule, Packet, Scenario, SecurityGroupRule, Step, World, WorldChange } from "../src/index.js";
import { ANY_V4, addressFromV4, makePacket, parseCidr } from "../src/index.js";
import { DEFAULT_SETTINGS, DEFAULT_TIMEOUTS, EPHEMERAL_PROFILES } from "../src/model/defaults.js";
import { ACK, FIN, PSH, SYN } from "../src/model/packet.js";

export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function cidr(text: string): Cidr {
  const r = parseCidr(text);
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

function block(base: number, prefix: number): Cidr {
  const lo = prefix === 0 ? 0 : ((base >>> (32 - prefix)) << (32 - prefix)) >>> 0;
  return cidr(`${(lo >>> 24) & 255}.${(lo >>> 16) & 255}.${(lo >>> 8) & 255}.${lo & 255}/${prefix}`);
}

export interface WorldShape {
  readonly subnets: number;
  readonly groups: number;
  readonly instances: number;
  readonly internetHosts: number;
  /** rules per ACL direction, the final catch-all included */
  readonly aclRules: number;
  /** rules per security group direction */
  readonly sgRules: number;
  /**
   * Each group's first rule opens the VPC (all traffic in from 10.0.0.0/8, all out), so that rule
   * sets of every size let about the same traffic through (W2 compares their cost, not verdicts).
   */
  readonly openFirstRule?: boolean;
  /** the share of each group's other rules that allow every port from a block (issue 14's compile rows) */
  readonly allPortShare?: number;
}

/** W1: 50 subnets with 18-rule ACLs, 200 groups of 60 + 60 rules, 2,000 instances, internet hosts. */
export const W1: WorldShape = { subnets: 50, groups: 200, instances: 2000, internetHosts: 200, aclRules: 18, sgRules: 60 };

const PUBLIC_BASE = 0x36f00000; // 54.240.0.0: instances' public addresses
const HOST_BASE = 0x5db80000; // 93.184.0.0: internet hosts

/** Private address of instance i: 10.<subnet>.1.<10 + i / subnets>, clear of AWS's reserved ones. */
function privateV4(i: number, shape: WorldShape): number {
  const s = i % shape.subnets;
  const k = Math.floor(i / shape.subnets);
  return ((10 << 24) | (s << 16) | ((1 + (k >> 7)) << 8) | (10 + (k & 127))) >>> 0;
}

/** Half the subnets are public (0.0.0.0/0 to the internet gateway); every third instance there has a public IP. */
const isPublicSubnet = (s: number) => s % 2 === 0;
const hasPublicIp = (i: number, shape: WorldShape) => isPublicSubnet(i % shape.subnets) && i % 3 === 0;

export function buildWorld(shape: WorldShape, seed = 1): World {
  const rand = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  // an address in one of the subnets, so that rules name the VPC's own blocks
  const inVpc = () => ((10 << 24) | (Math.floor(rand() * shape.subnets) << 16) | Math.floor(rand() * 2 ** 16)) >>> 0;
  const subnets: Record<string, World["subnets"][string]> = {};
  const networkAcls: Record<string, World["networkAcls"][string]> = {};
  for (let s = 0; s < shape.subnets; s++) {
    const acl = `acl-${s}`;
    const rules = (dir: "in" | "out"): NetworkAclRule[] => {
      const out: NetworkAclRule[] = [];
      for (let i = 0; i < shape.aclRules - 1; i++) {
        // Allows of blocks from /8 to /32; denies, as in practice, of narrower blocks (/16 to /32),
        // inside the VPC or on the internet.
        const deny = rand() < 0.25;
        const prefix = pick(deny ? [16, 20, 24, 28, 32] : [8, 12, 16, 20, 24, 28, 32]);
        const base = rand() < 0.8 ? inVpc() : HOST_BASE + Math.floor(rand() * 2 ** 16);
        const lo = Math.floor(rand() * 60000);
        const protocol = pick([6, 6, 17, 1, -1]);
        out.push({
          number: 10 + i * 10,
          action: deny ? "deny" : "allow",
          protocol,
          ...(protocol === 6 || protocol === 17 ? { ports: { from: lo, to: lo + Math.floor(rand() * 2000) } } : {}),
          cidr: block(base >>> 0, prefix),
        });
      }
      // Two subnets in fifty let out only what their numbered rules allow.
      out.push({ number: 32000, action: dir === "out" && s % 25 === 24 ? "deny" : "allow", protocol: -1, cidr: ANY_V4 });
      return out;
    };
    networkAcls[acl] = { name: acl, inbound: rules("in"), outbound: rules("out") };
    subnets[`s${s}`] = { name: `s${s}`, cidr: cidr(`10.${s}.0.0/16`), networkAcl: acl, routeTable: isPublicSubnet(s) ? "public" : "main" };
  }
  networkAcls.default = { name: "default", inbound: [], outbound: [] };

  const securityGroups: Record<string, World["securityGroups"][string]> = {};
  for (let g = 0; g < shape.groups; g++) {
    const rules = (n: number, dir: "in" | "out"): SecurityGroupRule[] => {
      const out: SecurityGroupRule[] = [];
      // Every group lets a common service through so that most traffic is allowed; many keep
      // AWS's default "all traffic out", some serve HTTPS to the world (both make untracked flows).
      if (shape.openFirstRule) out.push({ protocol: -1, peer: { kind: "cidr", cidr: dir === "in" ? cidr("10.0.0.0/8") : ANY_V4 } });
      else out.push({ protocol: 6, ports: { from: 443, to: 443 }, peer: { kind: "cidr", cidr: cidr("10.0.0.0/8") } });
      if (dir === "out" && n > 1 && rand() < 0.7) out.push({ protocol: -1, peer: { kind: "cidr", cidr: ANY_V4 } });
      if (dir === "in" && n > 1 && rand() < 0.3)
        out.push({ protocol: 6, ports: { from: 443, to: 443 }, peer: { kind: "cidr", cidr: ANY_V4 } });
      while (out.length < n) {
        const kind = rand();
        const peer: SecurityGroupRule["peer"] =
          kind < 0.15
            ? { kind: "security-group", group: `g${Math.floor(rand() * shape.groups)}` }
            : { kind: "cidr", cidr: block(inVpc(), pick([8, 16, 24, 32])) };
        if (shape.allPortShare !== undefined && rand() < shape.allPortShare) {
          out.push({ protocol: pick([-1, 6, 17]), peer });
        } else if (kind > 0.9) {
          out.push({ protocol: 1, icmp: { type: pick([0, 3, 8, 11]), code: -1 }, peer });
        } else {
          const from = rand() < 0.3 ? pick([22, 80, 3306, 5432, 6379, 8080]) : Math.floor(rand() * 60000);
          out.push({ protocol: pick([6, 6, 17]), ports: { from, to: from + Math.floor(rand() * 100) }, peer });
        }
      }
      return out;
    };
    securityGroups[`g${g}`] = { name: `g${g}`, inbound: rules(shape.sgRules, "in"), outbound: rules(shape.sgRules, "out") };
  }
  securityGroups.default = { name: "default", inbound: [], outbound: [] };

  const instances: Record<string, World["instances"][string]> = {};
  for (let i = 0; i < shape.instances; i++) {
    const s = i % shape.subnets;
    const groups = Array.from({ length: 1 + Math.floor(rand() * 5) }, () => `g${Math.floor(rand() * shape.groups)}`);
    const name = `i${i}`;
    instances[name] = {
      name,
      interfaces: [
        {
          name,
          instance: name,
          subnet: `s${s}`,
          privateIps: [addressFromV4(privateV4(i, shape))],
          ipv6s: [],
          ...(hasPublicIp(i, shape) ? { publicIp: addressFromV4(PUBLIC_BASE + i) } : {}),
          securityGroups: [...new Set(groups)],
          sourceDestCheck: true,
          nat: false,
          ephemeral: EPHEMERAL_PROFILES.linux!,
          timeouts: DEFAULT_TIMEOUTS,
        },
      ],
    };
  }
  const internetHosts: Record<string, World["internetHosts"][string]> = {};
  for (let h = 0; h < shape.internetHosts; h++) {
    internetHosts[`host${h}`] = { name: `host${h}`, address: addressFromV4(HOST_BASE + 1 + h), ephemeral: EPHEMERAL_PROFILES.linux! };
  }
  return {
    vpc: {
      name: "vpc",
      // one /16 a subnet, as a primary block and secondary ones: AWS takes a VPC block of /16 at
      // most (aws-rules §4.8), and up to 50 blocks a VPC with a raised quota
      cidrs: Array.from({ length: shape.subnets }, (_, s) => cidr(`10.${s}.0.0/16`)),
      defaultSecurityGroup: "default",
      defaultNetworkAcl: "default",
      mainRouteTable: "main",
    },
    subnets,
    securityGroups,
    networkAcls,
    routeTables: {
      main: { name: "main", routes: [] },
      public: { name: "public", routes: [{ destination: ANY_V4, target: { kind: "internet-gateway" } }] },
    },
    instances,
    natGateways: {},
    internetHosts,
    prefixLists: {},
    settings: DEFAULT_SETTINGS,
  };
}

interface Flow {
  /** what the opener sends to, and what the answer comes from */
  readonly a: Address;
  readonly b: Address;
  /** the answerer's own address and the one its answers reach (they differ across the internet gateway) */
  readonly bAnswers: Address;
  readonly aSeen: Address;
  readonly sport: number;
  readonly port: number;
  readonly protocol: number;
}

/**
 * Traffic: `connections` flows between instances, from instances to internet hosts and from
 * internet hosts to instances' public addresses. Each flow is opened twice (SYN, SYN-ACK, data,
 * FIN, FIN), so about 1 packet in 5 opens a connection. Flows arrive steadily: `concurrent` of
 * them are open at any time, taking turns packet by packet, and each one that ends is replaced by
 * the next. With `concurrent` equal to `connections`, every flow is open at once.
 */
export function buildTraffic(world: World, packets: number, connections: number, concurrent = connections, seed = 2): Packet[] {
  const rand = rng(seed);
  const enis = Object.values(world.instances).map((i) => i.interfaces[0]!);
  const hosts = Object.values(world.internetHosts).map((h) => h.address);
  const reachable = enis.filter((e) => e.publicIp);
  const flows: Flow[] = Array.from({ length: connections }, (_, k) => {
    const x = enis[Math.floor(rand() * enis.length)]!;
    const y = enis[Math.floor(rand() * enis.length)]!;
    const r = rand();
    const port = r < 0.6 ? 443 : r < 0.8 ? [22, 80, 3306, 5432, 6379, 8080][Math.floor(rand() * 6)]! : Math.floor(rand() * 65535);
    const protocol = rand() < 0.85 ? 6 : 17;
    const sport = 32768 + (k % 28000);
    const kind = rand();
    const host = hosts[Math.floor(rand() * hosts.length)];
    if (host && kind < 0.1) {
      // an instance calls the internet; the answer comes back to its public address, if any
      return { a: x.privateIps[0]!, b: host, bAnswers: host, aSeen: x.publicIp ?? x.privateIps[0]!, sport, port, protocol };
    }
    if (host && kind < 0.15) {
      // the internet calls an instance's public address, which answers from its private one
      const target = reachable[Math.floor(rand() * reachable.length)];
      if (target) return { a: host, b: target.publicIp!, bAnswers: target.privateIps[0]!, aSeen: host, sport, port: 443, protocol: 6 };
    }
    return { a: x.privateIps[0]!, b: y.privateIps[0]!, bAnswers: y.privateIps[0]!, aSeen: x.privateIps[0]!, sport, port, protocol };
  });
  const out: Packet[] = [];
  const perFlow = Math.max(1, Math.round(packets / connections));
  // Per opening: SYN, SYN-ACK, data, FIN from the opener, FIN from the answerer.
  const script: [boolean, number][] = [
    [true, SYN],
    [false, SYN | ACK],
    [true, ACK | PSH],
    [true, FIN | ACK],
    [false, FIN | ACK],
  ];
  const open = flows.slice(0, concurrent).map((flow) => ({ flow, step: 0 }));
  let next = open.length;
  while (open.length > 0) {
    for (let i = 0; i < open.length; ) {
      const slot = open[i]!;
      const f = slot.flow;
      const [forward, flags] = script[slot.step % script.length]!;
      out.push(
        makePacket(
          forward
            ? { src: f.a, dst: f.b, protocol: f.protocol, srcPort: f.sport, dstPort: f.port, flags }
            : { src: f.bAnswers, dst: f.aSeen, protocol: f.protocol, srcPort: f.port, dstPort: f.sport, flags },
        ),
      );
      if (++slot.step < perFlow) i++;
      else if (next < flows.length) open[i++] = { flow: flows[next++]!, step: 0 };
      else open.splice(i, 1);
    }
  }
  return out;
}

// --- scenario-like runs: many steps of one kind against one world (issue "Hostile and broken input") ---

/** A scenario of `steps` run through `runScenario`, with the engine it starts from. */
export function scenarioOf(world: World, steps: readonly Step[], name: string): Scenario {
  return { file: `${name}.yaml`, name, world, steps };
}

/**
 * `n` rule changes on W1's world: each adds a rule to a security group or a network ACL and the
 * next step removes it again, so that the world keeps its size and every change is valid.
 */
export function ruleChangeSteps(world: World, n: number, seed = 3): Step[] {
  const rand = rng(seed);
  const groups = Object.keys(world.securityGroups);
  const acls = Object.keys(world.networkAcls);
  const steps: Step[] = [];
  for (let i = 0; steps.length < n; i++) {
    const direction = rand() < 0.5 ? "inbound" : "outbound";
    let add: WorldChange;
    let remove: WorldChange;
    if (rand() < 0.5) {
      const group = groups[Math.floor(rand() * groups.length)]!;
      const rule: SecurityGroupRule = {
        protocol: 6,
        ports: { from: 1, to: 1 },
        peer: { kind: "cidr", cidr: cidr(`198.18.${(i >> 8) & 255}.${i & 255}/32`) },
      };
      add = { kind: "add-sg-rule", group, direction, rule };
      remove = { kind: "remove-sg-rule", group, direction, rule };
    } else {
      const acl = acls[Math.floor(rand() * acls.length)]!;
      // W1's ACL rules are numbered 10, 20, ... and 32000: 5 is free
      const rule: NetworkAclRule = { number: 5, action: "deny", protocol: 6, ports: { from: 1, to: 1 }, cidr: cidr("198.18.0.0/16") };
      add = { kind: "add-nacl-rule", acl, direction, rule };
      remove = { kind: "remove-nacl-rule", acl, direction, number: 5 };
    }
    for (const change of [add, remove]) steps.push({ index: steps.length, line: steps.length + 1, kind: "change", change });
  }
  return steps.slice(0, n);
}

/** `n` waits of one second each. */
export function waitSteps(n: number): Step[] {
  return Array.from({ length: n }, (_, i) => ({ index: i, line: i + 1, kind: "wait" as const, seconds: 1 }));
}

/** `n` packets from an IP-address endpoint (an internet address) to instances' public addresses. */
export function addressSendSteps(world: World, n: number, seed = 4): Step[] {
  const rand = rng(seed);
  const reachable = Object.values(world.instances).filter((i) => i.interfaces[0]!.publicIp);
  return Array.from({ length: n }, (_, i) => ({
    index: i,
    line: i + 1,
    kind: "send" as const,
    flow: {
      from: { kind: "address" as const, address: addressFromV4(0xcb007100 + (i % 200)) }, // 203.0.113.x
      to: { kind: "instance" as const, name: reachable[Math.floor(rand() * reachable.length)]!.name },
      protocol: 6,
      port: 443,
    },
  }));
}

/**
 * A world whose server subnet has a network ACL of 32,766 inbound rules, every number taken: rules
 * 1-32765 allow UDP from single addresses elsewhere, rule 32766 denies everything. A TCP packet
 * to the server is denied by rule 32766, and the fix hint looks for a free number below it.
 */
export function fullAclWorld(rules = 32766): World {
  const inbound: NetworkAclRule[] = [];
  for (let n = 1; n < rules; n++)
    inbound.push({ number: n, action: "allow", protocol: 17, cidr: cidr(`${formatHost(0xc6120000 + n)}/32`) });
  inbound.push({ number: rules, action: "deny", protocol: -1, cidr: ANY_V4 });
  const allowAll: NetworkAclRule[] = [{ number: 100, action: "allow", protocol: -1, cidr: ANY_V4 }];
  const iface = (name: string, subnet: string, v4: number) => ({
    name,
    instance: name,
    subnet,
    privateIps: [addressFromV4(v4)],
    ipv6s: [],
    securityGroups: ["open"],
    sourceDestCheck: true,
    nat: false,
    ephemeral: EPHEMERAL_PROFILES.linux!,
    timeouts: DEFAULT_TIMEOUTS,
  });
  const open: SecurityGroupRule = { protocol: -1, peer: { kind: "cidr", cidr: ANY_V4 } };
  return {
    vpc: { name: "vpc", cidrs: [cidr("10.0.0.0/16")], defaultSecurityGroup: "open", defaultNetworkAcl: "default", mainRouteTable: "main" },
    subnets: {
      clients: { name: "clients", cidr: cidr("10.0.1.0/24"), networkAcl: "default", routeTable: "main" },
      servers: { name: "servers", cidr: cidr("10.0.2.0/24"), networkAcl: "full", routeTable: "main" },
    },
    securityGroups: { open: { name: "open", inbound: [open], outbound: [open] } },
    networkAcls: {
      default: { name: "default", inbound: allowAll, outbound: allowAll },
      full: { name: "full", inbound, outbound: allowAll },
    },
    routeTables: { main: { name: "main", routes: [] } },
    instances: {
      client: { name: "client", interfaces: [iface("client", "clients", 0x0a00010a)] },
      server: { name: "server", interfaces: [iface("server", "servers", 0x0a000214)] },
    },
    natGateways: {},
    internetHosts: {},
    prefixLists: {},
    settings: DEFAULT_SETTINGS,
  };
}

function formatHost(v: number): string {
  return `${(v >>> 24) & 255}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}

/** `n` TCP packets from the client to the server of `fullAclWorld`, each denied by its last rule. */
export function deniedSendSteps(n: number): Step[] {
  return Array.from({ length: n }, (_, i) => ({
    index: i,
    line: i + 1,
    kind: "send" as const,
    flow: {
      from: { kind: "instance" as const, name: "client" },
      to: { kind: "instance" as const, name: "server" },
      protocol: 6,
      port: 443,
      sourcePort: 40000 + (i % 20000),
    },
  }));
}
