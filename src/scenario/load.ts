// Scenario text → validated model. Three passes, each reporting every problem it finds with its
// file:line:col: YAML syntax, the shape (zod), then meaning (CIDRs, references, rule numbers,
// and a dry run of the steps' world changes). Nothing runs unless all three are clean.
import { LineCounter, isNode, parseDocument } from "yaml";
import type { Document } from "yaml";
import type { Address, Cidr, Family } from "../model/address.js";
import { cidrContains, cidrWithin, parseAddress, parseCidr } from "../model/address.js";
import type { Diagnostic } from "../model/diagnostic.js";
import type { WorldChange } from "../model/world-change.js";
import { applyChange } from "../model/world-change.js";
import { defaultGroupInbound, defaultNetworkAcl, newGroupOutbound } from "../model/defaults.js";
import type {
  ConntrackTimeouts, IcmpMatch, Instance, InternetHost, NatGateway, NetworkAcl, NetworkAclRule, NetworkInterface,
  Peer, PortRange, PrefixList, RouteTable, SecurityGroup, SecurityGroupRule, Settings, Subnet, World,
} from "../model/model.js";
import { DEFAULT_SETTINGS, DEFAULT_TIMEOUTS, EPHEMERAL_PROFILES } from "../model/defaults.js";
import { ACK, FIN, PSH, RST, SYN } from "../model/packet.js";
import { hasPorts, isIcmp, protocolNumber } from "../model/protocol.js";
import type { Direction } from "../model/model.js";
import type { ExpectInput, NaclRuleInput, ScenarioInput, SgRuleInput, StepKind } from "./schema.js";
import { parseDuration } from "./fields.js";
import { naclRuleSchema, scenarioSchema, sgRuleSchema, stepSchemas } from "./schema.js";

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

export interface Expectation {
  readonly request?: "allowed" | "denied";
  readonly reply?: "allowed" | "denied";
  /** `allowed`/`denied` given as one word */
  readonly overall?: "allowed" | "denied";
  readonly blockedBy?: string;
  readonly tracked?: boolean;
  readonly code?: string;
}

interface StepBase {
  readonly index: number;
  readonly line: number;
  readonly expect?: Expectation;
}

export type Step = StepBase & (
  | { readonly kind: "connect"; readonly flow: Flow; readonly name?: string }
  | { readonly kind: "send"; readonly flow: Flow; readonly flags?: number }
  | { readonly kind: "send-connection"; readonly connection: string; readonly direction: "request" | "reply"; readonly flags?: number }
  | { readonly kind: "close"; readonly connection: string }
  | { readonly kind: "wait"; readonly seconds: number }
  | { readonly kind: "change"; readonly change: WorldChange }
);

export interface Scenario {
  readonly file: string;
  readonly name: string;
  readonly description?: string;
  readonly world: World;
  readonly steps: readonly Step[];
}

export type LoadResult = { ok: true; scenario: Scenario } | { ok: false; diagnostics: Diagnostic[] };

/** Files larger than this are refused before parsing: scenarios are hand-written. */
export const MAX_SCENARIO_BYTES = 2_000_000;

type Path = readonly (string | number)[];

export function loadScenario(text: string, file: string): LoadResult {
  if (text.length > MAX_SCENARIO_BYTES) {
    return { ok: false, diagnostics: [{ file, line: 1, column: 1, code: "input/too-large",
      message: `the file has ${text.length} characters; scenarios are limited to ${MAX_SCENARIO_BYTES}` }] };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const diagnostics: Diagnostic[] = doc.errors.map((e) => {
    const at = lineCounter.linePos(e.pos[0]);
    return { file, line: at.line, column: at.col, message: e.message.split("\n")[0]!, code: `yaml/${e.code.toLowerCase()}` };
  });
  if (diagnostics.length > 0) return { ok: false, diagnostics };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return { ok: false, diagnostics: [{ file, line: 1, column: 1, code: "yaml/resolve", message: (e as Error).message }] };
  }
  const ctx = new Context(file, doc, lineCounter);
  const parsed = validateShape(data, ctx);
  if (!parsed || ctx.diagnostics.length > 0) return { ok: false, diagnostics: ctx.diagnostics };
  const scenario = buildScenario(parsed, ctx);
  return scenario && ctx.diagnostics.length === 0 ? { ok: true, scenario } : { ok: false, diagnostics: ctx.diagnostics };
}

class Context {
  readonly diagnostics: Diagnostic[] = [];
  constructor(readonly file: string, readonly doc: Document, readonly lines: LineCounter) {}

  /** Position of the YAML node at `path`, or of its nearest existing parent. */
  at(path: Path): { line: number; column: number } {
    for (let p = [...path]; ; p.pop()) {
      const node = p.length > 0 ? this.doc.getIn(p, true) : this.doc.contents;
      if (isNode(node) && node.range) {
        const pos = this.lines.linePos(node.range[0]);
        return { line: pos.line, column: pos.col };
      }
      if (p.length === 0) return { line: 1, column: 1 };
    }
  }

  error(path: Path, code: string, message: string): undefined {
    this.diagnostics.push({ file: this.file, ...this.at(path), message, code });
    return undefined;
  }
}

