// The World a scenario file describes, built one AWS entity at a time. Each builder reports the
// problems it finds and leaves out what it could not build, so that one pass finds them all.
import type { Address, Cidr } from "../model/address.js";
import { cidrContains, cidrWithin, parseAddress, parseCidr } from "../model/address.js";
import { DEFAULT_SETTINGS, DEFAULT_TIMEOUTS, defaultGroupInbound, defaultNetworkAcl, newGroupOutbound } from "../model/defaults.js";
import type {
  ConntrackTimeouts,
  Direction,
  Instance,
  InternetHost,
  NatGateway,
  NetworkAcl,
  NetworkInterface,
  PrefixList,
  Route,
  RouteTable,
  RouteTarget,
  SecurityGroup,
  Settings,
  Subnet,
  World,
} from "../model/model.js";
import type { Context, Path } from "./diagnostics.js";
import { address, cidr, duration, ephemeralPorts } from "./fields.js";
import { checkAclQuota, checkGroupQuota, checkGroupsPerInterface, checkVpcBlocksQuota, PREFIX_LIST_ENTRIES } from "./quotas.js";
import type { PeerNames } from "./rules.js";
import { naclRules, sgRule, sgRuleKey } from "./rules.js";
import type { ScenarioInput } from "./schema.js";

type Input = ScenarioInput;
type InterfaceInput = Omit<NonNullable<Input["instances"]>[string], "interfaces" | "nat-instance">;
type RouteInput = NonNullable<Input["route-tables"]>[string]["routes"][number];

/** Names declared in the file, known before anything is built: rules and routes refer forward. */
interface Names extends PeerNames {
  readonly subnets: ReadonlySet<string>;
  readonly instances: ReadonlySet<string>;
  readonly nats: ReadonlySet<string>;
  readonly hosts: ReadonlySet<string>;
}

/** What every builder needs: the declared names, the VPC's blocks, and where problems go. */
interface Env {
  readonly names: Names;
  /** the VPC's IPv4 blocks, its IPv6 block, and all of them */
  readonly cidrs: readonly Cidr[];
  readonly ipv6?: Cidr;
  readonly blocks: readonly Cidr[];
  readonly ctx: Context;
}

const DEFAULT_GROUP = "default";
const DEFAULT_ACL = "default";

export function buildWorld(input: Input, ctx: Context): World | undefined {
  const settings = buildSettings(input.settings, ctx);
  const blocks = vpcBlocks(input.vpc, ctx);
  if (!blocks) return undefined;
  const env: Env = { ...blocks, names: declaredNames(input, ctx), ctx };
  const mainTable = mainRouteTable(input["route-tables"], ctx);
  const prefixLists = buildPrefixLists(input["prefix-lists"], ctx);
  const securityGroups = buildSecurityGroups(input["security-groups"], settings, prefixLists, env);
  const networkAcls = buildNetworkAcls(input["network-acls"], env);
  const routeTables = buildRouteTables(input, mainTable, env);
  const subnets = buildSubnets(input.subnets, { acls: networkAcls, tables: routeTables, mainTable }, env);
  const addresses = new AddressBook(subnets, env);
  const instances = buildInstances(input.instances, securityGroups, addresses);
  const natGateways = buildNatGateways(input["nat-gateways"], addresses, ctx);
  const internetHosts = buildInternetHosts(input["internet-hosts"], addresses, ctx);
  if (ctx.failed) return undefined;
  const vpc = {
    name: input.vpc.name ?? "vpc",
    cidrs: env.cidrs,
    ...(env.ipv6 ? { ipv6Cidr: env.ipv6 } : {}),
    defaultSecurityGroup: DEFAULT_GROUP,
    defaultNetworkAcl: DEFAULT_ACL,
    mainRouteTable: mainTable,
  };
  return { vpc, subnets, securityGroups, networkAcls, routeTables, instances, natGateways, internetHosts, prefixLists, settings };
}

/**
 * A record of the world keyed by the file's names, with no prototype: a name such as `constructor`
 * finds nothing it did not declare, whoever looks it up (the engine, a notebook, the CLI).
 */
function byName<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** `record[key]` when the file declared it; never a property of Object.prototype (`toString`). */
function declared<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function defined<T>(x: T | undefined): x is T {
  return x !== undefined;
}

