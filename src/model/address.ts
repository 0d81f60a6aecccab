// Addresses and CIDR blocks: parsed and validated once with ip-num, then held as plain integers.
// ip-num costs ~25 µs per `contains` (it rebuilds masks as strings), so nothing on the packet
// path calls it: IPv4 is a uint32 in a JS number, IPv6 a bigint, and a CIDR is its [lo, hi] range.
import { IPv4, IPv4CidrRange, IPv6, IPv6CidrRange, Validator } from "ip-num";

export type Family = 4 | 6;

export interface Address {
  readonly family: Family;
  /** uint32 for IPv4, 0 for IPv6 */
  readonly v4: number;
  /** 128-bit value for IPv6, 0n for IPv4 */
  readonly v6: bigint;
  /** canonical text */
  readonly text: string;
  /** 32-bit hash for connection tables: the value for IPv4, a fold of the four words for IPv6 */
  readonly hash: number;
}

export interface Cidr {
  readonly family: Family;
  readonly prefix: number;
  readonly lo4: number;
  readonly hi4: number;
  readonly lo6: bigint;
  readonly hi6: bigint;
  /** canonical text, e.g. 10.0.0.0/16 */
  readonly text: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const V6_MAX = (1n << 128n) - 1n;

export function parseAddress(text: string): Parsed<Address> {
  const s = text.trim();
  if (s.includes(":")) {
    const [valid] = Validator.isValidIPv6String(s);
    if (!valid) return { ok: false, message: `"${text}" is not a valid IPv6 address` };
    const ip = IPv6.fromString(s);
    return { ok: true, value: addressFromV6(ip.getValue()) };
  }
  const [valid] = Validator.isValidIPv4String(s);
  if (!valid) return { ok: false, message: `"${text}" is not a valid IPv4 address` };
  return { ok: true, value: addressFromV4(Number(IPv4.fromString(s).getValue())) };
}

/**
 * Parses a CIDR block. Host bits must be zero: AWS canonicalises `10.0.0.5/24` silently
 * (aws-rules §1.1), which hides typos, so we reject it and name the block that was meant.
 */
export function parseCidr(text: string): Parsed<Cidr> {
  const s = text.trim();
  const slash = s.indexOf("/");
  if (slash < 0) return { ok: false, message: `"${text}" is not a CIDR block: it needs a prefix length, e.g. ${s}/32` };
  const family: Family = s.includes(":") ? 6 : 4;
  const prefixText = s.slice(slash + 1);
  const max = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) {
    return { ok: false, message: `"${text}": the prefix length must be 0 to ${max}` };
  }
  const base = parseAddress(s.slice(0, slash));
  if (!base.ok) return { ok: false, message: `"${text}" is not a valid IPv${family} CIDR block` };
  const prefix = Number(prefixText);
  if (family === 4) {
    const r = IPv4CidrRange.fromCidr(s);
    const lo = Number(r.getFirst().getValue());
    const hi = Number(r.getLast().getValue());
    const canonical = `${formatV4(lo)}/${prefix}`;
    if (lo !== base.value.v4) return { ok: false, message: `"${text}" has host bits set: did you mean ${canonical}?` };
    return { ok: true, value: { family, prefix, lo4: lo, hi4: hi, lo6: 0n, hi6: 0n, text: canonical } };
  }
  const r = IPv6CidrRange.fromCidr(s);
  const lo = r.getFirst().getValue();
  const hi = r.getLast().getValue();
  const canonical = `${formatV6(lo)}/${prefix}`;
  if (lo !== base.value.v6) return { ok: false, message: `"${text}" has host bits set: did you mean ${canonical}?` };
  return { ok: true, value: { family, prefix, lo4: 0, hi4: 0, lo6: lo, hi6: hi, text: canonical } };
}

export const ANY_V4: Cidr = { family: 4, prefix: 0, lo4: 0, hi4: 0xffffffff, lo6: 0n, hi6: 0n, text: "0.0.0.0/0" };
export const ANY_V6: Cidr = { family: 6, prefix: 0, lo4: 0, hi4: 0, lo6: 0n, hi6: V6_MAX, text: "::/0" };

export function cidrContains(c: Cidr, a: Address): boolean {
  if (c.family !== a.family) return false;
  return c.family === 4 ? a.v4 >= c.lo4 && a.v4 <= c.hi4 : a.v6 >= c.lo6 && a.v6 <= c.hi6;
}

/** True when `inner` lies wholly inside `outer`. */
export function cidrWithin(inner: Cidr, outer: Cidr): boolean {
  if (inner.family !== outer.family) return false;
  return inner.family === 4 ? inner.lo4 >= outer.lo4 && inner.hi4 <= outer.hi4 : inner.lo6 >= outer.lo6 && inner.hi6 <= outer.hi6;
}

export function addressFromV4(v: number): Address {
  return { family: 4, v4: v, v6: 0n, text: formatV4(v), hash: v | 0 };
}

export function addressFromV6(v: bigint): Address {
  const w = BigInt.asUintN(32, v) ^ BigInt.asUintN(32, v >> 32n) ^ BigInt.asUintN(32, v >> 64n) ^ (v >> 96n);
  return { family: 6, v4: 0, v6: v, text: formatV6(v), hash: Number(w) | 0 };
}

export function sameAddress(a: Address, b: Address): boolean {
  return a === b || (a.family === b.family && a.v4 === b.v4 && a.v6 === b.v6);
}

/** The address `offset` after the start of a block (VPC base + 2 is the Amazon DNS resolver). */
export function offsetAddress(c: Cidr, offset: number): Address {
  return c.family === 4 ? addressFromV4(c.lo4 + offset) : addressFromV6(c.lo6 + BigInt(offset));
}

export function formatV4(v: number): string {
  return `${(v >>> 24) & 255}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}

/** RFC 5952 text: lower case, leading zeros dropped, the longest run of zero groups as `::`. */
export function formatV6(v: bigint): string {
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((v >> BigInt(i * 16)) & 0xffffn));
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLen).join(":")}`;
}
