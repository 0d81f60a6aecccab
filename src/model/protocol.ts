// IP protocols by IANA number. AWS APIs accept names for the common four and numbers for the rest,
// with -1 meaning every protocol (aws-rules §1.3, §2.2).
export const ALL = -1;
export const ICMP = 1;
export const TCP = 6;
export const UDP = 17;
export const ICMPV6 = 58;

const NAMES: Readonly<Record<string, number>> = { all: ALL, "-1": ALL, icmp: ICMP, tcp: TCP, udp: UDP, icmpv6: ICMPV6 };

/** A protocol name or number (0-255, or -1); undefined when it is neither. */
export function protocolNumber(value: string | number): number | undefined {
  if (typeof value === "number") return Number.isInteger(value) && value >= -1 && value <= 255 ? value : undefined;
  // Only the table's own names: `constructor` or `__proto__` must not reach Object's prototype.
  const key = value.toLowerCase();
  const named = Object.hasOwn(NAMES, key) ? NAMES[key] : undefined;
  if (named !== undefined) return named;
  return /^\d{1,3}$/.test(value) ? protocolNumber(Number(value)) : undefined;
}

export function protocolName(p: number): string {
  switch (p) {
    case ALL:
      return "all";
    case ICMP:
      return "icmp";
    case TCP:
      return "tcp";
    case UDP:
      return "udp";
    case ICMPV6:
      return "icmpv6";
    default:
      return String(p);
  }
}

/** Protocols whose rules carry a port range (aws-rules §1.3: ports apply to TCP and UDP only). */
export function hasPorts(p: number): boolean {
  return p === TCP || p === UDP;
}

export function isIcmp(p: number): boolean {
  return p === ICMP || p === ICMPV6;
}

/**
 * ICMP error messages that quote a packet of another flow (aws-rules §3.6): destination
 * unreachable (3, with fragmentation needed, code 4) and time exceeded (11); ICMPv6 destination
 * unreachable (1), packet too big (2) and time exceeded (3).
 */
export function isIcmpError(protocol: number, type: number): boolean {
  if (protocol === ICMP) return type === 3 || type === 11;
  return protocol === ICMPV6 && type >= 1 && type <= 3;
}

/** Echo request types and the reply type each expects (ICMP 8→0, ICMPv6 128→129, timestamp 13→14, ...). */
export function icmpReplyType(protocol: number, type: number): number | undefined {
  if (protocol === ICMP) return ({ 8: 0, 13: 14, 15: 16, 17: 18 } as Record<number, number>)[type];
  if (protocol === ICMPV6) return type === 128 ? 129 : undefined;
  return undefined;
}