/** A field that holds one value or a list of them, each with its path. */
function oneOrMany(value: string | readonly string[], path: Path): [string, Path][] {
  return typeof value === "string" ? [[value, path]] : value.map((v, i) => [v, [...path, i]]);
}

/** A duration field, or its default when absent or wrong (the problem is reported). */
function seconds(value: string | number | undefined, fallback: number, path: Path, ctx: Context): number {
  return value === undefined ? fallback : (duration(value, path, ctx) ?? fallback);
}

function buildSettings(s: Input["settings"] = {}, ctx: Context): Settings {
  const d = DEFAULT_SETTINGS;
  return {
    ...d,
    untrackedFlows: s["untracked-flows"] ?? d.untrackedFlows,
    ipv6DefaultEgress: s["ipv6-default-egress"] ?? d.ipv6DefaultEgress,
    relatedIcmp: s["related-icmp"] ?? d.relatedIcmp,
    icmpTimeout: seconds(s["icmp-timeout"], d.icmpTimeout, ["settings", "icmp-timeout"], ctx),
    tcpClosingTimeout: seconds(s["tcp-closing-timeout"], d.tcpClosingTimeout, ["settings", "tcp-closing-timeout"], ctx),
    otherProtocolTimeout: seconds(s["other-protocol-timeout"], d.otherProtocolTimeout, ["settings", "other-protocol-timeout"], ctx),
    natIdleTimeout: seconds(s["nat-idle-timeout"], d.natIdleTimeout, ["settings", "nat-idle-timeout"], ctx),
  };
}

/** The VPC's blocks: up to five IPv4 and one IPv6; none when no IPv4 block is valid. */
function vpcBlocks(vpc: Input["vpc"], ctx: Context): Omit<Env, "names" | "ctx"> | undefined {
  const cidrs = oneOrMany(vpc.cidr, ["vpc", "cidr"])
    .map(([t, p]) => sized(cidr(t, p, ctx, 4), "VPC", p, ctx))
    .filter(defined);
  const ipv6 =
    vpc["ipv6-cidr"] !== undefined
      ? sized(cidr(vpc["ipv6-cidr"], ["vpc", "ipv6-cidr"], ctx, 6), "VPC", ["vpc", "ipv6-cidr"], ctx)
      : undefined;
  if (cidrs.length === 0) return undefined;
  checkVpcBlocksQuota(cidrs.length, ["vpc", "cidr"], ctx);
  return { cidrs, ...(ipv6 ? { ipv6 } : {}), blocks: [...cidrs, ...(ipv6 ? [ipv6] : [])] };
}

/** Prefix lengths AWS accepts (aws-rules §4.8): IPv4 /16 to /28; IPv6 in steps of 4, VPCs /44 to /60, subnets /44 to /64. */
const BLOCK_SIZES = {
  VPC: { 4: { min: 16, max: 28, step: 1 }, 6: { min: 44, max: 60, step: 4 } },
  subnet: { 4: { min: 16, max: 28, step: 1 }, 6: { min: 44, max: 64, step: 4 } },
} as const;

/**
 * The block, after reporting it when AWS refuses its size for a VPC or a subnet; kept either way, so
 * that the addresses inside it are not reported as outside it too.
 */
function sized(c: Cidr | undefined, what: keyof typeof BLOCK_SIZES, path: Path, ctx: Context): Cidr | undefined {
  if (!c) return undefined;
  const { min, max, step } = BLOCK_SIZES[what][c.family];
  if (!(c.prefix >= min && c.prefix <= max && c.prefix % step === 0)) {
    const steps = step === 1 ? "" : ` in steps of /${step}`;
    ctx.error(path, "cidr/size", `a ${what}'s IPv${c.family} block is /${min} to /${max}${steps}; ${c.text} is /${c.prefix}`);
  }
  return c;
}

/** Route target words and what each means (aws-rules §4.1); a route reads them before any name. */
const ROUTE_TARGET_WORDS: ReadonlyMap<string, string> = new Map([
  ["internet-gateway", "the VPC's internet gateway"],
  ["egress-only-internet-gateway", "the VPC's egress-only internet gateway"],
  ["blackhole", "a route that drops its traffic"],
]);