function validateShape(data: unknown, ctx: Context): ScenarioInput | undefined {
  const result = scenarioSchema.safeParse(data);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const path = issue.path as (string | number)[];
    // A step failed the union: say what is wrong for the kind of step it is.
    if (path[0] === "steps" && path.length === 2 && issue.code === "invalid_union") {
      stepShape((data as { steps: unknown[] }).steps[path[1] as number], path, ctx);
      continue;
    }
    ctx.error(path, `schema/${issue.code}`, `${issue.message}${path.length ? ` (at ${path.join(".")})` : ""}`);
  }
  return undefined;
}

function stepShape(step: unknown, path: Path, ctx: Context): void {
  const keys = step && typeof step === "object" ? Object.keys(step).filter((k) => k !== "expect") : [];
  const kind = keys.find((k): k is StepKind => k in stepSchemas);
  if (!kind) {
    ctx.error(path, "schema/unknown-step", `a step is one of ${Object.keys(stepSchemas).join(", ")}${keys.length ? `; found ${keys.join(", ")}` : ""}`);
    return;
  }
  const r = stepSchemas[kind].safeParse(step);
  if (r.success) return;
  for (const issue of r.error.issues) {
    const p = [...path, ...(issue.path as (string | number)[])];
    ctx.error(p, `schema/${issue.code}`, `${issue.message} (at ${p.join(".")})`);
  }
}

// --- meaning ---------------------------------------------------------------------------------

function cidr(text: string, path: Path, ctx: Context, family?: Family): Cidr | undefined {
  const r = parseCidr(text);
  if (!r.ok) {
    return ctx.error(path, r.message.includes("host bits") ? "cidr/host-bits" : "cidr/invalid", r.message);
  }
  if (family && r.value.family !== family) {
    return ctx.error(path, "cidr/family", `"${text}" is an IPv${r.value.family} block where an IPv${family} block belongs`);
  }
  return r.value;
}

function address(text: string, path: Path, ctx: Context, family?: Family): Address | undefined {
  const r = parseAddress(text);
  if (!r.ok) return ctx.error(path, "address/invalid", r.message);
  if (family && r.value.family !== family) {
    return ctx.error(path, "address/family", `"${text}" is an IPv${r.value.family} address where an IPv${family} address belongs`);
  }
  return r.value;
}

function portRange(value: number | string, path: Path, ctx: Context): PortRange | undefined {
  const [a, b] = typeof value === "number" ? [value, value] : value.split("-").map((s) => Number(s.trim())) as [number, number?];
  const from = a;
  const to = b ?? a;
  if (!(from >= 0 && from <= 65535 && to >= 0 && to <= 65535)) {
    return ctx.error(path, "port/range", `port ${value} is outside 0-65535`);
  }
  if (from > to) return ctx.error(path, "port/order", `port range ${value} ends before it starts`);
  return { from, to };
}


function protocol(value: string | number, path: Path, ctx: Context): number | undefined {
  const p = protocolNumber(value);
  return p === undefined ? ctx.error(path, "protocol/unknown", `unknown protocol "${value}": use tcp, udp, icmp, icmpv6, all or a number 0-255`) : p;
}

interface MatchInput {
  protocol: string | number;
  ports?: number | string | undefined;
  "icmp-type"?: number | undefined;
  "icmp-code"?: number | undefined;
}

function match(r: MatchInput, path: Path, ctx: Context): { protocol: number; ports?: PortRange; icmp?: IcmpMatch } | undefined {
  const p = protocol(r.protocol, [...path, "protocol"], ctx);
  if (p === undefined) return undefined;
  if (r.ports !== undefined && !hasPorts(p)) {
    return ctx.error([...path, "ports"], "rule/ports-without-tcp-udp", "ports apply to tcp and udp only");
  }
  if ((r["icmp-type"] !== undefined || r["icmp-code"] !== undefined) && !isIcmp(p)) {
    return ctx.error([...path, "icmp-type"], "rule/icmp-without-icmp", "icmp-type and icmp-code apply to icmp and icmpv6 only");
  }
  const out: { protocol: number; ports?: PortRange; icmp?: IcmpMatch } = { protocol: p };
  if (r.ports !== undefined) {
    const range = portRange(r.ports, [...path, "ports"], ctx);
    if (!range) return undefined;
    out.ports = range;
  }
  if (isIcmp(p) && r["icmp-type"] !== undefined) {
    const type = r["icmp-type"];
    const code = r["icmp-code"] ?? -1;
    if (type < -1 || type > 255) return ctx.error([...path, "icmp-type"], "icmp/range", `ICMP type ${type} is outside -1..255`);
    if (code < -1 || code > 255) return ctx.error([...path, "icmp-code"], "icmp/range", `ICMP code ${code} is outside -1..255`);
    // aws-rules §2.2: a start of -1 (all types) needs an end of -1 (all codes)
    if (type === -1 && code !== -1) return ctx.error([...path, "icmp-code"], "icmp/code-without-type", "an ICMP code needs an ICMP type; with icmp-type -1 the code must be -1");
    out.icmp = { type, code };
  } else if (r["icmp-code"] !== undefined) {
    return ctx.error([...path, "icmp-code"], "icmp/code-without-type", "icmp-code needs icmp-type");
  }
  return out;
}

