// Security group permissions and network ACL entries, from AWS's shapes to the scenario's rules:
// protocols as names or numbers (ACLs write numeric strings), `-1` for all, ICMP type and code in
// FromPort/ToPort (-1 for any), and AWS's own `*` entries left to the implicit deny.
import type { Direction } from "../model/model.js";
import { hasPorts, isIcmp, protocolName, protocolNumber } from "../model/protocol.js";
import type { NaclRuleInput, SgRuleInput } from "../scenario/schema.js";
import type { Fields, Json } from "./problems.js";
import { field } from "./problems.js";

/** A rule and the field of its resource it came from (`IpPermissions[0].IpRanges[1]`). */
export interface Sourced<T> {
  readonly rule: T;
  readonly field: string;
}

/** How a rule's group and prefix list references become names; undefined: not in the import. */
export interface PeerNames {
  group(id: string): string | undefined;
  list(id: string): string | undefined;
}

type Match = Pick<SgRuleInput, "protocol" | "ports" | "icmp-type" | "icmp-code">;

/** A protocol as AWS writes it (`tcp`, `"6"`, `"-1"`, `icmpv6`, `"50"`), as the scenario writes it. */
function protocolOf(text: unknown, where: string, f: Fields): number | undefined {
  const p = typeof text === "string" || typeof text === "number" ? protocolNumber(String(text)) : undefined;
  if (p === undefined) {
    return f.problems.error(
      f.item,
      where,
      "import/bad-field",
      `unknown protocol ${JSON.stringify(text)}: AWS writes a name, a number 0-255 or -1`,
    );
  }
  return p;
}

function protocolValue(p: number): string | number {
  const name = protocolName(p);
  return name === String(p) ? p : name;
}

/**
 * The match of a group permission (aws-rules §2.2): ports for tcp and udp (both -1: all), ICMP
 * type in FromPort and code in ToPort (-1: any), nothing for other protocols.
 */
function permissionMatch(o: Json, where: string, f: Fields): Match | undefined {
  const p = protocolOf(field(o, "IpProtocol"), `${where}.IpProtocol`, f);
  if (p === undefined) return undefined;
  const from = f.number(o, "FromPort", `${where}.FromPort`);
  const to = f.number(o, "ToPort", `${where}.ToPort`);
  return rangeMatch(p, from, to, where, ["FromPort", "ToPort"], f);
}

/** Ports or ICMP type and code from a pair of fields, as AWS accepts them. */
function rangeMatch(
  p: number,
  from: number | undefined,
  to: number | undefined,
  where: string,
  [fromKey, toKey]: readonly [string, string],
  f: Fields,
): Match | undefined {
  const out: Match = { protocol: protocolValue(p) };
  if (hasPorts(p)) {
    // -1 (or nothing) on both sides is every port, which a scenario writes out (aws-rules §1.7)
    if ((from === undefined || from === -1) && (to === undefined || to === -1)) return { ...out, ports: "0-65535" };
    if (from === undefined || from < 0 || from > 65535)
      return refuse(f, where, fromKey, `${fromKey} ${from} with ${toKey} ${to}: AWS takes ports 0-65535 (or -1 for both: all ports)`);
    if (to === undefined || to < 0 || to > 65535)
      return refuse(f, where, toKey, `${toKey} ${to} with ${fromKey} ${from}: AWS takes ports 0-65535 (or -1 for both: all ports)`);
    if (from > to) return refuse(f, where, toKey, `the port range ${from}-${to} ends before it starts`);
    return { ...out, ports: from === to ? from : `${from}-${to}` };
  }
  if (isIcmp(p)) {
    const type = from ?? -1;
    const code = to ?? -1;
    if (type < -1 || type > 255) return refuse(f, where, fromKey, `ICMP type ${type} is outside -1..255`);
    if (code < -1 || code > 255) return refuse(f, where, toKey, `ICMP code ${code} is outside -1..255`);
    // aws-rules §2.2: all types (-1) takes all codes (-1) only
    if (type === -1 && code !== -1) return refuse(f, where, toKey, `ICMP code ${code} with type -1 (all types): AWS takes code -1 only`);
    // every type is written out: an ACL's icmp rule must name its type (aws-rules §1.7)
    if (type === -1) return { ...out, "icmp-type": -1 };
    return code === -1 ? { ...out, "icmp-type": type } : { ...out, "icmp-type": type, "icmp-code": code };
  }
  return out;
}