/** Every declared name; from and to must name one thing, so a name is one kind of endpoint only. */
function declaredNames(input: Input, ctx: Context): Names {
  const names: Names = {
    groups: new Set([...Object.keys(input["security-groups"] ?? {}), DEFAULT_GROUP]),
    lists: new Set(Object.keys(input["prefix-lists"] ?? {})),
    subnets: new Set(Object.keys(input.subnets)),
    instances: new Set(Object.keys(input.instances ?? {})),
    nats: new Set(Object.keys(input["nat-gateways"] ?? {})),
    hosts: new Set(Object.keys(input["internet-hosts"] ?? {})),
  };
  const kinds = new Map<string, string>();
  for (const [kind, section, set] of [
    ["instance", "instances", names.instances],
    ["NAT gateway", "nat-gateways", names.nats],
    ["internet host", "internet-hosts", names.hosts],
  ] as const) {
    for (const n of set) {
      const path = [section, n];
      const earlier = kinds.get(n);
      if (earlier) {
        ctx.error(path, "name/duplicate", `"${n}" names both an ${earlier} and an ${kind}; from/to need names that say one thing`, "key");
      }
      kinds.set(n, kind);
      // A name must not hide a word or an address that from, to and route targets also accept.
      const word = ROUTE_TARGET_WORDS.get(n);
      if (word) {
        ctx.error(path, "name/keyword", `an ${kind} cannot be named ${n}: routes read ${n} as ${word}, never as a name`, "key");
      } else if (parseAddress(n).ok) {
        ctx.error(
          path,
          "name/address",
          `an ${kind} cannot be named ${n}: from and to would read it as the name, never as the address ${n}`,
          "key",
        );
      }
    }
  }
  return names;
}

/** A list of blocks, or `{ entries, max-entries }`: one family, and no more entries than its maximum (aws-rules §2.6). */
function buildPrefixLists(lists: Input["prefix-lists"] = {}, ctx: Context): Record<string, PrefixList> {
  const out = byName<PrefixList>();
  for (const [n, list] of Object.entries(lists)) {
    const [texts, max, at]: [string[], number | undefined, Path] = Array.isArray(list)
      ? [list, undefined, ["prefix-lists", n]]
      : [list.entries, list["max-entries"], ["prefix-lists", n, "entries"]];
    const cidrs = texts.map((t, i) => cidr(t, [...at, i], ctx));
    const family = cidrs.find(defined)?.family;
    cidrs.forEach((c, i) => {
      if (c && c.family !== family) {
        ctx.error(
          [...at, i],
          "prefix-list/family",
          `${c.text} is IPv${c.family} but prefix list ${n} starts with IPv${family} blocks: a list holds one family; make a second list for IPv${c.family}`,
        );
      }
    });
    if (max !== undefined && texts.length > max) {
      ctx.error(
        ["prefix-lists", n, "max-entries"],
        "prefix-list/max-entries",
        `prefix list ${n} has ${texts.length} entries but max-entries ${max}: AWS refuses entries beyond the maximum; raise it`,
      );
    }
    const size = max ?? texts.length;
    if (size > PREFIX_LIST_ENTRIES) {
      ctx.warn(
        max === undefined ? ["prefix-lists", n] : ["prefix-lists", n, "max-entries"],
        "quota/prefix-list-entries",
        `prefix list ${n} ${max === undefined ? "has" : "may hold"} ${size} entries; AWS's quota "maximum number of entries per prefix list" is ${PREFIX_LIST_ENTRIES} (aws-rules §2.5)`,
        max === undefined ? "key" : "value",
      );
    }
    out[n] = { name: n, cidrs: cidrs.filter(defined), ...(max !== undefined ? { maxEntries: max } : {}) };
  }
  return out;
}

