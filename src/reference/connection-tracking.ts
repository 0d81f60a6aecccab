// Connection tracking (aws-rules §3): security groups are stateful. When an interface's groups
// allow a packet that opens a flow, the interface remembers the flow, and the flow's later packets
// pass in either direction without a rule until it idles out or closes. Some flows are not
// remembered at all (untracked, §3.2): each of their packets needs a rule.
import type { Address } from "../model/address.js";
import type { Direction, NetworkInterface, SecurityGroupRule, World } from "../model/model.js";
import type { Packet } from "../model/packet.js";
import { FIN, RST } from "../model/packet.js";
import { ICMP, ICMPV6, icmpReplyType, isIcmpError, TCP, UDP } from "../model/protocol.js";
import { isWholeFamily } from "./blocks.js";
import { coversTraffic, opensEveryPort } from "./rule-coverage.js";
import { interfaceRules, peerBlocks, securityGroupsAllow } from "./security-groups.js";
import type { StepResult } from "./verdict.js";

/** One tracked flow at one interface. */
export interface TrackedFlow {
  /** opened by a packet leaving the interface (else by one arriving) */
  readonly openedOutbound: boolean;
  /** ICMP: the type of the request that opened it */
  readonly requestType: number;
  /** UDP: a packet has come back the other way */
  replied: boolean;
  /** UDP: the opener sent again after a reply, so the flow is a stream (§3.4) */
  stream: boolean;
  /** TCP: a FIN has left the interface / arrived at it (§3.5) */
  finOut: boolean;
  finIn: boolean;
  lastSeen: number;
  /** idle timeout in seconds, from the last packet */
  timeout: number;
}

/**
 * aws-rules §3.1: a flow is known by interface, protocol, and the local and remote address and
 * port, so that both directions find it. ICMP echo flows use the echo identifier as the local port
 * and no remote port; other protocols use the two addresses only.
 */
export function flowName(iface: NetworkInterface, direction: Direction, p: Packet): string {
  const out = direction === "outbound";
  const local: Address = out ? p.src : p.dst;
  const remote: Address = out ? p.dst : p.src;
  let localPort = 0;
  let remotePort = 0;
  if (p.protocol === TCP || p.protocol === UDP) {
    localPort = out ? p.srcPort : p.dstPort;
    remotePort = out ? p.dstPort : p.srcPort;
  } else if (p.protocol === ICMP || p.protocol === ICMPV6) {
    localPort = p.srcPort; // the echo identifier, the same in request and reply
  }
  return `${iface.name} ${p.protocol} ${local.text} ${localPort} ${remote.text} ${remotePort}`;
}

/** aws-rules §3.4: an entry idle for longer than its timeout is forgotten. */
export function idleTooLong(flow: TrackedFlow, now: number): boolean {
  return now > flow.lastSeen + flow.timeout;
}

/**
 * The flows an engine remembers, per flow name. A flow name may hold more than one entry: a
 * packet that fits no entry of its flow (an ICMP message of another type, §3.1) and that the rules
 * allow opens another one behind it; the oldest answers first, until it is forgotten.
 */
export class ConnectionTable {
  readonly #flows = new Map<string, TrackedFlow[]>();

  /** The flow's live entry. An entry found idle too long is forgotten, and the packet is new. */
  find(name: string, now: number): TrackedFlow | undefined {
    const entries = this.#flows.get(name);
    const first = entries?.[0];
    if (!entries || !first) return undefined;
    if (idleTooLong(first, now)) {
      this.#drop(name, first);
      return undefined;
    }
    return first;
  }

  open(name: string, flow: TrackedFlow): void {
    const entries = this.#flows.get(name);
    if (entries) entries.push(flow);
    else this.#flows.set(name, [flow]);
  }

  close(name: string, flow: TrackedFlow): void {
    this.#drop(name, flow);
  }

