// Rules as rectangles over (key × address), compiled so that one lookup finds the winning rule of a
// packet in O(log n), however many rules there are. The key is the destination port for TCP and
// UDP, type·256+code for ICMP, and 0 for other protocols, so a port range and an ICMP type/code
// test are both one key range. Network ACLs want the lowest-numbered match (aws-semantics §1.1);
// security groups any match, reporting wide lines first (§3.2): both are "the match of lowest
// priority", so one structure serves both.
import type { Address, Cidr, Family } from "./address.js";
import { ALL, ICMP, ICMPV6, TCP, UDP } from "./protocol.js";
import type { Packet } from "./packet.js";

export const KEY_MAX = 0xffff;

/** One rule (or one block of a prefix-list rule) as a rectangle. */
export interface Rect {
  /** lower wins; also what a lookup returns */
  readonly priority: number;
  /** IANA number, or -1 for every protocol (then the key range must be 0-KEY_MAX) */
  readonly protocol: number;
  readonly keyLo: number;
  readonly keyHi: number;
  /** an address block, or the members of a security group (its id) */
  readonly peer: { readonly cidr: Cidr } | { readonly group: number };
}

/** Lookups by key interval within one protocol of one address family. */
interface KeyIndex {
  /** first key of each interval; starts at 0 */
  readonly bounds: Int32Array;
  /** per interval: lowest priority of a rule covering every address of the family, or -1 */
  readonly wide: Int32Array;
  /** per interval: its painted ranges are [start[k], start[k+1]) */
  readonly start: Int32Array;
  /** disjoint address ranges in order, each with the winning priority; only those below `wide` */
  readonly lo4: Float64Array;
  readonly hi4: Float64Array;
  readonly lo6: readonly bigint[];
  readonly hi6: readonly bigint[];
  readonly win: Int32Array;
  /** per interval: group references are [refStart[k], refStart[k+1]), by priority */
  readonly refStart: Int32Array;
  readonly refGroup: Int32Array;
  readonly refPriority: Int32Array;
}

/** A rule set for one address family: a key index per protocol number. */
export interface MatchIndex {
  readonly family: Family;
  /** 256 entries; protocols no rule names share the index of the all-protocol rules */
  readonly byProtocol: readonly KeyIndex[];
  readonly hasGroupRefs: boolean;
}

/** The key of a packet (see the header). */
export function packetKey(p: Packet): number {
  const proto = p.protocol;
  if (proto === TCP || proto === UDP) return p.dstPort;
  if (proto === ICMP || proto === ICMPV6) return ((p.icmpType & 255) << 8) | (p.icmpCode & 255);
  return 0;
}

/** The key range of an ICMP type/code test; -1 is any (a code needs a type, §1.3). */
export function icmpKeyRange(type: number, code: number): [number, number] {
  if (type < 0) return [0, KEY_MAX];
  if (code < 0) return [type << 8, (type << 8) | 255];
  return [(type << 8) | code, (type << 8) | code];
}

export function buildMatchIndex(family: Family, rects: readonly Rect[]): MatchIndex {
  const mine = rects.filter((r) => !("cidr" in r.peer) || r.peer.cidr.family === family);
  const all = mine.filter((r) => r.protocol === ALL);
  const other = buildKeyIndex(family, all);
  const byProtocol = new Array<KeyIndex>(256).fill(other);
  for (const proto of new Set(mine.map((r) => r.protocol))) {
    if (proto !== ALL) byProtocol[proto] = buildKeyIndex(family, mine.filter((r) => r.protocol === proto || r.protocol === ALL));
  }
  return { family, byProtocol, hasGroupRefs: mine.some((r) => "group" in r.peer) };
}

/**
 * The priority of the winning rule for a packet of `protocol` with `key` and peer address `a`, or
 * -1. `groupsOf` gives the security group ids of the interface that owns an address.
 */
export function lookup(
  index: MatchIndex, protocol: number, key: number, a: Address,
  groupsOf?: (a: Address) => Int32Array | undefined,
): number {
  const ki = index.byProtocol[protocol]!;
  const k = interval(ki.bounds, key);
  let best = painted(ki, k, a);
  const r0 = ki.refStart[k]!;
  const r1 = ki.refStart[k + 1]!;
  if (r0 < r1 && groupsOf) {
    const mine = groupsOf(a);
    if (mine) {
      for (let r = r0; r < r1; r++) {
        const p = ki.refPriority[r]!;
        if (best >= 0 && p >= best) break;
        if (mine.includes(ki.refGroup[r]!)) {
          best = p;
          break;
        }
      }
    }
  }
  return best >= 0 ? best : ki.wide[k]!;
}

