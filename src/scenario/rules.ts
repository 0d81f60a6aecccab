// Network ACL and security group rules, from their YAML: in the world's rule sets and in the steps
// that change them.
import type { Family } from "../model/address.js";
import type { Direction, NetworkAclRule, Peer, SecurityGroupRule } from "../model/model.js";
import { ICMP, ICMPV6, protocolName } from "../model/protocol.js";
import type { Path, Problems } from "./diagnostics.js";
import { cidr, match } from "./fields.js";
import type { NaclRuleInput, SgRuleInput } from "./schema.js";

/** Names to look up; a Set, or a view of a world's record. */
export interface NameSet {
  has(name: string): boolean;
}

/** The names a security group rule's source or destination may use besides a CIDR block. */
export interface PeerNames {
  readonly groups: NameSet;
  readonly lists: NameSet;
}

export function naclRule(r: NaclRuleInput, path: Path, problems: Problems): NetworkAclRule | undefined {
  if (r.rule < 1 || r.rule > 32766) {
    return problems.error(
      [...path, "rule"],
      "nacl/rule-number-range",
      `rule number ${r.rule} is outside 1-32766 (32767 and above are AWS's own)`,
    );
  }
  const m = match(r, path, problems);
  const c = cidr(r.cidr, [...path, "cidr"], problems);
  if (!m || !c) return undefined;
  // aws-rules §1.7: CreateNetworkAclEntry requires a type and code for icmp, and for icmpv6 with an IPv6 block
  if (!m.icmp && (m.protocol === ICMP || (m.protocol === ICMPV6 && c.family === 6))) {
    return problems.error(
      [...path, "protocol"],
      "rule/icmp-type-required",
      `a network ACL rule for ${protocolName(m.protocol)}${m.protocol === ICMPV6 ? " with an IPv6 block" : ""} needs an icmp-type: add \`icmp-type: -1\` for every type, or the type you mean (${m.protocol === ICMP ? "8 echo request, 0 echo reply" : "128 echo request, 129 echo reply"})`,
    );
  }
  icmpFamily(m.protocol, c.family, path, problems);
  return { number: r.rule, action: r.action, ...m, cidr: c };
}

/**
 * aws-rules §1.7: AWS accepts icmp with an IPv6 block and icmpv6 with an IPv4 block, but IPv4 packets
 * carry ICMP and IPv6 packets ICMPv6, so such a rule matches nothing a host sends: a warning.
 */
function icmpFamily(protocol: number, family: Family, path: Path, problems: Problems): void {
  const meant = protocol === ICMP && family === 6 ? "icmpv6" : protocol === ICMPV6 && family === 4 ? "icmp" : undefined;
  if (!meant) return;
  problems.warn?.(
    [...path, "protocol"],
    "rule/icmp-family",
    `${protocolName(protocol)} with an IPv${family} block matches no ping: IPv${family} packets carry ${meant === "icmp" ? "ICMP" : "ICMPv6"}; did you mean protocol ${meant}?`,
  );
}

/** One direction of a network ACL; a rule number may appear once (aws-rules §1.1). */
export function naclRules(list: readonly NaclRuleInput[] | undefined, path: Path, problems: Problems): NetworkAclRule[] {
  const seen = new Map<number, number>();
  const out: NetworkAclRule[] = [];
  (list ?? []).forEach((r, i) => {
    if (seen.has(r.rule)) {
      problems.error(
        [...path, i, "rule"],
        "nacl/duplicate-rule-number",
        `rule number ${r.rule} is used twice in ${path[path.length - 1]} (first at item ${seen.get(r.rule)! + 1})`,
      );
      return;
    }
    seen.set(r.rule, i);
    const rule = naclRule(r, [...path, i], problems);
    if (rule) out.push(rule);
  });
  return out;
}

/** An inbound rule names a source, an outbound rule a destination (aws-rules §2.2). */
export function sgRule(
  r: SgRuleInput,
  direction: Direction,
  path: Path,
  problems: Problems,
  names: PeerNames,
): SecurityGroupRule | undefined {
  const key = direction === "inbound" ? "source" : "destination";
  const wrong = direction === "inbound" ? "destination" : "source";
  if (r[wrong] !== undefined) return problems.error([...path, wrong], "rule/peer", `an ${direction} rule names a ${key}, not a ${wrong}`);
  const peerText = r[key];
  if (peerText === undefined)
    return problems.error(path, "rule/peer", `an ${direction} rule needs a ${key}: a CIDR block, a security group or a prefix list`);
  const m = match(r, path, problems);
  const peer = sgPeer(peerText, [...path, key], problems, names);
  if (!m || !peer) return undefined;
  if (peer.kind === "cidr") icmpFamily(m.protocol, peer.cidr.family, path, problems);
  return { ...m, peer, ...(r.description ? { description: r.description } : {}) };
}

function sgPeer(text: string, path: Path, problems: Problems, names: PeerNames): Peer | undefined {
  if (names.groups.has(text)) return { kind: "security-group", group: text };
  if (names.lists.has(text)) return { kind: "prefix-list", list: text };
  if (/^[0-9a-fA-F:.]+\/\d+$/.test(text)) {
    const c = cidr(text, path, problems);
    return c ? { kind: "cidr", cidr: c } : undefined;
  }
  return problems.error(path, "ref/unknown", `"${text}" is neither a CIDR block, a security group nor a prefix list of this scenario`);
}

/** What makes two security group rules the same rule (aws-rules §2.6), as text: the description does not count. */
export function sgRuleKey(r: SecurityGroupRule): string {
  const peer = r.peer.kind === "cidr" ? r.peer.cidr.text : r.peer.kind === "security-group" ? `sg:${r.peer.group}` : `pl:${r.peer.list}`;
  const ports = r.ports ? `${r.ports.from}-${r.ports.to}` : "";
  const icmp = r.icmp ? `${r.icmp.type}/${r.icmp.code}` : "";
  return `${r.protocol} ${ports} ${icmp} ${peer}`;
}