  /** Forgets every entry idle for longer than its timeout (the clock's housekeeping). */
  forgetIdle(now: number): number {
    let forgotten = 0;
    for (const [name, entries] of [...this.#flows]) {
      const live = entries.filter((f) => !idleTooLong(f, now));
      forgotten += entries.length - live.length;
      if (live.length > 0) this.#flows.set(name, live);
      else this.#flows.delete(name);
    }
    return forgotten;
  }

  #drop(name: string, flow: TrackedFlow): void {
    const rest = (this.#flows.get(name) ?? []).filter((f) => f !== flow);
    if (rest.length > 0) this.#flows.set(name, rest);
    else this.#flows.delete(name);
  }
}

/**
 * aws-rules §3.4, §3.5: the idle timeout of a flow on this interface. TCP: 5 days established (the
 * interface's `connection-tracking`), `settings.tcpClosingTimeout` once a FIN has been seen. UDP:
 * 30 s, or 180 s once it is a stream. ICMP: `settings.icmpTimeout` (vpcsim's choice). Others: 600 s.
 */
export function idleTimeout(world: World, iface: NetworkInterface, protocol: number, flow?: TrackedFlow): number {
  const settings = world.settings;
  if (protocol === TCP) return flow && (flow.finOut || flow.finIn) ? settings.tcpClosingTimeout : iface.timeouts.tcpEstablished;
  if (protocol === UDP) return flow?.stream ? iface.timeouts.udpStream : iface.timeouts.udp;
  if (protocol === ICMP || protocol === ICMPV6) return settings.icmpTimeout;
  return settings.otherProtocolTimeout;
}

/** Whether the packet travels the way the flow was opened (a request) or back (a reply). */
export function isReply(flow: TrackedFlow, direction: Direction): boolean {
  return flow.openedOutbound !== (direction === "outbound");
}

/**
 * aws-rules §3.1: a tracked ICMP flow lets through its request type the way it was opened and the
 * matching reply type back (echo request 8 → echo reply 0, ICMPv6 128 → 129); any other message
 * is judged by the rules. Other protocols' flows let every packet through.
 */
export function fitsFlow(flow: TrackedFlow, direction: Direction, p: Packet): boolean {
  if (p.protocol !== ICMP && p.protocol !== ICMPV6) return true;
  const expected = isReply(flow, direction) ? icmpReplyType(p.protocol, flow.requestType) : flow.requestType;
  return p.icmpType === expected;
}

/** aws-rules §3.5: a TCP packet with FIN or RST. */
export function isClosing(p: Packet): boolean {
  return p.protocol === TCP && (p.flags & (FIN | RST)) !== 0;
}

/**
 * aws-rules §3.1, §3.4, §3.5: a packet of a tracked flow refreshes it. A UDP reply marks it
 * replied, and the opener sending again after a reply makes it a stream. An RST closes a TCP flow
 * at once; a FIN from each side closes it; after one FIN it lives on for the closing timeout.
 */
export function followFlow(
  world: World,
  table: ConnectionTable,
  name: string,
  flow: TrackedFlow,
  iface: NetworkInterface,
  direction: Direction,
  p: Packet,
  now: number,
): void {
  if (p.protocol === UDP) {
    if (isReply(flow, direction)) flow.replied = true;
    else if (flow.replied) flow.stream = true;
  }
  if (p.protocol === TCP && p.flags & FIN) {
    if (direction === "outbound") flow.finOut = true;
    else flow.finIn = true;
  }
  if (p.protocol === TCP && (p.flags & RST || (flow.finOut && flow.finIn))) {
    table.close(name, flow);
    return;
  }
  flow.lastSeen = now;
  flow.timeout = idleTimeout(world, iface, p.protocol, flow);
}

/** aws-rules §3.2: a rule whose block is `0.0.0.0/0` (or `::/0`) of the family. */
export function isWideRule(world: World, rule: SecurityGroupRule, family: 4 | 6): boolean {
  return peerBlocks(world, rule.peer).some((block) => block.family === family && isWholeFamily(block));
}

/** aws-rules §3.2: a wide rule covering this protocol and destination port. */
function wideRuleCoversPort(world: World, rules: readonly SecurityGroupRule[], p: Packet, port: number): boolean {
  const family = p.src.family;
  const probe: Packet = { ...p, dstPort: port };
  return rules.some((rule) => isWideRule(world, rule, family) && coversTraffic(rule, probe, family));
}

/** aws-rules §3.2: a wide rule open to every port of the protocol. */
function wideRuleOpensEveryPort(world: World, rules: readonly SecurityGroupRule[], p: Packet): boolean {
  const family = p.src.family;
  return rules.some((rule) => isWideRule(world, rule, family) && opensEveryPort(rule, p.protocol));
}

/**
 * aws-rules §3.2: a TCP or UDP flow is untracked when a wide rule admits it and the other
 * direction has a wide rule for every port of its protocol: read for the packet as an opener (a
 * wide rule this way covers its destination port, the other way opens every port) and as a reply
 * (this way opens every port, and a wide rule the other way covered the opener, whose destination
 * port is this packet's source port). ICMP and other protocols are always tracked, and so are
 * flows through a NAT gateway or an egress-only gateway (§3.3). `settings.untrackedFlows` off
 * tracks every flow.
 */
export function isUntracked(world: World, iface: NetworkInterface, direction: Direction, p: Packet, autoTracked: boolean): boolean {
  if (!world.settings.untrackedFlows || autoTracked) return false;
  if (p.protocol !== TCP && p.protocol !== UDP) return false;
  const here = interfaceRules(world, iface, direction);
  const there = interfaceRules(world, iface, direction === "inbound" ? "outbound" : "inbound");
  const asOpener = wideRuleCoversPort(world, here, p, p.dstPort) && wideRuleOpensEveryPort(world, there, p);
  const asReply = wideRuleOpensEveryPort(world, here, p) && wideRuleCoversPort(world, there, p, p.srcPort);
  return asOpener || asReply;
}

/**
 * aws-rules §3.6, with `settings.relatedIcmp` on: an ICMP error whose quoted packet belongs to a
 * live tracked flow of this interface passes, and leaves the flow as it was. The quoted packet
 * went through the interface the other way.
 */
function isRelated(world: World, table: ConnectionTable, now: number, iface: NetworkInterface, direction: Direction, p: Packet): boolean {
  if (!world.settings.relatedIcmp || p.related === undefined || !isIcmpError(p.protocol, p.icmpType)) return false;
  const quotedDirection = direction === "inbound" ? "outbound" : "inbound";
  return table.find(flowName(iface, quotedDirection, p.related), now) !== undefined;
}

/**
 * The security groups of an interface as a step of the walk (aws-rules §2, §3): a packet that fits
 * a live tracked flow passes and follows it; any other packet needs a rule, and when a rule allows
 * it, it opens a tracked flow unless it closes (§3.5) or is untracked (§3.2). `forwarded`: an
 * appliance forwarded the packet, so inbound group references do not match it (§2.3).
 */
export function statefulSecurityGroups(
  world: World,
  table: ConnectionTable,
  now: number,
  iface: NetworkInterface,
  direction: Direction,
  p: Packet,
  autoTracked: boolean,
  forwarded: boolean,
): StepResult {
  const name = flowName(iface, direction, p);
  const flow = table.find(name, now);
  if (flow && fitsFlow(flow, direction, p)) {
    followFlow(world, table, name, flow, iface, direction, p, now);
    return undefined;
  }
  if (isRelated(world, table, now, iface, direction, p)) return undefined;
  // §2.3: what an appliance forwarded has lost its sender's group membership.
  const references = !(forwarded && direction === "inbound");
  if (!securityGroupsAllow(world, iface, direction, p, references)) {
    return !references && securityGroupsAllow(world, iface, direction, p) ? "SG_REFERENCES_NOT_PRESERVED" : "ENI_SG_RULES_MISMATCH";
  }
  if (isClosing(p) || isUntracked(world, iface, direction, p, autoTracked)) return undefined;
  table.open(name, {
    openedOutbound: direction === "outbound",
    requestType: p.protocol === ICMP || p.protocol === ICMPV6 ? p.icmpType : 0,
    replied: false,
    stream: false,
    finOut: false,
    finIn: false,
    lastSeen: now,
    timeout: idleTimeout(world, iface, p.protocol),
  });
  return undefined;
}
