// Which packets a rule covers, one rule for network ACLs and security groups alike (aws-rules §1.3,
// §2.2): the protocol is the packet's or the rule's is -1 (all); the packet's address is in the
// rule's block (the callers test that, since an ACL has one block and a group rule a block, a group
// or a prefix list); and the packet's port or ICMP type and code are in the rule's range.
import type { Family } from "../model/address.js";
import type { IcmpMatch, PortRange } from "../model/model.js";
import type { Packet } from "../model/packet.js";
import { ALL, ICMP, ICMPV6, TCP, UDP } from "../model/protocol.js";

/** The fields of a rule that say which protocol, ports and ICMP messages it covers. */
export interface RuleMatchFields {
  readonly protocol: number;
  readonly ports?: PortRange;
  readonly icmp?: IcmpMatch;
}

/** aws-rules §1.3: the protocol is equal, or the rule's is -1. */
export function protocolCovers(rule: RuleMatchFields, protocol: number): boolean {
  return rule.protocol === ALL || rule.protocol === protocol;
}

/** aws-rules §1.3: TCP and UDP rules test the destination port; no range means every port. */
export function portCovered(rule: RuleMatchFields, port: number): boolean {
  if (!rule.ports) return true;
  return rule.ports.from <= port && port <= rule.ports.to;
}

/**
 * aws-rules §1.3: an ICMP rule tests type and code. Type -1 covers every type, code -1 every code
 * of its type; otherwise both must be equal (so type 8 with code 8 covers no ping).
 */
export function icmpCovered(rule: RuleMatchFields, type: number, code: number): boolean {
  if (!rule.icmp || rule.icmp.type === -1) return true;
  if (rule.icmp.type !== type) return false;
  return rule.icmp.code === -1 || rule.icmp.code === code;
}

/**
 * aws-rules §1.3: whether the rule's range covers the packet's port or ICMP message, the rule's
 * address block being of `family`. Ports exist for TCP and UDP only; ICMP type and code for ICMP,
 * and for ICMPv6 only with an IPv6 block (an ICMPv6 rule with an IPv4 block covers every message);
 * a rule for all protocols or for any other protocol covers every packet of it.
 */
export function rangeCovers(rule: RuleMatchFields, p: Packet, family: Family): boolean {
  if (rule.protocol === TCP || rule.protocol === UDP) return portCovered(rule, p.dstPort);
  if (rule.protocol === ICMP || (rule.protocol === ICMPV6 && family === 6)) return icmpCovered(rule, p.icmpType, p.icmpCode);
  return true;
}

/** aws-rules §1.3: protocol and range together; the address is the caller's to test. */
export function coversTraffic(rule: RuleMatchFields, p: Packet, family: Family): boolean {
  return protocolCovers(rule, p.protocol) && rangeCovers(rule, p, family);
}

/** aws-rules §3.2: a rule that opens every port of TCP or UDP (a -1 rule opens them all). */
export function opensEveryPort(rule: RuleMatchFields, protocol: number): boolean {
  if (rule.protocol === ALL) return true;
  if (rule.protocol !== protocol || (protocol !== TCP && protocol !== UDP)) return false;
  return !rule.ports || (rule.ports.from === 0 && rule.ports.to === 65535);
}
