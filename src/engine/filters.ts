// The two filters a packet meets: network ACLs, stateless and first match wins (aws-rules §1), and
// security groups, an allow-only union with connection tracking (aws-rules §2, §3).

import { packetKey } from "../compile/keys.js";
import { evaluateNacl, naclList } from "../compile/network-acl.js";
import type { CompiledSgRules, GroupsOf } from "../compile/security-groups.js";
import { matchedRule, matchSecurityGroups, opensAllPorts, wideAllows } from "../compile/security-groups.js";
import type { CompiledEni, CompiledSubnet } from "../compile/world.js";
import { interfaceAt } from "../compile/world.js";
import type { ConnectionHistory } from "../explain/drop.js";
import { naclRuleText, sgRuleText } from "../explain/rule-text.js";
import type { Direction } from "../model/model.js";
import type { Packet } from "../model/packet.js";
import { ACK, FIN, flagText, RST, SYN } from "../model/packet.js";
import { ICMP, ICMPV6, icmpReplyType, isIcmpError, TCP, UDP } from "../model/protocol.js";
import type { EntryRef } from "./connection-table.js";
import { CLOSED_BY_FIN, CLOSED_BY_RST, EXPIRED, FIN_IN, FIN_OUT, OUTBOUND, REPLIED, STREAM } from "./connection-table.js";
import type { WalkContext } from "./context.js";
import { AUTO_TRACKED, FORWARDED } from "./context.js";
import { MISS } from "./match-cache.js";
import { clientPorts, sgSuggestion } from "./suggest.js";

/** How many untracked flows traces remember for the words of a later drop. */
const UNTRACKED_MEMORY = 65536;

/** After an appliance, no address belongs to a group as far as rules can tell (aws-rules §2.3). */
const NO_GROUPS: GroupsOf = () => undefined;

/** The subnet's network ACL in one direction: the lowest-numbered matching rule decides (§1.1). */
export function nacl(c: WalkContext, subnet: CompiledSubnet, direction: Direction, p: Packet): boolean {
  const peer = direction === "inbound" ? p.src : p.dst;
  const list = naclList(subnet.acl, direction, peer.family);
  const i = evaluateNacl(list, p.protocol, packetKey(p), peer);
  const allow = i >= 0 && list.allow[i] === 1;
  const component = direction === "inbound" ? subnet.aclIn : subnet.aclOut;
  const hops = c.scope.hops;
  if (hops) {
    const rule = i >= 0 ? list.rules[i]! : undefined;
    hops.push({
      component,
      action: allow ? "allow" : "deny",
      rule: rule
        ? naclRuleText(rule, direction)
        : `* deny all ${direction === "inbound" ? "from" : "to"} ${peer.family === 4 ? "0.0.0.0/0" : "::/0"}`,
      ruleNumber: rule ? rule.number : "*",
    });
  }
  if (allow) return true;
  return c.scope.fail("SUBNET_ACL_RESTRICTION", component, {
    kind: "network-acl",
    packet: p,
    direction,
    acl: subnet.acl.name,
    numbers: direction === "inbound" ? subnet.acl.inboundNumbers : subnet.acl.outboundNumbers,
    familyRules: list.rules.length,
    denyingRule: i >= 0 ? list.rules[i]!.number : undefined,
    role: c.scope.role,
    ...(c.scope.explain && c.scope.role === "reply" ? { client: clientPorts(c, p.dst) } : {}),
  });
}

/**
 * Security groups of one interface, in one direction, with connection tracking (§3): a packet
 * of a live tracked flow passes whatever the rules say; otherwise a rule must allow it, and an
 * allowed flow is tracked unless it is one of the untracked cases of §3.2.
 */
