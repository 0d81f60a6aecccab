// Rules as boxes over protocol × key × address, and whether earlier boxes cover a later one: the
// question behind a shadowed ACL rule (aws-rules §1.1) and a group rule another makes useless
// (§2.1). A box minus a box is at most six boxes, so covering is a few subtractions per rule.

import { ruleKeys } from "../compile/keys.js";
import type { Cidr, Family } from "../model/address.js";
import type { IcmpMatch, PortRange } from "../model/model.js";
import { ALL } from "../model/protocol.js";

/** Inclusive bounds per dimension: protocol, key (port or ICMP type·code), address. */
export type Box = readonly (readonly [bigint, bigint])[];

/** What a rule matches, as a box; `-1` (all) is every protocol number. */
export function ruleBox(protocol: number, ports: PortRange | undefined, icmp: IcmpMatch | undefined, cidr: Cidr): Box {
  return ruleBoxOf(protocol, ports, icmp, cidr.family, cidrRange(cidr));
}

/** The box of a rule whose peer is not an address block (a group reference): the address axis is one point. */
export function ruleBoxOf(
  protocol: number,
  ports: PortRange | undefined,
  icmp: IcmpMatch | undefined,
  family: Family,
  addresses: readonly [bigint, bigint],
): Box {
  const [keyLo, keyHi] = ruleKeys(protocol, ports, icmp, family);
  const protocols: readonly [bigint, bigint] = protocol === ALL ? [0n, 255n] : [BigInt(protocol), BigInt(protocol)];
  return [protocols, [BigInt(keyLo), BigInt(keyHi)], addresses];
}

export function cidrRange(c: Cidr): readonly [bigint, bigint] {
  return c.family === 4 ? [BigInt(c.lo4), BigInt(c.hi4)] : [c.lo6, c.hi6];
}

export function overlaps(a: Box, b: Box): boolean {
  return a.every(([lo, hi], d) => lo <= b[d]![1] && b[d]![0] <= hi);
}

/** `a` without `b`, as disjoint boxes. */
export function subtractBox(a: Box, b: Box): Box[] {
  if (!overlaps(a, b)) return [a];
  const out: Box[] = [];
  const rest = a.map((r) => [r[0], r[1]] as [bigint, bigint]);
  for (let d = 0; d < rest.length; d++) {
    const [lo, hi] = rest[d]!;
    const [blo, bhi] = b[d]!;
    if (lo < blo) out.push(rest.map((r, k) => (k === d ? ([lo, blo - 1n] as const) : ([r[0], r[1]] as const))));
    if (hi > bhi) out.push(rest.map((r, k) => (k === d ? ([bhi + 1n, hi] as const) : ([r[0], r[1]] as const))));
    rest[d] = [bigMax(lo, blo), bigMin(hi, bhi)];
  }
  return out;
}

// Math.max and Math.min take numbers only.
function bigMax(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

function bigMin(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

/** Whether the union of `cover` holds all of `box`. */
export function covered(box: Box, cover: readonly Box[]): boolean {
  let left: Box[] = [box];
  for (const c of cover) {
    left = left.flatMap((b) => subtractBox(b, c));
    if (left.length === 0) return true;
  }
  return left.length === 0;
}
