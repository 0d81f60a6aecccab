// Addresses and CIDR blocks: validated once with ip-num, then held as plain integers; a block's
// range is plain arithmetic on its base. Any text gives a value or a message, never a throw.
// ip-num costs ~25 µs per `contains` (it rebuilds masks as strings), so nothing on the packet
// path calls it: IPv4 is a uint32 in a JS number, IPv6 a bigint, and a CIDR is its [lo, hi] range.
import { IPv4, IPv6, Validator } from "ip-num";

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

/** Why a text is not an address or block, when a caller gives it its own diagnostic code. */
export type AddressProblem = "invalid" | "host-bits" | "zone-id" | "ipv4-mapped";

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string; reason: AddressProblem };

const V6_MAX = (1n << 128n) - 1n;

/** Any text; never throws: what is not an IPv4 or IPv6 address gets a message saying why. */
export function parseAddress(text: string): Parsed<Address> {
  const s = text.trim();
  const family: Family = s.includes(":") ? 6 : 4;
  const v = readAddress(text, s, family);
  if (v === undefined) return invalid(`"${text}" is not a valid IPv${family} address`);
  if (typeof v === "object") return v;
  if (typeof v === "number") return { ok: true, value: addressFromV4(v) };
  if (isIpv4Mapped(v)) return mapped(text, `address: write the IPv4 address ${formatV4(Number(v & 0xffffffffn))}`);
  return { ok: true, value: addressFromV6(v) };
}

/**
 * Parses a CIDR block. Host bits must be zero: AWS canonicalises `10.0.0.5/24` silently
 * (aws-rules §1.1), which hides typos, so we reject it and name the block that was meant.
 */
export function parseCidr(text: string): Parsed<Cidr> {
  const s = text.trim();
  const family: Family = s.includes(":") ? 6 : 4;
  const max = family === 4 ? 32 : 128;
  const slash = s.indexOf("/");
  if (slash < 0) {
    const a = parseAddress(s);
    return invalid(`"${text}" is not a CIDR block${a.ok ? `: it needs a prefix length, e.g. ${a.value.text}/${max}` : ""}`);
  }
  const prefixText = s.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) return invalid(`"${text}": the prefix length must be 0 to ${max}`);
  const prefix = Number(prefixText);
  const base = readAddress(text, s.slice(0, slash), family);
  if (base === undefined) return invalid(`"${text}" is not a valid IPv${family} CIDR block`);
  if (typeof base === "object") return base;
  if (typeof base === "number") {
    const size = 2 ** (32 - prefix);
    const lo = Math.floor(base / size) * size;
    const canonical = `${formatV4(lo)}/${prefix}`;
    if (lo !== base) return { ok: false, reason: "host-bits", message: `"${text}" has host bits set: did you mean ${canonical}?` };
    return { ok: true, value: { family, prefix, lo4: lo, hi4: lo + size - 1, lo6: 0n, hi6: 0n, text: canonical } };
  }
  const hostMask = (1n << BigInt(128 - prefix)) - 1n;
  const lo = base & ~hostMask & V6_MAX;
  const canonical = `${formatV6(lo)}/${prefix}`;
  if (lo !== base) return { ok: false, reason: "host-bits", message: `"${text}" has host bits set: did you mean ${canonical}?` };
  if (prefix >= 96 && isIpv4Mapped(lo)) {
    return mapped(text, `block: write the IPv4 block ${formatV4(Number(lo & 0xffffffffn))}/${prefix - 96}`);
  }
  return { ok: true, value: { family, prefix, lo4: 0, hi4: 0, lo6: lo, hi6: lo | hostMask, text: canonical } };
}

type Failure = Extract<Parsed<never>, { ok: false }>;

function invalid(message: string): Failure {
  return { ok: false, reason: "invalid", message };
}

/** ::ffff:0:0/96, where RFC 4291 section 2.5.5.2 writes IPv4 addresses in IPv6 form. */
function isIpv4Mapped(v: bigint): boolean {
  return v >> 32n === 0xffffn;
}

function mapped(text: string, what: string): Failure {
  return {
    ok: false,
    reason: "ipv4-mapped",
    message: `"${text}" is an IPv4-mapped IPv6 ${what}. Mapped addresses stand for IPv4 hosts inside a dual-stack socket API and never travel in IPv6 packets; AWS's rules and routes keep IPv4 and IPv6 apart`,
  };
}

/**
 * The value of an address's text (`s`, trimmed): a uint32 for IPv4, a bigint for IPv6, a failure
 * with its own reason, or undefined when it is no address at all.
 */
function readAddress(text: string, s: string, family: Family): number | bigint | Failure | undefined {
  if (family === 4) {
    if (!/^[0-9.]+$/.test(s) || !Validator.isValidIPv4String(s)[0]) return undefined;
    return Number(IPv4.fromString(s).getValue());
  }
  const zone = s.indexOf("%");
  // A zone id names a link of the host that writes it (RFC 4007 section 11); no AWS API takes one.
  if (zone >= 0) {
    return {
      ok: false,
      reason: "zone-id",
      message: `"${text}" has a zone id (${s.slice(zone)}): a zone names a link of one host and means nothing in a VPC; leave it out`,
    };
  }
  const hex = hexTail(s);
  if (hex === undefined || !/^[0-9a-fA-F:]+$/.test(hex) || !Validator.isValidIPv6String(hex)[0]) return undefined;
  return IPv6.fromString(hex).getValue();
}

/** `64:ff9b::192.0.2.1` as `64:ff9b::c000:201`: ip-num reads hex groups only (RFC 4291 section 2.2 allows the dotted tail). */
function hexTail(s: string): string | undefined {
  if (!s.includes(".")) return s;
  const colon = s.lastIndexOf(":");
  const tail = s.slice(colon + 1);
  if (!/^[0-9.]+$/.test(tail) || !Validator.isValidIPv4String(tail)[0]) return undefined;
  const v = Number(IPv4.fromString(tail).getValue());
  return `${s.slice(0, colon + 1)}${(v >>> 16).toString(16)}:${(v & 0xffff).toString(16)}`;
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
