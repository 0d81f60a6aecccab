// A packet as the engine sees it: addresses parsed once, ports and ICMP fields as integers.
import type { Address } from "./address.js";
import { addressFromV4, addressFromV6 } from "./address.js";
import { shown, VpcsimError } from "./errors.js";
import { ICMP, ICMPV6, TCP, UDP } from "./protocol.js";

/** TCP flag bits as in flow logs (aws-rules §6.1). */
export const FIN = 1;
export const SYN = 2;
export const RST = 4;
export const PSH = 8;
export const ACK = 16;

export interface Packet {
  readonly src: Address;
  readonly dst: Address;
  readonly protocol: number;
  /** TCP/UDP source port; for ICMP echo, the identifier; else 0 */
  readonly srcPort: number;
  /** TCP/UDP destination port; else 0 */
  readonly dstPort: number;
  /** ICMP type and code; -1 when the packet is not ICMP */
  readonly icmpType: number;
  readonly icmpCode: number;
  readonly flags: number;
  /** An ICMP error's quoted packet: the header of the packet it answers (aws-rules §3.6) */
  readonly related?: Packet;
}

export interface PacketSpec {
  src: Address;
  dst: Address;
  protocol: number;
  srcPort?: number;
  dstPort?: number;
  icmpType?: number;
  icmpCode?: number;
  flags?: number;
  /** an ICMP message's quoted packet, itself from makePacket, of the same IP version */
  related?: Packet;
}

/**
 * A packet from its fields, checked: `src` and `dst` are Addresses (from `parseAddress`) of one
 * family, `protocol` an integer 0-255, ports integers 0-65535, ICMP type and code and the TCP
 * flags integers 0-255. Anything else throws a VpcsimError. The packet is frozen, so that it stays
 * as checked.
 */
export function makePacket(s: PacketSpec): Packet {
  if (typeof s !== "object" || s === null) throw new VpcsimError("argument/packet", `makePacket takes a packet's fields, not ${shown(s)}`);
  checkAddresses(s.src, s.dst, "makePacket");
  const protocol = s.protocol;
  if (!isInteger(protocol, 0, 255)) {
    throw new VpcsimError("argument/protocol", `makePacket: protocol ${shown(protocol)} is not an IP protocol number 0-255 (tcp is 6)`);
  }
  const icmp = protocol === ICMP || protocol === ICMPV6;
  checkOptional(s.srcPort, "srcPort", 0, 65535, "argument/port");
  checkOptional(s.dstPort, "dstPort", 0, 65535, "argument/port");
  // A packet that is not ICMP has type and code -1, and may be given them back (`{ ...packet }`).
  checkOptional(s.icmpType, "icmpType", icmp ? 0 : -1, 255, "argument/icmp");
  checkOptional(s.icmpCode, "icmpCode", icmp ? 0 : -1, 255, "argument/icmp");
  checkOptional(s.flags, "flags", 0, 255, "argument/flags");
  const ports = protocol === TCP || protocol === UDP;
  const related = s.related;
  if (related !== undefined) {
    checkPacket(related, "send");
    if (!icmp || related.src.family !== s.src.family)
      throw new VpcsimError("argument/packet", "makePacket: only an ICMP message quotes a packet, and one of its own IP version");
  }
  const p: Packet = Object.freeze({
    src: s.src,
    dst: s.dst,
    protocol,
    srcPort: ports || icmp ? (s.srcPort ?? 0) : 0,
    dstPort: ports ? (s.dstPort ?? 0) : 0,
    icmpType: icmp ? (s.icmpType ?? 0) : -1,
    icmpCode: icmp ? (s.icmpCode ?? 0) : -1,
    flags: protocol === TCP ? (s.flags ?? 0) : 0,
    ...(related !== undefined ? { related } : {}),
  });
  return p;
}

/**
 * Throws a VpcsimError unless `p` is a packet the engine can walk. It sits on the verdict path, so
 * it is a few integer comparisons on fields the walk reads next anyway (`"443" & 0xffff` is 443,
 * not `"443"`; `443.5 & 0xffff` is 443): a packet from `makePacket` passes them all, and only one
 * that fails is looked at closely, to say what is wrong. A hand-built packet that passes walks.
 */
export function checkPacket(p: Packet, where: "send" | "verdict"): void {
  // The bitwise tests convert hostile values (an object whose toString is not a function) by
  // throwing a TypeError: such a packet is refused with the others, in words.
  try {
    if (passes(p, where)) return;
  } catch {
    // refused below
  }
  throw packetProblem(p, where);
}

