// Rules as rectangles over (key × address), compiled so that one lookup finds the winning rule of a
// packet in O(log n), however many rules there are. The key (keys.ts) is the destination port for
// TCP and UDP, type·256+code for ICMP, and 0 for other protocols, so a port range and an ICMP
// type/code test are both one key range. Network ACLs want the lowest-numbered match (aws-rules §1.1);
// security groups any match, reporting wide lines first (§3.2): both are "the match of lowest
// priority", so one structure serves both.
import type { Address, Cidr, Family } from "../model/address.js";
import { ALL } from "../model/protocol.js";
import { KEY_MAX } from "./keys.js";

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

/**
 * Lookups by key interval within one protocol of one address family, packed into one int32 array
 * so that a lookup touches a few neighbouring cache lines rather than a dozen scattered objects.
 * Layout:
 * - [intervals, first range, first reference, first interval];
 * - with many intervals, per 1024 keys the interval holding the first key, so that finding an
 *   interval takes a step or two rather than a binary search (next to the header, so that low
 *   ports share its cache line);
 * - per interval [first key, wide, first range ordinal, first reference ordinal], and one more
 *   entry that closes the last interval;
 * - per range [lo, hi, winner] (IPv4 with the sign bit flipped, see `signed`; IPv6 bounds live in
 *   `lo6`/`hi6`, by ordinal);
 * - per group reference [group id, priority].
 * `wide` is the lowest priority of a rule covering every address of the family, or -1; ranges are
 * disjoint and in order, and only rules that beat `wide` appear.
 */
const HEADER = 4;
const PAGE_BITS = 10;
const PAGED_FROM = 8;
const IV = 4;
const RANGE = 3;
const REF = 2;

/** A rule set for one address family: a key index per protocol number. */
export interface MatchIndex {
  readonly family: Family;
  /** 256 entries; protocols no rule names share the index of the all-protocol rules */
  readonly byProtocol: readonly Int32Array[];
  /** IPv6 range bounds per protocol, by range ordinal (empty for IPv4) */
  readonly lo6: readonly (readonly bigint[])[];
  readonly hi6: readonly (readonly bigint[])[];
}

export function buildMatchIndex(family: Family, rects: readonly Rect[]): MatchIndex {
  const mine = rects.filter((r) => !("cidr" in r.peer) || r.peer.cidr.family === family);
  const other = buildKeyIndex(
    family,
    mine.filter((r) => r.protocol === ALL),
  );
  const built = new Array<Built>(256).fill(other);
  for (const proto of new Set(mine.map((r) => r.protocol))) {
    if (proto !== ALL)
      built[proto] = buildKeyIndex(
        family,
        mine.filter((r) => r.protocol === proto || r.protocol === ALL),
      );
  }
  return { family, byProtocol: built.map((b) => b.data), lo6: built.map((b) => b.lo6), hi6: built.map((b) => b.hi6) };
}

/**
 * The priority of the winning rule for a packet of `protocol` with `key` and peer address `a`, or
 * -1. `groupsOf` gives the security group ids of the interface that owns an address.
 */
export function lookup(
  index: MatchIndex,
  protocol: number,
  key: number,
  a: Address,
  groupsOf?: (a: Address) => Int32Array | undefined,
): number {
  const d = index.byProtocol[protocol]!;
  const h = d[3]! + IV * interval(d, key);
  let best =
    a.family === 4 ? painted4(d, d[h + 2]!, d[h + IV + 2]!, signed(a.v4)) : painted6(d, index, protocol, d[h + 2]!, d[h + IV + 2]!, a.v6);
  let r = d[h + 3]!;
  const r1 = d[h + IV + 3]!;
  if (r < r1 && groupsOf) {
    const mine = groupsOf(a);
    if (mine) {
      for (let o = d[2]! + REF * r; r < r1; r++, o += REF) {
        const p = d[o + 1]!;
        if (best >= 0 && p >= best) break;
        if (mine.includes(d[o]!)) {
          best = p;
          break;
        }
      }
    }
  }
  return best >= 0 ? best : d[h + 1]!;
}

/** An IPv4 address as an int32 that sorts as the address does (the sign bit flipped). */
function signed(v4: number): number {
  return v4 ^ 0x80000000;
}

