// Security groups (aws-rules §2), compiled once per group and direction, whatever the number of
// interfaces that carry them. The rules of every group on an interface are one allow-only union
// (§2.1): a packet is allowed when any rule of any group matches, so order never changes the
// verdict. A group reference matches the private addresses of the interfaces that carry the group
// (§2.3), tested by membership at lookup, so attaching a group to a thousand instances adds no
// lines; a prefix list is one block per entry.
import type { Address, Cidr, Family } from "../model/address.js";
import type { Direction, PrefixList, SecurityGroup, SecurityGroupRule } from "../model/model.js";
import { ALL, hasPorts, TCP, UDP } from "../model/protocol.js";
import { KEY_MAX, ruleKeys } from "./keys.js";
import type { MatchIndex, Rect } from "./match-index.js";
import { buildMatchIndex, lookup } from "./match-index.js";

/** One group's rules of one direction. */
export interface CompiledGroup {
  readonly name: string;
  readonly rules: readonly SecurityGroupRule[];
  readonly v4: MatchIndex;
  readonly v6: MatchIndex;
  /**
   * Bit set of "a wide line allows every port": bit 0 tcp/IPv4, 1 udp/IPv4, 2 tcp/IPv6, 3 udp/IPv6.
   * This is the "corresponding rule in the other direction" of an untracked flow (§3.2).
   */
  readonly openAllPorts: number;
  /** the wide lines as [family, protocol, first key, last key], for the untracked-flow test */
  readonly wide: readonly number[];
}

/** The groups of one interface in one direction. */
export interface CompiledSgRules {
  readonly groups: readonly CompiledGroup[];
  readonly openAllPorts: number;
  /** every group's wide lines, flat; a handful at most */
  readonly wide: Int32Array;
}

/** The rule that allowed a packet, for traces. */
export interface SgLineSource {
  readonly group: string;
  readonly rule: SecurityGroupRule;
  /** position of the rule in its group's list */
  readonly index: number;
}

export interface GroupResolver {
  /** the id a group reference is matched by */
  id(group: string): number;
  prefixList(name: string): PrefixList | undefined;
}

/** Security group ids of the interface that owns an address (for group references). */
export type GroupsOf = (a: Address) => Int32Array | undefined;

// A match is reported as group position × GROUP_STRIDE + priority; wide lines (0.0.0.0/0, ::/0)
// take priorities below NARROW so that the line reported is the one that decides whether the flow
// is tracked (§3.2).
const NARROW = 1 << 20;
const GROUP_STRIDE = 1 << 21;

export function compileGroup(group: SecurityGroup, direction: Direction, resolve: GroupResolver): CompiledGroup {
  const rules = direction === "inbound" ? group.inbound : group.outbound;
  const rects: Record<Family, Rect[]> = { 4: [], 6: [] };
  const wideLines: number[] = [];
  let open = 0;
  rules.forEach((rule, index) => {
    const protocol = rule.protocol;
    if (rule.peer.kind === "security-group") {
      // A reference matches members' IPv4 and IPv6 addresses alike (§2.3).
      const peer = { group: resolve.id(rule.peer.group) };
      for (const family of [4, 6] as const) {
        const [keyLo, keyHi] = ruleKeys(protocol, rule.ports, rule.icmp, family);
        rects[family].push({ priority: NARROW + index, protocol, keyLo, keyHi, peer });
      }
      return;
    }
    const cidrs: readonly Cidr[] = rule.peer.kind === "cidr" ? [rule.peer.cidr] : (resolve.prefixList(rule.peer.list)?.cidrs ?? []);
    for (const cidr of cidrs) {
      const [keyLo, keyHi] = ruleKeys(protocol, rule.ports, rule.icmp, cidr.family);
      const wide = cidr.prefix === 0;
      rects[cidr.family].push({ priority: wide ? index : NARROW + index, protocol, keyLo, keyHi, peer: { cidr } });
      if (!wide) continue;
      wideLines.push(cidr.family, protocol, keyLo, keyHi);
      if (keyLo === 0 && keyHi === KEY_MAX && (protocol === ALL || hasPorts(protocol))) {
        const shift = cidr.family === 4 ? 0 : 2;
        if (protocol === ALL || protocol === TCP) open |= 1 << shift;
        if (protocol === ALL || protocol === UDP) open |= 2 << shift;
      }
    }
  });
  return {
    name: group.name,
    rules,
    v4: buildMatchIndex(4, rects[4]),
    v6: buildMatchIndex(6, rects[6]),
    openAllPorts: open,
    wide: wideLines,
  };
}

export function interfaceRules(groups: readonly CompiledGroup[]): CompiledSgRules {
  let open = 0;
  let length = 0;
  for (const g of groups) {
    open |= g.openAllPorts;
    length += g.wide.length;
  }
  const wide = new Int32Array(length);
  let at = 0;
  for (const g of groups) {
    wide.set(g.wide, at);
    at += g.wide.length;
  }
  return { groups, openAllPorts: open, wide };
}

/**
 * The rule that allows a packet, or -1. `peer` is the packet's source for inbound rules and its
 * destination for outbound ones; `key` is the destination port (or ICMP type/code, §2.2). With
 * `best`, a wide line is preferred over the first line found, as traces and §3.2 need.
 */
export function matchSecurityGroups(
  r: CompiledSgRules,
  protocol: number,
  key: number,
  peer: Address,
  groupsOf: GroupsOf,
  best: boolean,
): number {
  const groups = r.groups;
  let found = -1;
  for (let g = 0; g < groups.length; g++) {
    const group = groups[g]!;
    const p = lookup(peer.family === 4 ? group.v4 : group.v6, protocol, key, peer, groupsOf);
    if (p < 0) continue;
    if (!best || p < NARROW) return g * GROUP_STRIDE + p;
    if (found < 0) found = g * GROUP_STRIDE + p;
  }
  return found;
}

export function matchedRule(r: CompiledSgRules, match: number): SgLineSource {
  const group = r.groups[Math.floor(match / GROUP_STRIDE)]!;
  const index = (match % GROUP_STRIDE) % NARROW;
  return { group: group.name, rule: group.rules[index]!, index };
}

/** Whether a wide line (0.0.0.0/0 or ::/0) allows this protocol and key, whatever the peer. */
export function wideAllows(r: CompiledSgRules, protocol: number, key: number, family: Family): boolean {
  const w = r.wide;
  for (let i = 0; i < w.length; i += 4) {
    if (w[i] === family && (w[i + 1] === protocol || w[i + 1] === ALL) && key >= w[i + 2]! && key <= w[i + 3]!) return true;
  }
  return false;
}

/** Whether a wide line of the other direction allows every port of this protocol (§3.2). */
export function opensAllPorts(r: CompiledSgRules, protocol: number, family: Family): boolean {
  const bit = (protocol === TCP ? 1 : protocol === UDP ? 2 : 0) << (family === 4 ? 0 : 2);
  return bit !== 0 && (r.openAllPorts & bit) !== 0;
}
