// Field values of scenario files, parsed. Each parser reports what is wrong at the field's path
// and returns undefined, so that the loader goes on and finds every problem of a file.
import type { Address, AddressProblem, Cidr, Family, Parsed } from "../model/address.js";
import { parseAddress, parseCidr } from "../model/address.js";
import { EPHEMERAL_PROFILES } from "../model/defaults.js";
import type { DiagnosticCode } from "../model/diagnostic.js";
import { shown, VpcsimError } from "../model/errors.js";
import type { IcmpMatch, PortRange } from "../model/model.js";
import { ACK, FIN, PSH, RST, SYN } from "../model/packet.js";
import { hasPorts, isIcmp, protocolName, protocolNumber } from "../model/protocol.js";
import type { Path, Problems } from "./diagnostics.js";

/**
 * A duration as scenario files write it (`30s`, `5m`, `2h`, `6d`, `250ms`, or a number of seconds),
 * in seconds. Anything else throws a VpcsimError (`argument/duration`): the loader's schema lets
 * only these forms through, so a caller of the code API is the one who passed it.
 */
export function parseDuration(value: number | string): number {
  const bad = (why: string) => new VpcsimError("argument/duration", `parseDuration: ${why}`);
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 0) throw bad(`${value} is not a number of seconds (finite, 0 or more)`);
    return value;
  }
  if (typeof value !== "string") throw bad(`expected a number of seconds or a text like "30s", got ${shown(value)}`);
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/.exec(value);
  if (!m) throw bad(`${JSON.stringify(value)} is not a duration: write 30s, 5m, 2h, 6d, 250ms or a number of seconds`);
  const unit = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as "ms" | "s" | "m" | "h" | "d"];
  const seconds = Number(m[1]) * unit;
  if (!Number.isFinite(seconds)) throw bad(`${JSON.stringify(value)} is too long to count in seconds`);
  return seconds;
}

/**
 * A duration in seconds, in parseDuration's forms. The schema admits any number of digits, so one
 * with no finite value (400 nines) is a problem at its field here, where parseDuration would throw.
 */
export function duration(value: number | string, path: Path, problems: Problems): number | undefined {
  const amount = typeof value === "number" ? value : Number(/\d+(?:\.\d+)?/.exec(value)?.[0] ?? 0);
  // the largest unit is a day: a count that stays finite in days stays finite in seconds
  if (!Number.isFinite(amount * 86400))
    return problems.error(path, "duration/too-long", `the duration ${value} is too long to count in seconds`);
  return parseDuration(value);
}

/** The code of each reason an address or block is refused. */
const ADDRESS_CODES = {
  address: {
    invalid: "address/invalid",
    "host-bits": "address/invalid",
    "zone-id": "address/zone-id",
    "ipv4-mapped": "address/ipv4-mapped",
  },
  cidr: { invalid: "cidr/invalid", "host-bits": "cidr/host-bits", "zone-id": "address/zone-id", "ipv4-mapped": "address/ipv4-mapped" },
} as const satisfies Record<string, Record<AddressProblem, DiagnosticCode>>;

/** A CIDR block, of the given family when one is required. */
export function cidr(text: string, path: Path, problems: Problems, family?: Family): Cidr | undefined {
  return ofFamily(parseCidr(text), "cidr", text, path, problems, family);
}

/** An IP address, of the given family when one is required. */
export function address(text: string, path: Path, problems: Problems, family?: Family): Address | undefined {
  return ofFamily(parseAddress(text), "address", text, path, problems, family);
}

/** A parsed block or address, or the problem with it: unparsable, or of the other family. */
function ofFamily<T extends { readonly family: Family }>(
  r: Parsed<T>,
  kind: "cidr" | "address",
  text: string,
  path: Path,
  problems: Problems,
  family: Family | undefined,
): T | undefined {
  if (!r.ok) return problems.error(path, ADDRESS_CODES[kind][r.reason], r.message);
  if (family && r.value.family !== family) {
    const noun = kind === "cidr" ? "block" : "address";
    return problems.error(path, `${kind}/family`, `"${text}" is an IPv${r.value.family} ${noun} where an IPv${family} ${noun} belongs`);
  }
  return r.value;
}

/** `443` or `1024-65535`. */
export function portRange(value: number | string, path: Path, problems: Problems): PortRange | undefined {
  const [from, to = from] = typeof value === "number" ? [value] : (value.split("-").map((s) => Number(s.trim())) as [number, number?]);
  if (!(from >= 0 && from <= 65535 && to >= 0 && to <= 65535)) {
    return problems.error(path, "port/range", `port ${value} is outside 0-65535`);
  }
  if (from > to) return problems.error(path, "port/order", `port range ${value} ends before it starts`);
  return { from, to };
}

