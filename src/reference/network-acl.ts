// Network ACLs (aws-rules §1): stateless lists of numbered rules, read from the lowest number up;
// the first rule that covers the packet allows or denies it, and if none does the `*` rule denies.
import type { Address } from "../model/address.js";
import type { Direction, NetworkAcl, NetworkAclRule, Subnet, World } from "../model/model.js";
import type { Packet } from "../model/packet.js";
import { blockHolds } from "./blocks.js";
import { coversTraffic } from "./rule-coverage.js";
import type { StepResult } from "./verdict.js";

/** aws-rules §1.3: inbound rules test the packet's source, outbound rules its destination. */
export function aclPeer(direction: Direction, p: Packet): Address {
  return direction === "inbound" ? p.src : p.dst;
}

/** aws-rules §1.1, §1.3: one rule covers the packet when protocol, range and block all do. */
export function aclRuleCovers(rule: NetworkAclRule, direction: Direction, p: Packet): boolean {
  const peer = aclPeer(direction, p);
  return coversTraffic(rule, p, rule.cidr.family) && blockHolds(rule.cidr, peer);
}

/** aws-rules §1.1: the list of the packet's direction, lowest number first. */
export function rulesInOrder(acl: NetworkAcl, direction: Direction): NetworkAclRule[] {
  const rules = direction === "inbound" ? acl.inbound : acl.outbound;
  return [...rules].sort((a, b) => a.number - b.number);
}

/** aws-rules §1.1: the first rule that covers the packet, or undefined when only `*` is left. */
export function firstCoveringRule(acl: NetworkAcl, direction: Direction, p: Packet): NetworkAclRule | undefined {
  for (const rule of rulesInOrder(acl, direction)) {
    if (aclRuleCovers(rule, direction, p)) return rule;
  }
  return undefined;
}

/** aws-rules §1.1: the first covering rule decides; with none, the `*` rule denies. */
export function aclAllows(acl: NetworkAcl, direction: Direction, p: Packet): boolean {
  const rule = firstCoveringRule(acl, direction, p);
  if (rule === undefined) return false; // the `*` rule
  return rule.action === "allow";
}

/** aws-rules §1.1, §5.1: a subnet's ACL as a step of the walk. */
export function subnetAcl(world: World, subnet: Subnet, direction: Direction, p: Packet): StepResult {
  const acl = world.networkAcls[subnet.networkAcl]!;
  return aclAllows(acl, direction, p) ? undefined : "SUBNET_ACL_RESTRICTION";
}
