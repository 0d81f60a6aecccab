// `terraform show -json` of a state or a plan → the resources of the AWS importer, in AWS's shapes,
// then the same scenario value, problems and origins, with every path moved back onto the Terraform
// resource address and attribute it came from (`aws_security_group.web.ingress[0].from_port`).
// Pure: the document is parsed already. In a plan, an unknown value is resolved through the
// `configuration` section's references to another resource, or named in a warning and left out.
import { hasPorts, isIcmp, protocolNumber } from "../model/protocol.js";
import type { ImportOptions, ImportResult, Origin } from "./aws.js";
import { checkImportArguments, importResources } from "./aws.js";
import type { Kind, Resources, SourceDocument } from "./documents.js";
import { KINDS } from "./documents.js";
import type { Item, Json } from "./problems.js";
import { ImportProblems, isObject } from "./problems.js";

/** Whether a parsed document is `terraform show -json` output: a state's `values` or a plan's `planned_values`. */
export function isTerraformDocument(data: unknown): boolean {
  return isObject(data) && typeof data.format_version === "string" && (isObject(data.values) || isObject(data.planned_values));
}

/** The AWS ID prefix of each resource type, for the stand-in ID of a resource a plan has not created yet. */
const PREFIX: Readonly<Record<string, string>> = {
  aws_vpc: "vpc-",
  aws_subnet: "subnet-",
  aws_security_group: "sg-",
  aws_default_security_group: "sg-",
  aws_network_acl: "acl-",
  aws_default_network_acl: "acl-",
  aws_route_table: "rtb-",
  aws_instance: "i-",
  aws_network_interface: "eni-",
  aws_internet_gateway: "igw-",
  aws_nat_gateway: "nat-",
  aws_egress_only_internet_gateway: "eigw-",
  aws_ec2_managed_prefix_list: "pl-",
};

/** Route target attributes (aws_route_table's `route` blocks and aws_route) → AWS's route fields. */
const ROUTE_FIELDS: readonly (readonly [string, string])[] = [
  ["cidr_block", "DestinationCidrBlock"],
  ["destination_cidr_block", "DestinationCidrBlock"],
  ["ipv6_cidr_block", "DestinationIpv6CidrBlock"],
  ["destination_ipv6_cidr_block", "DestinationIpv6CidrBlock"],
  ["destination_prefix_list_id", "DestinationPrefixListId"],
  ["gateway_id", "GatewayId"],
  ["vpc_endpoint_id", "GatewayId"],
  ["nat_gateway_id", "NatGatewayId"],
  ["egress_only_gateway_id", "EgressOnlyInternetGatewayId"],
  ["network_interface_id", "NetworkInterfaceId"],
  ["instance_id", "InstanceId"],
  ["transit_gateway_id", "TransitGatewayId"],
  ["vpc_peering_connection_id", "VpcPeeringConnectionId"],
  ["carrier_gateway_id", "CarrierGatewayId"],
  ["local_gateway_id", "LocalGatewayId"],
  ["core_network_arn", "CoreNetworkArn"],
];
const DESTINATIONS = new Set(["DestinationCidrBlock", "DestinationIpv6CidrBlock", "DestinationPrefixListId"]);

/** One managed resource of the state or plan. */
interface TfResource {
  readonly file: string;
  readonly address: string;
  /** `module.net` (indices kept), "" at the root */
  readonly module: string;
  readonly type: string;
  readonly name: string;
  readonly values: Json;
}

export function importTerraform(documents: readonly SourceDocument[], options: ImportOptions = {}): ImportResult {
  checkImportArguments("importTerraform", documents, options);
  const t = new TerraformImport(documents);
  const result = importResources(t.resources(), t.problems, options);
  const moved = (d: ImportResult["errors"][number]) => (d.path === undefined ? d : { ...d, path: t.tfPath(d.path) });
  const origins = new Map<string, Origin>();
  for (const [k, o] of result.origins) origins.set(k, { ...o, path: t.tfPath(o.path) });
  const noVpc = (d: ImportResult["errors"][number]) =>
    d.code === "import/no-vpc" ? { ...d, message: "the state or plan holds no aws_vpc resource" } : moved(d);
  return {
    value: { ...result.value, description: (result.value.description ?? "").replace(/^Imported from AWS/, "Imported from Terraform") },
    errors: result.errors.map(noVpc),
    warnings: result.warnings.map(moved),
    origins,
  };
}

