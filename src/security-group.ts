// Security groups, compiled per network interface and direction (aws-semantics §2).
// The rules of every group on the interface are one allow-only union (§2.1), so a packet is
// allowed when any line matches and order never changes the verdict. Lines are flat integer
// columns; a group reference becomes one line per private address of its members (§2.3) and a
// prefix list one line per entry.
import type { Address, Cidr } from "./address.js";
import type { Packet } from "./packet.js";
import type { PrefixList, SecurityGroup, SecurityGroupRule } from "./model.js";
import { ALL, TCP, UDP, hasPorts, isIcmp } from "./protocol.js";

export type Direction = "inbound" | "outbound";

/** Where a compiled line came from, for traces. */
export interface SgLineSource {
  readonly group: string;
  readonly rule: SecurityGroupRule;
  /** position of the rule in its group's list */
  readonly index: number;
}

export interface CompiledSgRules {
  readonly count: number;
  readonly protocol: Int16Array;
  /** first port, or ICMP type (-1 any) */
  readonly lo: Int32Array;
  /** last port, or ICMP code (-1 any) */
  readonly hi: Int32Array;
  /** 0: no port test, 1: port range, 2: ICMP type/code */
  readonly test: Uint8Array;
  readonly family: Uint8Array;
  readonly lo4: Float64Array;
  readonly hi4: Float64Array;
  readonly lo6: bigint[];
  readonly hi6: bigint[];
  /** the peer is 0.0.0.0/0 or ::/0: the lines an untracked flow needs (§3.2); they come first */
  readonly wide: Uint8Array;
  readonly source: readonly SgLineSource[];
  /**
   * Bit set of "a wide line allows every port": bit 0 tcp/IPv4, 1 udp/IPv4, 2 tcp/IPv6, 3 udp/IPv6.
   * This is the "corresponding rule in the other direction" of an untracked flow (§3.2).
   */
  readonly openAllPorts: number;
}

interface Line {
  protocol: number;
  lo: number;
  hi: number;
  test: number;
  cidr: Cidr;
  source: SgLineSource;
}

export interface PeerResolver {
  /** private IPv4 and IPv6 addresses of the interfaces that carry `group` */
  members(group: string): readonly Address[];
  prefixList(name: string): PrefixList | undefined;
}

export function compileSecurityGroups(
  groups: readonly SecurityGroup[],
  direction: Direction,
  peers: PeerResolver,
): CompiledSgRules {
  const lines: Line[] = [];
  for (const group of groups) {
    const rules = direction === "inbound" ? group.inbound : group.outbound;
    rules.forEach((rule, index) => {
      const source = { group: group.name, rule, index };
      for (const cidr of peerCidrs(rule, peers)) lines.push({ ...ruleMatch(rule), cidr, source });
    });
  }
  // Wide lines first, so that the line reported is the one that decides whether the flow is tracked.
  lines.sort((a, b) => Number(b.cidr.prefix === 0) - Number(a.cidr.prefix === 0));
  const n = lines.length;
  const out = {
    count: n,
    protocol: new Int16Array(n),
    lo: new Int32Array(n),
    hi: new Int32Array(n),
    test: new Uint8Array(n),
    family: new Uint8Array(n),
    lo4: new Float64Array(n),
    hi4: new Float64Array(n),
    lo6: new Array<bigint>(n),
    hi6: new Array<bigint>(n),
    wide: new Uint8Array(n),
    source: lines.map((l) => l.source),
    openAllPorts: 0,
  };
  let open = 0;
  lines.forEach((l, i) => {
    out.protocol[i] = l.protocol;
    out.lo[i] = l.lo;
    out.hi[i] = l.hi;
    out.test[i] = l.test;
    out.family[i] = l.cidr.family;
    out.lo4[i] = l.cidr.lo4;
    out.hi4[i] = l.cidr.hi4;
    out.lo6[i] = l.cidr.lo6;
    out.hi6[i] = l.cidr.hi6;
    const wide = l.cidr.prefix === 0;
    out.wide[i] = wide ? 1 : 0;
    const allPorts = l.protocol === ALL || (l.test === 1 && l.lo === 0 && l.hi === 65535);
    if (wide && allPorts) {
      const shift = l.cidr.family === 4 ? 0 : 2;
      if (l.protocol === ALL || l.protocol === TCP) open |= 1 << shift;
      if (l.protocol === ALL || l.protocol === UDP) open |= 2 << shift;
    }
  });
  out.openAllPorts = open;
  return out;
}

function ruleMatch(rule: SecurityGroupRule): { protocol: number; lo: number; hi: number; test: number } {
  if (hasPorts(rule.protocol)) {
    return { protocol: rule.protocol, lo: rule.ports?.from ?? 0, hi: rule.ports?.to ?? 65535, test: 1 };
  }
  if (isIcmp(rule.protocol)) {
    return { protocol: rule.protocol, lo: rule.icmp?.type ?? -1, hi: rule.icmp?.code ?? -1, test: 2 };
  }
  // -1 or any other protocol: every port (aws-semantics §2.2)
  return { protocol: rule.protocol, lo: 0, hi: 0, test: 0 };
}

function peerCidrs(rule: SecurityGroupRule, peers: PeerResolver): readonly Cidr[] {
  switch (rule.peer.kind) {
    case "cidr":
      return [rule.peer.cidr];
    case "prefix-list":
      return peers.prefixList(rule.peer.list)?.cidrs ?? [];
    case "security-group":
      return peers.members(rule.peer.group).map(hostBlock);
  }
}

function hostBlock(a: Address): Cidr {
  return { family: a.family, prefix: a.family === 4 ? 32 : 128, lo4: a.v4, hi4: a.v4, lo6: a.v6, hi6: a.v6, text: a.text };
}

/**
 * The first line that allows the packet, or -1. `peer` is the packet's source for inbound rules
 * and its destination for outbound ones; ports are always the destination port (§2.2).
 */
export function matchSecurityGroups(r: CompiledSgRules, p: Packet, peer: Address): number {
  const fam = peer.family;
  const proto = p.protocol;
  for (let i = 0; i < r.count; i++) {
    const rp = r.protocol[i]!;
    if (rp !== ALL && rp !== proto) continue;
    if (r.family[i] !== fam) continue;
    const test = r.test[i];
    if (test === 1) {
      if (p.dstPort < r.lo[i]! || p.dstPort > r.hi[i]!) continue;
    } else if (test === 2) {
      const t = r.lo[i]!;
      const c = r.hi[i]!;
      if ((t !== -1 && t !== p.icmpType) || (c !== -1 && c !== p.icmpCode)) continue;
    }
    if (fam === 4) {
      if (peer.v4 < r.lo4[i]! || peer.v4 > r.hi4[i]!) continue;
    } else if (peer.v6 < r.lo6[i]! || peer.v6 > r.hi6[i]!) continue;
    return i;
  }
  return -1;
}

/** Whether a wide line of the other direction allows every port of this protocol (§3.2). */
export function opensAllPorts(r: CompiledSgRules, protocol: number, family: 4 | 6): boolean {
  const bit = (protocol === TCP ? 1 : protocol === UDP ? 2 : 0) << (family === 4 ? 0 : 2);
  return bit !== 0 && (r.openAllPorts & bit) !== 0;
}
