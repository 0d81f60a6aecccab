// Words for learners: why a packet was dropped and the smallest change that would let it through.
// The engine records a drop's reason as data and asks for words only when someone will read them,
// so the verdict-only path builds no text (and its hot functions create no closures).
import type { Address } from "../model/address.js";
import type { Direction } from "../model/model.js";
import type { Packet } from "../model/packet.js";
import { hasPorts, isIcmp, protocolName } from "../model/protocol.js";

/** Whether the packet is a connection's request or its reply, when the caller knows. */
export type Role = "request" | "reply" | "packet";

function what(p: Packet): string {
  const name = protocolName(p.protocol);
  if (hasPorts(p.protocol)) return `${name} port ${p.dstPort}`;
  if (isIcmp(p.protocol)) return `${name} type ${p.icmpType} code ${p.icmpCode}`;
  return `protocol ${name}`;
}

function ruleFor(p: Packet): string {
  const name = protocolName(p.protocol);
  if (hasPorts(p.protocol)) return `${name} ${p.dstPort}`;
  if (isIcmp(p.protocol)) return `${name} type ${p.icmpType} code ${p.icmpCode}`;
  return `protocol ${name}`;
}

function host(a: Address): string {
  return a.family === 4 ? `${a.text}/32` : `${a.text}/128`;
}

/** A drop in words: what happened, and the smallest change that would let the packet through. */
export interface Why {
  readonly explanation: string;
  readonly fix?: string;
}

export function explainSecurityGroups(p: Packet, direction: Direction, instance: string, groups: readonly string[], role: Role): Why {
  const peer = direction === "inbound" ? p.src : p.dst;
  const fromTo = direction === "inbound" ? "from" : "to";
  const list = groups.length === 1 ? `security group ${groups[0]}` : `security groups ${groups.join(", ")}`;
  let explanation =
    `No ${direction} rule of ${list} on ${instance} allows ${what(p)} ${fromTo} ${peer.text}. ` +
    `Security groups only allow: every rule of every group is checked, and traffic no rule matches is dropped.`;
  if (role === "reply") {
    explanation +=
      ` This is a reply, yet no tracked connection let it through: the flow was not tracked (a rule open to the ` +
      `whole internet in both directions leaves TCP and UDP untracked), or its entry expired, or a FIN from each ` +
      `side or an RST closed it. So the reply needs a rule of its own.`;
  }
  const group = groups[0] ?? "a security group";
  return { explanation, fix: `add an ${direction} rule to ${group}: ${ruleFor(p)} ${fromTo} ${host(peer)}` };
}

/** What the fix of a network ACL drop needs to know of the ACL, as plain data from its compiled form. */
export interface NaclFacts {
  readonly name: string;
  /** the direction's rule numbers, both IP versions (one number, one rule, aws-rules §1.1), ascending */
  readonly numbers: ArrayLike<number>;
  /** how many of the direction's rules are of the packet's IP version */
  readonly familyRules: number;
}

/** The highest rule number of an ACL (aws-rules §1.1: 1-32766). */
const MAX_RULE = 32766;

/**
 * Why a network ACL dropped a packet, and the rule to add. Costs O(log n) in the ACL's rules: a
 * denied packet is explained however long the ACL.
 */
export function explainNacl(p: Packet, direction: Direction, acl: NaclFacts, denyingRule: number | undefined, role: Role): Why {
  const peer = direction === "inbound" ? p.src : p.dst;
  const fromTo = direction === "inbound" ? "from" : "to";
  const family = peer.family === 4 ? "IPv4" : "IPv6";
  const taken = acl.numbers;
  let explanation: string;
  let number: number;
  if (denyingRule !== undefined) {
    explanation =
      `Network ACL ${acl.name} checks its ${direction} rules lowest number first and stops at the first match: ` +
      `rule ${denyingRule} denies ${what(p)} ${fromTo} ${peer.text}, so rules numbered after it are never consulted.`;
    // The new rule must come before the denying one (§1.1).
    number = freeNumberBelow(taken, denyingRule);
  } else {
    explanation =
      acl.familyRules === 0
        ? `Network ACL ${acl.name} has no ${family} ${direction} rules, so its final rule * denies everything. ` +
          `A custom network ACL denies all traffic until you add rules.`
        : `No ${family} ${direction} rule of network ACL ${acl.name} matches ${what(p)} ${fromTo} ${peer.text}, ` +
          `so the final rule * denies it.`;
    // No rule matches, so any free number will do: the next ten after the highest, as people number them.
    const highest = taken.length === 0 ? 0 : taken[taken.length - 1]!;
    number = highest === 0 ? 100 : Math.min(MAX_RULE, highest + 10 - (highest % 10));
    if (highest >= number) number = freeNumberBelow(taken, MAX_RULE + 1);
  }
  if (role === "reply" && hasPorts(p.protocol)) {
    explanation +=
      ` Network ACLs are stateless: the reply to port ${p.srcPort} goes to the client's ephemeral port ${p.dstPort}, ` +
      `and the ${direction} rules must allow it as well.`;
  } else if (role === "reply") {
    explanation += ` Network ACLs are stateless: replies need rules of their own.`;
  }
  const ports = role === "reply" && hasPorts(p.protocol) ? `${protocolName(p.protocol)} 1024-65535` : ruleFor(p);
  const rule = `allow ${ports} ${fromTo} ${host(peer)} to ${direction} of network ACL ${acl.name}`;
  if (number === 0) {
    const below = denyingRule ?? MAX_RULE + 1;
    return { explanation, fix: `free a rule number below ${below} (all of 1-${below - 1} are taken), then add a rule ${rule}` };
  }
  return { explanation, fix: `add rule ${number} ${rule}` };
}