/** The winner among ranges [r0, r1) for an IPv4 address: the last range starting at or below it. */
function painted4(d: Int32Array, r0: number, r1: number, v: number): number {
  const base = d[1]!;
  let lo = r0;
  let hi = r1 - 1;
  if (lo > hi || v < d[base + RANGE * lo]!) return -1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (d[base + RANGE * mid]! <= v) lo = mid;
    else hi = mid - 1;
  }
  const o = base + RANGE * lo;
  return v <= d[o + 1]! ? d[o + 2]! : -1;
}

function painted6(d: Int32Array, index: MatchIndex, protocol: number, r0: number, r1: number, v: bigint): number {
  const los = index.lo6[protocol]!;
  let lo = r0;
  let hi = r1 - 1;
  if (lo > hi || v < los[lo]!) return -1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (los[mid]! <= v) lo = mid;
    else hi = mid - 1;
  }
  return v <= index.hi6[protocol]![lo]! ? d[d[1]! + RANGE * lo + 2]! : -1;
}

/** The last interval whose first key is <= key. */
function interval(d: Int32Array, key: number): number {
  const n = d[0]!;
  const first = d[3]!;
  if (first > HEADER) {
    let k = d[HEADER + (key >> PAGE_BITS)]!;
    while (k + 1 < n && d[first + IV * (k + 1)]! <= key) k++;
    return k;
  }
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (d[first + IV * mid]! <= key) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

// --- building --------------------------------------------------------------------------------

function isWide(r: Rect): boolean {
  return "cidr" in r.peer && r.peer.cidr.prefix === 0;
}

interface Built {
  readonly data: Int32Array;
  readonly lo6: readonly bigint[];
  readonly hi6: readonly bigint[];
}

function buildKeyIndex(family: Family, rects: readonly Rect[]): Built {
  // Interval bounds are every rule's first key and the key after its last, so that each interval
  // is covered by the same rules throughout.
  const cuts = new Set<number>([0]);
  for (const r of rects) {
    cuts.add(r.keyLo);
    if (r.keyHi < KEY_MAX) cuts.add(r.keyHi + 1);
  }
  const bounds = [...cuts].sort((a, b) => a - b);
  const intervals: [number, number, number, number][] = [];
  const ranges: [bigint, bigint, number][] = [];
  const refs: [number, number][] = [];
  for (const at of bounds) {
    const covering = rects.filter((r) => r.keyLo <= at && r.keyHi >= at);
    let w = -1;
    for (const r of covering) if (isWide(r) && (w < 0 || r.priority < w)) w = r.priority;
    // Rules that lose to the wide winner everywhere are left out.
    const live = covering.filter((r) => !isWide(r) && (w < 0 || r.priority < w));
    intervals.push([at, w, ranges.length, refs.length]);
    ranges.push(
      ...paint(
        live.flatMap((r) => {
          if (!("cidr" in r.peer)) return [];
          const c = r.peer.cidr;
          return family === 4 ? [[BigInt(c.lo4), BigInt(c.hi4), r.priority] as const] : [[c.lo6, c.hi6, r.priority] as const];
        }),
      ),
    );
    const groupRefs = live.flatMap((r) => ("group" in r.peer ? [[r.peer.group, r.priority] as [number, number]] : []));
    refs.push(...groupRefs.sort((a, b) => a[1] - b[1]));
  }
  intervals.push([KEY_MAX + 1, -1, ranges.length, refs.length]);
  const pageCount = bounds.length >= PAGED_FROM ? (KEY_MAX + 1) >> PAGE_BITS : 0;
  const intervalBase = HEADER + pageCount;
  const rangeBase = intervalBase + IV * intervals.length;
  const refBase = rangeBase + RANGE * ranges.length;
  const data = new Int32Array(refBase + REF * refs.length);
  data.set([bounds.length, rangeBase, refBase, intervalBase]);
  for (let page = 0, k = 0; page < pageCount; page++) {
    while (k + 1 < bounds.length && bounds[k + 1]! <= page << PAGE_BITS) k++;
    data[HEADER + page] = k;
  }
  for (const [k, iv] of intervals.entries()) data.set(iv, intervalBase + IV * k);
  for (const [r, [lo, hi, win]] of ranges.entries()) {
    data.set(family === 4 ? [signed(Number(lo)), signed(Number(hi)), win] : [r, r, win], rangeBase + RANGE * r);
  }
  for (const [j, ref] of refs.entries()) data.set(ref, refBase + REF * j);
  return {
    data,
    lo6: family === 6 ? ranges.map((r) => r[0]) : [],
    hi6: family === 6 ? ranges.map((r) => r[1]) : [],
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
