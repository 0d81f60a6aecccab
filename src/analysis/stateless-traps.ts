// The stateless traps (aws-rules §1.1, §1.4, §4.4): a network ACL admits a connection one way and
// denies its replies, which come back to the client's ephemeral port, on the other. Each check is
// done per peer span that no rule's block cuts, over whole key ranges.

import { peerText } from "../explain/rule-text.js";
import type { Cidr, Family } from "../model/address.js";
import { EPHEMERAL_PROFILES, NAT_GATEWAY_PORTS } from "../model/defaults.js";
import type { Direction, NetworkAcl, NetworkAclRule, NetworkInterface, Peer, PortRange, Subnet } from "../model/model.js";
import { ALL, protocolName, TCP, UDP } from "../model/protocol.js";
import type { KeyDecision, Span } from "./acl-decisions.js";
import { aclRules, allowedKeys, deniedAmong, keyDecisions, segments } from "./acl-decisions.js";
import { cidrRange } from "./boxes.js";
import type { Basis, Draft, ResourcePath } from "./finding.js";
import type { Interval } from "./intervals.js";
import { intersect, intervalsText, normalize } from "./intervals.js";
import { ALL_PORTS } from "./open-ports.js";
import type { WorldIndex } from "./world-index.js";

const EPHEMERAL: Basis = {
  source: "aws-rules",
  name: "§1.4 Ephemeral ports",
  url: "https://docs.aws.amazon.com/vpc/latest/userguide/nacl-ephemeral-ports.html",
};
const NAT: Basis = {
  source: "aws-rules",
  name: "§4.4 NAT gateway",
  url: "https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-troubleshooting.html",
};

export function statelessTraps(index: WorldIndex): Draft[] {
  return dedupe([...serviceReplies(index, "inbound"), ...serviceReplies(index, "outbound"), ...natReturns(index)]);
}

