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
 * Rules that cover every key (all ports from a block, the usual "all traffic" line) are painted
 * once, in a base layer every interval shares, rather than once per interval: a set with many such
 * rules and many port ranges would otherwise cost their product to build and to store.
 * Layout:
 * - [intervals, first range, first reference, first interval, base ranges from, to, base
 *   references from, to];
 * - with many intervals, per 1024 keys the interval holding the first key, so that finding an
 *   interval takes a step or two rather than a binary search (next to the header, so that low
 *   ports share its cache line);
 * - per interval [first key, wide, first range ordinal, first reference ordinal], and one more
 *   entry that closes the last interval;
 * - per range [lo, hi, winner] (IPv4 with the sign bit flipped, see `signed`; IPv6 bounds live in
 *   `lo6`/`hi6`, by ordinal), the intervals' first, then the base layer's;
 * - per group reference [group id, priority], the intervals' first, then the base layer's.
 * `wide` is the lowest priority of a rule covering every address of the family, or -1; ranges are
 * disjoint and in order, and only rules that beat the wide rule covering every key appear.
 */
const HEADER = 8;
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
  const v4 = a.family === 4;
  let best = v4 ? painted4(d, d[h + 2]!, d[h + IV + 2]!, signed(a.v4)) : painted6(d, index, protocol, d[h + 2]!, d[h + IV + 2]!, a.v6);
  const baseRanges = d[4]! < d[5]!;
  if (baseRanges) {
    const b = v4 ? painted4(d, d[4]!, d[5]!, signed(a.v4)) : painted6(d, index, protocol, d[4]!, d[5]!, a.v6);
    if (b >= 0 && (best < 0 || b < best)) best = b;
  }
  const r = d[h + 3]!;
  const r1 = d[h + IV + 3]!;
  if ((r < r1 || d[6]! < d[7]!) && groupsOf) {
    const mine = groupsOf(a);
    if (mine) best = member(d, mine, d[6]!, d[7]!, member(d, mine, r, r1, best));
  }
  // Interval ranges beat the interval's wide rule by construction; the base layer's need not.
  const w = d[h + 1]!;
  return best >= 0 && (w < 0 || best < w) ? best : w;
}

