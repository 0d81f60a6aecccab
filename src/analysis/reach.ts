// `vpcsim reach`: every protocol and port that gets from one endpoint to another and whose reply
// gets back, as intervals. A filter's verdict on a port changes only where some rule's range starts
// or ends (aws-rules §1.3, §2.2; §3.2's untracked-flow test reads wide rules' ranges too), so the
// ports are cut at every edge of the rules that can be on the way and one connection per piece is
// run through the engine: the table is exact, at the cost of a connection per rule edge, not per port.

import { ruleKeys } from "../compile/keys.js";
import type { PacketResult } from "../explain/trace.js";
import type { Family } from "../model/address.js";
import { componentLabel } from "../model/component.js";
import type { World } from "../model/model.js";
import { ALL, ICMP, ICMPV6, TCP, UDP } from "../model/protocol.js";
import type { DropCode } from "../model/verdict.js";
import type { Endpoint, Flow, Step } from "../scenario/load.js";
import { ephemeralRange, runScenario } from "../scenario/run.js";
import type { Interval } from "./intervals.js";

export type ReachOutcome = "allowed" | "request-denied" | "reply-denied";

/** Where a packet of the interval stops: the component, its drop code and the rule that decided. */
export interface Blocker {
  readonly component: string;
  readonly code: DropCode;
  readonly rule?: string;
}

export interface ReachRow {
  readonly protocol: number;
  /** destination ports (tcp, udp); for icmp, the echo request alone */
  readonly ports?: Interval;
  readonly outcome: ReachOutcome;
  readonly blockedBy?: Blocker;
}

export interface ReachOptions {
  /** tcp, udp and icmp (echo) by default */
  readonly protocols?: readonly number[];
  readonly ipVersion?: Family;
}

export interface ReachTable {
  readonly from: Endpoint;
  readonly to: Endpoint;
  /** the client's source port every request uses, as `vpcsim trace` picks it */
  readonly sourcePort: number;
  readonly rows: readonly ReachRow[];
}

export const REACH_PROTOCOLS: readonly number[] = [TCP, UDP, ICMP];

export function reach(world: World, from: Endpoint, to: Endpoint, options: ReachOptions = {}): ReachTable {
  const sourcePort = ephemeralRange(world, from).from;
  const pieces: { protocol: number; ports?: Interval }[] = [];
  for (const protocol of options.protocols ?? REACH_PROTOCOLS) {
    if (protocol === TCP || protocol === UDP) for (const ports of portPieces(world, protocol, [from, to])) pieces.push({ protocol, ports });
    else pieces.push({ protocol });
  }
  const flows: Flow[] = pieces.map(({ protocol, ports }) => ({
    from,
    to,
    protocol: protocol === ICMP && familyOf(world, from, to, options.ipVersion) === 6 ? ICMPV6 : protocol,
    ...(ports ? { port: ports[0], sourcePort } : {}),
    ...(options.ipVersion ? { ipVersion: options.ipVersion } : {}),
  }));
  // One run of one engine: each connection has its own destination port, so none meets another's state.
  const steps: Step[] = flows.map((flow, index) => ({ index, line: 0, kind: "connect", flow }));
  const results = runScenario({ file: "", name: "reach", world, steps }).steps;
  const rows = pieces.map((piece, i) => ({ ...piece, ...outcomeOf(results[i]!.packets.map((p) => p.result)) }));
  return { from, to, sourcePort, rows: merge(rows) };
}

/** The IP version of the flow, as the scenario runner picks it: the bound end's, else IPv4. */
function familyOf(world: World, from: Endpoint, to: Endpoint, version: Family | undefined): Family {
  if (version) return version;
  for (const e of [to, from]) {
    if (e.kind === "address") return e.address.family;
    if (e.kind === "internet-host") return world.internetHosts[e.name]!.address.family;
  }
  return 4;
}

/**
 * The ports cut at every edge of every TCP or UDP (or all-protocol) rule that can be on the way: the
 * ACLs of the world, and the groups of the two ends and of every instance a route sends traffic
 * through (aws-rules §4.6); the groups of the whole world when an end is a bare address.
 */
export function portPieces(world: World, protocol: number, ends: readonly Endpoint[] = []): Interval[] {
  const edges = new Set<number>([0, 65536]);
  const add = (p: number, ports: { from: number; to: number } | undefined) => {
    if (p !== protocol && p !== ALL) return;
    const [lo, hi] = ruleKeys(p, ports, undefined, 4);
    edges.add(lo);
    edges.add(hi + 1);
  };
  for (const name of groupsOnTheWay(world, ends)) {
    const g = world.securityGroups[name];
    for (const r of [...(g?.inbound ?? []), ...(g?.outbound ?? [])]) add(r.protocol, r.ports);
  }
  for (const a of Object.values(world.networkAcls)) for (const r of [...a.inbound, ...a.outbound]) add(r.protocol, r.ports);
  const sorted = [...edges].sort((a, b) => a - b);
  return sorted.slice(0, -1).map((lo, i) => [lo, sorted[i + 1]! - 1] as Interval);
}

export function groupsOnTheWay(world: World, ends: readonly Endpoint[]): Set<string> {
  if (ends.length === 0 || ends.some((e) => e.kind === "address")) return new Set(Object.keys(world.securityGroups));
  const instances = new Set(ends.flatMap((e) => (e.kind === "instance" ? [e.name] : [])));
  for (const t of Object.values(world.routeTables))
    for (const r of t.routes) if (r.target.kind === "instance") instances.add(r.target.name);
  return new Set([...instances].flatMap((i) => (world.instances[i]?.interfaces ?? []).flatMap((n) => n.securityGroups)));
}

function outcomeOf(packets: readonly PacketResult[]): { outcome: ReachOutcome; blockedBy?: Blocker } {
  const [request, reply] = packets;
  if (!request?.delivered) return { outcome: "request-denied", ...blocker(request) };
  if (reply && !reply.delivered) return { outcome: "reply-denied", ...blocker(reply) };
  return { outcome: "allowed" };
}

function blocker(r: PacketResult | undefined): { blockedBy?: Blocker } {
  const drop = r?.drop;
  if (!drop) return {};
  const rule = [...(r.hops ?? [])].reverse().find((h) => h.action === "deny")?.rule;
  return { blockedBy: { component: componentLabel(drop.component), code: drop.code, ...(rule ? { rule } : {}) } };
}

/** Neighbouring pieces with the same outcome, for the same reason, are one row. */
function merge(rows: readonly ReachRow[]): ReachRow[] {
  const out: ReachRow[] = [];
  for (const row of rows) {
    const last = out[out.length - 1];
    const same =
      last?.ports &&
      row.ports &&
      last.protocol === row.protocol &&
      last.ports[1] + 1 === row.ports[0] &&
      last.outcome === row.outcome &&
      JSON.stringify(last.blockedBy) === JSON.stringify(row.blockedBy);
    if (same) out[out.length - 1] = { ...last, ports: [last.ports![0], row.ports![1]] };
    else out.push(row);
  }
  return out;
}
