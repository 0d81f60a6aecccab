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
  /** the narrow variant of the fix, where it differs: what a cautious teacher would add instead */
  readonly narrower?: string;
}

/** A better change than a new address rule for a security group drop (aws-rules §2.3, §2.4). */
export type SgSuggestion =
  | { readonly kind: "prefix-list"; readonly list: string; readonly group: string; readonly rule: string }
  | { readonly kind: "self"; readonly group: string }
  | { readonly kind: "attach"; readonly group: string; readonly rule: string };

/** The ephemeral ports of the client a reply goes back to (aws-rules §1.4), and its profile's name when it has one. */
export interface ClientPorts {
  readonly from: number;
  readonly to: number;
  readonly profile?: string;
}

export function explainSecurityGroups(
  p: Packet,
  direction: Direction,
  instance: string,
  groups: readonly string[],
  role: Role,
  history?: ConnectionHistory,
  suggestion?: SgSuggestion,
): Why {
  const peer = direction === "inbound" ? p.src : p.dst;
  const fromTo = direction === "inbound" ? "from" : "to";
  const list = groups.length === 1 ? `security group ${groups[0]}` : `security groups ${groups.join(", ")}`;
  let explanation =
    `No ${direction} rule of ${list} on ${instance} allows ${what(p)} ${fromTo} ${peer.text}. ` +
    `Security groups only allow: every rule of every group is checked, and traffic no rule matches is dropped.`;
  if (history) {
    explanation += historyText(history);
  } else if (role === "reply") {
    explanation +=
      ` This is a reply, yet no tracked connection let it through: the flow was not tracked (a rule open to the ` +
      `whole internet in both directions leaves TCP and UDP untracked), or its entry expired, or a FIN from each ` +
      `side or an RST closed it. So the reply needs a rule of its own.`;
  }
  const addRule = (group: string) => `add an ${direction} rule to ${group}: ${ruleFor(p)} ${fromTo} ${host(peer)}`;
  switch (suggestion?.kind) {
    case "prefix-list":
      return {
        explanation,
        fix: `add ${host(peer)} to prefix list ${suggestion.list}, which rule "${suggestion.rule}" of ${suggestion.group} already uses`,
        narrower: addRule(suggestion.group),
      };
    case "self":
      return {
        explanation,
        fix: `add an ${direction} rule to ${suggestion.group}: ${ruleFor(p)} ${fromTo} ${suggestion.group} (a self-reference: every member of the group, now and later)`,
        narrower: addRule(suggestion.group),
      };
    case "attach":
      return {
        explanation,
        fix: `attach security group ${suggestion.group} to ${instance}: its rule "${suggestion.rule}" already allows this`,
        narrower: addRule(groups[0] ?? suggestion.group),
      };
    case undefined:
      return { explanation, fix: addRule(groups[0] ?? "a security group") };
  }
}

/** aws-rules §2.3: a group reference does not match what an appliance forwards; an address or block does. */
function explainLostReference(
  p: Packet,
  instance: string,
  group: string,
  rule: string,
  appliance: string | undefined,
  senderBlock: string | undefined,
): Why {
  const by = appliance ? `appliance ${appliance}` : "an appliance";
  const explanation =
    `Rule "${rule}" of ${group} on ${instance} references a security group, and ${p.src.text} is a member, but the packet ` +
    `was forwarded by ${by} on its route: an appliance discards the sender's security group membership, so rules that ` +
    `reference a group do not match what it forwards. Only rules naming addresses or blocks do.`;
  const narrow = `add an inbound rule to ${group}: ${ruleFor(p)} from ${host(p.src)} (the sender's private address)`;
  if (!senderBlock) return { explanation, fix: narrow };
  return { explanation, fix: `add an inbound rule to ${group}: ${ruleFor(p)} from ${senderBlock} (the sender's subnet)`, narrower: narrow };
}