interface Names {
  groups: Set<string>;
  lists: Set<string>;
  acls: Set<string>;
  subnets: Set<string>;
  instances: Set<string>;
  nats: Set<string>;
  hosts: Set<string>;
  connections: Set<string>;
}

function naclRule(r: NaclRuleInput, path: Path, ctx: Context): NetworkAclRule | undefined {
  if (r.rule < 1 || r.rule > 32766) {
    return ctx.error([...path, "rule"], "nacl/rule-number-range", `rule number ${r.rule} is outside 1-32766 (32767 and above are AWS's own)`);
  }
  const m = match(r, path, ctx);
  const c = cidr(r.cidr, [...path, "cidr"], ctx);
  if (!m || !c) return undefined;
  return { number: r.rule, action: r.action, ...m, cidr: c };
}

function naclRules(list: readonly NaclRuleInput[] | undefined, path: Path, ctx: Context): NetworkAclRule[] {
  const seen = new Map<number, number>();
  const out: NetworkAclRule[] = [];
  (list ?? []).forEach((r, i) => {
    if (seen.has(r.rule)) {
      ctx.error([...path, i, "rule"], "nacl/duplicate-rule-number", `rule number ${r.rule} is used twice in ${path[path.length - 1]} (first at item ${seen.get(r.rule)! + 1})`);
      return;
    }
    seen.set(r.rule, i);
    const rule = naclRule(r, [...path, i], ctx);
    if (rule) out.push(rule);
  });
  return out;
}

function sgRule(r: SgRuleInput, direction: Direction, path: Path, ctx: Context, names: Names): SecurityGroupRule | undefined {
  const key = direction === "inbound" ? "source" : "destination";
  const wrong = direction === "inbound" ? "destination" : "source";
  if (r[wrong] !== undefined) return ctx.error([...path, wrong], "rule/peer", `an ${direction} rule names a ${key}, not a ${wrong}`);
  const peerText = r[key];
  if (peerText === undefined) return ctx.error(path, "rule/peer", `an ${direction} rule needs a ${key}: a CIDR block, a security group or a prefix list`);
  const m = match(r, path, ctx);
  let peer: Peer | undefined;
  if (names.groups.has(peerText)) peer = { kind: "security-group", group: peerText };
  else if (names.lists.has(peerText)) peer = { kind: "prefix-list", list: peerText };
  else if (/^[0-9a-fA-F:.]+\/\d+$/.test(peerText)) {
    const c = cidr(peerText, [...path, key], ctx);
    if (c) peer = { kind: "cidr", cidr: c };
  } else {
    ctx.error([...path, key], "ref/unknown", `"${peerText}" is neither a CIDR block, a security group nor a prefix list of this scenario`);
  }
  if (!m || !peer) return undefined;
  return { ...m, peer, ...(r.description ? { description: r.description } : {}) };
}

function ephemeral(value: string | number | undefined, path: Path, ctx: Context, fallback: PortRange): PortRange | undefined {
  if (value === undefined) return fallback;
  if (typeof value === "string" && value in EPHEMERAL_PROFILES) return EPHEMERAL_PROFILES[value];
  return portRange(value, path, ctx);
}