export function securityGroups(c: WalkContext, eni: CompiledEni, direction: Direction, p: Packet, via: number): boolean {
  const out = direction === "outbound";
  const local = out ? p.src : p.dst;
  const remote = out ? p.dst : p.src;
  const proto = p.protocol;
  const ports = proto === TCP || proto === UDP;
  const icmp = proto === ICMP || proto === ICMPV6;
  const lport = ports ? (out ? p.srcPort : p.dstPort) : icmp ? p.srcPort : 0;
  const rport = ports ? (out ? p.dstPort : p.srcPort) : 0;
  const table = c.connections;
  const now = c.now;
  const e = table.findLive(eni.id, proto, local, lport, remote, rport, now);
  if (e !== undefined) {
    const flags = table.flags(e);
    const reply = ((flags & OUTBOUND) !== 0) !== out;
    // An ICMP entry lets through its request type one way and the matching reply type back.
    if (!icmp || p.icmpType === (reply ? icmpReplyType(proto, table.aux(e)) : table.aux(e))) {
      return tracked(c, eni, direction, p, e, flags, reply);
    }
  }
  if (icmp && p.related !== undefined && c.compiled.world.settings.relatedIcmp && isIcmpError(proto, p.icmpType)) {
    const r = relatedEntry(c, eni, out, p.related);
    if (r !== undefined) return related(c, eni, direction, r);
  }
  const rules = out ? eni.outbound : eni.inbound;
  const key = packetKey(p);
  const hops = c.scope.hops;
  // A packet an appliance forwarded has lost its sender's group membership (§2.3).
  const unreferenced = !out && (via & FORWARDED) !== 0;
  let line: number;
  if (hops === null && remote.family === 4 && !unreferenced) {
    const side = eni.id * 2 + (out ? 1 : 0);
    const question = (proto << 16) | key;
    line = c.matches.get(side, question, remote.v4);
    if (line === MISS) {
      line = matchSecurityGroups(rules, proto, key, remote, c.compiled.groupsOf, false);
      c.matches.set(side, question, remote.v4, line);
    }
  } else {
    // A trace reports a wide line when one matches, as that is the line that decides tracking (§3.2).
    line = matchSecurityGroups(rules, proto, key, remote, unreferenced ? NO_GROUPS : c.compiled.groupsOf, hops !== null);
  }
  const component = out ? eni.sgOut : eni.sgIn;
  if (line < 0) {
    const lost = unreferenced ? matchSecurityGroups(rules, proto, key, remote, c.compiled.groupsOf, false) : -1;
    hops?.push({
      component,
      action: "deny",
      rule: lost >= 0 ? "only a group reference matches, and the appliance dropped it" : "no rule matches",
    });
    if (lost >= 0) return referencesLost(c, eni, p, rules, lost);
    const history = c.scope.explain ? historyOf(c, eni, out, p, local, lport, remote, rport) : undefined;
    const suggestion = c.scope.explain ? sgSuggestion(c, eni, direction, p) : undefined;
    return c.scope.fail("ENI_SG_RULES_MISMATCH", component, {
      kind: "security-groups",
      packet: p,
      direction,
      instance: eni.iface.instance,
      groups: eni.iface.securityGroups,
      role: c.scope.role,
      ...(history ? { history } : {}),
      ...(suggestion ? { suggestion } : {}),
    });
  }
  const closing = proto === TCP && (p.flags & (FIN | RST)) !== 0;
  const isUntracked = !closing && untracked(c, eni, out, rules, key, p, via);
  if (!closing && !isUntracked) {
    table.insert(eni.id, proto, local, lport, remote, rport, now, timeout(c, eni, proto, 0), out ? OUTBOUND : 0, icmp ? p.icmpType : 0);
  }
  if (!out) c.scope.trackedAtDestination = !closing && !isUntracked;
  if (hops) {
    const src = matchedRule(rules, line);
    if (isUntracked) {
      // bounded: a long traced run forgets the oldest history wholesale rather than grow
      if (c.untracked.size >= UNTRACKED_MEMORY) c.untracked.clear();
      c.untracked.set(flowKey(eni, out, proto, local, lport, remote, rport), {
        group: src.group,
        rule: sgRuleText(src.rule, direction),
        at: now,
      });
    }
    hops.push({
      component,
      action: "allow",
      rule: `${src.group}: ${sgRuleText(src.rule, direction)}`,
      note: closing
        ? "closing packet: no connection is opened"
        : isUntracked
          ? "untracked flow: open to all addresses in both directions (aws-rules §3.2), so replies are checked against the rules"
          : "connection tracked from here on",
    });
  }
  return true;
}

/**
 * The live entry of the flow an ICMP error quotes (aws-rules §3.6). The quoted packet went the
 * other way through this interface: the error's destination sent it.
 */