/** A value AWS would refuse, at `where.key`. */
function refuse(f: Fields, where: string, key: string, why: string): undefined {
  return f.problems.error(f.item, `${where}.${key}`, "import/bad-field", why);
}

/**
 * The scenario rules of one permission (IpPermissions, IpPermissionsEgress): one per peer in
 * IpRanges, Ipv6Ranges, PrefixListIds and UserIdGroupPairs. A peer outside the import (a group of
 * another account or VPC, a list whose entries were not exported) matches nothing here: it is left
 * out with a warning, never replaced by a guess.
 */
export function permissionRules(o: Json, where: string, direction: Direction, f: Fields, names: PeerNames): Sourced<SgRuleInput>[] {
  const match = permissionMatch(o, where, f);
  if (!match) return [];
  const key = direction === "inbound" ? "source" : "destination";
  const out: Sourced<SgRuleInput>[] = [];
  for (const [r, at] of f.objects(o, "IpRanges", `${where}.IpRanges`)) {
    const cidr = f.text(r, "CidrIp", `${at}.CidrIp`);
    if (cidr !== undefined) out.push(peerRule(match, key, cidr, f.text(r, "Description", `${at}.Description`), at));
  }
  for (const [r, at] of f.objects(o, "Ipv6Ranges", `${where}.Ipv6Ranges`)) {
    const cidr = f.text(r, "CidrIpv6", `${at}.CidrIpv6`);
    if (cidr !== undefined) out.push(peerRule(match, key, cidr, f.text(r, "Description", `${at}.Description`), at));
  }
  for (const [r, at] of f.objects(o, "PrefixListIds", `${where}.PrefixListIds`)) {
    const id = f.text(r, "PrefixListId", `${at}.PrefixListId`);
    if (id === undefined) continue;
    const name = names.list(id);
    if (name) out.push(peerRule(match, key, name, f.text(r, "Description", `${at}.Description`), at));
    else
      f.problems.warn(
        f.item,
        at,
        "import/left-out",
        `a rule's ${key} is prefix list ${id}, whose entries are not in the import: the rule is left out`,
      );
  }
  for (const [r, at] of f.objects(o, "UserIdGroupPairs", `${where}.UserIdGroupPairs`)) {
    const id = f.text(r, "GroupId", `${at}.GroupId`);
    if (id === undefined) continue;
    const name = names.group(id);
    if (name) {
      out.push(peerRule(match, key, name, f.text(r, "Description", `${at}.Description`), at));
      continue;
    }
    const owner = f.text(r, "UserId", `${at}.UserId`);
    const peering = f.text(r, "VpcPeeringConnectionId", `${at}.VpcPeeringConnectionId`);
    const whose = peering ? ` across ${peering}` : owner ? ` (account ${owner})` : "";
    f.problems.warn(
      f.item,
      at,
      "import/left-out",
      `a rule's ${key} is security group ${id}${whose}, which is not in this VPC's import: it matches no address here and is left out`,
    );
  }
  return out;
}

function peerRule(
  match: Match,
  key: "source" | "destination",
  peer: string,
  description: string | undefined,
  at: string,
): Sourced<SgRuleInput> {
  const rule: SgRuleInput = { ...match, [key]: peer };
  if (description) rule.description = description;
  return { rule, field: at };
}