/** One finding per text: many interfaces and peers meet the same gap of one ACL. */
function dedupe(drafts: Draft[]): Draft[] {
  const seen = new Set<string>();
  return drafts.filter((d) => {
    const key = `${d.code}\u0000${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function spanOf(c: Cidr): Span {
  return cidrRange(c);
}

function blockOf(subnet: Subnet, family: Family): Cidr | undefined {
  return family === 4 ? subnet.cidr : subnet.ipv6Cidr;
}

function hasFamily(nic: NetworkInterface, family: Family): boolean {
  return family === 4 ? nic.privateIps.length > 0 : nic.ipv6s.length > 0;
}

function protocolsOf(protocol: number): number[] {
  return protocol === ALL ? [TCP, UDP] : protocol === TCP || protocol === UDP ? [protocol] : [];
}

function denialsText(denials: readonly KeyDecision[]): string {
  return denials.map((d) => `${intervalsText(d.keys)} by ${d.rule ? `rule ${d.rule.number}` : "the implicit deny (*)"}`).join(", ");
}

/** The traffic of one group rule through one ACL, met by the group's members in the ACL's subnets. */
interface Meeting {
  readonly acl: NetworkAcl;
  readonly group: string;
  readonly protocol: number;
  readonly peer: string;
  /** the members' ephemeral range, for their own connections */
  readonly ephemeral: PortRange;
  crossing: Crossing;
  readonly members: string[];
}

/**
 * Connections that a group's rules and its members' subnet's ACL let start in `direction`, whose
 * replies the ACL denies on the way back. Inbound, the clients are anyone's: every ephemeral profile
 * is checked. Outbound, the clients are the members, with their own ephemeral range. Computed once
 * per subnet and group (and range), whatever the number of members.
 */
function serviceReplies(index: WorldIndex, direction: Direction): Draft[] {
  const met = new Map<string, Meeting>();
  const passes = new PassCache(direction);
  for (const subnet of Object.values(index.world.subnets)) {
    const acl = index.world.networkAcls[subnet.networkAcl];
    if (!acl) continue;
    for (const family of [4, 6] as Family[]) {
      const block = blockOf(subnet, family);
      if (!block) continue;
      // peers in the subnet itself do not cross its ACL (aws-rules §4.2)
      const [lo, hi] = spanOf(block);
      for (const { group, ephemeral, members } of carriers(index, subnet, family, direction)) {
        (index.world.securityGroups[group]?.[direction] ?? []).forEach((rule, ruleIndex) => {
          const ports: Interval = rule.ports ? [rule.ports.from, rule.ports.to] : ALL_PORTS;
          for (const protocol of protocolsOf(rule.protocol)) {
            for (const peer of peerBlocks(index, rule.peer).filter((c) => c.family === family)) {
              const crossing = across(passes.of(acl, family, protocol, peer), ports, lo, hi);
              if (!crossing) continue;
              const key = [acl.name, group, ephemeral.from, ephemeral.to, ruleIndex, protocol, peer.text].join("\u0000");
              const seen = met.get(key);
              if (seen) {
                seen.crossing = mergeCrossings(seen.crossing, crossing);
                for (const m of members) if (!seen.members.includes(m)) seen.members.push(m);
              } else {
                met.set(key, { acl, group, protocol, peer: peerText(rule.peer), ephemeral, crossing, members: [...members] });
              }
            }
          }
        });
      }
    }
  }
  return [...met.values()].flatMap((m) => {
    const finding = direction === "inbound" ? clientsHit(index, m) : ownPortsHit(index, m);
    return finding ? [finding] : [];
  });
}

/** The groups of a subnet's interfaces that have an address of `family`, with their members; outbound, apart by ephemeral range. */
function carriers(
  index: WorldIndex,
  subnet: Subnet,
  family: Family,
  direction: Direction,
): { group: string; ephemeral: PortRange; members: string[] }[] {
  const out = new Map<string, { group: string; ephemeral: PortRange; members: string[] }>();
  for (const nic of index.interfacesOfSubnet.get(subnet.name) ?? []) {
    if (!hasFamily(nic, family)) continue;
    // inbound, the clients are others: the members' own range does not matter
    const ephemeral = direction === "outbound" ? nic.ephemeral : ALL_RANGE;
    for (const group of nic.securityGroups) {
      const key = `${group}\u0000${ephemeral.from}-${ephemeral.to}`;
      const entry = out.get(key) ?? { group, ephemeral, members: [] };
      entry.members.push(nic.name);
      out.set(key, entry);
    }
  }
  return [...out.values()];
}

const ALL_RANGE: PortRange = { from: 0, to: 65535 };

/** `web-1, web-2, web-3 and 17 more` */
function membersText(members: readonly string[]): string {
  return members.length <= 3 ? members.join(", ") : `${members.slice(0, 3).join(", ")} and ${members.length - 3} more`;
}

function mergeCrossings(a: Crossing, b: Crossing): Crossing {
  const denied = new Map<NetworkAclRule | undefined, Interval[]>();
  for (const d of [...a.denied, ...b.denied]) denied.set(d.rule, [...(denied.get(d.rule) ?? []), ...d.keys]);
  return {
    admitted: normalize([...a.admitted, ...b.admitted]),
    ahead: a.ahead,
    denied: [...denied].map(([rule, keys]) => ({ keys: normalize(keys), allow: false, rule })),
  };
}

/** What an ACL admits of `ports` one way for a peer, and what it denies the other way, over the peer's spans. */
interface Crossing {
  readonly admitted: readonly Interval[];
  /** the decisions that admit, for the rule to point at */
  readonly ahead: readonly KeyDecision[];
  /** the denials of the way back, merged by rule */
  readonly denied: readonly KeyDecision[];
}

/** An ACL's decisions both ways for the peers of one span that no rule's block cuts. */
interface Pass {
  readonly span: Span;
  readonly ahead: readonly KeyDecision[];
  readonly allowed: readonly Interval[];
  readonly back: readonly KeyDecision[];
}

/** Each ACL, family, protocol and peer block is cut and decided once, however many groups and subnets meet it. */
class PassCache {
  readonly #passes = new Map<string, Pass[]>();
  constructor(readonly direction: Direction) {}

  of(acl: NetworkAcl, family: Family, protocol: number, peer: Cidr): Pass[] {
    const key = `${acl.name}\u0000${family}\u0000${protocol}\u0000${peer.text}`;
    let passes = this.#passes.get(key);
    if (!passes) {
      const there = aclRules(acl, this.direction, family);
      const back = aclRules(acl, this.direction === "inbound" ? "outbound" : "inbound", family);
      const cuts = [...there, ...back].map((r) => r.cidr);
      passes = segments(spanOf(peer), cuts).map((span) => {
        const ahead = keyDecisions(there, protocol, family, span);
        return { span, ahead, allowed: allowedKeys(ahead), back: keyDecisions(back, protocol, family, span) };
      });
      this.#passes.set(key, passes);
    }
    return passes;
  }
}

/** What passes of `ports` over the spans not inside [inLo, inHi] (the subnet itself, whose own traffic its ACL never sees). */
function across(passes: readonly Pass[], ports: Interval, inLo: bigint, inHi: bigint): Crossing | undefined {
  const admitted: Interval[] = [];
  let ahead: readonly KeyDecision[] = [];
  const denied = new Map<NetworkAclRule | undefined, Interval[]>();
  for (const pass of passes) {
    if (pass.span[0] >= inLo && pass.span[1] <= inHi) continue;
    const through = intersect(pass.allowed, [ports]);
    if (through.length === 0) continue;
    if (admitted.length === 0) ahead = pass.ahead;
    admitted.push(...through);
    for (const d of pass.back) {
      if (d.allow) continue;
      const keys = denied.get(d.rule);
      if (keys) keys.push(...d.keys);
      else denied.set(d.rule, [...d.keys]);
    }
  }
  if (admitted.length === 0) return undefined;
  return {
    admitted: normalize(admitted),
    ahead,
    denied: [...denied].map(([rule, keys]) => ({ keys: normalize(keys), allow: false, rule })),
  };
}

/** The blocks of a group rule's peer; a group reference's members are in the VPC and their own subnets (not checked here). */
function peerBlocks(index: WorldIndex, peer: Peer): readonly Cidr[] {
  switch (peer.kind) {
    case "cidr":
      return [peer.cidr];
    case "prefix-list":
      return index.world.prefixLists[peer.list]?.cidrs ?? [];
    case "security-group":
      return [];
  }
}

/** The ACL rule that admits the first of `admitted`: where the finding is shown. */
function admittingPath(
  index: WorldIndex,
  acl: NetworkAcl,
  direction: Direction,
  ahead: readonly KeyDecision[],
  admitted: readonly Interval[],
): ResourcePath {
  const rule = ahead.find((d) => d.allow && intersect(d.keys, admitted).length > 0)?.rule;
  const at = index.aclRules(acl.name, direction).find((r) => r.rule === rule);
  return at?.path ?? index.resourcePath("network-acls", acl.name);
}

function clientsHit(index: WorldIndex, m: Meeting): Draft | undefined {
  const { admitted, ahead, denied: replies } = m.crossing;
  const proto = protocolName(m.protocol);
  const hits = Object.entries(EPHEMERAL_PROFILES).flatMap(([name, range]) => {
    const denied = deniedAmong(replies, [[range.from, range.to]]);
    return denied.length > 0 ? [{ name, range, denied }] : [];
  });
  if (hits.length === 0) return undefined;
  const all = deniedAmong(replies, normalize(hits.map((h) => [h.range.from, h.range.to] as Interval)));
  const profiles = hits.map((h) => `${h.name} ${h.range.from}-${h.range.to}`).join(", ");
  return {
    code: "nacl/replies-blocked",
    severity: "warning",
    message: `network ACL ${m.acl.name} admits ${proto} ${intervalsText(admitted)} from ${m.peer} to group ${m.group} (${membersText(m.members)}), but its outbound rules deny the replies to clients' ports ${denialsText(all)}; clients hit: ${profiles}`,
    basis: EPHEMERAL,
    fix: `add an outbound rule allowing ${proto} 1024-65535 to the clients' addresses, numbered below the denying rules (deny unwanted ports with lower numbers)`,
    path: admittingPath(index, m.acl, "inbound", ahead, admitted),
  };
}

function ownPortsHit(index: WorldIndex, m: Meeting): Draft | undefined {
  const { admitted, ahead, denied: replies } = m.crossing;
  const range = m.ephemeral;
  const denied = deniedAmong(replies, [[range.from, range.to]]);
  if (denied.length === 0) return undefined;
  const proto = protocolName(m.protocol);
  const profile = Object.entries(EPHEMERAL_PROFILES).find(([, r]) => r.from === range.from && r.to === range.to)?.[0];
  return {
    code: "nacl/own-replies-blocked",
    severity: "warning",
    message: `network ACL ${m.acl.name} lets group ${m.group} (${membersText(m.members)}) open ${proto} ${intervalsText(admitted)} to ${m.peer}, but its inbound rules deny the replies to their ephemeral ports ${range.from}-${range.to}${profile ? ` (${profile})` : ""}: ${denialsText(denied)}`,
    basis: EPHEMERAL,
    fix: `add an inbound rule allowing ${proto} ${range.from}-${range.to} from ${m.peer}, numbered below the denying rules`,
    path: admittingPath(index, m.acl, "outbound", ahead, admitted),
  };
}

/**
 * A NAT gateway has no security group: its subnet's ACL alone must pass the private subnets'
 * traffic and its return, replies from the internet to the gateway's ports 1024-65535 and from the
 * gateway to the instances' ephemeral ports (aws-rules §4.4, §1.4).
 */
function natReturns(index: WorldIndex): Draft[] {
  const world = index.world;
  const vpcSpans = world.vpc.cidrs.map(spanOf);
  const out: Draft[] = [];
  for (const nat of Object.values(world.natGateways)) {
    const home = world.subnets[nat.subnet];
    const acl = home && world.networkAcls[home.networkAcl];
    if (!home || !acl) continue;
    const inbound = aclRules(acl, "inbound", 4);
    const outbound = aclRules(acl, "outbound", 4);
    const cuts = [...inbound, ...outbound].map((r) => r.cidr);
    for (const subnet of Object.values(world.subnets)) {
      const routes = world.routeTables[subnet.routeTable]?.routes ?? [];
      const via = routes.filter((r) => r.target.kind === "nat-gateway" && r.target.name === nat.name);
      if (via.length === 0 || subnet.name === home.name) continue;
      const ephemeral = normalize(
        (index.interfacesOfSubnet.get(subnet.name) ?? []).map((n) => [n.ephemeral.from, n.ephemeral.to] as Interval),
      );
      const clientPorts = ephemeral.length > 0 ? ephemeral : [[EPHEMERAL_PROFILES.linux!.from, EPHEMERAL_PROFILES.linux!.to] as Interval];
      for (const protocol of [TCP, UDP]) {
        const gaps: string[] = [];
        for (const from of segments(spanOf(subnet.cidr), cuts)) {
          const sent = allowedKeys(keyDecisions(inbound, protocol, 4, from));
          if (sent.length === 0) continue;
          for (const route of via) {
            for (const to of segments(spanOf(route.destination), cuts, vpcSpans)) {
              const service = intersect(sent, allowedKeys(keyDecisions(outbound, protocol, 4, to)));
              if (service.length === 0) continue;
              const back = deniedAmong(keyDecisions(inbound, protocol, 4, to), [[NAT_GATEWAY_PORTS.from, NAT_GATEWAY_PORTS.to]]);
              const toClients = deniedAmong(keyDecisions(outbound, protocol, 4, from), clientPorts);
              if (back.length > 0) gaps.push(`inbound from ${route.destination.text} to the gateway's ports: ${denialsText(back)}`);
              if (toClients.length > 0) gaps.push(`outbound to ${subnet.cidr.text}, the instances' ports: ${denialsText(toClients)}`);
            }
          }
        }
        const unique = [...new Set(gaps)];
        if (unique.length === 0) continue;
        const proto = protocolName(protocol);
        const fixes = [
          ...(unique.some((g) => g.startsWith("inbound")) ? ["inbound from the internet"] : []),
          ...(unique.some((g) => g.startsWith("outbound")) ? [`outbound to ${subnet.cidr.text}`] : []),
        ];
        out.push({
          code: "nacl/nat-return-blocked",
          severity: "warning",
          message: `NAT gateway ${nat.name} forwards ${proto} from subnet ${subnet.name}, but network ACL ${acl.name} of its subnet ${home.name} denies the return: ${unique.join("; ")}`,
          basis: NAT,
          fix: `in ${acl.name}, allow ${proto} 1024-65535 ${fixes.join(" and ")}, numbered below any rule that denies it`,
          path: index.resourcePath("network-acls", acl.name),
        });
      }
    }
  }
  return out;
}
