// AWS CLI / API JSON (describe-* outputs) → a scenario value, in the vocabulary of scenario files,
// with its warnings and errors and where each part came from. Pure: the documents are parsed
// already. What vpcsim does not model becomes a named stand-in or a warning, never a guessed rule.

import { unmodelledText } from "../explain/drop.js";
import type { Diagnostic } from "../model/diagnostic.js";
import { shown, VpcsimError } from "../model/errors.js";
import { pathText } from "../scenario/diagnostics.js";
import type { ScenarioInput } from "../scenario/schema.js";
import type { Resources, SourceDocument } from "./documents.js";
import { collectResources, prefixListCidrs } from "./documents.js";
import { chooseNames } from "./names.js";
import type { Item, Json } from "./problems.js";
import { Fields, field, ImportProblems } from "./problems.js";
import type { PeerNames, Sourced } from "./rules.js";
import { aclEntries, permissionRules, ruleAsPermission } from "./rules.js";

export interface ImportOptions {
  /** The VPC to import when the documents hold several (several VPCs in one world are not modelled yet). */
  readonly vpc?: string;
  /** The scenario's name; the VPC's by default. */
  readonly name?: string;
}

/** Where a part of the scenario came from: a resource's file and ID, and the field's place in its document (`SecurityGroups[0].IpPermissions[1]`). */
export type Origin = Omit<Item, "data">;

export interface ImportResult {
  /** the scenario, as a scenario file would hold it; without steps */
  readonly value: ScenarioInput;
  readonly errors: readonly Diagnostic[];
  readonly warnings: readonly Diagnostic[];
  /** scenario path (`security-groups.web.inbound[0]`) → the AWS resource and field it came from */
  readonly origins: ReadonlyMap<string, Origin>;
}

type Section<K extends keyof ScenarioInput> = NonNullable<ScenarioInput[K]>;
type InstanceValue = Section<"instances">[string];
type InterfaceValue = Omit<InstanceValue, "interfaces" | "nat-instance">;
type RouteValue = Section<"route-tables">[string]["routes"][number];

/** ENI types that belong to a resource the importer reads on its own. */
const OWN_TYPES = new Set(["nat_gateway"]);
/** ENI types of an instance's own interfaces. */
const INSTANCE_TYPES = new Set(["interface", "efa", "trunk", "branch"]);
/** Instance states with no interfaces left to carry traffic. */
const GONE = new Set(["terminated", "shutting-down"]);

export function importAws(documents: readonly SourceDocument[], options: ImportOptions = {}): ImportResult {
  checkImportArguments("importAws", documents, options);
  const problems = new ImportProblems();
  return importResources(collectResources(documents, problems), problems, options);
}

/** An importer's arguments, as its callers must give them: a VpcsimError naming `fn` otherwise. */
export function checkImportArguments(fn: string, documents: readonly SourceDocument[], options: ImportOptions): void {
  const bad = (why: string) => new VpcsimError("argument/documents", `${fn}: ${why}`);
  if (!Array.isArray(documents)) throw bad(`documents are a list of { name, data }, not ${shown(documents)}`);
  for (const d of documents) {
    if (typeof d !== "object" || d === null || typeof (d as SourceDocument).name !== "string")
      throw bad(`each document is { name: string, data }, not ${shown(d)}`);
  }
  if (typeof options !== "object" || options === null) throw bad(`options are { vpc?, name? }, not ${shown(options)}`);
  for (const key of ["vpc", "name"] as const) {
    if (options[key] !== undefined && typeof options[key] !== "string") throw bad(`options.${key} is a string, not ${shown(options[key])}`);
  }
}

/** Resources by kind, in AWS's shapes, already read from their documents (by any dialect) → the scenario value. */
export function importResources(resources: Resources, problems: ImportProblems, options: ImportOptions = {}): ImportResult {
  return new AwsImport(resources, problems, options).result();
}

