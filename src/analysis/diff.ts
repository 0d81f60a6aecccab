// `vpcsim diff`: which traffic changes outcome between two worlds, and the rule behind each side.
// Both worlds' reach tables are taken for every ordered pair of endpoints the two share (instances
// by name, and internet hosts) and laid over each other: each table is exact between its own
// world's rule edges, so their overlay is exact between the union of both worlds' edges.
// Endpoints that no rule, route or address block can tell apart in either world (the same subnet,
// the same groups, the same interface settings, inside the same blocks) form a class, and a pair
// of classes is computed once, from one member of each, and not at all when nothing it can cross
// differs: the worlds alike but for groups, and the groups on its way alike.

import type { Address, Cidr } from "../model/address.js";
import { cidrContains } from "../model/address.js";
import type { NetworkInterface, World } from "../model/model.js";
import type { Endpoint } from "../scenario/load.js";
import type { Interval } from "./intervals.js";
import type { Blocker, ReachOptions, ReachOutcome, ReachRow } from "./reach.js";
import { groupsOnTheWay, reach } from "./reach.js";

/** One side of a change: the outcome, and for a denied one, what denies it. */
export interface DiffSide {
  readonly outcome: ReachOutcome;
  readonly blockedBy?: Blocker;
}

/** An interval whose outcome differs, for every ordered pair of distinct endpoints from `from` to `to`. */
export interface DiffChange {
  readonly from: readonly string[];
  readonly to: readonly string[];
  /** the pair that was run for the class pair: a blocker's component names its ends */
  readonly example: { readonly from: string; readonly to: string };
  readonly protocol: number;
  /** destination ports (tcp, udp); absent for icmp echo */
  readonly ports?: Interval;
  readonly before: DiffSide;
  readonly after: DiffSide;
}

export interface WorldDiff {
  /** endpoints in both worlds, and the classes they fall into */
  readonly endpoints: number;
  readonly classes: number;
  /** the pairs of classes whose tables were computed: the others cross nothing that differs */
  readonly computedPairs: number;
  /** instances and internet hosts of one world only: no pair with them is compared */
  readonly onlyBefore: readonly string[];
  readonly onlyAfter: readonly string[];
  readonly changes: readonly DiffChange[];
}

interface EndpointClass {
  readonly kind: Endpoint["kind"];
  readonly members: readonly string[];
}

export function diffWorlds(before: World, after: World, options: ReachOptions = {}): WorldDiff {
  const instances = shared(before.instances, after.instances);
  const hosts = shared(before.internetHosts, after.internetHosts);
  const classes = classify(before, after, instances.both, hosts.both);
  const changes: DiffChange[] = [];
  const alikeButGroups = sameWorldButGroups(before, after);
  let computedPairs = 0;
  for (const a of classes) {
    for (const b of classes) {
      // two internet hosts talk without the VPC
      if (a.kind === "internet-host" && b.kind === "internet-host") continue;
      const from = a.members[0]!;
      const to = a === b ? a.members[1] : b.members[0]!;
      if (to === undefined) continue;
      const ends = [endpoint(a.kind, from), endpoint(b.kind, to)] as const;
      if (alikeButGroups && sameGroupsOnTheWay(before, after, ends)) continue;
      computedPairs++;
      const rowsBefore = reach(before, ends[0], ends[1], options).rows;
      const rowsAfter = reach(after, ends[0], ends[1], options).rows;
      for (const change of overlay(rowsBefore, rowsAfter))
        changes.push({ from: a.members, to: b.members, example: { from, to }, ...change });
    }
  }
  return {
    endpoints: instances.both.length + hosts.both.length,
    classes: classes.length,
    computedPairs,
    onlyBefore: [...instances.onlyBefore, ...hosts.onlyBefore],
    onlyAfter: [...instances.onlyAfter, ...hosts.onlyAfter],
    changes,
  };
}

function shared(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>) {
  const inB = new Set(Object.keys(b));
  const inA = new Set(Object.keys(a));
  return {
    both: [...inA].filter((n) => inB.has(n)),
    onlyBefore: [...inA].filter((n) => !inB.has(n)),
    onlyAfter: [...inB].filter((n) => !inA.has(n)),
  };
}

function endpoint(kind: Endpoint["kind"], name: string): Endpoint {
  return kind === "internet-host" ? { kind, name } : { kind: "instance", name };
}

/**
 * Instances with the same key in both worlds are one class. Each internet host is its own: its
 * address is the whole of it. An instance a route sends traffic through is its own too (aws-rules §4.6).
 */