function painted(ki: KeyIndex, k: number, a: Address): number {
  let lo = ki.start[k]!;
  let hi = ki.start[k + 1]! - 1;
  if (lo > hi) return -1;
  // the last range whose start is <= a
  if (a.family === 4) {
    const v = a.v4;
    if (v < ki.lo4[lo]!) return -1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ki.lo4[mid]! <= v) lo = mid;
      else hi = mid - 1;
    }
    return v <= ki.hi4[lo]! ? ki.win[lo]! : -1;
  }
  const v = a.v6;
  if (v < ki.lo6[lo]!) return -1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ki.lo6[mid]! <= v) lo = mid;
    else hi = mid - 1;
  }
  return v <= ki.hi6[lo]! ? ki.win[lo]! : -1;
}

/** The priority of the best rule covering every address of the family at this protocol and key, or -1. */
export function wideAt(index: MatchIndex, protocol: number, key: number): number {
  const ki = index.byProtocol[protocol]!;
  return ki.wide[interval(ki.bounds, key)]!;
}

/** The last interval whose first key is <= key. */
function interval(bounds: Int32Array, key: number): number {
  let lo = 0;
  let hi = bounds.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (bounds[mid]! <= key) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

// --- building --------------------------------------------------------------------------------

function isWide(r: Rect): boolean {
  return "cidr" in r.peer && r.peer.cidr.prefix === 0;
}

function buildKeyIndex(family: Family, rects: readonly Rect[]): KeyIndex {
  // Interval bounds are every rule's first key and the key after its last, so that each interval
  // is covered by the same rules throughout.
  const cuts = new Set<number>([0]);
  for (const r of rects) {
    cuts.add(r.keyLo);
    if (r.keyHi < KEY_MAX) cuts.add(r.keyHi + 1);
  }
  const bounds = Int32Array.from([...cuts].sort((a, b) => a - b));
  const n = bounds.length;
  const wide = new Int32Array(n).fill(-1);
  const start = new Int32Array(n + 1);
  const refStart = new Int32Array(n + 1);
  const ranges: [bigint, bigint, number][] = [];
  const refs: [number, number][] = [];
  for (let k = 0; k < n; k++) {
    const at = bounds[k]!;
    const covering = rects.filter((r) => r.keyLo <= at && r.keyHi >= at);
    let w = -1;
    for (const r of covering) if (isWide(r) && (w < 0 || r.priority < w)) w = r.priority;
    wide[k] = w;
    // Rules that lose to the wide winner everywhere are left out.
    const live = covering.filter((r) => !isWide(r) && (w < 0 || r.priority < w));
    start[k] = ranges.length;
    ranges.push(...paint(live.flatMap((r) => {
      if (!("cidr" in r.peer)) return [];
      const c = r.peer.cidr;
      return family === 4 ? [[BigInt(c.lo4), BigInt(c.hi4), r.priority] as const] : [[c.lo6, c.hi6, r.priority] as const];
    })));
    refStart[k] = refs.length;
    const groupRefs = live.flatMap((r) => ("group" in r.peer ? [[r.peer.group, r.priority] as [number, number]] : []));
    refs.push(...groupRefs.sort((a, b) => a[1] - b[1]));
  }
  start[n] = ranges.length;
  refStart[n] = refs.length;
  return {
    bounds,
    wide,
    start,
    lo4: Float64Array.from(family === 4 ? ranges.map((r) => Number(r[0])) : []),
    hi4: Float64Array.from(family === 4 ? ranges.map((r) => Number(r[1])) : []),
    lo6: family === 6 ? ranges.map((r) => r[0]) : [],
    hi6: family === 6 ? ranges.map((r) => r[1]) : [],
    win: Int32Array.from(ranges.map((r) => r[2])),
    refStart,
    refGroup: Int32Array.from(refs.map((r) => r[0])),
    refPriority: Int32Array.from(refs.map((r) => r[1])),
  };
}

/**
 * Overlapping address ranges with priorities → disjoint ranges in order, each labelled with the
 * lowest priority covering it (a sweep over the ranges' ends).
 */
export function paint(input: readonly (readonly [bigint, bigint, number])[]): [bigint, bigint, number][] {
  if (input.length === 0) return [];
  const events: [bigint, number, number][] = []; // position, +1 open / -1 close, priority
  for (const [lo, hi, p] of input) {
    events.push([lo, 1, p], [hi + 1n, -1, p]);
  }
  events.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const active: number[] = []; // priorities, ascending, with repeats
  const out: [bigint, bigint, number][] = [];
  for (let i = 0; i < events.length; ) {
    const pos = events[i]![0];
    for (; i < events.length && events[i]![0] === pos; i++) {
      const [, kind, p] = events[i]!;
      if (kind === 1) active.splice(insertAt(active, p), 0, p);
      else active.splice(active.indexOf(p), 1);
    }
    if (active.length === 0 || i === events.length) continue;
    const winner = active[0]!;
    const end = events[i]![0] - 1n;
    const last = out[out.length - 1];
    if (last && last[2] === winner && last[1] + 1n === pos) last[1] = end;
    else out.push([pos, end, winner]);
  }
  return out;
}

function insertAt(sorted: readonly number[], v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