/** A group declared without `outbound` allows all out, as AWS creates one (aws-rules §2.1). */
function buildSecurityGroups(
  groups: Input["security-groups"] = {},
  settings: Settings,
  lists: Readonly<Record<string, PrefixList>>,
  env: Env,
): Record<string, SecurityGroup> {
  const out = byName<SecurityGroup>();
  for (const [n, g] of Object.entries(groups)) {
    const rules = (dir: Direction) => {
      const seen = new Map<string, number>();
      return (g[dir] ?? []).flatMap((r, i) => {
        const path = ["security-groups", n, dir, i];
        const rule = sgRule(r, dir, path, env.ctx, env.names);
        if (!rule) return [];
        // aws-rules §2.6: AWS refuses a rule the group already has (InvalidPermission.Duplicate)
        const key = sgRuleKey(rule);
        const first = seen.get(key);
        if (first !== undefined) {
          env.ctx.error(
            path,
            "rule/duplicate",
            `this ${dir} rule repeats rule ${first + 1} of group ${n} (the description does not count)`,
          );
          return [];
        }
        seen.set(key, i);
        return [rule];
      });
    };
    const inbound = rules("inbound");
    const outbound = g.outbound === undefined ? newGroupOutbound(env.ipv6, settings) : rules("outbound");
    checkGroupQuota(inbound, lists, ["security-groups", n, "inbound"], env.ctx);
    checkGroupQuota(outbound, lists, ["security-groups", n, "outbound"], env.ctx);
    out[n] = { name: n, inbound, outbound };
  }
  if (!declared(out, DEFAULT_GROUP)) {
    out[DEFAULT_GROUP] = {
      name: DEFAULT_GROUP,
      inbound: defaultGroupInbound(DEFAULT_GROUP),
      outbound: newGroupOutbound(env.ipv6, settings),
    };
  }
  return out;
}

/** A declared ACL starts empty; the default one allows everything (aws-rules §1.2). */
function buildNetworkAcls(acls: Input["network-acls"] = {}, env: Env): Record<string, NetworkAcl> {
  const out = byName<NetworkAcl>();
  for (const [n, a] of Object.entries(acls)) {
    const rules = (dir: Direction) => {
      const list = naclRules(a[dir], ["network-acls", n, dir], env.ctx);
      checkAclQuota(list, ["network-acls", n, dir], env.ctx);
      return list;
    };
    out[n] = { name: n, inbound: rules("inbound"), outbound: rules("outbound") };
  }
  if (!declared(out, DEFAULT_ACL)) out[DEFAULT_ACL] = defaultNetworkAcl(DEFAULT_ACL, env.ipv6);
  return out;
}

/** The table marked main, or `main`; a VPC has one main table, so a second is refused (aws-rules §4.8). */
function mainRouteTable(tables: Input["route-tables"] = {}, ctx: Context): string {
  const marked = Object.entries(tables).filter(([, t]) => t.main);
  for (const [n] of marked.slice(1)) {
    ctx.error(
      ["route-tables", n, "main"],
      "route/main",
      `route table ${n} is marked main, but so is ${marked[0]![0]}: a VPC has one main table; associate ${n} with its subnets instead`,
      "key",
    );
  }
  return marked[0]?.[0] ?? "main";
}

function buildRouteTables(input: Input, mainTable: string, env: Env): Record<string, RouteTable> {
  const subnetBlocks = new Set(
    Object.values(input.subnets)
      .flatMap((s) => [s.cidr, s["ipv6-cidr"]])
      .flatMap((t) => {
        const c = t === undefined ? undefined : parseCidr(t);
        return c?.ok ? [c.value.text] : [];
      }),
  );
  const out = byName<RouteTable>();
  for (const [n, t] of Object.entries(input["route-tables"] ?? {})) {
    const seen = new Map<string, number>();
    const routes = t.routes.flatMap((r, i) => {
      const path = ["route-tables", n, "routes", i];
      const built = route(r, path, subnetBlocks, env);
      if (!built) return [];
      // aws-rules §4.8: one route per destination in a table (CreateRoute: RouteAlreadyExists)
      const first = seen.get(built.destination.text);
      if (first !== undefined) {
        env.ctx.error(
          [...path, "destination"],
          "route/duplicate",
          `route table ${n} already has a route to ${built.destination.text} (route ${first + 1}); a table has one route per destination`,
        );
        return [];
      }
      seen.set(built.destination.text, i);
      return [built];
    });
    out[n] = { name: n, routes };
  }
  if (!declared(out, mainTable)) out[mainTable] = { name: mainTable, routes: [] };
  return out;
}