function buildScenario(input: ScenarioInput, ctx: Context): Scenario | undefined {
  const settings: Settings = {
    ...DEFAULT_SETTINGS,
    ...(input.settings?.["untracked-flows"] !== undefined ? { untrackedFlows: input.settings["untracked-flows"] } : {}),
    ...(input.settings?.["ipv6-default-egress"] !== undefined ? { ipv6DefaultEgress: input.settings["ipv6-default-egress"] } : {}),
    ...(input.settings?.["icmp-timeout"] !== undefined ? { icmpTimeout: parseDuration(input.settings["icmp-timeout"]) } : {}),
    ...(input.settings?.["tcp-closing-timeout"] !== undefined ? { tcpClosingTimeout: parseDuration(input.settings["tcp-closing-timeout"]) } : {}),
    ...(input.settings?.["other-protocol-timeout"] !== undefined ? { otherProtocolTimeout: parseDuration(input.settings["other-protocol-timeout"]) } : {}),
    ...(input.settings?.["nat-idle-timeout"] !== undefined ? { natIdleTimeout: parseDuration(input.settings["nat-idle-timeout"]) } : {}),
  };

  // VPC
  const vpcName = input.vpc.name ?? "vpc";
  const cidrTexts = typeof input.vpc.cidr === "string" ? [input.vpc.cidr] : input.vpc.cidr;
  const vpcCidrs = cidrTexts.map((t, i) => cidr(t, typeof input.vpc.cidr === "string" ? ["vpc", "cidr"] : ["vpc", "cidr", i], ctx, 4))
    .filter((c): c is Cidr => c !== undefined);
  const vpc6 = input.vpc["ipv6-cidr"] !== undefined ? cidr(input.vpc["ipv6-cidr"], ["vpc", "ipv6-cidr"], ctx, 6) : undefined;
  if (vpcCidrs.length === 0) return undefined;

  const names: Names = {
    groups: new Set(Object.keys(input["security-groups"] ?? {})),
    lists: new Set(Object.keys(input["prefix-lists"] ?? {})),
    acls: new Set(Object.keys(input["network-acls"] ?? {})),
    subnets: new Set(Object.keys(input.subnets)),
    instances: new Set(Object.keys(input.instances ?? {})),
    nats: new Set(Object.keys(input["nat-gateways"] ?? {})),
    hosts: new Set(Object.keys(input["internet-hosts"] ?? {})),
    connections: new Set(),
  };
  const defaultGroup = "default";
  const defaultAcl = "default";
  const mainTable = Object.entries(input["route-tables"] ?? {}).find(([, t]) => t.main)?.[0] ?? "main";
  names.groups.add(defaultGroup);
  names.acls.add(defaultAcl);
  const allNames = new Map<string, string>();
  for (const [kind, set] of [["instance", names.instances], ["NAT gateway", names.nats], ["internet host", names.hosts]] as const) {
    for (const n of set) {
      if (allNames.has(n)) ctx.error([], "name/duplicate", `"${n}" names both an ${allNames.get(n)} and an ${kind}; from/to need names that say one thing`);
      allNames.set(n, kind);
    }
  }

  // prefix lists
  const prefixLists: Record<string, PrefixList> = {};
  for (const [n, list] of Object.entries(input["prefix-lists"] ?? {})) {
    prefixLists[n] = { name: n, cidrs: list.map((t, i) => cidr(t, ["prefix-lists", n, i], ctx)).filter((c): c is Cidr => c !== undefined) };
  }

  // security groups
  const securityGroups: Record<string, SecurityGroup> = {};
  for (const [n, g] of Object.entries(input["security-groups"] ?? {})) {
    const rules = (dir: Direction) => (g[dir] ?? []).map((r, i) => sgRule(r, dir, ["security-groups", n, dir, i], ctx, names))
      .filter((r): r is SecurityGroupRule => r !== undefined);
    securityGroups[n] = {
      name: n,
      inbound: rules("inbound"),
      outbound: g.outbound === undefined ? newGroupOutbound(vpc6, settings) : rules("outbound"),
    };
  }
  if (!securityGroups[defaultGroup]) {
    securityGroups[defaultGroup] = { name: defaultGroup, inbound: defaultGroupInbound(defaultGroup), outbound: newGroupOutbound(vpc6, settings) };
  }

  // network ACLs
  const networkAcls: Record<string, NetworkAcl> = {};
  for (const [n, a] of Object.entries(input["network-acls"] ?? {})) {
    networkAcls[n] = {
      name: n,
      inbound: naclRules(a.inbound, ["network-acls", n, "inbound"], ctx),
      outbound: naclRules(a.outbound, ["network-acls", n, "outbound"], ctx),
    };
  }
  if (!networkAcls[defaultAcl]) networkAcls[defaultAcl] = defaultNetworkAcl(defaultAcl, vpc6);

  // route tables
  const routeTables: Record<string, RouteTable> = {};
  const subnetBlocks = new Set(Object.values(input.subnets).flatMap((s) => [s.cidr, s["ipv6-cidr"]])
    .flatMap((t) => { const c = t === undefined ? undefined : parseCidr(t); return c?.ok ? [c.value.text] : []; }));
  for (const [n, t] of Object.entries(input["route-tables"] ?? {})) {
    const routes = t.routes.map((r, i) => {
      const path = ["route-tables", n, "routes", i];
      const dest = cidr(r.destination, [...path, "destination"], ctx);
      if (!dest) return undefined;
      let target: RouteTable["routes"][number]["target"];
      if (r.target === "internet-gateway" || r.target === "egress-only-internet-gateway" || r.target === "blackhole") target = { kind: r.target };
      else if (names.nats.has(r.target)) target = { kind: "nat-gateway", name: r.target };
      else if (names.instances.has(r.target)) target = { kind: "instance", name: r.target };
      else return ctx.error([...path, "target"], "ref/unknown-target", `route target "${r.target}" is not internet-gateway, egress-only-internet-gateway, blackhole, or a NAT gateway or instance of this scenario`);
      if (target.kind === "egress-only-internet-gateway" && dest.family !== 6) {
        return ctx.error([...path, "target"], "route/family", "an egress-only internet gateway carries IPv6 only");
      }
      if (target.kind === "nat-gateway" && dest.family !== 4) {
        return ctx.error([...path, "target"], "route/family", "a NAT gateway translates IPv4 only");
      }
      // A route inside the VPC may only send a whole subnet through a middlebox (aws-rules §4.1).
      const middlebox = (target.kind === "instance" || target.kind === "nat-gateway") && subnetBlocks.has(dest.text);
      if (!middlebox && [...vpcCidrs, ...(vpc6 ? [vpc6] : [])].some((b) => cidrWithin(dest, b) || cidrWithin(b, dest) && b.prefix === dest.prefix)) {
        return ctx.error([...path, "destination"], "route/local",
          `${dest.text} lies inside the VPC: the local route covers it, and only a whole subnet's block may be routed to a NAT gateway or an instance`);
      }
      return { destination: dest, target };
    }).filter((r): r is RouteTable["routes"][number] => r !== undefined);
    routeTables[n] = { name: n, routes };
  }
  if (!routeTables[mainTable]) routeTables[mainTable] = { name: mainTable, routes: [] };

  // subnets
  const subnets: Record<string, Subnet> = {};
  for (const [n, s] of Object.entries(input.subnets)) {
    const path = ["subnets", n];
    const c = cidr(s.cidr, [...path, "cidr"], ctx, 4);
    if (c && !vpcCidrs.some((b) => cidrWithin(c, b))) ctx.error([...path, "cidr"], "subnet/outside-vpc", `${c.text} is not inside the VPC's ${vpcCidrs.map((b) => b.text).join(", ")}`);
    let c6: Cidr | undefined;
    if (s["ipv6-cidr"] !== undefined) {
      c6 = cidr(s["ipv6-cidr"], [...path, "ipv6-cidr"], ctx, 6);
      if (c6 && !vpc6) ctx.error([...path, "ipv6-cidr"], "subnet/no-vpc-ipv6", "the subnet has an IPv6 block but the VPC has none");
      else if (c6 && vpc6 && !cidrWithin(c6, vpc6)) ctx.error([...path, "ipv6-cidr"], "subnet/outside-vpc", `${c6.text} is not inside the VPC's ${vpc6.text}`);
    }
    const acl = s["network-acl"] ?? defaultAcl;
    if (!networkAcls[acl]) ctx.error([...path, "network-acl"], "ref/unknown-network-acl", `unknown network ACL "${acl}"`);
    const rt = s["route-table"] ?? mainTable;
    if (!routeTables[rt]) ctx.error([...path, "route-table"], "ref/unknown-route-table", `unknown route table "${rt}"`);
    if (c) subnets[n] = { name: n, cidr: c, ...(c6 ? { ipv6Cidr: c6 } : {}), networkAcl: acl, routeTable: rt };
  }
  const subnetList = Object.values(subnets);
  for (let i = 0; i < subnetList.length; i++) {
    for (let j = i + 1; j < subnetList.length; j++) {
      const a = subnetList[i]!, b = subnetList[j]!;
      if (cidrWithin(a.cidr, b.cidr) || cidrWithin(b.cidr, a.cidr)) {
        ctx.error(["subnets", b.name, "cidr"], "subnet/overlap", `subnet ${b.name} (${b.cidr.text}) overlaps subnet ${a.name} (${a.cidr.text})`);
      }
    }
  }

  // addresses: each may be owned once
  const owners = new Map<string, string>();
  const own = (a: Address, owner: string, path: Path) => {
    const prev = owners.get(a.text);
    if (prev) ctx.error(path, "address/duplicate", `${a.text} is already ${prev}'s address`);
    owners.set(a.text, owner);
  };
  const privateIn = (a: Address | undefined, subnetName: string, path: Path): Address | undefined => {
    const s = subnets[subnetName];
    if (!a || !s) return a;
    const block = a.family === 4 ? s.cidr : s.ipv6Cidr;
    if (!block || !cidrContains(block, a)) return ctx.error(path, "address/outside-subnet", `${a.text} is not inside subnet ${subnetName} (${block ? block.text : "no IPv6 block"})`);
    // AWS reserves the first four and the last IPv4 address of every subnet (aws-rules §1.6)
    if (a.family === 4 && (a.v4 - s.cidr.lo4 < 4 || a.v4 === s.cidr.hi4)) {
      return ctx.error(path, "address/reserved", `${a.text} is reserved by AWS in subnet ${subnetName}: the first four and the last address are not assignable`);
    }
    return a;
  };
  const outside = (a: Address | undefined, path: Path, what: string): Address | undefined => {
    if (a && [...vpcCidrs, ...(vpc6 ? [vpc6] : [])].some((b) => cidrContains(b, a))) return ctx.error(path, "address/inside-vpc", `${what} ${a.text} lies inside the VPC`);
    return a;
  };

  // instances
  const instances: Record<string, Instance> = {};
  for (const [n, inst] of Object.entries(input.instances ?? {})) {
    const specs = [inst, ...(inst.interfaces ?? [])];
    const interfaces: NetworkInterface[] = [];
    specs.forEach((spec, k) => {
      const path: Path = k === 0 ? ["instances", n] : ["instances", n, "interfaces", k - 1];
      if (!subnets[spec.subnet] && !names.subnets.has(spec.subnet)) {
        ctx.error([...path, "subnet"], "ref/unknown-subnet", `unknown subnet "${spec.subnet}"`);
        return;
      }
      const privTexts = typeof spec["private-ip"] === "string" ? [spec["private-ip"]] : spec["private-ip"];
      const privateIps = privTexts.map((t, i) => privateIn(address(t, typeof spec["private-ip"] === "string" ? [...path, "private-ip"] : [...path, "private-ip", i], ctx, 4), spec.subnet, [...path, "private-ip"]))
        .filter((a): a is Address => a !== undefined);
      const v6Texts = spec.ipv6 === undefined ? [] : typeof spec.ipv6 === "string" ? [spec.ipv6] : spec.ipv6;
      const ipv6s = v6Texts.map((t) => privateIn(address(t, [...path, "ipv6"], ctx, 6), spec.subnet, [...path, "ipv6"]))
        .filter((a): a is Address => a !== undefined);
      const pub = spec["public-ip"] !== undefined ? outside(address(spec["public-ip"], [...path, "public-ip"], ctx, 4), [...path, "public-ip"], "public IP") : undefined;
      const groups = spec["security-groups"] ?? [defaultGroup];
      groups.forEach((g, i) => { if (!securityGroups[g]) ctx.error([...path, "security-groups", i], "ref/unknown-security-group", `unknown security group "${g}"`); });
      if (groups.length === 0) ctx.error([...path, "security-groups"], "instance/no-security-group", "an interface has at least one security group");
      const ifaceName = k === 0 ? n : `${n}#${k}`;
      for (const a of [...privateIps, ...ipv6s, ...(pub ? [pub] : [])]) own(a, ifaceName, path);
      const eph = ephemeral(spec["ephemeral-ports"], [...path, "ephemeral-ports"], ctx, EPHEMERAL_PROFILES.linux!);
      const ct = spec["connection-tracking"];
      const timeouts: ConntrackTimeouts = {
        tcpEstablished: ct?.["tcp-established"] !== undefined ? parseDuration(ct["tcp-established"]) : DEFAULT_TIMEOUTS.tcpEstablished,
        udp: ct?.udp !== undefined ? parseDuration(ct.udp) : DEFAULT_TIMEOUTS.udp,
        udpStream: ct?.["udp-stream"] !== undefined ? parseDuration(ct["udp-stream"]) : DEFAULT_TIMEOUTS.udpStream,
      };
      if (privateIps.length === 0 || !eph) return;
      interfaces.push({
        name: ifaceName, instance: n, subnet: spec.subnet, privateIps, ipv6s, ...(pub ? { publicIp: pub } : {}),
        securityGroups: groups, sourceDestCheck: spec["source-dest-check"] ?? true, nat: k === 0 && (inst["nat-instance"] ?? false),
        ephemeral: eph, timeouts,
      });
    });
    instances[n] = { name: n, interfaces };
  }

  // NAT gateways
  const natGateways: Record<string, NatGateway> = {};
  for (const [n, g] of Object.entries(input["nat-gateways"] ?? {})) {
    const path = ["nat-gateways", n];
    if (!subnets[g.subnet]) { ctx.error([...path, "subnet"], "ref/unknown-subnet", `unknown subnet "${g.subnet}"`); continue; }
    const priv = privateIn(address(g["private-ip"], [...path, "private-ip"], ctx, 4), g.subnet, [...path, "private-ip"]);
    const pub = outside(address(g["public-ip"], [...path, "public-ip"], ctx, 4), [...path, "public-ip"], "public IP");
    if (priv) own(priv, n, path);
    if (pub) own(pub, n, path);
    if (priv && pub) natGateways[n] = { name: n, subnet: g.subnet, privateIp: priv, publicIp: pub };
  }

  // internet hosts
  const internetHosts: Record<string, InternetHost> = {};
  for (const [n, h] of Object.entries(input["internet-hosts"] ?? {})) {
    const path = ["internet-hosts", n];
    const a = outside(address(h.ip, [...path, "ip"], ctx), [...path, "ip"], "internet host");
    const eph = ephemeral(h["ephemeral-ports"], [...path, "ephemeral-ports"], ctx, EPHEMERAL_PROFILES.linux!);
    if (a) own(a, n, path);
    if (a && eph) internetHosts[n] = { name: n, address: a, ephemeral: eph };
  }

  const world: World = {
    vpc: { name: vpcName, cidrs: vpcCidrs, ...(vpc6 ? { ipv6Cidr: vpc6 } : {}), defaultSecurityGroup: defaultGroup, defaultNetworkAcl: defaultAcl, mainRouteTable: mainTable },
    subnets, securityGroups, networkAcls, routeTables, instances, natGateways, internetHosts, prefixLists, settings,
  };
  if (ctx.diagnostics.length > 0) return undefined;
  const steps = buildSteps(input, world, names, ctx);
  return { file: ctx.file, name: input.name, ...(input.description ? { description: input.description } : {}), world, steps };
}

