// A packet as the engine sees it: addresses parsed once, ports and ICMP fields as integers.
import type { Address } from "./address.js";
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
}

export function makePacket(s: PacketSpec): Packet {
  const icmp = s.protocol === ICMP || s.protocol === ICMPV6;
  const ports = s.protocol === TCP || s.protocol === UDP;
  return {
    src: s.src,
    dst: s.dst,
    protocol: s.protocol,
    srcPort: ports || icmp ? (s.srcPort ?? 0) : 0,
    dstPort: ports ? (s.dstPort ?? 0) : 0,
    icmpType: icmp ? (s.icmpType ?? 0) : -1,
    icmpCode: icmp ? (s.icmpCode ?? 0) : -1,
    flags: s.protocol === TCP ? (s.flags ?? 0) : 0,
  };
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
