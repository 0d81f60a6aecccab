// A flow: who talks to whom, with which protocol and ports. Built from a connect or send step, or
// from the options of `vpcsim trace`, by the same checks.
import type { Address, Family } from "../model/address.js";
import type { DiagnosticCode } from "../model/diagnostic.js";
import type { World } from "../model/model.js";
import { hasPorts, isIcmp } from "../model/protocol.js";
import type { Path, Problems } from "./diagnostics.js";
import { address, protocol } from "./fields.js";

export type Endpoint =
  | { readonly kind: "instance"; readonly name: string }
  | { readonly kind: "nat-gateway"; readonly name: string }
  | { readonly kind: "internet-host"; readonly name: string }
  | { readonly kind: "address"; readonly address: Address };

export interface Flow {
  readonly from: Endpoint;
  readonly to: Endpoint;
  readonly protocol: number;
  readonly port?: number;
  readonly sourcePort?: number;
  readonly icmpType?: number;
  readonly icmpCode?: number;
  readonly ipVersion?: Family;
}

/** A flow's fields as a step writes them. */
export interface FlowInput {
  readonly from: string;
  readonly to: string;
  readonly protocol: string | number;
  readonly port?: number | undefined;
  readonly "source-port"?: number | undefined;
  readonly "icmp-type"?: number | undefined;
  readonly "icmp-code"?: number | undefined;
  readonly "ip-version"?: Family | undefined;
}

/** Checks a flow against the world it will run in; the problems go to `problems`, each at its field. */
export function buildFlow(body: FlowInput, path: Path, problems: Problems, world: World): Flow | undefined {
  const from = endpoint(body.from, [...path, "from"], problems, world);
  const to = endpoint(body.to, [...path, "to"], problems, world);
  const p = protocol(body.protocol, [...path, "protocol"], problems);
  if (!from || !to || p === undefined) return undefined;
  if (p === -1)
    return problems.error([...path, "protocol"], "flow/protocol-all", "a packet has one protocol: tcp, udp, icmp, icmpv6 or a number");
  const { port, "source-port": sport, "icmp-type": t, "icmp-code": c, "ip-version": v } = body;
  if (hasPorts(p) && port === undefined)
    return problems.error([...path, "port"], "flow/port", "tcp and udp packets need a destination port");
  for (const [k, n] of [
    ["port", port],
    ["source-port", sport],
  ] as const) {
    if (n !== undefined && !(n >= 0 && n <= 65535)) return problems.error([...path, k], "port/range", `port ${n} is outside 0-65535`);
  }
  if (!hasPorts(p) && port !== undefined) return problems.error([...path, "port"], "flow/port", "only tcp and udp packets have ports");
  if ((t !== undefined || c !== undefined) && !isIcmp(p))
    return problems.error([...path, "icmp-type"], "flow/icmp", "icmp-type and icmp-code go with icmp or icmpv6");
  for (const [k, n] of [
    ["icmp-type", t],
    ["icmp-code", c],
  ] as const) {
    if (n !== undefined && !(n >= 0 && n <= 255)) return problems.error([...path, k], "icmp/range", `${k} ${n} is outside 0-255`);
  }
  const family = oneFamily(from, to, v, world);
  if (family) return problems.error([...path, family.field], "flow/family", family.message);
  return {
    from,
    to,
    protocol: p,
    ...(port !== undefined ? { port } : {}),
    ...(sport !== undefined ? { sourcePort: sport } : {}),
    ...(t !== undefined ? { icmpType: t } : {}),
    ...(c !== undefined ? { icmpCode: c } : {}),
    ...(v !== undefined ? { ipVersion: v } : {}),
  };
}

/**
 * The IP version each end is bound to: an address and an internet host have theirs, a NAT gateway
 * translates IPv4 only (aws-rules §4.4); an instance may have both. A packet has one version, so
 * bound ends must agree with each other and with `ip-version`; a problem with the field to blame.
 */
function oneFamily(
  from: Endpoint,
  to: Endpoint,
  version: Family | undefined,
  world: World,
): { field: string; message: string } | undefined {
  const boundFamily = (e: Endpoint): Family | undefined => {
    if (e.kind === "address") return e.address.family;
    if (e.kind === "internet-host") return world.internetHosts[e.name]!.address.family;
    return e.kind === "nat-gateway" ? 4 : undefined;
  };
  const ends = [
    ["from", from],
    ["to", to],
  ] as const;
  for (const [field, e] of ends) {
    const f = boundFamily(e);
    if (f === undefined) continue;
    if (version !== undefined && f !== version) {
      return { field: "ip-version", message: `${endpointText(e)} (${field}) is IPv${f} only: it cannot send or receive IPv${version}` };
    }
  }
  const [f1, f2] = [boundFamily(from), boundFamily(to)];
  if (f1 !== undefined && f2 !== undefined && f1 !== f2) {
    return { field: "to", message: `${endpointText(from)} is IPv${f1} and ${endpointText(to)} IPv${f2}: a packet has one IP version` };
  }
  return undefined;
}

function endpointText(e: Endpoint): string {
  return e.kind === "address" ? e.address.text : `${e.kind.replace("-", " ")} ${e.name}`;
}

/** A name the world declares as a sender or receiver, or an address. */
function endpoint(text: string, path: Path, problems: Problems, world: World): Endpoint | undefined {
  if (Object.hasOwn(world.instances, text)) return { kind: "instance", name: text };
  if (Object.hasOwn(world.natGateways, text)) return { kind: "nat-gateway", name: text };
  if (Object.hasOwn(world.internetHosts, text)) return { kind: "internet-host", name: text };
  if (/^[0-9a-fA-F:.]+$/.test(text) && /[.:]/.test(text)) {
    const a = address(text, path, problems);
    return a ? { kind: "address", address: a } : undefined;
  }
  return problems.error(
    path,
    "ref/unknown-endpoint",
    `"${text}" is neither an instance, a NAT gateway, an internet host nor an IP address`,
  );
}

/** The options of `vpcsim trace`, named as on the command line. */
export interface FlowOptions {
  readonly from: string;
  readonly to: string;
  readonly protocol: string;
  readonly port?: number | undefined;
  readonly sourcePort?: number | undefined;
  readonly icmpType?: number | undefined;
  readonly icmpCode?: number | undefined;
}

/** A problem with one option: its name as a step writes it (`source-port`) and the value given. */
export interface OptionProblem {
  readonly option: string;
  readonly value: unknown;
  readonly code: DiagnosticCode;
  readonly message: string;
}

/** A flow from command-line options, checked as a connect step's flow is. */
export function flowFromOptions(world: World, options: FlowOptions): { ok: true; flow: Flow } | { ok: false; problems: OptionProblem[] } {
  const body: FlowInput = {
    from: options.from,
    to: options.to,
    protocol: options.protocol,
    port: options.port,
    "source-port": options.sourcePort,
    "icmp-type": options.icmpType,
    "icmp-code": options.icmpCode,
  };
  const problems: OptionProblem[] = [];
  const collect: Problems = {
    error(path, code, message) {
      const option = String(path[0]);
      problems.push({ option, value: body[option as keyof FlowInput], code, message });
      return undefined;
    },
  };
  const flow = buildFlow(body, [], collect, world);
  return flow && problems.length === 0 ? { ok: true, flow } : { ok: false, problems };
}