// --- steps -------------------------------------------------------------------------------------

function endpoint(text: string, path: Path, ctx: Context, names: Names): Endpoint | undefined {
  if (names.instances.has(text)) return { kind: "instance", name: text };
  if (names.nats.has(text)) return { kind: "nat-gateway", name: text };
  if (names.hosts.has(text)) return { kind: "internet-host", name: text };
  if (/^[0-9a-fA-F:.]+$/.test(text) && /[.:]/.test(text)) {
    const a = address(text, path, ctx);
    return a ? { kind: "address", address: a } : undefined;
  }
  return ctx.error(path, "ref/unknown-endpoint", `"${text}" is neither an instance, a NAT gateway, an internet host nor an IP address`);
}

function flags(text: string | undefined, path: Path, ctx: Context): number | undefined {
  if (text === undefined) return undefined;
  const bits: Record<string, number> = { SYN, ACK, FIN, RST, PSH };
  let f = 0;
  for (const part of text.split(/[\s,|+]+/).filter(Boolean)) {
    const b = bits[part.toUpperCase()];
    if (b === undefined) return ctx.error(path, "tcp/flags", `unknown TCP flag "${part}": use SYN, ACK, FIN, RST, PSH`);
    f |= b;
  }
  return f;
}

function expectation(e: ExpectInput | undefined): Expectation | undefined {
  if (e === undefined) return undefined;
  if (typeof e === "string") return { overall: e };
  return {
    ...(e.request ? { request: e.request } : {}),
    ...(e.reply ? { reply: e.reply } : {}),
    ...(e["blocked-by"] ? { blockedBy: e["blocked-by"].trim().replace(/\s+/g, " ") } : {}),
    ...(e.tracked !== undefined ? { tracked: e.tracked } : {}),
    ...(e.code ? { code: e.code } : {}),
  };
}