/** A protocol name or number; -1 (`all`) included. */
export function protocol(value: string | number, path: Path, problems: Problems): number | undefined {
  // protocolNumber reads its names from a plain object: "constructor" would give Object itself
  const p = protocolNumber(value);
  return typeof p !== "number"
    ? problems.error(path, "protocol/unknown", `unknown protocol "${value}": use tcp, udp, icmp, icmpv6, all or a number 0-255`)
    : p;
}

/** The traffic fields a network ACL or security group rule shares. */
export interface MatchInput {
  protocol: string | number;
  ports?: number | string | undefined;
  "icmp-type"?: number | undefined;
  "icmp-code"?: number | undefined;
}

export interface Match {
  protocol: number;
  ports?: PortRange;
  icmp?: IcmpMatch;
}

/** What a rule matches: a protocol, and ports for tcp and udp or a type and code for ICMP (aws-rules §1.3, §2.2). */
export function match(r: MatchInput, path: Path, problems: Problems): Match | undefined {
  const p = protocol(r.protocol, [...path, "protocol"], problems);
  if (p === undefined) return undefined;
  if (r.ports !== undefined && !hasPorts(p)) {
    return problems.error([...path, "ports"], "rule/ports-without-tcp-udp", "ports apply to tcp and udp only");
  }
  // aws-rules §1.7: the API refuses a tcp or udp rule without a port range
  if (r.ports === undefined && hasPorts(p)) {
    const name = protocolName(p);
    return problems.error(
      [...path, "protocol"],
      "rule/ports-required",
      `a ${name} rule needs ports: add \`ports: 443\` or a range such as \`ports: 1024-65535\` (\`ports: 0-65535\` for every port), or use protocol all`,
    );
  }
  if ((r["icmp-type"] !== undefined || r["icmp-code"] !== undefined) && !isIcmp(p)) {
    return problems.error([...path, "icmp-type"], "rule/icmp-without-icmp", "icmp-type and icmp-code apply to icmp and icmpv6 only");
  }
  const out: Match = { protocol: p };
  if (r.ports !== undefined) {
    const range = portRange(r.ports, [...path, "ports"], problems);
    if (!range) return undefined;
    out.ports = range;
  }
  if (isIcmp(p) && r["icmp-type"] !== undefined) {
    const icmp = icmpMatch(r["icmp-type"], r["icmp-code"] ?? -1, path, problems);
    if (!icmp) return undefined;
    out.icmp = icmp;
  } else if (r["icmp-code"] !== undefined) {
    return problems.error([...path, "icmp-code"], "icmp/code-without-type", "icmp-code needs icmp-type");
  }
  return out;
}

/** A rule's ICMP type and code, -1 for any. */
function icmpMatch(type: number, code: number, path: Path, problems: Problems): IcmpMatch | undefined {
  if (type < -1 || type > 255) return problems.error([...path, "icmp-type"], "icmp/range", `ICMP type ${type} is outside -1..255`);
  if (code < -1 || code > 255) return problems.error([...path, "icmp-code"], "icmp/range", `ICMP code ${code} is outside -1..255`);
  // aws-rules §2.2: a start of -1 (all types) needs an end of -1 (all codes)
  if (type === -1 && code !== -1) {
    return problems.error(
      [...path, "icmp-code"],
      "icmp/code-without-type",
      "an ICMP code needs an ICMP type; with icmp-type -1 the code must be -1",
    );
  }
  return { type, code };
}

const FLAG_BITS: ReadonlyMap<string, number> = new Map([
  ["SYN", SYN],
  ["ACK", ACK],
  ["FIN", FIN],
  ["RST", RST],
  ["PSH", PSH],
]);

/** TCP flags such as `SYN` or `ACK,PSH`, as bits; undefined when none are given. */
export function tcpFlags(text: string | undefined, path: Path, problems: Problems): number | undefined {
  if (text === undefined) return undefined;
  let f = 0;
  for (const part of text.split(/[\s,|+]+/).filter(Boolean)) {
    const b = FLAG_BITS.get(part.toUpperCase());
    if (b === undefined) return problems.error(path, "tcp/flags", `unknown TCP flag "${part}": use SYN, ACK, FIN, RST, PSH`);
    f |= b;
  }
  return f;
}

/** A host's client port range: a named profile (aws-rules §1.4) or a range; Linux's when none is given. */
export function ephemeralPorts(value: string | number | undefined, path: Path, problems: Problems): PortRange | undefined {
  if (value === undefined) return EPHEMERAL_PROFILES.linux!;
  // own properties only: a profile called `constructor` is no profile
  if (typeof value === "string" && Object.hasOwn(EPHEMERAL_PROFILES, value)) return EPHEMERAL_PROFILES[value];
  if (typeof value === "string" && !/^\s*\d+\s*(-\s*\d+\s*)?$/.test(value)) {
    const profiles = Object.keys(EPHEMERAL_PROFILES).join(", ");
    return problems.error(path, "port/range", `"${value}" is neither a client port profile (${profiles}) nor a port range like 1024-65535`);
  }
  return portRange(value, path, problems);
}