/** A describe-security-group-rules rule, in the shape of a permission, to be read as one. */
export function ruleAsPermission(r: Json): Json {
  const ref = field(r, "ReferencedGroupInfo") as Json | undefined;
  const text = (k: string) => field(r, k);
  return {
    IpProtocol: text("IpProtocol"),
    FromPort: text("FromPort"),
    ToPort: text("ToPort"),
    IpRanges: text("CidrIpv4") !== undefined ? [{ CidrIp: text("CidrIpv4"), Description: text("Description") }] : [],
    Ipv6Ranges: text("CidrIpv6") !== undefined ? [{ CidrIpv6: text("CidrIpv6"), Description: text("Description") }] : [],
    PrefixListIds: text("PrefixListId") !== undefined ? [{ PrefixListId: text("PrefixListId"), Description: text("Description") }] : [],
    UserIdGroupPairs: ref ? [{ ...ref, Description: text("Description") }] : [],
  };
}

/** AWS's own last rule of each direction: `*`, deny all, 32767 for IPv4 and 32768 for IPv6. */
const DEFAULT_DENY: ReadonlyMap<number, string> = new Map([
  [32767, "0.0.0.0/0"],
  [32768, "::/0"],
]);

/** The network ACL entries of one direction, in rule order; the `*` entries are the implicit deny (aws-rules §1.1). */
export function aclEntries(
  entries: readonly [Json, string][],
  f: Fields,
): { inbound: Sourced<NaclRuleInput>[]; outbound: Sourced<NaclRuleInput>[] } {
  const out = { inbound: [] as Sourced<NaclRuleInput>[], outbound: [] as Sourced<NaclRuleInput>[] };
  for (const [e, at] of entries) {
    const egress = f.boolean(e, "Egress", `${at}.Egress`);
    const number = f.number(e, "RuleNumber", `${at}.RuleNumber`);
    const action = f.text(e, "RuleAction", `${at}.RuleAction`);
    const cidr = f.text(e, "CidrBlock", `${at}.CidrBlock`) ?? f.text(e, "Ipv6CidrBlock", `${at}.Ipv6CidrBlock`);
    const p = protocolOf(field(e, "Protocol"), `${at}.Protocol`, f);
    if (egress === undefined || number === undefined || action === undefined || cidr === undefined || p === undefined) {
      if (egress === undefined || number === undefined || cidr === undefined)
        f.problems.error(f.item, at, "import/bad-field", "an entry needs Egress, RuleNumber and CidrBlock or Ipv6CidrBlock");
      continue;
    }
    if (action !== "allow" && action !== "deny") {
      f.problems.error(f.item, `${at}.RuleAction`, "import/bad-field", `RuleAction ${JSON.stringify(action)} is neither allow nor deny`);
      continue;
    }
    if (DEFAULT_DENY.has(number)) {
      if (action === "deny" && p === -1 && DEFAULT_DENY.get(number) === cidr) continue;
      f.problems.error(
        f.item,
        `${at}.RuleNumber`,
        "import/bad-field",
        `rule ${number} is AWS's own and denies all; this one is ${action} ${cidr}`,
      );
      continue;
    }
    const ports = f.object(e, "PortRange", `${at}.PortRange`);
    const icmp = f.object(e, "IcmpTypeCode", `${at}.IcmpTypeCode`);
    const m = hasPorts(p)
      ? rangeMatch(
          p,
          ports && f.number(ports, "From", `${at}.PortRange.From`),
          ports && f.number(ports, "To", `${at}.PortRange.To`),
          `${at}.PortRange`,
          ["From", "To"],
          f,
        )
      : isIcmp(p)
        ? rangeMatch(
            p,
            icmp && f.number(icmp, "Type", `${at}.IcmpTypeCode.Type`),
            icmp && f.number(icmp, "Code", `${at}.IcmpTypeCode.Code`),
            `${at}.IcmpTypeCode`,
            ["Type", "Code"],
            f,
          )
        : { protocol: protocolValue(p) };
    if (!m) continue;
    out[egress ? "outbound" : "inbound"].push({ rule: { rule: number, action, ...m, cidr }, field: at });
  }
  // AWS lists entries by direction and number in no promised order; the scenario reads them in rule order
  for (const list of [out.inbound, out.outbound]) list.sort((a, b) => a.rule.rule - b.rule.rule);
  return out;
}