function route(r: RouteInput, path: Path, subnetBlocks: ReadonlySet<string>, env: Env): Route | undefined {
  const { ctx } = env;
  const dest = cidr(r.destination, [...path, "destination"], ctx);
  if (!dest) return undefined;
  const target = typeof r.target === "string" ? routeTarget(r.target, env.names) : { kind: "unmodelled" as const, id: r.target.unmodelled };
  if (!target) {
    return ctx.error(
      [...path, "target"],
      "ref/unknown-target",
      `route target "${r.target}" is not internet-gateway, egress-only-internet-gateway, blackhole, or a NAT gateway or instance of this scenario`,
    );
  }
  if (target.kind === "egress-only-internet-gateway" && dest.family !== 6) {
    return ctx.error([...path, "target"], "route/family", "an egress-only internet gateway carries IPv6 only");
  }
  if (target.kind === "nat-gateway" && dest.family !== 4) {
    return ctx.error([...path, "target"], "route/family", "a NAT gateway translates IPv4 only");
  }
  // A route inside the VPC may only send a whole subnet through a middlebox (aws-rules §4.1); an
  // unmodelled target may be one (a Network Firewall or Gateway Load Balancer endpoint).
  const middlebox =
    (target.kind === "instance" || target.kind === "nat-gateway" || target.kind === "unmodelled") && subnetBlocks.has(dest.text);
  if (!middlebox && env.blocks.some((b) => cidrWithin(dest, b) || (cidrWithin(b, dest) && b.prefix === dest.prefix))) {
    return ctx.error(
      [...path, "destination"],
      "route/local",
      `${dest.text} lies inside the VPC: the local route covers it, and only a whole subnet's block may be routed to a NAT gateway or an instance`,
    );
  }
  return { destination: dest, target };
}

function routeTarget(text: string, names: Names): RouteTarget | undefined {
  if (ROUTE_TARGET_WORDS.has(text)) return { kind: text as "internet-gateway" | "egress-only-internet-gateway" | "blackhole" };
  if (names.nats.has(text)) return { kind: "nat-gateway", name: text };
  if (names.instances.has(text)) return { kind: "instance", name: text };
  return undefined;
}

/** What a subnet is associated with: its network ACL and route table, by default the VPC's. */
interface Associations {
  readonly acls: Readonly<Record<string, NetworkAcl>>;
  readonly tables: Readonly<Record<string, RouteTable>>;
  readonly mainTable: string;
}

function buildSubnets(input: Input["subnets"], assoc: Associations, env: Env): Record<string, Subnet> {
  const { cidrs, ctx } = env;
  const out = byName<Subnet>();
  for (const [n, s] of Object.entries(input)) {
    const path = ["subnets", n];
    const c = sized(cidr(s.cidr, [...path, "cidr"], ctx, 4), "subnet", [...path, "cidr"], ctx);
    if (c && !cidrs.some((b) => cidrWithin(c, b)))
      ctx.error([...path, "cidr"], "subnet/outside-vpc", `${c.text} is not inside the VPC's ${cidrs.map((b) => b.text).join(", ")}`);
    const c6 = s["ipv6-cidr"] !== undefined ? subnetIpv6(s["ipv6-cidr"], [...path, "ipv6-cidr"], env) : undefined;
    const acl = s["network-acl"] ?? DEFAULT_ACL;
    if (!declared(assoc.acls, acl)) ctx.error([...path, "network-acl"], "ref/unknown-network-acl", `unknown network ACL "${acl}"`);
    const rt = s["route-table"] ?? assoc.mainTable;
    if (!declared(assoc.tables, rt)) ctx.error([...path, "route-table"], "ref/unknown-route-table", `unknown route table "${rt}"`);
    if (c) out[n] = { name: n, cidr: c, ...(c6 ? { ipv6Cidr: c6 } : {}), networkAcl: acl, routeTable: rt };
  }
  checkOverlaps(Object.values(out), ctx);
  return out;
}