type RawStep = Record<string, unknown> & { expect?: ExpectInput };

function buildSteps(input: ScenarioInput, initial: World, names: Names, ctx: Context): Step[] {
  let world = initial;
  const steps: Step[] = [];
  (input.steps as RawStep[] | undefined ?? []).forEach((raw, index) => {
    const path: Path = ["steps", index];
    const line = ctx.at(path).line;
    const expect = expectation(raw.expect);
    const base = { index, line, ...(expect ? { expect } : {}) };
    const kind = Object.keys(raw).find((k) => k !== "expect") as StepKind;
    const body = raw[kind] as Record<string, unknown>;
    switch (kind) {
      case "connect":
      case "send": {
        if (kind === "send" && "connection" in body) {
          const conn = body.connection as string;
          if (!names.connections.has(conn)) { ctx.error([...path, kind, "connection"], "ref/unknown-connection", `no earlier connect step is named "${conn}"`); return; }
          const f = flags(body.flags as string | undefined, [...path, kind, "flags"], ctx);
          steps.push({ ...base, kind: "send-connection", connection: conn, direction: body.direction as "request" | "reply", ...(f !== undefined ? { flags: f } : {}) });
          return;
        }
        const flow = buildFlow(body, [...path, kind], ctx, names);
        if (!flow) return;
        if (kind === "connect") {
          const n = body.name as string | undefined;
          if (n) {
            if (names.connections.has(n)) ctx.error([...path, kind, "name"], "name/duplicate-connection", `a connection named "${n}" already exists`);
            names.connections.add(n);
          }
          steps.push({ ...base, kind, flow, ...(n ? { name: n } : {}) });
        } else {
          const f = flags(body.flags as string | undefined, [...path, kind, "flags"], ctx);
          steps.push({ ...base, kind: "send", flow, ...(f !== undefined ? { flags: f } : {}) });
        }
        return;
      }
      case "close": {
        const conn = raw.close as string;
        if (!names.connections.has(conn)) { ctx.error([...path, "close"], "ref/unknown-connection", `no earlier connect step is named "${conn}"`); return; }
        steps.push({ ...base, kind: "close", connection: conn });
        return;
      }
      case "wait":
        steps.push({ ...base, kind: "wait", seconds: parseDuration(raw.wait as string | number) });
        return;
      default: {
        const change = buildChange(kind, body, [...path, kind], ctx, names);
        if (!change) return;
        const applied = applyChange(world, change);
        if (!applied.ok) { ctx.error([...path, kind], "change/refused", applied.message); return; }
        world = applied.world;
        steps.push({ ...base, kind: "change", change });
      }
    }
  });
  return steps;
}