/** aws-rules §4.3: the internet gateway carries no private (RFC 1918) or shared (RFC 6598) address. */
function explainUnroutable(a: Address, space: 1918 | 6598, inbound: boolean): Why {
  const kind =
    space === 1918
      ? "a private address (RFC 1918: 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)"
      : "a shared address (RFC 6598: 100.64.0.0/10, carrier-grade NAT)";
  if (inbound) {
    return {
      explanation: `The packet arrives at the internet gateway from ${a.text}, ${kind}. Such addresses are not routed on the internet, so the internet gateway drops what comes from them.`,
      fix: `send from a public address: a host reaches the VPC from the internet with its public IP, or over a VPN or Direct Connect with its private one`,
    };
  }
  return {
    explanation: `The route sends the packet for ${a.text}, ${kind}, to the internet gateway. Such addresses are not on the internet, so the internet gateway drops packets for them; another private network is reached over a private connection.`,
    fix: `route the other network's block (the one holding ${a.text}) to a VPC peering connection, transit gateway or VPN that reaches it, not to the internet gateway`,
  };
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
export function explainNacl(
  p: Packet,
  direction: Direction,
  acl: NaclFacts,
  denyingRule: number | undefined,
  role: Role,
  client?: ClientPorts,
): Why {
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
  // A reply goes to the client's ephemeral ports: the whole range 1024-65535 serves every client
  // (aws-rules §1.4); the client's own range, when its OS is known, is the narrower variant.
  const reply = role === "reply" && hasPorts(p.protocol);
  const name = protocolName(p.protocol);
  const rule = (ports: string) => `allow ${ports} ${fromTo} ${host(peer)} to ${direction} of network ACL ${acl.name}`;
  const narrow =
    reply && client && (client.from !== 1024 || client.to !== 65535)
      ? `${name} ${client.from}-${client.to} (the client's ${client.profile ?? "ephemeral"} range)`
      : undefined;
  const ports = reply ? `${name} 1024-65535` : ruleFor(p);
  // When the other IP version has rules too, say why the number skips theirs (aws-rules §1.1).
  const shared = taken.length > acl.familyRules ? " (a number free in IPv4 and IPv6 alike: they share the numbering)" : "";
  if (number === 0) {
    const below = denyingRule ?? MAX_RULE + 1;
    const free = `free a rule number below ${below} (all of 1-${below - 1} are taken), then add a rule`;
    return { explanation, fix: `${free} ${rule(ports)}`, ...(narrow ? { narrower: `${free} ${rule(narrow)}` } : {}) };
  }
  return {
    explanation,
    fix: `add rule ${number} ${rule(ports)}${shared}`,
    ...(narrow ? { narrower: `add rule ${number} ${rule(narrow)}` } : {}),
  };
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

/** Why a flow a dropped packet continues no longer carries it (aws-rules §3.2, §3.4, §3.5). */
export type ConnectionHistory =
  | {
      readonly kind: "expired";
      readonly id: number;
      readonly openedAt: number;
      readonly endedAt: number;
      readonly timeout: number;
      /** where that timeout is set */
      readonly setting: string;
    }
  | { readonly kind: "closed"; readonly id: number; readonly openedAt: number; readonly endedAt: number; readonly by: string }
  | { readonly kind: "untracked"; readonly group: string; readonly rule: string; readonly at: number }
  /** an ICMP error about a live tracked connection, with settings.related-icmp off (aws-rules §3.6) */
  | { readonly kind: "related"; readonly id: number; readonly openedAt: number };

function historyText(h: ConnectionHistory): string {
  switch (h.kind) {
    case "expired":
      return (
        ` This packet continues connection #${h.id} (opened at t=${h.openedAt}s), but its tracking entry expired at ` +
        `t=${h.endedAt}s after ${h.timeout} s idle (the timeout is ${h.setting}; aws-rules §3.4). So the packet is judged ` +
        `as a new one, and no rule allows it.`
      );
    case "closed":
      return (
        ` This packet continues connection #${h.id} (opened at t=${h.openedAt}s), which ${h.by} closed at t=${h.endedAt}s ` +
        `(aws-rules §3.5). So the packet is judged as a new one, and no rule allows it.`
      );
    case "untracked":
      return (
        ` This flow was never tracked: at t=${h.at}s rule "${h.rule}" of ${h.group} admitted it, a rule open to the ` +
        `whole internet with every port open the other way, which leaves TCP and UDP untracked (aws-rules §3.2). Each ` +
        `of its packets needs a rule, so once that rule no longer allowed it the flow was cut at once; a tracked flow ` +
        `(a narrower source) would have lived on.`
      );
    case "related":
      return (
        ` It is an ICMP error about tracked connection #${h.id} (opened at t=${h.openedAt}s), yet AWS documents no pass ` +
        `for such errors: Path MTU Discovery needs an ICMP rule in the groups and, both ways, in the ACLs (aws-rules ` +
        `§3.6; settings.related-icmp lets them through as Linux conntrack's RELATED does).`
      );
  }
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
      readonly client?: ClientPorts;
    }
  | {
      readonly kind: "security-groups";
      readonly packet: Packet;
      readonly direction: Direction;
      readonly instance: string;
      readonly groups: readonly string[];
      readonly role: Role;
      readonly history?: ConnectionHistory;
      readonly suggestion?: SgSuggestion;
    }
  | {
      readonly kind: "sg-references-not-preserved";
      readonly packet: Packet;
      readonly instance: string;
      /** the group whose rule referencing the sender's group would have matched, and that rule */
      readonly group: string;
      readonly rule: string;
      readonly appliance: string | undefined;
      /** the sender's subnet block of the packet's family */
      readonly senderBlock: string | undefined;
    }
  | { readonly kind: "igw-unroutable"; readonly address: Address; readonly space: 1918 | 6598; readonly inbound: boolean }
  | { readonly kind: "unknown-source"; readonly source: Address }
  | {
      readonly kind: "no-route";
      readonly table: string;
      readonly subnet: string;
      readonly destination: Address;
      /** the target the new route should name, in route words (`internet-gateway`, `nat-gateway nat-gw`) */
      readonly target: string;
    }
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
  | {
      readonly kind: "nat-unsolicited";
      readonly nat: string;
      readonly idleTimeout: number;
      /** for a translation the gateway forgot: how long it had been idle, and when it last carried a packet */
      readonly idleFor?: number;
      readonly lastSeen?: number;
    }
  | {
      readonly kind: "nat-reset";
      readonly nat: string;
      readonly idleTimeout: number;
      /** how long the forgotten translation had been idle, and when it last carried a packet; undefined when there was none */
      readonly idleFor: number | undefined;
      readonly lastSeen: number | undefined;
    }
  | { readonly kind: "source-dest-check"; readonly instance: string; readonly destination: Address }
  | { readonly kind: "source-dest-check-reply"; readonly instance: string; readonly inside: Address }
  | { readonly kind: "nat-instance-ports"; readonly instance: string; readonly destination: Address; readonly port: number };

export function explainDrop(r: DropReason): Why {
  switch (r.kind) {
    case "network-acl":
      return explainNacl(
        r.packet,
        r.direction,
        { name: r.acl, numbers: r.numbers, familyRules: r.familyRules },
        r.denyingRule,
        r.role,
        r.client,
      );
    case "security-groups":
      return explainSecurityGroups(r.packet, r.direction, r.instance, r.groups, r.role, r.history, r.suggestion);
    case "sg-references-not-preserved":
      return explainLostReference(r.packet, r.instance, r.group, r.rule, r.appliance, r.senderBlock);
    case "igw-unroutable":
      return explainUnroutable(r.address, r.space, r.inbound);
    case "unknown-source":
      return {
        explanation: `No interface in the VPC owns the source address ${r.source.text}, so nothing can send this packet.`,
        fix: "send from the private address of an instance, or from an internet host",
      };
    case "no-route":
      return {
        explanation: `Route table ${r.table} of subnet ${r.subnet} has no route that covers ${r.destination.text}: only the routes it holds are consulted, and nothing else is tried.`,
        fix: `add the route ${r.destination.family === 4 ? "0.0.0.0/0" : "::/0"} → ${r.target} to route table ${r.table}`,
        narrower: `add the route ${host(r.destination)} → ${r.target} to route table ${r.table} (this destination only)`,
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
      if (r.idleFor !== undefined) {
        return {
          explanation: `${r.nat} forgot the translation this packet answers: it carried nothing for ${r.idleFor} s (last at t=${r.lastSeen}s), past the NAT gateway's idle timeout of ${r.idleTimeout} s (settings.nat-idle-timeout, aws-rules §4.4). A reply to a forgotten translation is unsolicited.`,
          fix: `keep the connection busier than every ${r.idleTimeout} s (TCP keepalives), or open it again from inside`,
        };
      }
      return {
        explanation: `${r.nat} only lets in replies to connections opened from inside, and this packet answers none (or the connection was idle for more than ${r.idleTimeout} s).`,
        fix: "to accept connections from the internet, give the instance a public IP in a subnet routed to an internet gateway",
      };
    case "nat-reset":
      return r.idleFor === undefined
        ? {
            explanation: `${r.nat} has no translation for this connection, and only a SYN opens one: it answers a segment of a connection it does not know with an RST.`,
            fix: "open a new connection (a SYN) through the NAT gateway",
          }
        : {
            explanation: `${r.nat} forgot this connection: it carried nothing for ${r.idleFor} s (last at t=${r.lastSeen}s), past the NAT gateway's idle timeout of ${r.idleTimeout} s (settings.nat-idle-timeout). It answers a segment of a connection it has forgotten with an RST, not by opening a new translation, so the connection is gone.`,
            fix: `open a new connection, and keep long-lived ones alive: send TCP keepalives more often than every ${r.idleTimeout} s`,
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
