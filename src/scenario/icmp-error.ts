// ICMP errors a scenario can send about a connection's packet (aws-rules §3.6): the message
// answers the packet and quotes it, so a security group can tell which connection it is about.

import { shown, VpcsimError } from "../model/errors.js";
import type { Packet } from "../model/packet.js";
import { makePacket } from "../model/packet.js";
import { ICMP, ICMPV6 } from "../model/protocol.js";

/** Each error's ICMP type and code, and ICMPv6 type and code. */
export const ICMP_ERRORS = {
  // Path MTU discovery's message: IPv4 type 3 code 4; IPv6 has no fragmentation on the way, so packet too big
  "fragmentation-needed": { v4: [3, 4], v6: [2, 0] },
  "packet-too-big": { v4: [3, 4], v6: [2, 0] },
  // host unreachable; ICMPv6 address unreachable
  "destination-unreachable": { v4: [3, 1], v6: [1, 3] },
  // time to live exceeded in transit; ICMPv6 hop limit exceeded
  "time-exceeded": { v4: [11, 0], v6: [3, 0] },
} as const satisfies Record<string, { v4: readonly [number, number]; v6: readonly [number, number] }>;

export type IcmpErrorKind = keyof typeof ICMP_ERRORS;
export const ICMP_ERROR_KINDS = Object.keys(ICMP_ERRORS) as [IcmpErrorKind, ...IcmpErrorKind[]];

/** The error `kind` that `p`'s destination sends back to its source, quoting `p`. */
export function icmpErrorAbout(p: Packet, kind: IcmpErrorKind): Packet {
  // a step built in code reaches here unchecked; the table is a plain object, so own keys only
  if (typeof kind !== "string" || !Object.hasOwn(ICMP_ERRORS, kind))
    throw new VpcsimError("argument/scenario", `icmp-error ${shown(kind)} is none of ${ICMP_ERROR_KINDS.join(", ")}`);
  const v4 = p.src.family === 4;
  const [icmpType, icmpCode] = ICMP_ERRORS[kind][v4 ? "v4" : "v6"];
  return makePacket({ src: p.dst, dst: p.src, protocol: v4 ? ICMP : ICMPV6, icmpType, icmpCode, related: p });
}