/**
 * The highest number below `below` that no rule has, or 0 when 1 to below - 1 are all taken.
 * `taken` is ascending and without repeats, so a binary search finds it: the taken numbers below
 * `below` that end in an unbroken run up to below - 1 are those where taken[j] - j is largest.
 */
export function freeNumberBelow(taken: ArrayLike<number>, below: number): number {
  let lo = 0;
  let hi = taken.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (taken[mid]! < below) lo = mid + 1;
    else hi = mid;
  }
  const count = lo; // taken numbers below `below`
  if (count === 0 || taken[count - 1] !== below - 1) return Math.max(0, below - 1);
  // taken[j] - j never decreases and is at most below - count; find where it reaches that
  lo = 0;
  hi = count - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (taken[mid]! - mid === below - count) hi = mid;
    else lo = mid + 1;
  }
  return taken[lo]! - 1;
}

/** Why a packet was dropped, as data; `explainDrop` words it. */
export type DropReason =
  | {
      readonly kind: "network-acl";
      readonly packet: Packet;
      readonly direction: Direction;
      /** the ACL's name */
      readonly acl: string;
      /** the direction's rule numbers, both IP versions, ascending */
      readonly numbers: ArrayLike<number>;
      /** how many of the direction's rules are of the packet's IP version */
      readonly familyRules: number;
      readonly denyingRule: number | undefined;
      readonly role: Role;
    }
  | {
      readonly kind: "security-groups";
      readonly packet: Packet;
      readonly direction: Direction;
      readonly instance: string;
      readonly groups: readonly string[];
      readonly role: Role;
    }
  | { readonly kind: "unknown-source"; readonly source: Address }
  | { readonly kind: "no-route"; readonly table: string; readonly subnet: string; readonly destination: Address }
  | { readonly kind: "blackhole"; readonly table: string; readonly route: string }
  | { readonly kind: "unmodelled-target"; readonly table: string; readonly route: string; readonly target: string }
  | { readonly kind: "routing-loop"; readonly table: string; readonly subnet: string }
  | { readonly kind: "no-interface"; readonly destination: Address; readonly subnet: string | undefined }
  | { readonly kind: "no-public-ip"; readonly source: Address; readonly instance: string | undefined }
  | { readonly kind: "private-from-internet"; readonly destination: Address }
  | { readonly kind: "nothing-owns"; readonly destination: Address }
  | { readonly kind: "no-internet-gateway"; readonly destination: Address }
  | { readonly kind: "egress-only-unsolicited" }
  | { readonly kind: "nat-not-destination"; readonly nat: string }
  | { readonly kind: "nat-protocol"; readonly protocol: number }
  | { readonly kind: "nat-ports"; readonly nat: string; readonly destination: Address; readonly port: number; readonly idleTimeout: number }
  | { readonly kind: "nat-unsolicited"; readonly nat: string; readonly idleTimeout: number }
  | { readonly kind: "source-dest-check"; readonly instance: string; readonly destination: Address }
  | { readonly kind: "source-dest-check-reply"; readonly instance: string; readonly inside: Address }
  | { readonly kind: "nat-instance-ports"; readonly instance: string; readonly destination: Address; readonly port: number };