class AwsImport {
  readonly #problems: ImportProblems;
  readonly #origins = new Map<string, Origin>();
  readonly #all: Resources;
  readonly #options: ImportOptions;

  constructor(all: Resources, problems: ImportProblems, options: ImportOptions) {
    this.#options = options;
    this.#problems = problems;
    this.#all = all;
  }

  result(): ImportResult {
    const empty: ScenarioInput = { name: this.#options.name ?? "import", vpc: { cidr: [] }, subnets: {} };
    const vpc = this.#chooseVpc();
    const value = vpc ? this.#scenario(vpc) : empty;
    return { value, errors: this.#problems.errors, warnings: this.#problems.warnings, origins: this.#origins };
  }

  /** `key`: the scenario path as pathText writes it, `security-groups.web.inbound[0]`. */
  #from(key: string, item: Item, fieldPath = ""): void {
    this.#origins.set(key, {
      file: item.file,
      id: item.id,
      path: fieldPath ? `${item.path}${fieldPath.startsWith("[") ? "" : "."}${fieldPath}` : item.path,
    });
  }

  #fields(item: Item): Fields {
    return new Fields(item, this.#problems);
  }

  /** The one VPC of the import, or the one `--vpc` names; the others are listed in a warning. */
  #chooseVpc(): Item | undefined {
    const vpcs = this.#all.vpcs;
    const first = this.#all.vpcs[0] ?? this.#all.subnets[0];
    const where = first ? { file: first.file, path: first.path, id: "" } : { file: "(the import)", path: "(the whole value)", id: "" };
    const list = () => vpcs.map((v) => `${v.id} (${String(field(v.data, "CidrBlock") ?? "?")})`).join(", ");
    const wanted = this.#options.vpc;
    if (wanted !== undefined) {
      const vpc = vpcs.find((v) => v.id === wanted);
      if (!vpc)
        return this.#problems.error(where, "", "import/several-vpcs", `no VPC ${wanted} in the import; it holds ${list() || "none"}`);
      if (vpcs.length > 1) {
        this.#problems.warn(
          { ...vpc, id: "" },
          "",
          "import/other-vpc",
          `imports ${wanted} only; left out with their resources: ${vpcs
            .filter((v) => v !== vpc)
            .map((v) => v.id)
            .join(", ")}`,
        );
      }
      return vpc;
    }
    if (vpcs.length === 0)
      return this.#problems.error(
        where,
        "",
        "import/no-vpc",
        "the import holds no VPC: add the output of aws ec2 describe-vpcs (key Vpcs)",
      );
    if (vpcs.length > 1) {
      return this.#problems.error(
        where,
        "",
        "import/several-vpcs",
        `the import holds ${vpcs.length} VPCs: ${list()}; vpcsim simulates one VPC at a time for now: choose one with --vpc ID`,
      );
    }
    return vpcs[0];
  }

  #scenario(vpc: Item): ScenarioInput {
    const inVpc = (items: readonly Item[]) => items.filter((i) => field(i.data, "VpcId") === vpc.id);
    const r = this.#all;
    const subnets = inVpc(r.subnets);
    const groups = inVpc(r.securityGroups);
    const acls = inVpc(r.networkAcls);
    const tables = inVpc(r.routeTables);
    const nats = inVpc(r.natGateways).filter((n) => this.#natUsable(n));
    const hosts = this.#hosts(inVpc(r.instances), inVpc(r.networkInterfaces));
    const peers = this.#names([...groups, ...r.prefixLists], (i) => [field(i.data, "GroupName"), field(i.data, "PrefixListName")]);
    const lists = this.#prefixLists(peers);
    const names: Names = {
      subnets: this.#names(subnets),
      acls: this.#names(acls),
      tables: this.#names(tables),
      // a rule's peer is read as a group before a prefix list: one namespace for both
      peers,
      groups: new Set(groups.map((g) => g.id)),
      lists,
      // from, to and route targets name instances and NAT gateways alike: one namespace
      hosts: this.#names([...hosts.map((h) => h.item), ...nats]),
    };
    const tag = this.#fields(vpc).nameTag();
    return {
      // a tag may hold 256 characters, a scenario's name 200
      name: this.#options.name ?? tag?.slice(0, 200) ?? vpc.id,
      description: `Imported from AWS: ${vpc.id}${tag ? ` (${tag})` : ""}`,
      vpc: this.#vpc(vpc),
      subnets: this.#subnets(subnets, acls, tables, names),
      "route-tables": this.#routeTables(tables, names, hosts, nats),
      "network-acls": this.#networkAcls(acls, names),
      "security-groups": this.#securityGroups(groups, names),
      ...(lists.size ? { "prefix-lists": Object.fromEntries([...lists].map(([id, cidrs]) => [peers.get(id)!, cidrs])) } : {}),
      instances: this.#instances(hosts, names),
      ...(nats.length ? { "nat-gateways": this.#natGateways(nats, names) } : {}),
    };
  }

  /** Names for one namespace: the Name tag, then what `own` gives (a group's name), else the ID. */
  #names(items: readonly Item[], own: (i: Item) => unknown[] = () => []): Map<string, string> {
    return chooseNames(
      items.map((i) => ({
        id: i.id,
        candidates: [this.#fields(i).nameTag(), ...own(i).map((x) => (typeof x === "string" ? x.trim() : undefined))],
      })),
    );
  }

  #vpc(vpc: Item): ScenarioInput["vpc"] {
    const f = this.#fields(vpc);
    this.#from(pathText(["vpc"]), vpc);
    const associated = (key: string, cidrKey: string, stateKey: string) =>
      f.objects(vpc.data, key).flatMap(([a, at]) => {
        const state = f.object(a, stateKey, `${at}.${stateKey}`);
        const s = state ? field(state, "State") : "associated";
        const cidr = f.text(a, cidrKey, `${at}.${cidrKey}`);
        return s === "associated" && cidr !== undefined ? [cidr] : [];
      });
    const v4 = associated("CidrBlockAssociationSet", "CidrBlock", "CidrBlockState");
    const cidrs = v4.length ? v4 : [f.text(vpc.data, "CidrBlock")].filter((c): c is string => c !== undefined);
    const v6 = associated("Ipv6CidrBlockAssociationSet", "Ipv6CidrBlock", "Ipv6CidrBlockState");
    if (v6.length > 1)
      this.#problems.warn(
        vpc,
        "Ipv6CidrBlockAssociationSet",
        "import/left-out",
        `vpcsim models one IPv6 block per VPC: ${v6.slice(1).join(", ")} left out`,
      );
    if (cidrs.length === 0) this.#problems.error(vpc, "CidrBlock", "import/bad-field", "the VPC has no IPv4 block");
    const name = this.#names([vpc]).get(vpc.id)!;
    return { name, cidr: cidrs.length === 1 ? cidrs[0]! : cidrs, ...(v6[0] ? { "ipv6-cidr": v6[0] } : {}) };
  }

  #subnets(subnets: readonly Item[], acls: readonly Item[], tables: readonly Item[], names: Names): Section<"subnets"> {
    const out: Section<"subnets"> = {};
    const associated = (items: readonly Item[], subnet: string) =>
      items.find((i) =>
        this.#fields(i)
          .objects(i.data, "Associations")
          .some(([a]) => field(a, "SubnetId") === subnet),
      );
    const defaultAcl = acls.find((a) => field(a.data, "IsDefault") === true);
    const main = tables.find((t) =>
      this.#fields(t)
        .objects(t.data, "Associations")
        .some(([a]) => field(a, "Main") === true),
    );
    if (tables.length === 0 && subnets.length > 0) {
      this.#problems.warn(
        { ...subnets[0]!, id: "" },
        "",
        "import/left-out",
        "the import holds no route tables (describe-route-tables, key RouteTables): every subnet has the local routes only",
      );
    }
    for (const s of subnets) {
      const f = this.#fields(s);
      const n = names.subnets.get(s.id)!;
      this.#from(pathText(["subnets", n]), s);
      const cidr = f.text(s.data, "CidrBlock");
      if (cidr === undefined) {
        this.#problems.error(s, "CidrBlock", "import/bad-field", "the subnet has no IPv4 block (IPv6-only subnets are not modelled)");
        continue;
      }
      const v6 = f.objects(s.data, "Ipv6CidrBlockAssociationSet").flatMap(([a, at]) => {
        const state = f.object(a, "Ipv6CidrBlockState", `${at}.Ipv6CidrBlockState`);
        const c = f.text(a, "Ipv6CidrBlock", `${at}.Ipv6CidrBlock`);
        return (state ? field(state, "State") : "associated") === "associated" && c !== undefined ? [c] : [];
      });
      const acl = associated(acls, s.id) ?? defaultAcl;
      if (!acl)
        this.#problems.error(
          s,
          "",
          "import/missing",
          "no network ACL of the import is associated with the subnet, and the VPC's default ACL is not in the import",
        );
      const table = associated(tables, s.id);
      if (!table && !main && tables.length > 0)
        this.#problems.error(
          s,
          "",
          "import/missing",
          "no route table of the import is associated with the subnet, and the VPC's main route table is not in the import",
        );
      out[n] = {
        cidr,
        ...(v6[0] ? { "ipv6-cidr": v6[0] } : {}),
        ...(acl ? { "network-acl": names.acls.get(acl.id)! } : {}),
        ...(table ? { "route-table": names.tables.get(table.id)! } : {}),
      };
    }
    return out;
  }

  #networkAcls(acls: readonly Item[], names: Names): Section<"network-acls"> {
    const out: Section<"network-acls"> = {};
    for (const a of acls) {
      const f = this.#fields(a);
      const n = names.acls.get(a.id)!;
      this.#from(pathText(["network-acls", n]), a);
      const { inbound, outbound } = aclEntries(f.objects(a.data, "Entries"), f);
      out[n] = {
        inbound: this.#sourced(inbound, ["network-acls", n, "inbound"], a),
        outbound: this.#sourced(outbound, ["network-acls", n, "outbound"], a),
      };
    }
    return out;
  }

  /** The rules, each recorded as coming from its field of `item` (or of its own item). */
  #sourced<T>(rules: readonly (Sourced<T> & { item?: Item })[], path: (string | number)[], item: Item): T[] {
    const base = pathText(path);
    return rules.map((r, i) => {
      this.#from(`${base}[${i}]`, r.item ?? item, r.field);
      return r.rule;
    });
  }

  #securityGroups(groups: readonly Item[], names: Names): Section<"security-groups"> {
    const out: Section<"security-groups"> = {};
    const peerNames: PeerNames = {
      group: (id) => (names.groups.has(id) ? names.peers.get(id) : undefined),
      list: (id) => (names.lists.has(id) ? names.peers.get(id) : undefined),
    };
    const separate = new Map<string, Item[]>();
    for (const r of this.#all.securityGroupRules) {
      const g = field(r.data, "GroupId");
      if (typeof g === "string") separate.set(g, [...(separate.get(g) ?? []), r]);
    }
    for (const g of groups) {
      const n = names.peers.get(g.id)!;
      this.#from(pathText(["security-groups", n]), g);
      const rules = { inbound: [] as (Sourced<SgRule> & { item?: Item })[], outbound: [] as (Sourced<SgRule> & { item?: Item })[] };
      const own = separate.get(g.id);
      if (own) {
        // describe-security-group-rules, when exported, is the finer record of the same rules
        for (const r of own) {
          const f = this.#fields(r);
          const dir = field(r.data, "IsEgress") === true ? "outbound" : "inbound";
          for (const x of permissionRules(ruleAsPermission(r.data), "", dir, f, peerNames)) rules[dir].push({ ...x, field: "", item: r });
        }
      } else {
        const f = this.#fields(g);
        for (const [key, dir] of [
          ["IpPermissions", "inbound"],
          ["IpPermissionsEgress", "outbound"],
        ] as const) {
          for (const [p, at] of f.objects(g.data, key)) rules[dir].push(...permissionRules(p, at, dir, f, peerNames));
        }
      }
      // `outbound: []` written out: a group without it would get AWS's default allow-all egress
      out[n] = {
        inbound: this.#sourced(rules.inbound, ["security-groups", n, "inbound"], g),
        outbound: this.#sourced(rules.outbound, ["security-groups", n, "outbound"], g),
      };
    }
    return out;
  }

  /** Prefix list ID → its CIDR blocks, for the lists whose entries the import holds. */
  #prefixLists(peers: ReadonlyMap<string, string>): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const l of this.#all.prefixLists) {
      const cidrs = prefixListCidrs(l.data);
      if (!cidrs) continue;
      out.set(l.id, cidrs);
      this.#from(pathText(["prefix-lists", peers.get(l.id)!]), l);
    }
    return out;
  }

  #routeTables(tables: readonly Item[], names: Names, hosts: readonly Host[], nats: readonly Item[]): Section<"route-tables"> {
    const out: Section<"route-tables"> = {};
    const stand = new Set<string>();
    for (const t of tables) {
      const f = this.#fields(t);
      const n = names.tables.get(t.id)!;
      this.#from(pathText(["route-tables", n]), t);
      const associations = f.objects(t.data, "Associations");
      const main = associations.some(([a]) => field(a, "Main") === true);
      for (const [a, at] of associations) {
        const gateway = field(a, "GatewayId");
        if (typeof gateway === "string")
          this.#problems.warn(t, at, "import/left-out", `the table's edge association with ${gateway} (ingress routing) is not modelled`);
      }
      const routes: RouteValue[] = [];
      for (const [r, at] of f.objects(t.data, "Routes")) {
        const target = this.#target(r, at, t, f, names, hosts, nats, stand);
        if (target === undefined) continue;
        for (const destination of this.#destinations(r, at, t, f, names)) {
          this.#from(pathText(["route-tables", n, "routes", routes.length]), t, at);
          routes.push({ destination, target });
        }
      }
      out[n] = { ...(main ? { main: true } : {}), routes };
    }
    return out;
  }

  #destinations(r: Json, at: string, t: Item, f: Fields, names: Names): string[] {
    const cidr =
      f.text(r, "DestinationCidrBlock", `${at}.DestinationCidrBlock`) ??
      f.text(r, "DestinationIpv6CidrBlock", `${at}.DestinationIpv6CidrBlock`);
    if (cidr !== undefined) return [cidr];
    const list = f.text(r, "DestinationPrefixListId", `${at}.DestinationPrefixListId`);
    if (list === undefined) {
      this.#problems.error(
        t,
        at,
        "import/bad-field",
        "a route with no destination (DestinationCidrBlock, DestinationIpv6CidrBlock or DestinationPrefixListId)",
      );
      return [];
    }
    const cidrs = names.lists.get(list);
    if (!cidrs)
      this.#problems.warn(
        t,
        `${at}.DestinationPrefixListId`,
        "import/left-out",
        `the route to prefix list ${list} is left out: the list's entries are not in the import`,
      );
    // a route to a prefix list routes each of its blocks (aws-rules §4.1)
    return cidrs ?? [];
  }

  /** The target of a route, as the scenario writes it; a resource vpcsim does not model is a stand-in. */
  #target(
    r: Json,
    at: string,
    t: Item,
    f: Fields,
    names: Names,
    hosts: readonly Host[],
    nats: readonly Item[],
    stand: Set<string>,
  ): RouteValue["target"] | undefined {
    const text = (k: string) => f.text(r, k, `${at}.${k}`);
    const gateway = text("GatewayId");
    if (gateway === "local") return undefined;
    if (text("State") === "blackhole") return "blackhole";
    const standIn = (id: string, why: string): RouteValue["target"] => {
      if (!stand.has(id)) {
        stand.add(id);
        this.#problems.warn(
          t,
          at,
          "import/unmodelled",
          `${unmodelledText(id)} ${why}: packets routed to it stop there with UNMODELLED_TARGET`,
        );
      }
      return { unmodelled: id };
    };
    if (gateway?.startsWith("igw-")) return "internet-gateway";
    if (text("EgressOnlyInternetGatewayId") !== undefined) return "egress-only-internet-gateway";
    const nat = text("NatGatewayId");
    if (nat !== undefined) {
      return nats.some((n) => n.id === nat)
        ? names.hosts.get(nat)!
        : standIn(nat, "is routed to but is not in the import as a public, available NAT gateway");
    }
    const eni = text("NetworkInterfaceId");
    const instance = text("InstanceId");
    if (eni !== undefined || instance !== undefined) {
      // the scenario routes to an instance's primary interface (aws-rules §4.6)
      const host = hosts.find((h) => (eni !== undefined ? h.interfaces[0]?.item.id === eni : h.item.id === instance));
      if (host) return names.hosts.get(host.item.id)!;
      return standIn(eni ?? instance!, "is not an instance's primary interface in the import, which is what vpcsim routes to");
    }
    for (const key of ["TransitGatewayId", "VpcPeeringConnectionId", "CarrierGatewayId", "LocalGatewayId"]) {
      const id = text(key);
      if (id !== undefined)
        return standIn(id, key === "VpcPeeringConnectionId" ? "is not modelled yet (one VPC at a time)" : "is not modelled");
    }
    const core = text("CoreNetworkArn");
    if (core !== undefined) return standIn(core.slice(core.lastIndexOf("/") + 1), "(a Cloud WAN core network) is not modelled");
    if (gateway !== undefined) return standIn(gateway, "is not modelled");
    return this.#problems.error(t, at, "import/bad-field", "a route with no target");
  }

  #natUsable(n: Item): boolean {
    const state = field(n.data, "State");
    if (state !== "available" && state !== "pending") return false;
    if (field(n.data, "ConnectivityType") === "private") return false;
    return this.#natAddress(n) !== undefined;
  }

  #natAddress(n: Item): { "private-ip": string; "public-ip": string } | undefined {
    const f = this.#fields(n);
    const addresses = f.objects(n.data, "NatGatewayAddresses");
    const [a] = addresses.find(([x]) => field(x, "IsPrimary") === true) ?? addresses[0] ?? [];
    const priv = a && field(a, "PrivateIp");
    const pub = a && field(a, "PublicIp");
    return typeof priv === "string" && typeof pub === "string" ? { "private-ip": priv, "public-ip": pub } : undefined;
  }

  #natGateways(nats: readonly Item[], names: Names): Section<"nat-gateways"> {
    const out: Section<"nat-gateways"> = {};
    for (const n of nats) {
      const name = names.hosts.get(n.id)!;
      const subnet = this.#subnetName(n, this.#fields(n).text(n.data, "SubnetId"), names);
      this.#from(pathText(["nat-gateways", name]), n);
      if (subnet) out[name] = { subnet, ...this.#natAddress(n)! };
    }
    return out;
  }

  #subnetName(item: Item, id: string | undefined, names: Names, where = "SubnetId"): string | undefined {
    const name = id === undefined ? undefined : names.subnets.get(id);
    if (!name) this.#problems.error(item, where, "import/missing", `subnet ${id ?? "(none)"} is not in the import`);
    return name;
  }

  /**
   * What sends and receives: each instance with its interfaces (from describe-network-interfaces,
   * else from describe-instances), and each other interface that has security groups and is in
   * use (a database's, an endpoint's), as a host of its own.
   */
  #hosts(instances: readonly Item[], enis: readonly Item[]): Host[] {
    const live = new Map<string, Host>();
    const gone = new Set<string>();
    for (const i of instances) {
      const state = this.#fields(i).object(i.data, "State");
      const s = state ? field(state, "Name") : undefined;
      if (typeof s === "string" && GONE.has(s)) {
        gone.add(i.id);
        continue;
      }
      if (s === "stopped" || s === "stopping")
        this.#problems.warn(i, "State", "import/left-out", `the instance is ${s}: vpcsim simulates it as if it were running`);
      const platform = field(i.data, "Platform");
      live.set(i.id, { item: i, interfaces: [], windows: platform === "windows" });
    }
    const byId = new Map<string, { item: Item; instance?: string }>();
    for (const e of enis) byId.set(e.id, { item: e });
    for (const i of instances) {
      const f = this.#fields(i);
      const nested = f.objects(i.data, "NetworkInterfaces");
      for (const [e, at] of nested) {
        const id = field(e, "NetworkInterfaceId");
        if (typeof id === "string" && !byId.has(id))
          byId.set(id, { item: { file: i.file, path: `${i.path}.${at}`, id, data: e }, instance: i.id });
      }
      if (nested.length === 0 && !gone.has(i.id) && field(i.data, "PrivateIpAddress") !== undefined) {
        // an instance written without its interfaces: its primary one is in its own fields
        const d = i.data;
        const data = {
          ...d,
          Groups: field(d, "SecurityGroups"),
          Association: { PublicIp: field(d, "PublicIpAddress") },
          Attachment: { DeviceIndex: 0 },
        };
        byId.set(`${i.id}#0`, { item: { ...i, data }, instance: i.id });
      }
    }
    const others: Host[] = [];
    for (const { item, instance } of byId.values()) {
      const f = this.#fields(item);
      const type = f.text(item.data, "InterfaceType") ?? "interface";
      const attachment = f.object(item.data, "Attachment");
      const owner = instance ?? (attachment ? f.text(attachment, "InstanceId", "Attachment.InstanceId") : undefined);
      if (OWN_TYPES.has(type)) continue;
      if (owner !== undefined && INSTANCE_TYPES.has(type)) {
        if (gone.has(owner)) continue;
        let host = live.get(owner);
        if (!host) {
          host = { item: { file: item.file, path: item.path, id: owner, data: {} }, interfaces: [], windows: false };
          live.set(owner, host);
        }
        host.interfaces.push({ item, index: (attachment && f.number(attachment, "DeviceIndex", "Attachment.DeviceIndex")) ?? 0 });
        continue;
      }
      const groups = f.objects(item.data, "Groups");
      const addresses = String(field(item.data, "PrivateIpAddress") ?? "");
      if (groups.length > 0 && field(item.data, "Status") === "in-use") {
        this.#problems.warn(
          item,
          "InterfaceType",
          "import/unmodelled",
          `a ${type} interface ${addresses} (${String(field(item.data, "Description") ?? "")}) is simulated as a host that answers on its addresses, filtered by its groups and its subnet's ACL; what it forwards to is not modelled`,
        );
        others.push({ item, interfaces: [{ item, index: 0 }], windows: false });
      } else {
        this.#problems.warn(
          item,
          "InterfaceType",
          "import/left-out",
          `a ${type} interface ${addresses} with no security group or not in use is not modelled: packets to its addresses find no interface`,
        );
      }
    }
    const hosts = [...live.values(), ...others];
    for (const h of hosts) h.interfaces.sort((a, b) => a.index - b.index);
    return hosts.filter((h) => h.interfaces.length > 0);
  }

  #instances(hosts: readonly Host[], names: Names): Section<"instances"> {
    const out: Section<"instances"> = {};
    for (const h of hosts) {
      const n = names.hosts.get(h.item.id)!;
      this.#from(pathText(["instances", n]), h.item);
      const specs = h.interfaces.map((e, k) => {
        this.#from(pathText(k === 0 ? ["instances", n, "private-ip"] : ["instances", n, "interfaces", k - 1]), e.item);
        return this.#interface(e.item, names, h.windows);
      });
      if (specs.some((s) => s === undefined)) continue;
      const [primary, ...rest] = specs as InterfaceValue[];
      out[n] = { ...primary!, ...(rest.length ? { interfaces: rest } : {}) };
    }
    return out;
  }

  #interface(e: Item, names: Names, windows: boolean): InterfaceValue | undefined {
    const f = this.#fields(e);
    const d = e.data;
    const subnet = this.#subnetName(e, f.text(d, "SubnetId"), names);
    const ips: string[] = [];
    let publicIp = f.object(d, "Association") && f.text(f.object(d, "Association")!, "PublicIp", "Association.PublicIp");
    for (const [a, at] of f.objects(d, "PrivateIpAddresses")) {
      const ip = f.text(a, "PrivateIpAddress", `${at}.PrivateIpAddress`);
      if (ip === undefined) continue;
      if (field(a, "Primary") === true) ips.unshift(ip);
      else ips.push(ip);
      const assoc = f.object(a, "Association", `${at}.Association`);
      const pub = assoc && f.text(assoc, "PublicIp", `${at}.Association.PublicIp`);
      if (pub === undefined) continue;
      if (field(a, "Primary") === true) publicIp ??= pub;
      else
        this.#problems.warn(
          e,
          at,
          "import/left-out",
          `public IP ${pub} of secondary address ${ip} is not modelled (one public IPv4 address per interface)`,
        );
    }
    const primaryIp = f.text(d, "PrivateIpAddress");
    if (ips.length === 0 && primaryIp !== undefined) ips.push(primaryIp);
    if (ips.length === 0)
      return this.#problems.error(e, "PrivateIpAddress", "import/bad-field", "the interface has no private IPv4 address");
    const ipv6 = f
      .objects(d, "Ipv6Addresses")
      .flatMap(([a, at]) => [f.text(a, "Ipv6Address", `${at}.Ipv6Address`)].filter((x): x is string => x !== undefined));
    const groups = f.objects(d, "Groups").flatMap(([g, at]) => {
      const id = f.text(g, "GroupId", `${at}.GroupId`);
      if (id !== undefined && names.groups.has(id)) return [names.peers.get(id)!];
      this.#problems.error(e, `${at}.GroupId`, "import/missing", `security group ${id ?? "(none)"} of the interface is not in the import`);
      return [];
    });
    if (!subnet) return undefined;
    return {
      subnet,
      "private-ip": ips.length === 1 ? ips[0]! : ips,
      ...(ipv6.length ? { ipv6: ipv6.length === 1 ? ipv6[0]! : ipv6 } : {}),
      ...(publicIp ? { "public-ip": publicIp } : {}),
      "security-groups": groups,
      ...(field(d, "SourceDestCheck") === false ? { "source-dest-check": false } : {}),
      ...(windows ? { "ephemeral-ports": "windows" } : {}),
    };
  }
}

/** The names chosen for each namespace, and what the rules and routes may refer to. */
interface Names {
  readonly subnets: ReadonlyMap<string, string>;
  readonly acls: ReadonlyMap<string, string>;
  readonly tables: ReadonlyMap<string, string>;
  /** security groups and prefix lists */
  readonly peers: ReadonlyMap<string, string>;
  /** the IDs of this VPC's groups */
  readonly groups: ReadonlySet<string>;
  /** prefix list ID → its blocks, for the lists whose entries the import holds */
  readonly lists: ReadonlyMap<string, string[]>;
  /** instances, other hosts and NAT gateways */
  readonly hosts: ReadonlyMap<string, string>;
}

/** An instance, or an interface simulated as one, with its interfaces by device index. */
interface Host {
  readonly item: Item;
  readonly interfaces: { readonly item: Item; readonly index: number }[];
  readonly windows: boolean;
}

type SgRule = NonNullable<Section<"security-groups">[string]["inbound"]>[number];
