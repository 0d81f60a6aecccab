import type { Address, Packet, Scenario } from "../src/index.js";
import { type Engine, loadScenario, makePacket, parseAddress, protocolNumber } from "../src/index.js";
import { checkedEngine } from "./agreement.js";

export function scenario(text: string, file = "test.yaml"): Scenario {
  const r = loadScenario(text, file);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.message} ${d.code}`).join("\n"));
  return r.scenario;
}

/** An engine whose every packet is checked against a verdict-only twin and the reference (tests/agreement.ts). */
export function engine(text: string): Engine {
  return checkedEngine(scenario(text).world);
}

export function ip(text: string): Address {
  const a = parseAddress(text);
  if (!a.ok) throw new Error(a.message);
  return a.value;
}

/** `pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5432 SYN")`, `pkt("icmp 10.0.0.5 > 8.8.8.8 8/0")` */
export function pkt(spec: string): Packet {
  const [proto, src, , dst, extra] = spec.split(/\s+/) as [string, string, string, string, string | undefined];
  const protocol = protocolNumber(proto)!;
  const split = (s: string): [string, number | undefined] => {
    const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(s);
    if (m && (m[1]!.includes(".") || s.startsWith("["))) return [m[1]!, Number(m[2])];
    return [s, undefined];
  };
  const [sa, sp] = split(src);
  const [da, dp] = split(dst);
  const flagBits: Record<string, number> = { FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16 };
  let flags = 0;
  let icmpType: number | undefined;
  let icmpCode: number | undefined;
  if (extra && /^\d+\/\d+$/.test(extra)) [icmpType, icmpCode] = extra.split("/").map(Number) as [number, number];
  else if (extra) for (const f of extra.split(",")) flags |= flagBits[f]!;
  return makePacket({ src: ip(sa), dst: ip(da), protocol, srcPort: sp, dstPort: dp, flags, icmpType, icmpCode });
}

/** A VPC with one subnet and two instances (x at 10.0.1.10, y at .11), then `body` from line 8. */
export const twoInstances = (body: string) => `name: t
vpc: { cidr: 10.0.0.0/16 }
subnets:
  a: { cidr: 10.0.1.0/24 }
instances:
  x: { subnet: a, private-ip: 10.0.1.10 }
  y: { subnet: a, private-ip: 10.0.1.11 }
${body}`;

/** A scenario of one step whose connection the groups refuse, expected `allowed` (fails) or `denied` (passes). */
export const lockedScenario = (expect: "allowed" | "denied") => `name: locked
vpc: { cidr: 10.0.0.0/16 }
subnets:
  a: { cidr: 10.0.1.0/24 }
instances:
  x: { subnet: a, private-ip: 10.0.1.10 }
  y: { subnet: a, private-ip: 10.0.1.11, security-groups: [locked] }
security-groups: { locked: {} }
steps:
  - connect: { from: x, to: y, protocol: tcp, port: 22 }
    expect: ${expect}
`;
