// Words for learners: why a packet was dropped and the smallest rule that would let it through.
import type { Address } from "./address.js";
import type { NetworkAcl } from "./model.js";
import type { Packet } from "./packet.js";
import type { Direction } from "./security-group.js";
import { hasPorts, isIcmp, protocolName } from "./protocol.js";

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

export function explainSecurityGroups(
  p: Packet, direction: Direction, instance: string, groups: readonly string[], role: Role,
): Why {
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

export function explainNacl(
  p: Packet, direction: Direction, acl: NetworkAcl, matched: { number: number; allow: boolean } | undefined, role: Role,
): Why {
  const peer = direction === "inbound" ? p.src : p.dst;
  const fromTo = direction === "inbound" ? "from" : "to";
  const family = peer.family === 4 ? "IPv4" : "IPv6";
  let explanation: string;
  let number: number;
  const rules = (direction === "inbound" ? acl.inbound : acl.outbound).filter((r) => r.cidr.family === peer.family);
  if (matched) {
    explanation =
      `Network ACL ${acl.name} checks its ${direction} rules lowest number first and stops at the first match: ` +
      `rule ${matched.number} denies ${what(p)} ${fromTo} ${peer.text}, so rules numbered after it are never consulted.`;
    number = freeNumberBelow(rules.map((r) => r.number), matched.number);
  } else {
    explanation =
      rules.length === 0
        ? `Network ACL ${acl.name} has no ${family} ${direction} rules, so its final rule * denies everything. ` +
          `A custom network ACL denies all traffic until you add rules.`
        : `No ${family} ${direction} rule of network ACL ${acl.name} matches ${what(p)} ${fromTo} ${peer.text}, ` +
          `so the final rule * denies it.`;
    const highest = rules.reduce((m, r) => Math.max(m, r.number), 0);
    number = highest === 0 ? 100 : Math.min(32766, highest + 10 - (highest % 10));
  }
  if (role === "reply" && hasPorts(p.protocol)) {
    explanation +=
      ` Network ACLs are stateless: the reply to port ${p.srcPort} goes to the client's ephemeral port ${p.dstPort}, ` +
      `and the ${direction} rules must allow it as well.`;
  } else if (role === "reply") {
    explanation += ` Network ACLs are stateless: replies need rules of their own.`;
  }
  const ports = role === "reply" && hasPorts(p.protocol) ? `${protocolName(p.protocol)} 1024-65535` : ruleFor(p);
  return { explanation, fix: `add rule ${number} allow ${ports} ${fromTo} ${host(peer)} to ${direction} of network ACL ${acl.name}` };
}

function freeNumberBelow(taken: readonly number[], below: number): number {
  for (let n = below - 1; n >= 1; n--) if (!taken.includes(n)) return n;
  return 1;
}