function relatedEntry(c: WalkContext, eni: CompiledEni, out: boolean, q: Packet): EntryRef | undefined {
  const proto = q.protocol;
  const ports = proto === TCP || proto === UDP;
  const lport = ports ? (out ? q.dstPort : q.srcPort) : proto === ICMP || proto === ICMPV6 ? q.srcPort : 0;
  const rport = ports ? (out ? q.srcPort : q.dstPort) : 0;
  return c.connections.findLive(eni.id, proto, out ? q.dst : q.src, lport, out ? q.src : q.dst, rport, c.now);
}

/** An ICMP error about a tracked connection passes without a rule and leaves the entry as it was (§3.6). */
function related(c: WalkContext, eni: CompiledEni, direction: Direction, e: EntryRef): true {
  // the error opens no entry of its own
  if (direction === "inbound") c.scope.trackedAtDestination = false;
  const hops = c.scope.hops;
  if (hops) {
    const info = c.connections.info(e);
    hops.push({
      component: direction === "inbound" ? eni.sgIn : eni.sgOut,
      action: "allow",
      rule: `related to tracked connection #${info.id} since t=${info.openedAt}s`,
      connection: info.id,
      note: "ICMP error about a tracked connection: no rule needed (settings.related-icmp, aws-rules §3.6)",
    });
  }
  return true;
}

/**
 * A rule that references the sender's group would have allowed the packet, had an appliance not
 * forwarded it (aws-rules §2.3): Reachability Analyzer's SG_REFERENCES_NOT_PRESERVED.
 */
function referencesLost(c: WalkContext, eni: CompiledEni, p: Packet, rules: CompiledSgRules, line: number): false {
  const rule = matchedRule(rules, line);
  const sender = interfaceAt(c.compiled, p.src)?.subnet.subnet;
  const block = p.src.family === 4 ? sender?.cidr : sender?.ipv6Cidr;
  return c.scope.fail("SG_REFERENCES_NOT_PRESERVED", eni.sgIn, {
    kind: "sg-references-not-preserved",
    packet: p,
    instance: eni.iface.instance,
    group: rule.group,
    rule: sgRuleText(rule.rule, "inbound"),
    appliance: c.scope.forwardedBy,
    senderBlock: block?.text,
  });
}

/** A flow at one interface in one direction: the rule that admitted it there is the one to name. */
function flowKey(
  eni: CompiledEni,
  out: boolean,
  proto: number,
  local: Packet["src"],
  lport: number,
  remote: Packet["src"],
  rport: number,
): string {
  return `${eni.id}|${out ? "out" : "in"}|${proto}|${local.text}|${lport}|${remote.text}|${rport}`;
}

/**
 * Why a flow this packet continues no longer carries it, for the words of its drop: its tracked
 * entry expired or was closed (aws-rules §3.4, §3.5), or it was never tracked (§3.2). A TCP SYN
 * continues nothing: it opens a connection.
 */
function historyOf(
  c: WalkContext,
  eni: CompiledEni,
  out: boolean,
  p: Packet,
  local: Packet["src"],
  lport: number,
  remote: Packet["src"],
  rport: number,
): ConnectionHistory | undefined {
  if (p.protocol === TCP && (p.flags & (SYN | ACK)) === SYN) return undefined;
  // with settings.related-icmp off, the error had no chance to pass as related (§3.6): say so
  if (p.related !== undefined && isIcmpError(p.protocol, p.icmpType) && !c.compiled.world.settings.relatedIcmp) {
    const e = relatedEntry(c, eni, out, p.related);
    if (e !== undefined) {
      const { id, openedAt } = c.connections.info(e);
      return { kind: "related", id, openedAt };
    }
  }
  const ended = c.connections.ended(eni.id, p.protocol, local, lport, remote, rport);
  if (ended) {
    const { id, openedAt, endedAt } = ended;
    if (ended.reason === EXPIRED) {
      return { kind: "expired", id, openedAt, endedAt, timeout: ended.timeout, setting: timeoutSetting(eni, p.protocol, ended.flags) };
    }
    return { kind: "closed", id, openedAt, endedAt, by: ended.reason === CLOSED_BY_RST ? "an RST" : "a FIN from each side" };
  }
  const pass = c.untracked.get(flowKey(eni, out, p.protocol, local, lport, remote, rport));
  return pass ? { kind: "untracked", ...pass } : undefined;
}

