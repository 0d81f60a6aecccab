// Security groups (aws-rules §2): allow rules only, and the rules of every group on an interface
// form one set, so a packet passes when any rule of any group covers it. A rule's peer is a CIDR
// block, a group (the private addresses of its members) or a prefix list (its blocks). Connection
// tracking, which lets replies through without a rule, is in connection-tracking.ts.
import type { Address, Cidr } from "../model/address.js";
import type { Direction, NetworkInterface, Peer, SecurityGroupRule, World } from "../model/model.js";
import type { Packet } from "../model/packet.js";
import { blockHolds } from "./blocks.js";
import { interfaceOwning } from "./places.js";
import { coversTraffic } from "./rule-coverage.js";

/** aws-rules §2.2: inbound rules test the source (the remote end), outbound rules the destination. */
export function remoteAddress(direction: Direction, p: Packet): Address {
  return direction === "inbound" ? p.src : p.dst;
}

/** aws-rules §2.1: the rules of all groups on the interface, for one direction, as one set. */
export function interfaceRules(world: World, iface: NetworkInterface, direction: Direction): SecurityGroupRule[] {
  return iface.securityGroups.flatMap((name) => {
    const group = world.securityGroups[name];
    if (!group) return [];
    return direction === "inbound" ? [...group.inbound] : [...group.outbound];
  });
}

/**
 * aws-rules §2.3: a group reference covers the private IPv4 and the IPv6 addresses of interfaces
 * that carry the group, never a public address.
 */
export function groupMemberAt(world: World, group: string, address: Address): boolean {
  const owner = interfaceOwning(world, address);
  return owner?.securityGroups.includes(group) ?? false;
}

/** aws-rules §2.4: a prefix list covers any address in one of its blocks. */
export function prefixListBlocks(world: World, list: string): readonly Cidr[] {
  return world.prefixLists[list]?.cidrs ?? [];
}

/** The CIDR blocks a peer stands for; a group stands for its members, not for blocks. */
export function peerBlocks(world: World, peer: Peer): readonly Cidr[] {
  switch (peer.kind) {
    case "cidr":
      return [peer.cidr];
    case "prefix-list":
      return prefixListBlocks(world, peer.list);
    case "security-group":
      return [];
  }
}

/**
 * aws-rules §2.2-§2.4: whether a rule's peer covers an address. `references` false: an appliance
 * forwarded the packet and discarded the sender's group membership, so no group reference covers
 * it (§2.3).
 */
export function peerCovers(world: World, peer: Peer, address: Address, references = true): boolean {
  if (peer.kind === "security-group") return references && groupMemberAt(world, peer.group, address);
  return peerBlocks(world, peer).some((block) => blockHolds(block, address));
}

/** aws-rules §1.3, §2.2: one rule covers the packet when its peer, protocol and range all do. */
export function sgRuleCovers(world: World, rule: SecurityGroupRule, direction: Direction, p: Packet, references = true): boolean {
  const remote = remoteAddress(direction, p);
  return coversTraffic(rule, p, remote.family) && peerCovers(world, rule.peer, remote, references);
}

/** aws-rules §2.1: allowed when any rule of any group on the interface covers the packet. */
export function securityGroupsAllow(world: World, iface: NetworkInterface, direction: Direction, p: Packet, references = true): boolean {
  for (const rule of interfaceRules(world, iface, direction)) {
    if (sgRuleCovers(world, rule, direction, p, references)) return true;
  }
  return false;
}