/** The lower of `best` and the first of references [r, r1) (in priority order) to a group in `mine`. */
function member(d: Int32Array, mine: Int32Array, r: number, r1: number, best: number): number {
  for (let o = d[2]! + REF * r; r < r1; r++, o += REF) {
    const p = d[o + 1]!;
    if (best >= 0 && p >= best) break;
    if (mine.includes(d[o]!)) return p;
  }
  return best;
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
  const everyKey = (r: Rect) => r.keyLo === 0 && r.keyHi === KEY_MAX;
  const base = rects.filter(everyKey);
  const partial = rects.filter((r) => !everyKey(r));
  // The wide rule covering every key decides for every interval what no lower rule does.
  let wideAll = -1;
  for (const r of base) if (isWide(r) && (wideAll < 0 || r.priority < wideAll)) wideAll = r.priority;
  // Interval bounds are every partial rule's first key and the key after its last, so that each
  // interval is covered by the same rules throughout.
  const cuts = new Set<number>([0]);
  for (const r of partial) {
    cuts.add(r.keyLo);
    if (r.keyHi < KEY_MAX) cuts.add(r.keyHi + 1);
  }
  const bounds = [...cuts].sort((a, b) => a - b);
  const intervals: number[] = [];
  const ranges = new Ranges(family);
  const refs: number[] = [];
  // Appends the live rules' ranges and references: those that are not wide and beat `w`. Arrays
  // are reused across intervals: a world compiles thousands of them.
  const live: Rect[] = [];
  const groupRefs: Rect[] = [];
  const add = (rules: readonly Rect[], w: number) => {
    live.length = 0;
    groupRefs.length = 0;
    for (const r of rules) {
      if (isWide(r) || (w >= 0 && r.priority >= w)) continue;
      if ("group" in r.peer) groupRefs.push(r);
      else live.push(r);
    }
    ranges.paint(live);
    if (groupRefs.length > 1) groupRefs.sort((a, b) => a.priority - b.priority);
    for (const r of groupRefs) refs.push((r.peer as { group: number }).group, r.priority);
  };
  // A sweep over the keys: the rules covering an interval are those begun and not yet ended, so
  // that building costs the rules each interval holds, not all rules for every interval.
  const byStart = [...partial].sort((a, b) => a.keyLo - b.keyLo);
  let next = 0;
  const covering: Rect[] = [];
  for (const at of bounds) {
    let kept = 0;
    for (const r of covering) if (r.keyHi >= at) covering[kept++] = r;
    covering.length = kept;
    while (next < byStart.length && byStart[next]!.keyLo <= at) covering.push(byStart[next++]!);
    let w = wideAll;
    for (const r of covering) if (isWide(r) && (w < 0 || r.priority < w)) w = r.priority;
    intervals.push(at, w, ranges.length, refs.length / REF);
    add(covering, w);
  }
  intervals.push(KEY_MAX + 1, -1, ranges.length, refs.length / REF);
  const baseRanges = ranges.length;
  const baseRefs = refs.length / REF;
  ranges.seal();
  add(base, wideAll);
  const pageCount = bounds.length >= PAGED_FROM ? (KEY_MAX + 1) >> PAGE_BITS : 0;
  const intervalBase = HEADER + pageCount;
  const rangeBase = intervalBase + intervals.length;
  const refBase = rangeBase + RANGE * ranges.length;
  const data = new Int32Array(refBase + refs.length);
  data.set([bounds.length, rangeBase, refBase, intervalBase, baseRanges, ranges.length, baseRefs, refs.length / REF]);
  for (let page = 0, k = 0; page < pageCount; page++) {
    while (k + 1 < bounds.length && bounds[k + 1]! <= page << PAGE_BITS) k++;
    data[HEADER + page] = k;
  }
  for (let i = 0; i < intervals.length; i++) data[intervalBase + i] = intervals[i]!;
  for (let r = 0, o = rangeBase; r < ranges.length; r++, o += RANGE) {
    data[o] = family === 4 ? signed(ranges.lo4[r]!) : r;
    data[o + 1] = family === 4 ? signed(ranges.hi4[r]!) : r;
    data[o + 2] = ranges.winner[r]!;
  }
  for (let i = 0; i < refs.length; i++) data[refBase + i] = refs[i]!;
  return { data, lo6: ranges.lo6, hi6: ranges.hi6 };
}

/** The disjoint, labelled address ranges of a key index, interval after interval. */
class Ranges {
  readonly lo4: number[] = [];
  readonly hi4: number[] = [];
  readonly lo6: bigint[] = [];
  readonly hi6: bigint[] = [];
  readonly winner: number[] = [];
  /** ranges before this one belong to another layer and are never extended */
  #sealed = 0;
  constructor(readonly family: Family) {}

  /** Starts a new layer: later ranges never merge with earlier ones. */
  seal(): void {
    this.#sealed = this.winner.length;
  }

  get length(): number {
    return this.winner.length;
  }

  /**
   * Appends the rules' blocks (rules with an address block, not a group) as disjoint ranges in
   * order, each labelled with the lowest priority covering it: a sweep over the blocks' ends, with
   * the priorities in force in a heap.
   */
  paint(rules: readonly Rect[]): void {
    const v4 = this.family === 4;
    const n = rules.length;
    if (n === 0) return;
    if (n === 1) {
      const c = (rules[0]!.peer as { cidr: Cidr }).cidr;
      this.#append(v4 ? c.lo4 : c.lo6, v4 ? c.hi4 + 1 : c.hi6 + 1n, rules[0]!.priority);
      return;
    }
    // event e < n opens block e at points[e], e >= n closes block e - n at points[e]
    const points: (number | bigint)[] = new Array(2 * n);
    const priorities: number[] = new Array(n);
    for (let k = 0; k < n; k++) {
      const c = (rules[k]!.peer as { cidr: Cidr }).cidr;
      points[k] = v4 ? c.lo4 : c.lo6;
      points[n + k] = v4 ? c.hi4 + 1 : c.hi6 + 1n;
      priorities[k] = rules[k]!.priority;
    }
    const events = v4 ? sortedEvents4(points as number[]) : sortedEvents6(points as bigint[]);
    const heap = new MinHeap();
    const closed = new Map<number, number>(); // priority → closings not yet taken off the heap
    let open = 0;
    for (let i = 0; i < events.length; ) {
      const pos = points[events[i]!]!;
      for (; i < events.length && points[events[i]!] === pos; i++) {
        const e = events[i]!;
        if (e < n) {
          heap.push(priorities[e]!);
          open++;
        } else {
          const p = priorities[e - n]!;
          closed.set(p, (closed.get(p) ?? 0) + 1);
          open--;
        }
      }
      if (open === 0 || i === events.length) continue;
      // the lowest priority still open; closed ones leave the heap when they reach its top
      for (let top = heap.top(); (closed.get(top) ?? 0) > 0; top = heap.top()) {
        closed.set(top, closed.get(top)! - 1);
        heap.pop();
      }
      this.#append(pos, points[events[i]!]!, heap.top());
    }
  }

