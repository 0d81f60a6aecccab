// The key a rule set is indexed by, stated once for network ACLs and security groups alike
// (aws-rules §1.3, §2.2): a TCP or UDP packet's key is its destination port; an ICMP or ICMPv6
// packet's is type·256+code; any other protocol's is 0. A rule covers a range of keys: its ports
// for TCP and UDP, its type and code for ICMP, and for ICMPv6 only when its block is IPv6 (with an
// IPv4 block AWS matches every type and code); a rule of any other protocol covers every key.
import type { Family } from "../model/address.js";
import type { IcmpMatch, PortRange } from "../model/model.js";
import type { Packet } from "../model/packet.js";
import { hasPorts, ICMP, ICMPV6, TCP, UDP } from "../model/protocol.js";

export const KEY_MAX = 0xffff;

/** The key of a packet. */
export function packetKey(p: Packet): number {
  const proto = p.protocol;
  if (proto === TCP || proto === UDP) return p.dstPort;
  if (proto === ICMP || proto === ICMPV6) return ((p.icmpType & 255) << 8) | (p.icmpCode & 255);
  return 0;
}

/** The keys a rule covers when it meets a packet of `family`; absent ports or ICMP match mean all. */
export function ruleKeys(protocol: number, ports: PortRange | undefined, icmp: IcmpMatch | undefined, family: Family): [number, number] {
  if (hasPorts(protocol)) return [ports?.from ?? 0, ports?.to ?? KEY_MAX];
  if (protocol === ICMP || (protocol === ICMPV6 && family === 6)) return icmpKeys(icmp?.type ?? -1, icmp?.code ?? -1);
  return [0, KEY_MAX];
}

/** The keys of an ICMP type/code test; -1 is any (a code needs a type, §1.3). */
function icmpKeys(type: number, code: number): [number, number] {
  if (type < 0) return [0, KEY_MAX];
  if (code < 0) return [type << 8, (type << 8) | 255];
  return [(type << 8) | code, (type << 8) | code];
}