/** Where the idle timeout of a flow is set (aws-rules §3.4, §3.5), in the scenario's words. */
function timeoutSetting(eni: CompiledEni, proto: number, flags: number): string {
  const at = `the connection-tracking of ${eni.iface.instance}'s interface`;
  if (proto === TCP) return flags & (FIN_OUT | FIN_IN) ? "settings.tcp-closing-timeout" : `tcp-established in ${at}`;
  if (proto === UDP) return flags & STREAM ? `udp-stream in ${at}` : `udp in ${at}`;
  if (proto === ICMP || proto === ICMPV6) return "settings.icmp-timeout";
  return "settings.other-protocol-timeout";
}

/** A packet of a tracked flow: it passes, and refreshes or closes the entry (§3.1, §3.4, §3.5). */
function tracked(c: WalkContext, eni: CompiledEni, direction: Direction, p: Packet, e: EntryRef, flags: number, reply: boolean): boolean {
  const table = c.connections;
  const info = c.scope.hops ? table.info(e) : undefined;
  let next = flags;
  if (p.protocol === UDP) next = reply ? flags | REPLIED : flags & REPLIED ? flags | STREAM : flags;
  if (p.protocol === TCP && p.flags & FIN) next |= direction === "outbound" ? FIN_OUT : FIN_IN;
  // An RST, or a FIN from each side, ends the connection (see Settings.tcpClosingTimeout).
  const closed = p.protocol === TCP && ((p.flags & RST) !== 0 || (next & (FIN_OUT | FIN_IN)) === (FIN_OUT | FIN_IN));
  if (closed) table.close(e, p.flags & RST ? CLOSED_BY_RST : CLOSED_BY_FIN, c.now);
  else table.touch(e, c.now, timeout(c, eni, p.protocol, next), next);
  if (direction === "inbound") c.scope.trackedAtDestination = true;
  if (info) {
    c.scope.hops?.push({
      component: direction === "inbound" ? eni.sgIn : eni.sgOut,
      action: "allow",
      rule: `${reply ? "reply of " : ""}tracked connection #${info.id} since t=${info.openedAt}s`,
      connection: info.id,
      ...(closed
        ? { note: `${flagText(p.flags & (FIN | RST))} closes the connection` }
        : p.protocol === TCP && p.flags & FIN
          ? { note: "FIN: the connection is closing; the other side's FIN may still pass" }
          : {}),
    });
  }
  return true;
}

/** The untracked-flow test of aws-rules §3.2, for the packet as opener or as reply. */
function untracked(c: WalkContext, eni: CompiledEni, out: boolean, rules: CompiledSgRules, key: number, p: Packet, via: number): boolean {
  if (!c.compiled.world.settings.untrackedFlows || via & AUTO_TRACKED) return false;
  if (p.protocol !== TCP && p.protocol !== UDP) return false; // ICMP and others are always tracked
  const family = p.src.family;
  const other = out ? eni.inbound : eni.outbound;
  if (opensAllPorts(other, p.protocol, family) && wideAllows(rules, p.protocol, key, family)) return true;
  // As the reply of a flow opened the other way: that flow's opener was a wide rule of the
  // other direction (its destination port is this packet's source port), and this direction is
  // open to all ports.
  return opensAllPorts(rules, p.protocol, family) && wideAllows(other, p.protocol, p.srcPort, family);
}

/** The idle timeout of a tracked flow on this interface (aws-rules §3.4, §3.5). */
export function timeout(c: WalkContext, eni: CompiledEni, proto: number, flags: number): number {
  const t = eni.iface.timeouts;
  const s = c.compiled.world.settings;
  if (proto === TCP) return flags & (FIN_OUT | FIN_IN) ? s.tcpClosingTimeout : t.tcpEstablished;
  if (proto === UDP) return flags & STREAM ? t.udpStream : t.udp;
  if (proto === ICMP || proto === ICMPV6) return s.icmpTimeout;
  return s.otherProtocolTimeout;
}