class TerraformImport {
  readonly problems = new ImportProblems();
  readonly #all: TfResource[] = [];
  /** plan documents' `configuration`, for references */
  readonly #config = new Map<string, Json>();
  /** AWS path (`aws_security_group.web.IpPermissions[3]`) → Terraform path */
  readonly #paths = new Map<string, string>();
  readonly #out = Object.fromEntries(Object.keys(KINDS).map((k) => [k, [] as Item[]])) as unknown as Resources;
  readonly #byId = new Map<string, Item>();
  readonly #subnetVpc = new Map<string, string>();
  /** VPC ID → its resource, for the defaults AWS creates with it */
  readonly #vpcs = new Map<string, TfResource>();

  constructor(documents: readonly SourceDocument[]) {
    for (const d of documents) {
      if (!isTerraformDocument(d.data)) {
        this.problems.warn(
          { file: d.name, path: "", id: "" },
          "",
          "import/unrecognised",
          "not `terraform show -json` output (format_version, values or planned_values): left out",
        );
        continue;
      }
      const data = d.data as Json;
      // the format promises compatibility within a major version only
      if (!String(data.format_version).startsWith("1.")) {
        this.problems.error(
          { file: d.name, path: "format_version", id: "" },
          "",
          "import/bad-field",
          `format_version ${String(data.format_version)}: vpcsim reads format 1.x of terraform show -json`,
        );
        continue;
      }
      const plan = isObject(data.planned_values);
      const root = (plan ? data.planned_values : data.values) as Json;
      this.#walk(d.name, root.root_module, "");
      if (plan && isObject(data.configuration)) this.#config.set(d.name, data.configuration);
    }
  }