function classify(before: World, after: World, instances: readonly string[], hosts: readonly string[]): EndpointClass[] {
  const keyers = [instanceKeyer(before), instanceKeyer(after)];
  const byKey = new Map<string, string[]>();
  for (const name of instances) {
    const key = keyers.map((k) => k(name)).join("|");
    const members = byKey.get(key);
    if (members) members.push(name);
    else byKey.set(key, [name]);
  }
  return [
    ...[...byKey.values()].map((members) => ({ kind: "instance" as const, members })),
    ...hosts.map((name) => ({ kind: "internet-host" as const, members: [name] })),
  ];
}

/** What the engine can see of an instance, without its name and addresses: which blocks hold each address. */
function instanceKeyer(world: World): (name: string) => string {
  const blocks = blocksOf(world);
  const routed = new Set(
    Object.values(world.routeTables).flatMap((t) => t.routes.flatMap((r) => (r.target.kind === "instance" ? [r.target.name] : []))),
  );
  const inside = (a: Address | undefined) => (a ? blocks.map((c) => (cidrContains(c, a) ? "1" : "0")).join("") : "-");
  const nicKey = (n: NetworkInterface) => [
    n.subnet,
    n.securityGroups,
    n.sourceDestCheck,
    n.nat,
    n.ephemeral,
    n.timeouts,
    inside(n.publicIp),
    n.privateIps.map(inside),
    n.ipv6s.map(inside),
  ];
  return (name) => JSON.stringify([routed.has(name) ? name : "", world.instances[name]!.interfaces.map(nicKey)]);
}

/** Every block a rule, a route or the VPC's layout names: an address is told from another only by them. */
function blocksOf(world: World): Cidr[] {
  const out: Cidr[] = [...world.vpc.cidrs, ...(world.vpc.ipv6Cidr ? [world.vpc.ipv6Cidr] : [])];
  for (const s of Object.values(world.subnets)) out.push(s.cidr, ...(s.ipv6Cidr ? [s.ipv6Cidr] : []));
  for (const g of Object.values(world.securityGroups))
    for (const r of [...g.inbound, ...g.outbound]) if (r.peer.kind === "cidr") out.push(r.peer.cidr);
  for (const l of Object.values(world.prefixLists)) out.push(...l.cidrs);
  for (const a of Object.values(world.networkAcls)) for (const r of [...a.inbound, ...a.outbound]) out.push(r.cidr);
  for (const t of Object.values(world.routeTables)) for (const r of t.routes) out.push(r.destination);
  return out;
}

type Change = Pick<DiffChange, "protocol" | "ports" | "before" | "after">;

/** The pieces where the two tables' outcomes differ; both cover each protocol's ports in order. */
export function overlay(before: readonly ReachRow[], after: readonly ReachRow[]): Change[] {
  const out: Change[] = [];
  for (const protocol of [...new Set(before.map((r) => r.protocol))]) {
    const a = before.filter((r) => r.protocol === protocol);
    const b = after.filter((r) => r.protocol === protocol);
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
      const x = a[i]!;
      const y = b[j]!;
      const lo = Math.max(x.ports?.[0] ?? 0, y.ports?.[0] ?? 0);
      const hi = Math.min(x.ports?.[1] ?? 0, y.ports?.[1] ?? 0);
      if (x.outcome !== y.outcome)
        out.push({ protocol, ...(x.ports ? { ports: [lo, hi] as Interval } : {}), before: side(x), after: side(y) });
      if ((x.ports?.[1] ?? 0) <= hi) i++;
      if ((y.ports?.[1] ?? 0) <= hi) j++;
    }
  }
  return out;
}

function side(row: ReachRow): DiffSide {
  return { outcome: row.outcome, ...(row.blockedBy ? { blockedBy: row.blockedBy } : {}) };
}

/** Everything a packet can meet but the security groups is alike in both worlds. */
function sameWorldButGroups(before: World, after: World): boolean {
  return (Object.keys(before) as (keyof World)[]).every((k) => k === "securityGroups" || same(before[k], after[k]));
}

/** The groups a packet between the ends can meet (aws-rules §4.6: an appliance's too) are the same ones, alike. */
function sameGroupsOnTheWay(before: World, after: World, ends: readonly Endpoint[]): boolean {
  const a = groupsOnTheWay(before, ends);
  const b = groupsOnTheWay(after, ends);
  return a.size === b.size && [...a].every((g) => b.has(g) && same(before.securityGroups[g], after.securityGroups[g]));
}

/** Structural equality of model values: a changed world shares what it did not change, so most checks stop at `===`. */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