function buildFlow(body: Record<string, unknown>, path: Path, ctx: Context, names: Names): Flow | undefined {
  const from = endpoint(body.from as string, [...path, "from"], ctx, names);
  const to = endpoint(body.to as string, [...path, "to"], ctx, names);
  const p = protocol(body.protocol as string | number, [...path, "protocol"], ctx);
  if (!from || !to || p === undefined) return undefined;
  if (p === -1) return ctx.error([...path, "protocol"], "flow/protocol-all", "a packet has one protocol: tcp, udp, icmp, icmpv6 or a number");
  const port = body.port as number | undefined;
  const sport = body["source-port"] as number | undefined;
  if (hasPorts(p) && port === undefined) return ctx.error(path, "flow/port", "tcp and udp packets need a destination port");
  for (const [k, v] of [["port", port], ["source-port", sport]] as const) {
    if (v !== undefined && !(v >= 0 && v <= 65535)) return ctx.error([...path, k], "port/range", `port ${v} is outside 0-65535`);
  }
  if (!hasPorts(p) && port !== undefined) return ctx.error([...path, "port"], "flow/port", "only tcp and udp packets have ports");
  const t = body["icmp-type"] as number | undefined;
  const c = body["icmp-code"] as number | undefined;
  if ((t !== undefined || c !== undefined) && !isIcmp(p)) return ctx.error([...path, "icmp-type"], "flow/icmp", "icmp-type and icmp-code go with icmp or icmpv6");
  for (const [k, v] of [["icmp-type", t], ["icmp-code", c]] as const) {
    if (v !== undefined && !(v >= 0 && v <= 255)) return ctx.error([...path, k], "icmp/range", `${k} ${v} is outside 0-255`);
  }
  const v = body["ip-version"] as Family | undefined;
  return {
    from, to, protocol: p,
    ...(port !== undefined ? { port } : {}), ...(sport !== undefined ? { sourcePort: sport } : {}),
    ...(t !== undefined ? { icmpType: t } : {}), ...(c !== undefined ? { icmpCode: c } : {}),
    ...(v !== undefined ? { ipVersion: v } : {}),
  };
}