/** Whether `p` passes the cheap checks of `checkPacket`. */
function passes(p: Packet, where: "send" | "verdict"): boolean {
  if (typeof p === "object" && p !== null) {
    const s = p.src;
    const d = p.dst;
    const proto = p.protocol;
    const t = p.icmpType;
    const c = p.icmpCode;
    if (
      (proto & 255) === proto &&
      (p.srcPort & 0xffff) === p.srcPort &&
      (p.dstPort & 0xffff) === p.dstPort &&
      (p.flags & 255) === p.flags &&
      ((t & 255) === t || t === -1) &&
      ((c & 255) === c || c === -1) &&
      typeof s === "object" &&
      s !== null &&
      typeof d === "object" &&
      d !== null &&
      s.family === d.family &&
      (s.family === 4
        ? s.v4 >>> 0 === s.v4 && s.hash === (s.v4 | 0) && d.v4 >>> 0 === d.v4 && d.hash === (d.v4 | 0)
        : s.family === 6 && typeof s.v6 === "bigint" && typeof d.v6 === "bigint" && (s.hash | 0) === s.hash && (d.hash | 0) === d.hash)
    ) {
      // A trace writes the addresses out; the verdict path never reads their text.
      return where === "verdict" || (typeof s.text === "string" && typeof d.text === "string");
    }
  }
  return false;
}

/** What is wrong with a packet `checkPacket` refused, in words. */
function packetProblem(p: Packet, where: string): VpcsimError {
  if (typeof p !== "object" || p === null)
    return new VpcsimError("argument/packet", `${where}: expected a packet from makePacket, got ${shown(p)}`);
  if (!isInteger(p.protocol, 0, 255)) {
    return new VpcsimError("argument/protocol", `${where}: protocol ${shown(p.protocol)} is not an IP protocol number 0-255`);
  }
  for (const [field, value, min, max, code] of [
    ["srcPort", p.srcPort, 0, 65535, "argument/port"],
    ["dstPort", p.dstPort, 0, 65535, "argument/port"],
    // -1 is how a packet that is not ICMP says it has no type and code
    ["icmpType", p.icmpType, -1, 255, "argument/icmp"],
    ["icmpCode", p.icmpCode, -1, 255, "argument/icmp"],
    ["flags", p.flags, 0, 255, "argument/flags"],
  ] as const) {
    if (!isInteger(value, min, max)) return new VpcsimError(code, `${where}: ${field} ${shown(value)} is not an integer ${min}-${max}`);
  }
  const address = (a: Address, field: string) => {
    const ok =
      typeof a === "object" &&
      a !== null &&
      typeof a.text === "string" &&
      (a.family === 4
        ? isInteger(a.v4, 0, 0xffffffff) && a.hash === (a.v4 | 0)
        : a.family === 6 && typeof a.v6 === "bigint" && isInteger(a.hash, -(2 ** 31), 2 ** 31 - 1));
    return ok ? undefined : new VpcsimError("argument/address", `${where}: ${field} is not an Address; make addresses with parseAddress`);
  };
  return (
    address(p.src, "src") ??
    address(p.dst, "dst") ??
    new VpcsimError("argument/address", `${where}: src ${p.src.text} and dst ${p.dst.text} are of different IP versions`)
  );
}

/** Addresses already found to be as `parseAddress` makes them (a world's addresses recur in every packet). */
const GOOD_ADDRESSES = new WeakSet<Address>();

function isInteger(v: unknown, min: number, max: number): v is number {
  return typeof v === "number" && Number.isInteger(v) && v >= min && v <= max;
}

function checkOptional(
  v: unknown,
  field: string,
  min: number,
  max: number,
  code: "argument/port" | "argument/icmp" | "argument/flags",
): void {
  if (v !== undefined && !isInteger(v, min, max))
    throw new VpcsimError(code, `makePacket: ${field} ${shown(v)} is not an integer ${min}-${max}`);
}

function checkAddresses(src: Address, dst: Address, where: string): void {
  checkAddress(src, "src", where);
  checkAddress(dst, "dst", where);
  if (src.family !== dst.family) {
    throw new VpcsimError("argument/address", `${where}: src ${src.text} and dst ${dst.text} are of different IP versions`);
  }
}

/** An Address as `parseAddress` makes it: its value in range, and its text and hash those of the value. */
function checkAddress(a: Address, field: string, where: string): void {
  if (GOOD_ADDRESSES.has(a)) return;
  const bad = (why: string) => new VpcsimError("argument/address", `${where}: ${field} ${why}; make addresses with parseAddress`);
  if (typeof a !== "object" || a === null) throw bad(`is ${shown(a)}, not an Address`);
  let expected: Address;
  if (a.family === 4 && isInteger(a.v4, 0, 0xffffffff) && a.v6 === 0n) expected = addressFromV4(a.v4);
  else if (a.family === 6 && typeof a.v6 === "bigint" && a.v6 >= 0n && a.v6 < 1n << 128n && a.v4 === 0) expected = addressFromV6(a.v6);
  else throw bad("is not an IPv4 or IPv6 address");
  if (a.text !== expected.text || a.hash !== expected.hash) throw bad(`${shown(a.text)} does not match its value ${expected.text}`);
  GOOD_ADDRESSES.add(a);
}

export function withAddresses(p: Packet, src: Address, srcPort: number, dst: Address, dstPort: number): Packet {
  return { ...p, src, srcPort, dst, dstPort };
}

export function flagText(flags: number): string {
  const names: string[] = [];
  if (flags & SYN) names.push("SYN");
  if (flags & FIN) names.push("FIN");
  if (flags & RST) names.push("RST");
  if (flags & PSH) names.push("PSH");
  if (flags & ACK) names.push("ACK");
  return names.join(",");
}