function subnetIpv6(text: string, path: Path, { ipv6, ctx }: Env): Cidr | undefined {
  const c6 = sized(cidr(text, path, ctx, 6), "subnet", path, ctx);
  if (c6 && !ipv6) ctx.error(path, "subnet/no-vpc-ipv6", "the subnet has an IPv6 block but the VPC has none");
  else if (c6 && ipv6 && !cidrWithin(c6, ipv6)) ctx.error(path, "subnet/outside-vpc", `${c6.text} is not inside the VPC's ${ipv6.text}`);
  return c6;
}

/**
 * Reports each subnet whose IPv4 block overlaps an earlier one's. Two blocks are nested or apart, so
 * sorted by start, widest first, a block overlaps the innermost open block it starts inside: n log n
 * and one report per subnet, where comparing every pair takes minutes on a file of many subnets.
 */
function checkOverlaps(subnets: readonly Subnet[], ctx: Context): void {
  const order = new Map(subnets.map((s, i) => [s, i]));
  const sorted = [...subnets].sort((a, b) => a.cidr.lo4 - b.cidr.lo4 || a.cidr.prefix - b.cidr.prefix || order.get(a)! - order.get(b)!);
  const open: Subnet[] = [];
  const found: [earlier: Subnet, later: Subnet][] = [];
  for (const s of sorted) {
    while (open.length > 0 && open[open.length - 1]!.cidr.hi4 < s.cidr.lo4) open.pop();
    const outer = open[open.length - 1];
    if (outer) found.push(order.get(outer)! < order.get(s)! ? [outer, s] : [s, outer]);
    open.push(s);
  }
  found.sort(([, a], [, b]) => order.get(a)! - order.get(b)!);
  for (const [a, b] of found) {
    ctx.error(
      ["subnets", b.name, "cidr"],
      "subnet/overlap",
      `subnet ${b.name} (${b.cidr.text}) overlaps subnet ${a.name} (${a.cidr.text})`,
    );
  }
}

/**
 * IPv4 blocks the internet does not route (RFC 6890's special-purpose registry), so no public IP is
 * in them. The documentation blocks (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24) are left out:
 * AWS's guides and vpcsim's lessons use them as public addresses.
 */
const NOT_PUBLIC: readonly (readonly [Cidr, string])[] = (
  [
    ["0.0.0.0/8", 'a "this network" address'],
    ["10.0.0.0/8", "a private address (RFC 1918)"],
    ["100.64.0.0/10", "a shared address for carrier-grade NAT (RFC 6598)"],
    ["127.0.0.0/8", "a loopback address"],
    ["169.254.0.0/16", "a link-local address"],
    ["172.16.0.0/12", "a private address (RFC 1918)"],
    ["192.0.0.0/24", "an IETF protocol assignment"],
    ["192.168.0.0/16", "a private address (RFC 1918)"],
    ["198.18.0.0/15", "a benchmarking address (RFC 2544)"],
    ["224.0.0.0/4", "a multicast address"],
    ["240.0.0.0/4", "a reserved address"],
  ] as const
).map(([text, why]) => [(parseCidr(text) as { ok: true; value: Cidr }).value, why]);

/** Checks each address against where it may be, and that no two owners claim one. */
class AddressBook {
  readonly #owners = new Map<string, string>();
  constructor(
    readonly subnets: Readonly<Record<string, Subnet>>,
    readonly env: Env,
  ) {}

  own(a: Address, owner: string, path: Path): void {
    const prev = this.#owners.get(a.text);
    if (prev) this.env.ctx.error(path, "address/duplicate", `${a.text} is already ${prev}'s address`);
    this.#owners.set(a.text, owner);
  }

  /** A private address inside its subnet and not one of AWS's reserves. */
  privateIn(a: Address | undefined, subnetName: string, path: Path): Address | undefined {
    const s = declared(this.subnets, subnetName);
    if (!a || !s) return a;
    const block = a.family === 4 ? s.cidr : s.ipv6Cidr;
    if (!block || !cidrContains(block, a))
      return this.env.ctx.error(
        path,
        "address/outside-subnet",
        `${a.text} is not inside subnet ${subnetName} (${block ? block.text : "no IPv6 block"})`,
      );
    // AWS reserves the first four and the last address of every subnet block, IPv4 and IPv6 alike
    // (aws-rules §1.6): an instance at the IPv6 block's ::1 would be taken for the VPC router.
    const fromStart = a.family === 4 ? BigInt(a.v4 - block.lo4) : a.v6 - block.lo6;
    const last = a.family === 4 ? a.v4 === block.hi4 : a.v6 === block.hi6;
    if (fromStart < 4n || last) {
      return this.env.ctx.error(
        path,
        "address/reserved",
        `${a.text} is reserved by AWS in subnet ${subnetName}: the first four and the last address of ${block.text} are not assignable`,
      );
    }
    return a;
  }