  #walk(file: string, module: unknown, address: string): void {
    if (!isObject(module)) return;
    for (const r of Array.isArray(module.resources) ? module.resources : []) {
      if (!isObject(r) || r.mode === "data" || typeof r.type !== "string" || typeof r.address !== "string") continue;
      const values = isObject(r.values) ? r.values : {};
      this.#all.push({ file, address: r.address, module: address, type: r.type, name: String(r.name ?? ""), values });
    }
    for (const c of Array.isArray(module.child_modules) ? module.child_modules : []) {
      if (isObject(c)) this.#walk(file, c, typeof c.address === "string" ? c.address : address);
    }
  }

  /** A path of the AWS importer's, moved onto the Terraform attribute it came from (the longest mapped prefix). */
  tfPath(path: string): string {
    for (let p = path; p !== ""; ) {
      const to = this.#paths.get(p);
      if (to !== undefined) return to + path.slice(p.length);
      const cut = p.search(/(\.[^.[\]]*|\[\d+\])$/);
      if (cut <= 0) break;
      p = p.slice(0, cut);
    }
    return path;
  }

  resources(): Resources {
    const of = (...types: string[]) => this.#all.filter((r) => types.includes(r.type));
    for (const r of of("aws_vpc")) this.#vpc(r);
    for (const r of of("aws_subnet")) this.#subnet(r);
    for (const r of of("aws_ec2_managed_prefix_list")) this.#prefixList(r);
    for (const r of of("aws_security_group", "aws_default_security_group")) this.#group(r);
    for (const r of of("aws_network_acl", "aws_default_network_acl")) this.#acl(r);
    for (const r of of("aws_route_table")) this.#table(r);
    for (const r of of("aws_internet_gateway", "aws_egress_only_internet_gateway")) this.#gateway(r);
    for (const r of of("aws_nat_gateway")) this.#nat(r);
    for (const r of of("aws_instance")) this.#instance(r);
    for (const r of of("aws_network_interface")) this.#interface(r);
    for (const r of of("aws_security_group_rule", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"))
      this.#groupRule(r);
    for (const r of of("aws_network_acl_rule")) this.#aclRule(r);
    for (const r of of("aws_network_acl_association")) this.#aclAssociation(r);
    for (const r of of("aws_route")) this.#route(r);
    for (const r of of("aws_route_table_association", "aws_main_route_table_association")) this.#tableAssociation(r);
    this.#defaults();
    return this.#out;
  }

  // --- values, known or resolved -------------------------------------------------------------

  /** A resource's ID: its `id`, or, in a plan before apply, a stand-in made of its address. */
  #id(r: TfResource): string {
    const id = text(r.values.id);
    if (id !== undefined) return id;
    return `${PREFIX[r.type] ?? ""}${r.address.replace(/[^A-Za-z0-9._-]+/g, "_")}`.slice(0, 100);
  }

  #at(r: TfResource): Omit<Item, "data"> {
    return { file: r.file, path: r.address, id: text(r.values.id) ?? r.address };
  }

  /** A reference attribute (an ID): its value, or in a plan the ID of the resource its configuration refers to. */
  #ref(r: TfResource, key: string, required = true): string | undefined {
    const v = r.values[key];
    if (v !== undefined && v !== null && v !== "") return typeof v === "string" ? v : this.#badType(r, key, v, "a string");
    const found = this.#referred(r, key);
    if (found.length > 0) return found[0];
    if (required && this.#config.has(r.file))
      this.problems.warn(
        this.#at(r),
        key,
        "import/left-out",
        `${key} is unknown until apply and its configuration refers to no resource of the plan: left out`,
      );
    return undefined;
  }

  /** A list of references (`vpc_security_group_ids`, `subnet_ids`): known, or resolved through the configuration. */
  #refs(r: TfResource, key: string): string[] {
    const v = r.values[key];
    if (v === undefined || v === null) return this.#referred(r, key);
    if (!Array.isArray(v)) {
      this.#badType(r, key, v, "a list");
      return [];
    }
    return v.filter((x): x is string => typeof x === "string" && x !== "");
  }

  /** A resource's inline blocks; in a plan, blocks whose values wait for apply are absent: named in a warning. */
  #blocks(r: TfResource, key: string): unknown[] {
    if (r.values[key] === undefined && this.#config.has(r.file))
      this.problems.warn(
        this.#at(r),
        key,
        "import/left-out",
        `${key} is unknown until apply (it refers to what the plan creates): its rules are left out`,
      );
    return list(r.values[key]);
  }

  #badType(r: TfResource, key: string, v: unknown, what: string): undefined {
    return this.problems.error(this.#at(r), key, "import/bad-field", `${key} is ${JSON.stringify(v)}, where Terraform writes ${what}`);
  }

  /** The IDs of the resources that `key`'s expression refers to (`aws_vpc.main.id`), in the resource's module. */
  #referred(r: TfResource, key: string): string[] {
    const config = this.#config.get(r.file);
    if (!config) return [];
    let module: unknown = config.root_module;
    for (const m of r.module.matchAll(/module\.([^.[]+)/g)) {
      const calls = isObject(module) && isObject(module.module_calls) ? module.module_calls : {};
      const call = Object.hasOwn(calls, m[1]!) ? calls[m[1]!] : undefined;
      module = isObject(call) ? call.module : undefined;
    }
    const local = r.address.slice(r.module ? r.module.length + 1 : 0).replace(/\[[^\]]*\]$/, "");
    const resources = isObject(module) && Array.isArray(module.resources) ? module.resources : [];
    const own = resources.find((c) => isObject(c) && c.address === local);
    const expressions = isObject(own) && isObject(own.expressions) ? own.expressions : {};
    const e = Object.hasOwn(expressions, key) ? expressions[key] : undefined;
    const refs = isObject(e) && Array.isArray(e.references) ? e.references : [];
    const out: string[] = [];
    for (const ref of refs) {
      if (typeof ref !== "string") continue;
      // `aws_vpc.main.id` or `aws_vpc.main`: only the ID attribute is the resource's ID
      const target = ref.replace(/\.id$/, "");
      const matches = this.#all.filter((x) => x.module === r.module && x.address.slice(r.module ? r.module.length + 1 : 0) === target);
      const one = matches.length === 1 ? matches[0] : undefined;
      if (one && !out.includes(this.#id(one))) out.push(this.#id(one));
    }
    return out;
  }

  // --- output -------------------------------------------------------------------------------

  #add(kind: Kind, r: TfResource, data: Record<string, unknown>): Item {
    const id = this.#id(r);
    const item: Item = { file: r.file, path: r.address, id, data: { [KINDS[kind]]: id, ...data } };
    this.#out[kind].push(item);
    this.#byId.set(`${kind} ${id}`, item);
    return item;
  }

  #map(from: string, to: string): void {
    this.#paths.set(from, to);
  }

  #tags(r: TfResource): { Key: string; Value: string }[] {
    // the Name tag, else the resource's Terraform name: scenario names come from it (names.ts)
    const tags = isObject(r.values.tags) ? r.values.tags : {};
    const name = typeof tags.Name === "string" ? tags.Name : r.name;
    return [{ Key: "Name", Value: name }];
  }

  #vpc(r: TfResource): void {
    const cidr = this.#ref(r, "cidr_block");
    const v6 = text(r.values.ipv6_cidr_block);
    this.#map(`${r.address}.CidrBlock`, `${r.address}.cidr_block`);
    this.#vpcs.set(this.#id(r), r);
    this.#add("vpcs", r, {
      CidrBlock: cidr,
      ...(v6 ? { Ipv6CidrBlockAssociationSet: [{ Ipv6CidrBlock: v6 }] } : {}),
      Tags: this.#tags(r),
    });
  }

  #subnet(r: TfResource): void {
    const vpc = this.#ref(r, "vpc_id");
    const v6 = text(r.values.ipv6_cidr_block);
    this.#map(`${r.address}.CidrBlock`, `${r.address}.cidr_block`);
    const item = this.#add("subnets", r, {
      VpcId: vpc,
      CidrBlock: text(r.values.cidr_block) ?? r.values.cidr_block,
      ...(v6 ? { Ipv6CidrBlockAssociationSet: [{ Ipv6CidrBlock: v6 }] } : {}),
      Tags: this.#tags(r),
    });
    if (vpc) this.#subnetVpc.set(item.id, vpc);
  }

  #prefixList(r: TfResource): void {
    const entries = list(r.values.entry);
    for (const i of entries.keys()) this.#map(`${r.address}.Cidrs[${i}]`, `${r.address}.entry[${i}]`);
    this.#add("prefixLists", r, {
      PrefixListName: text(r.values.name),
      Cidrs: entries.flatMap((e) => (isObject(e) && typeof e.cidr === "string" ? [e.cidr] : [])),
      Tags: this.#tags(r),
    });
  }

  // --- security groups ---------------------------------------------------------------------

  #group(r: TfResource): void {
    const item = this.#add("securityGroups", r, {
      VpcId: this.#ref(r, "vpc_id"),
      GroupName: text(r.values.name),
      IpPermissions: [],
      IpPermissionsEgress: [],
      Tags: this.#tags(r),
    });
    for (const [key, dir] of [
      ["ingress", "IpPermissions"],
      ["egress", "IpPermissionsEgress"],
    ] as const) {
      this.#blocks(r, key).forEach((b, i) => {
        if (isObject(b)) this.#permissions(item, dir, b, `${r.address}.${key}[${i}]`, SG_BLOCK);
      });
    }
  }

  /**
   * A Terraform rule block → one AWS permission per peer (a CIDR, a list, a group), added to the
   * group unless the group holds it already: a state lists a separate rule resource's rule in its
   * group's inline blocks too.
   */
  #permissions(group: Item, dir: "IpPermissions" | "IpPermissionsEgress", b: Json, at: string, keys: RuleKeys): void {
    const peers: [string, Json, string][] = [];
    const many = (key: string, awsKey: string, value: (x: string) => Json) =>
      list(b[key]).forEach((x, j) => {
        if (typeof x === "string" && x !== "") peers.push([awsKey, value(x), `${at}.${key}[${j}]`]);
      });
    const one = (key: string, awsKey: string, value: (x: string) => Json) => {
      const x = b[key];
      if (typeof x === "string" && x !== "") peers.push([awsKey, value(x), `${at}.${key}`]);
    };
    const description = text(b.description);
    const d = description ? { Description: description } : {};
    many("cidr_blocks", "IpRanges", (c) => ({ CidrIp: c, ...d }));
    one("cidr_ipv4", "IpRanges", (c) => ({ CidrIp: c, ...d }));
    many("ipv6_cidr_blocks", "Ipv6Ranges", (c) => ({ CidrIpv6: c, ...d }));
    one("cidr_ipv6", "Ipv6Ranges", (c) => ({ CidrIpv6: c, ...d }));
    many("prefix_list_ids", "PrefixListIds", (c) => ({ PrefixListId: c, ...d }));
    one("prefix_list_id", "PrefixListIds", (c) => ({ PrefixListId: c, ...d }));
    many("security_groups", "UserIdGroupPairs", (c) => ({ GroupId: c, ...d }));
    one("source_security_group_id", "UserIdGroupPairs", (c) => ({ GroupId: c, ...d }));
    one("referenced_security_group_id", "UserIdGroupPairs", (c) => ({ GroupId: c, ...d }));
    if (b.self === true) peers.push(["UserIdGroupPairs", { GroupId: group.id, ...d }, `${at}.self`]);
    const target = group.data[dir] as Json[];
    for (const [awsKey, peer, peerAt] of peers) {
      const permission = { IpProtocol: b[keys.protocol], FromPort: port(b[keys.from]), ToPort: port(b[keys.to]), [awsKey]: [peer] };
      const same = JSON.stringify(permission);
      if (target.some((p) => JSON.stringify(p) === same)) continue;
      const base = `${group.path}.${dir}[${target.length}]`;
      target.push(permission);
      this.#map(base, at);
      this.#map(`${base}.IpProtocol`, `${at}.${keys.protocol}`);
      this.#map(`${base}.FromPort`, `${at}.${keys.from}`);
      this.#map(`${base}.ToPort`, `${at}.${keys.to}`);
      this.#map(`${base}.${awsKey}[0]`, peerAt);
    }
  }

  #groupRule(r: TfResource): void {
    const groupId = this.#ref(r, "security_group_id");
    const group = groupId === undefined ? undefined : this.#byId.get(`securityGroups ${groupId}`);
    if (!group) {
      if (groupId !== undefined)
        this.problems.error(this.#at(r), "security_group_id", "import/missing", `security group ${groupId} is not in the import`);
      return;
    }
    const egress = r.type === "aws_vpc_security_group_egress_rule" || (r.type === "aws_security_group_rule" && r.values.type === "egress");
    const values = {
      ...r.values,
      source_security_group_id: this.#ref(r, "source_security_group_id", false) ?? null,
      referenced_security_group_id: this.#ref(r, "referenced_security_group_id", false) ?? null,
    };
    this.#permissions(
      group,
      egress ? "IpPermissionsEgress" : "IpPermissions",
      values,
      r.address,
      r.type === "aws_security_group_rule" ? SG_BLOCK : VPC_RULE,
    );
  }

  // --- network ACLs --------------------------------------------------------------------------

  #acl(r: TfResource): void {
    const item = this.#add("networkAcls", r, {
      VpcId: this.#ref(r, "vpc_id"),
      IsDefault: r.type === "aws_default_network_acl",
      Associations: this.#refs(r, "subnet_ids").map((s) => ({ SubnetId: s })),
      Entries: [],
      Tags: this.#tags(r),
    });
    for (const key of ["ingress", "egress"] as const) {
      this.#blocks(r, key).forEach((b, i) => {
        if (isObject(b)) this.#entry(item, { ...b, egress: key === "egress" }, `${r.address}.${key}[${i}]`, "rule_no", "action");
      });
    }
  }

  #entry(acl: Item, b: Json, at: string, numberKey: string, actionKey: string): void {
    const entries = acl.data.Entries as Json[];
    // Terraform writes every field of a rule (0 for unused ports and ICMP fields); AWS keeps those its protocol uses
    const p = typeof b.protocol === "string" || typeof b.protocol === "number" ? protocolNumber(String(b.protocol)) : undefined;
    const entry = {
      Egress: b.egress,
      RuleNumber: b[numberKey],
      RuleAction: b[actionKey],
      Protocol: typeof b.protocol === "number" ? String(b.protocol) : b.protocol,
      CidrBlock: text(b.cidr_block),
      Ipv6CidrBlock: text(b.ipv6_cidr_block),
      ...(p === undefined || hasPorts(p) ? { PortRange: { From: port(b.from_port), To: port(b.to_port) } } : {}),
      ...(p !== undefined && isIcmp(p) ? { IcmpTypeCode: { Type: port(b.icmp_type), Code: port(b.icmp_code) ?? -1 } } : {}),
    };
    // a refreshed state lists an aws_network_acl_rule's entry in its ACL's inline blocks too
    const same = JSON.stringify(entry);
    if (entries.some((e) => JSON.stringify(e) === same)) return;
    const base = `${acl.path}.Entries[${entries.length}]`;
    entries.push(entry);
    this.#map(base, at);
    for (const [aws, tf] of [
      ["Egress", "egress"],
      ["RuleNumber", numberKey],
      ["RuleAction", actionKey],
      ["Protocol", "protocol"],
      ["CidrBlock", "cidr_block"],
      ["Ipv6CidrBlock", "ipv6_cidr_block"],
      ["PortRange.From", "from_port"],
      ["PortRange.To", "to_port"],
      ["IcmpTypeCode.Type", "icmp_type"],
      ["IcmpTypeCode.Code", "icmp_code"],
    ] as const)
      this.#map(`${base}.${aws}`, `${at}.${tf}`);
  }

  #aclRule(r: TfResource): void {
    const acl = this.#owner(r, "network_acl_id", "networkAcls", "network ACL");
    if (acl) this.#entry(acl, r.values, r.address, "rule_number", "rule_action");
  }

  #aclAssociation(r: TfResource): void {
    const acl = this.#owner(r, "network_acl_id", "networkAcls", "network ACL");
    const subnet = this.#ref(r, "subnet_id");
    if (!acl || subnet === undefined) return;
    // a subnet has one ACL: the association moves it off any other
    for (const other of this.#out.networkAcls) {
      const list = other.data.Associations as Json[];
      (other.data as Record<string, unknown>).Associations = list.filter((a) => a.SubnetId !== subnet);
    }
    (acl.data.Associations as Json[]).push({ SubnetId: subnet });
  }

  /** The resource that `key` refers to, of `kind`; its absence is an error naming the field. */
  #owner(r: TfResource, key: string, kind: Kind, what: string): Item | undefined {
    const id = this.#ref(r, key);
    if (id === undefined) return undefined;
    const item = this.#byId.get(`${kind} ${id}`);
    if (!item) this.problems.error(this.#at(r), key, "import/missing", `${what} ${id} is not in the import`);
    return item;
  }

  // --- routes --------------------------------------------------------------------------------

  #table(r: TfResource): void {
    const item = this.#add("routeTables", r, { VpcId: this.#ref(r, "vpc_id"), Associations: [], Routes: [], Tags: this.#tags(r) });
    this.#blocks(r, "route").forEach((b, i) => {
      if (isObject(b)) this.#routeOf(item, b, `${r.address}.route[${i}]`, r);
    });
  }

  #routeOf(table: Item, b: Json, at: string, r: TfResource, resolve?: (key: string) => string | undefined): void {
    const route: Record<string, unknown> = {};
    const fields: [string, string][] = [];
    for (const [tf, aws] of ROUTE_FIELDS) {
      const v = resolve ? resolve(tf) : b[tf] === "" ? undefined : b[tf];
      if (v === undefined || v === null || route[aws] !== undefined) continue;
      route[aws] = v;
      fields.push([aws, tf]);
    }
    const known = Object.keys(route);
    if (!known.some((k) => !DESTINATIONS.has(k)) && this.#config.has(r.file)) {
      this.problems.warn(
        this.#at(r),
        at.slice(r.address.length + 1),
        "import/left-out",
        "the route's target is unknown until apply: the route is left out",
      );
      return;
    }
    const routes = table.data.Routes as Json[];
    const same = JSON.stringify(route);
    if (routes.some((x) => JSON.stringify(x) === same)) return;
    const base = `${table.path}.Routes[${routes.length}]`;
    routes.push(route);
    this.#map(base, at);
    for (const [aws, tf] of fields) this.#map(`${base}.${aws}`, `${at}.${tf}`);
  }

  #route(r: TfResource): void {
    const table = this.#owner(r, "route_table_id", "routeTables", "route table");
    if (table)
      this.#routeOf(table, r.values, r.address, r, (key) => (key.endsWith("_id") ? this.#ref(r, key, false) : text(r.values[key])));
  }

  #tableAssociation(r: TfResource): void {
    const table = this.#owner(r, "route_table_id", "routeTables", "route table");
    if (!table) return;
    const associations = table.data.Associations as Json[];
    if (r.type === "aws_main_route_table_association") {
      associations.push({ Main: true });
      return;
    }
    const subnet = this.#ref(r, "subnet_id", false);
    const gateway = this.#ref(r, "gateway_id", false);
    if (subnet !== undefined) associations.push({ SubnetId: subnet });
    else if (gateway !== undefined) associations.push({ GatewayId: gateway });
  }

  // --- gateways and hosts --------------------------------------------------------------------

  #gateway(r: TfResource): void {
    const kind = r.type === "aws_internet_gateway" ? "internetGateways" : "egressOnlyGateways";
    this.#add(kind, r, { VpcId: this.#ref(r, "vpc_id"), Attachments: [], Tags: this.#tags(r) });
  }

  #nat(r: TfResource): void {
    const subnet = this.#ref(r, "subnet_id");
    const privateIp = text(r.values.private_ip);
    const publicIp = text(r.values.public_ip);
    if (this.#config.has(r.file) && (privateIp === undefined || publicIp === undefined))
      this.problems.warn(
        this.#at(r),
        "public_ip",
        "import/left-out",
        "the NAT gateway's addresses are unknown until apply: routes to it stop at a stand-in",
      );
    this.#add("natGateways", r, {
      VpcId: subnet && this.#subnetVpc.get(subnet),
      SubnetId: subnet,
      State: "available",
      ConnectivityType: text(r.values.connectivity_type) ?? "public",
      NatGatewayAddresses: [{ PrivateIp: privateIp, PublicIp: publicIp, IsPrimary: true }],
      Tags: this.#tags(r),
    });
  }

  #instance(r: TfResource): void {
    const subnet = this.#ref(r, "subnet_id");
    const ip = text(r.values.private_ip);
    if (ip === undefined && this.#config.has(r.file)) {
      this.problems.warn(
        this.#at(r),
        "private_ip",
        "import/left-out",
        "the instance's private address is unknown until apply: the instance is left out",
      );
      return;
    }
    const secondary = list(r.values.secondary_private_ips).filter((x): x is string => typeof x === "string");
    const eni = text(r.values.primary_network_interface_id) ?? `eni-${this.#id(r)}`;
    this.#map(`${r.address}.NetworkInterfaces[0].PrivateIpAddress`, `${r.address}.private_ip`);
    this.#map(`${r.address}.NetworkInterfaces[0].SubnetId`, `${r.address}.subnet_id`);
    this.#map(`${r.address}.NetworkInterfaces[0]`, r.address);
    const groups = this.#refs(r, "vpc_security_group_ids");
    for (const k of groups.keys())
      this.#map(`${r.address}.NetworkInterfaces[0].Groups[${k}].GroupId`, `${r.address}.vpc_security_group_ids[${k}]`);
    const state = text(r.values.instance_state);
    this.#add("instances", r, {
      VpcId: subnet && this.#subnetVpc.get(subnet),
      ...(state ? { State: { Name: state } } : {}),
      Tags: this.#tags(r),
      NetworkInterfaces: [
        {
          NetworkInterfaceId: eni,
          SubnetId: subnet,
          PrivateIpAddress: ip,
          PrivateIpAddresses: [{ PrivateIpAddress: ip, Primary: true }, ...secondary.map((s) => ({ PrivateIpAddress: s }))],
          Ipv6Addresses: list(r.values.ipv6_addresses).map((a) => ({ Ipv6Address: a })),
          ...(text(r.values.public_ip) ? { Association: { PublicIp: text(r.values.public_ip) } } : {}),
          Groups: groups.map((g) => ({ GroupId: g })),
          SourceDestCheck: r.values.source_dest_check,
          Attachment: { DeviceIndex: 0 },
          InterfaceType: "interface",
        },
      ],
    });
  }

  #interface(r: TfResource): void {
    const subnet = this.#ref(r, "subnet_id");
    const attachment = list(r.values.attachment).find(isObject);
    const instance = attachment ? text(attachment.instance) : undefined;
    const ips = list(r.values.private_ips).filter((x): x is string => typeof x === "string");
    const primary = text(r.values.private_ip) ?? ips[0];
    this.#map(`${r.address}.PrivateIpAddress`, `${r.address}.private_ip`);
    this.#map(`${r.address}.Groups`, `${r.address}.security_groups`);
    this.#map(`${r.address}.InterfaceType`, `${r.address}.interface_type`);
    this.#add("networkInterfaces", r, {
      VpcId: subnet && this.#subnetVpc.get(subnet),
      SubnetId: subnet,
      PrivateIpAddress: primary,
      PrivateIpAddresses: [primary, ...ips.filter((x) => x !== primary)].flatMap((a, k) =>
        a === undefined ? [] : [{ PrivateIpAddress: a, Primary: k === 0 }],
      ),
      Ipv6Addresses: list(r.values.ipv6_addresses).map((a) => ({ Ipv6Address: a })),
      Groups: this.#refs(r, "security_groups").map((g) => ({ GroupId: g })),
      SourceDestCheck: r.values.source_dest_check,
      InterfaceType: text(r.values.interface_type) ?? "interface",
      Status: instance ? "in-use" : "available",
      ...(instance ? { Attachment: { InstanceId: instance, DeviceIndex: attachment!.device_index } } : {}),
      Description: text(r.values.description),
    });
  }

  /**
   * What AWS creates with every VPC and a configuration often leaves unmanaged: the main route
   * table (the local routes only), the default ACL (allow all, both ways) and the default group
   * (all from itself in, all out). Each is added, with a warning, when Terraform manages none.
   */
  #defaults(): void {
    for (const vpc of this.#out.vpcs) {
      const r = this.#vpcs.get(vpc.id)!;
      const inVpc = (kind: Kind) => this.#out[kind].filter((i) => i.data.VpcId === vpc.id);
      const add = (kind: Kind, key: string, suffix: string, what: string, data: Record<string, unknown>) => {
        const id = text(r.values[key]) ?? `${vpc.id}-${suffix}`;
        this.problems.warn(this.#at(r), key, "import/left-out", `${what} ${id} is not managed by Terraform: assumed as AWS creates it`);
        this.#out[kind].push({ file: r.file, path: r.address, id, data: { [KINDS[kind]]: id, VpcId: vpc.id, ...data } });
      };
      if (!inVpc("routeTables").some((t) => (t.data.Associations as Json[]).some((a) => a.Main === true)))
        add("routeTables", "main_route_table_id", "main", "the main route table", { Associations: [{ Main: true }], Routes: [] });
      if (!inVpc("networkAcls").some((a) => a.data.IsDefault === true)) {
        const all = (Egress: boolean) => ({ Egress, RuleNumber: 100, RuleAction: "allow", Protocol: "-1", CidrBlock: "0.0.0.0/0" });
        add("networkAcls", "default_network_acl_id", "default-acl", "the default network ACL", {
          IsDefault: true,
          Associations: [],
          Entries: [all(false), all(true)],
        });
      }
      const groups = inVpc("securityGroups");
      const defaultId = text(r.values.default_security_group_id);
      if (!groups.some((g) => g.id === defaultId || g.data.GroupName === "default")) {
        const id = defaultId ?? `${vpc.id}-default-sg`;
        add("securityGroups", "default_security_group_id", "default-sg", "the default security group", {
          GroupName: "default",
          IpPermissions: [{ IpProtocol: "-1", UserIdGroupPairs: [{ GroupId: id }] }],
          IpPermissionsEgress: [{ IpProtocol: "-1", IpRanges: [{ CidrIp: "0.0.0.0/0" }] }],
        });
      }
    }
  }
}

/** The attribute names of a rule's protocol and ports: aws_security_group's blocks and aws_security_group_rule, or the aws_vpc_security_group_*_rule resources. */
interface RuleKeys {
  readonly protocol: string;
  readonly from: string;
  readonly to: string;
}
const SG_BLOCK: RuleKeys = { protocol: "protocol", from: "from_port", to: "to_port" };
const VPC_RULE: RuleKeys = { protocol: "ip_protocol", from: "from_port", to: "to_port" };

/** A string attribute; Terraform writes "" for one not set. */
function text(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** A port, ICMP type or code: Terraform writes numbers (an ACL rule's ICMP fields as strings in older providers). */
function port(v: unknown): unknown {
  if (v === null || v === undefined || v === "") return undefined;
  return typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : v;
}