  /** Appends [from, end) labelled `winner`, merged with the last range when it continues it. */
  #append(from: number | bigint, end: number | bigint, winner: number): void {
    const last = this.winner.length - 1;
    const merge = last >= this.#sealed;
    if (this.family === 4) {
      const lo = from as number;
      const hi = (end as number) - 1;
      if (merge && this.winner[last] === winner && this.hi4[last]! + 1 === lo) this.hi4[last] = hi;
      else this.#push4(lo, hi, winner);
      return;
    }
    const lo = from as bigint;
    const hi = (end as bigint) - 1n;
    if (merge && this.winner[last] === winner && this.hi6[last]! + 1n === lo) this.hi6[last] = hi;
    else {
      this.lo6.push(lo);
      this.hi6.push(hi);
      this.winner.push(winner);
    }
  }

  #push4(lo: number, hi: number, winner: number): void {
    this.lo4.push(lo);
    this.hi4.push(hi);
    this.winner.push(winner);
  }
}

const EVENT_BITS = 2 ** 21;
/** Below this many events an insertion sort beats allocating a typed array to sort natively. */
const SMALL_SORT = 32;

/**
 * The events of IPv4 blocks in order of position: each packed as position × 2^21 + event in a
 * float64 (exact below 2^53), so that a numeric sort orders them.
 */
function sortedEvents4(points: readonly number[]): readonly number[] {
  const m = points.length;
  if (m > EVENT_BITS) return sortedEvents6(points.map(BigInt));
  const keys = new Array<number>(m);
  for (let e = 0; e < m; e++) keys[e] = points[e]! * EVENT_BITS + e;
  if (m <= SMALL_SORT) {
    for (let i = 1; i < m; i++) {
      const k = keys[i]!;
      let j = i - 1;
      for (; j >= 0 && keys[j]! > k; j--) keys[j + 1] = keys[j]!;
      keys[j + 1] = k;
    }
  } else {
    const sorted = Float64Array.from(keys).sort();
    for (let i = 0; i < m; i++) keys[i] = sorted[i]!;
  }
  for (let i = 0; i < m; i++) keys[i] = keys[i]! % EVENT_BITS;
  return keys;
}

function sortedEvents6(points: readonly bigint[]): readonly number[] {
  return Array.from({ length: points.length }, (_, i) => i).sort((a, b) => {
    const x = points[a]!;
    const y = points[b]!;
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/** A binary min-heap of numbers. */
class MinHeap {
  readonly #a: number[] = [];

  top(): number {
    return this.#a[0]!;
  }

  push(v: number): void {
    const a = this.#a;
    let i = a.push(v) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (a[parent]! <= v) break;
      a[i] = a[parent]!;
      i = parent;
    }
    a[i] = v;
  }

  pop(): void {
    const a = this.#a;
    const last = a.pop()!;
    if (a.length === 0) return;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= a.length) break;
      if (child + 1 < a.length && a[child + 1]! < a[child]!) child++;
      if (a[child]! >= last) break;
      a[i] = a[child]!;
      i = child;
    }
    a[i] = last;
  }
}