export function explainDrop(r: DropReason): Why {
  switch (r.kind) {
    case "network-acl":
      return explainNacl(r.packet, r.direction, { name: r.acl, numbers: r.numbers, familyRules: r.familyRules }, r.denyingRule, r.role);
    case "security-groups":
      return explainSecurityGroups(r.packet, r.direction, r.instance, r.groups, r.role);
    case "unknown-source":
      return {
        explanation: `No interface in the VPC owns the source address ${r.source.text}, so nothing can send this packet.`,
        fix: "send from the private address of an instance, or from an internet host",
      };
    case "no-route":
      return {
        explanation: `Route table ${r.table} of subnet ${r.subnet} has no route that covers ${r.destination.text}.`,
        fix: `add a route for ${r.destination.family === 4 ? "0.0.0.0/0" : "::/0"} (or a block covering ${r.destination.text}) to route table ${r.table}`,
      };
    case "blackhole":
      return {
        explanation: `Route ${r.route} in ${r.table} is a blackhole: its target no longer exists, so matching packets are dropped.`,
        fix: `replace route ${r.route} in ${r.table} with one to a gateway that exists, or remove it`,
      };
    case "unmodelled-target":
      return {
        explanation: `Route ${r.route} in ${r.table} sends the packet to ${unmodelledText(r.target)}, which vpcsim does not model: the packet stops there, neither delivered nor denied by a rule.`,
        fix: `check what ${r.target} does with it in the AWS console or Reachability Analyzer, or route ${r.route} to a gateway vpcsim models`,
      };
    case "routing-loop":
      return {
        explanation: "The packet went through too many gateways and appliances: the routes form a loop.",
        fix: `check route table ${r.table} of subnet ${r.subnet}: its route for the destination leads back to where the packet came from`,
      };
    case "no-interface":
      return {
        explanation: `No interface in the VPC owns ${r.destination.text}, so the packet is not delivered.`,
        fix: `send to the ${r.destination.family === 4 ? "private" : "IPv6"} address of an instance${r.subnet ? ` (subnet ${r.subnet} has none at ${r.destination.text})` : ""}`,
      };
    case "no-public-ip":
      return {
        explanation: `${r.source.text} has no public IPv4 address, so the internet gateway cannot translate it and drops the packet.`,
        fix: `give ${r.instance ?? r.source.text} a public IPv4 address, or route 0.0.0.0/0 through a NAT gateway`,
      };
    case "private-from-internet":
      return {
        explanation: `${r.destination.text} is a private address: the internet cannot reach it. Only a public IPv4 address associated with an interface is reachable from the internet.`,
        fix: "give the instance a public IPv4 address (and route 0.0.0.0/0 to an internet gateway) and connect to that address",
      };
    case "nothing-owns":
      return {
        explanation: `Nothing in this world owns ${r.destination.text}, so the packet goes nowhere.`,
        fix: `add an internet host with address ${r.destination.text}, or send to an instance's public IP`,
      };
    case "no-internet-gateway":
      return {
        explanation: `The VPC has no internet gateway, so nothing on the internet reaches ${r.destination.text}.`,
        fix: "add a route ::/0 → internet-gateway to the route table of the destination's subnet",
      };
    case "egress-only-unsolicited":
      return {
        explanation:
          "An egress-only internet gateway lets IPv6 connections out and their replies in, never a connection opened from the internet.",
        fix: "to accept IPv6 connections from the internet, route ::/0 of the destination's subnet to an internet gateway",
      };
    case "nat-not-destination":
      return {
        explanation: `${r.nat} is a NAT gateway: it forwards traffic that private subnets route to it, and answers nothing addressed to itself.`,
        fix: `send to the internet address you want to reach, from a subnet whose route table sends 0.0.0.0/0 to ${r.nat}`,
      };
    case "nat-protocol":
      return {
        explanation: `A NAT gateway translates TCP, UDP and ICMP only; ${protocolName(r.protocol)} is dropped.`,
        fix: `for ${protocolName(r.protocol)}, give the instance a public IP in a subnet whose route table sends 0.0.0.0/0 to an internet gateway`,
      };
    case "nat-ports":
      return {
        explanation: `${r.nat} has no free source port left for ${r.destination.text}:${r.port}: it can hold one connection per port 1024-65535 to each destination.`,
        fix: `close idle connections (or wait ${r.idleTimeout} s for them to time out), or spread them over more destinations`,
      };
    case "nat-unsolicited":
      return {
        explanation: `${r.nat} only lets in replies to connections opened from inside, and this packet answers none (or the connection was idle for more than ${r.idleTimeout} s).`,
        fix: "to accept connections from the internet, give the instance a public IP in a subnet routed to an internet gateway",
      };
    case "source-dest-check":
      return {
        explanation: `A route sends this packet to ${r.instance}, but it is addressed to ${r.destination.text}. With source/destination check on (the default), an interface drops traffic of which it is neither the source nor the destination.`,
        fix: `turn source/destination check off on ${r.instance} (source-dest-check: false), as appliances and NAT instances need`,
      };
    case "source-dest-check-reply":
      return {
        explanation: `${r.instance} would send this reply on to ${r.inside.text}, a packet of which it is not the source. With source/destination check on, an interface drops it.`,
        fix: `turn source/destination check off on ${r.instance} (source-dest-check: false), as NAT instances need`,
      };
    case "nat-instance-ports":
      return {
        explanation: `${r.instance} has no free source port left for ${r.destination.text}:${r.port}.`,
        fix: `close idle connections through ${r.instance}, or spread them over more destinations`,
      };
  }
}

/** What kind of resource an AWS ID names, by its prefix: `tgw-0abc` is a transit gateway. */
const ID_KINDS: readonly (readonly [prefix: string, kind: string])[] = [
  ["tgw-attach-", "transit gateway attachment"],
  ["tgw-", "transit gateway"],
  ["vgw-", "virtual private gateway"],
  ["pcx-", "VPC peering connection"],
  ["vpce-", "VPC endpoint"],
  ["eni-", "network interface"],
  ["nat-", "NAT gateway"],
  ["cagw-", "carrier gateway"],
  ["lgw-", "local gateway"],
  ["igw-", "internet gateway"],
  ["i-", "instance"],
];

export function unmodelledText(id: string): string {
  const kind = ID_KINDS.find(([prefix]) => id.startsWith(prefix))?.[1];
  return kind ? `${kind} ${id}` : id;
}