function buildChange(kind: StepKind, body: Record<string, unknown>, path: Path, ctx: Context, names: Names): WorldChange | undefined {
  if (kind === "attach-security-group" || kind === "detach-security-group") {
    const inst = body.instance as string;
    const group = body["security-group"] as string;
    if (!names.instances.has(inst)) return ctx.error([...path, "instance"], "ref/unknown-instance", `unknown instance "${inst}"`);
    if (!names.groups.has(group)) return ctx.error([...path, "security-group"], "ref/unknown-security-group", `unknown security group "${group}"`);
    return { kind, instance: inst, interface: (body.interface as number | undefined) ?? 0, group };
  }
  if (kind === "set-source-dest-check") {
    const inst = body.instance as string;
    if (!names.instances.has(inst)) return ctx.error([...path, "instance"], "ref/unknown-instance", `unknown instance "${inst}"`);
    return { kind, instance: inst, interface: (body.interface as number | undefined) ?? 0, enabled: body.enabled as boolean };
  }
  if (kind === "associate-network-acl") {
    const subnet = body.subnet as string;
    const acl = body["network-acl"] as string;
    if (!names.subnets.has(subnet)) return ctx.error([...path, "subnet"], "ref/unknown-subnet", `unknown subnet "${subnet}"`);
    if (!names.acls.has(acl)) return ctx.error([...path, "network-acl"], "ref/unknown-network-acl", `unknown network ACL "${acl}"`);
    return { kind, subnet, acl };
  }
  const dirs = (["inbound", "outbound"] as const).filter((d) => body[d] !== undefined);
  if (dirs.length !== 1) return ctx.error(path, "change/direction", "name exactly one of inbound or outbound");
  const direction = dirs[0]!;
  const rulePath = [...path, direction];
  const acl = body["network-acl"] as string | undefined;
  const group = body["security-group"] as string | undefined;
  if ((acl === undefined) === (group === undefined)) return ctx.error(path, "change/target", "name exactly one of network-acl or security-group");
  if (acl !== undefined) {
    if (!names.acls.has(acl)) return ctx.error([...path, "network-acl"], "ref/unknown-network-acl", `unknown network ACL "${acl}"`);
    if (kind === "remove-rule") {
      const n = (body[direction] as { rule?: unknown }).rule;
      if (typeof n !== "number") return ctx.error(rulePath, "change/rule-number", "name the rule to remove by its number: { rule: 100 }");
      return { kind: "remove-nacl-rule", acl, direction, number: n };
    }
    const shape = naclRuleSchema.safeParse(body[direction]);
    if (!shape.success) return shapeErrors(shape.error.issues, rulePath, ctx);
    const rule = naclRule(shape.data, rulePath, ctx);
    if (!rule) return undefined;
    return { kind: kind === "add-rule" ? "add-nacl-rule" : "replace-nacl-rule", acl, direction, rule };
  }
  if (!names.groups.has(group!)) return ctx.error([...path, "security-group"], "ref/unknown-security-group", `unknown security group "${group}"`);
  const parseRule = (value: unknown, p: Path) => {
    const shape = sgRuleSchema.safeParse(value);
    if (!shape.success) return shapeErrors(shape.error.issues, p, ctx);
    return sgRule(shape.data, direction, p, ctx, names);
  };
  const rule = parseRule(body[direction], rulePath);
  if (!rule) return undefined;
  if (kind === "replace-rule") {
    if (body.with === undefined) return ctx.error(path, "change/with", "replace-rule on a security group names the new rule under `with`");
    const next = parseRule(body.with, [...path, "with"]);
    return next ? { kind: "replace-sg-rule", group: group!, direction, old: rule, rule: next } : undefined;
  }
  return { kind: kind === "add-rule" ? "add-sg-rule" : "remove-sg-rule", group: group!, direction, rule };
}

function shapeErrors(issues: readonly { path: PropertyKey[]; message: string; code: string }[], path: Path, ctx: Context): undefined {
  for (const issue of issues) {
    const p = [...path, ...(issue.path as (string | number)[])];
    ctx.error(p, `schema/${issue.code}`, `${issue.message} (at ${p.join(".")})`);
  }
  return undefined;
}