  /** A public IP: outside every VPC block, and an address the internet routes (aws-rules §4.8). */
  publicIp(a: Address | undefined, path: Path): Address | undefined {
    const range = a && NOT_PUBLIC.find(([block]) => cidrContains(block, a));
    if (!range) return this.outside(a, path, "public IP");
    const [block, why] = range;
    return this.env.ctx.error(
      path,
      "address/not-public",
      `${a!.text} is ${why} (${block.text}): the internet does not route it, so AWS never gives it as a public IP; use a public address such as 198.51.100.10 (a documentation address)`,
    );
  }

  /** A public address: outside every VPC block. */
  outside(a: Address | undefined, path: Path, what: string): Address | undefined {
    if (a && this.env.blocks.some((b) => cidrContains(b, a)))
      return this.env.ctx.error(path, "address/inside-vpc", `${what} ${a.text} lies inside the VPC`);
    return a;
  }
}

function buildInstances(
  input: Input["instances"] = {},
  groups: Record<string, SecurityGroup>,
  addresses: AddressBook,
): Record<string, Instance> {
  const out = byName<Instance>();
  for (const [n, inst] of Object.entries(input)) {
    // The instance's own fields are its primary interface; a NAT instance translates on that one.
    const interfaces = [inst, ...(inst.interfaces ?? [])].map((spec, k) => {
      const owner = { instance: n, name: k === 0 ? n : `${n}#${k}`, nat: k === 0 && (inst["nat-instance"] ?? false) };
      return buildInterface(spec, k === 0 ? ["instances", n] : ["instances", n, "interfaces", k - 1], owner, groups, addresses);
    });
    out[n] = { name: n, interfaces: interfaces.filter(defined) };
  }
  return out;
}

type Owner = Pick<NetworkInterface, "instance" | "name" | "nat">;

function buildInterface(
  spec: InterfaceInput,
  path: Path,
  owner: Owner,
  groups: Record<string, SecurityGroup>,
  addresses: AddressBook,
): NetworkInterface | undefined {
  const { ctx, names } = addresses.env;
  if (!declared(addresses.subnets, spec.subnet) && !names.subnets.has(spec.subnet)) {
    return ctx.error([...path, "subnet"], "ref/unknown-subnet", `unknown subnet "${spec.subnet}"`);
  }
  // A subnet problem of any of the addresses is reported at the field, not the item.
  const privateIps = oneOrMany(spec["private-ip"], [...path, "private-ip"])
    .map(([t, p]) => addresses.privateIn(address(t, p, ctx, 4), spec.subnet, [...path, "private-ip"]))
    .filter(defined);
  const v6Texts = typeof spec.ipv6 === "string" ? [spec.ipv6] : (spec.ipv6 ?? []);
  const ipv6s = v6Texts
    .map((t) => addresses.privateIn(address(t, [...path, "ipv6"], ctx, 6), spec.subnet, [...path, "ipv6"]))
    .filter(defined);
  const pub =
    spec["public-ip"] === undefined
      ? undefined
      : addresses.publicIp(address(spec["public-ip"], [...path, "public-ip"], ctx, 4), [...path, "public-ip"]);
  const securityGroups = spec["security-groups"] ?? [DEFAULT_GROUP];
  securityGroups.forEach((g, i) => {
    if (!declared(groups, g)) ctx.error([...path, "security-groups", i], "ref/unknown-security-group", `unknown security group "${g}"`);
    else if (securityGroups.indexOf(g) < i) {
      ctx.error(
        [...path, "security-groups", i],
        "instance/duplicate-security-group",
        `security group ${g} is listed twice on this interface`,
      );
    }
  });
  checkGroupsPerInterface(securityGroups, [...path, "security-groups"], ctx);
  if (securityGroups.length === 0)
    ctx.error([...path, "security-groups"], "instance/no-security-group", "an interface has at least one security group");
  for (const a of [...privateIps, ...ipv6s, ...(pub ? [pub] : [])]) addresses.own(a, owner.name, path);
  const ephemeral = ephemeralPorts(spec["ephemeral-ports"], [...path, "ephemeral-ports"], ctx);
  if (privateIps.length === 0 || !ephemeral) return undefined;
  return {
    name: owner.name,
    instance: owner.instance,
    subnet: spec.subnet,
    privateIps,
    ipv6s,
    ...(pub ? { publicIp: pub } : {}),
    securityGroups,
    sourceDestCheck: spec["source-dest-check"] ?? true,
    nat: owner.nat,
    ephemeral,
    timeouts: conntrackTimeouts(spec["connection-tracking"], [...path, "connection-tracking"], ctx),
  };
}

/** An interface's idle timeouts of tracked connections (aws-rules §3.4). */
function conntrackTimeouts(ct: InterfaceInput["connection-tracking"] = {}, path: Path, ctx: Context): ConntrackTimeouts {
  const timeout = (key: keyof typeof TIMEOUT_LIMITS, field: keyof ConntrackTimeouts) => {
    const value = seconds(ct[key], DEFAULT_TIMEOUTS[field], [...path, key], ctx);
    const { min, max } = TIMEOUT_LIMITS[key];
    // aws-rules §3.7: ConnectionTrackingSpecificationRequest takes whole seconds within these limits
    if (ct[key] !== undefined && !(Number.isInteger(value) && value >= min && value <= max)) {
      ctx.error(
        [...path, key],
        "conntrack/range",
        `${key} is a whole number of seconds from ${min} to ${max} (${formatLimit(max)}); ${ct[key]} is ${value} s`,
      );
    }
    return value;
  };
  return {
    tcpEstablished: timeout("tcp-established", "tcpEstablished"),
    udp: timeout("udp", "udp"),
    udpStream: timeout("udp-stream", "udpStream"),
  };
}

/** The idle timeouts AWS accepts on an interface, in seconds (aws-rules §3.7). */
const TIMEOUT_LIMITS = {
  "tcp-established": { min: 60, max: 432000 },
  udp: { min: 30, max: 60 },
  "udp-stream": { min: 60, max: 180 },
} as const;

function formatLimit(s: number): string {
  return s >= 86400 ? `${s / 86400} days` : s >= 60 ? `${s / 60} minutes` : `${s} s`;
}

function buildNatGateways(input: Input["nat-gateways"] = {}, addresses: AddressBook, ctx: Context): Record<string, NatGateway> {
  const out = byName<NatGateway>();
  for (const [n, g] of Object.entries(input)) {
    const path = ["nat-gateways", n];
    if (!declared(addresses.subnets, g.subnet)) {
      ctx.error([...path, "subnet"], "ref/unknown-subnet", `unknown subnet "${g.subnet}"`);
      continue;
    }
    const priv = addresses.privateIn(address(g["private-ip"], [...path, "private-ip"], ctx, 4), g.subnet, [...path, "private-ip"]);
    const pub = addresses.publicIp(address(g["public-ip"], [...path, "public-ip"], ctx, 4), [...path, "public-ip"]);
    if (priv) addresses.own(priv, n, path);
    if (pub) addresses.own(pub, n, path);
    if (priv && pub) out[n] = { name: n, subnet: g.subnet, privateIp: priv, publicIp: pub };
  }
  return out;
}

function buildInternetHosts(input: Input["internet-hosts"] = {}, addresses: AddressBook, ctx: Context): Record<string, InternetHost> {
  const out = byName<InternetHost>();
  for (const [n, h] of Object.entries(input)) {
    const path = ["internet-hosts", n];
    const a = addresses.outside(address(h.ip, [...path, "ip"], ctx), [...path, "ip"], "internet host");
    const ephemeral = ephemeralPorts(h["ephemeral-ports"], [...path, "ephemeral-ports"], ctx);
    if (a) addresses.own(a, n, path);
    if (a && ephemeral) out[n] = { name: n, address: a, ephemeral };
  }
  return out;
}
