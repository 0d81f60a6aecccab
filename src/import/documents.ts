// AWS documents → resources by kind. A document is recognised by its top-level keys, whatever its
// file is called: one `aws ec2 describe-*` output per file (Batfish's aws_configs layout), one file
// holding several outputs' keys, or the np-guard collector's bundle with its snake_case keys.
import { validName } from "./names.js";
import type { Item, Json } from "./problems.js";
import { field, type ImportProblems, isObject } from "./problems.js";

/** A parsed JSON document and the name it is reported by (its file). */
export interface SourceDocument {
  readonly name: string;
  readonly data: unknown;
}

/** The kinds of resource the importer reads, each with the field that holds its ID. */
export const KINDS = {
  vpcs: "VpcId",
  subnets: "SubnetId",
  securityGroups: "GroupId",
  securityGroupRules: "SecurityGroupRuleId",
  networkAcls: "NetworkAclId",
  routeTables: "RouteTableId",
  networkInterfaces: "NetworkInterfaceId",
  instances: "InstanceId",
  internetGateways: "InternetGatewayId",
  natGateways: "NatGatewayId",
  egressOnlyGateways: "EgressOnlyInternetGatewayId",
  peerings: "VpcPeeringConnectionId",
  prefixLists: "PrefixListId",
} as const;

export type Kind = keyof typeof KINDS;
export type Resources = { readonly [K in Kind]: Item[] };

/** Top-level keys of describe-* outputs (and the np-guard bundle's names for them) → kinds. */
const KEYS: ReadonlyMap<string, Kind> = new Map([
  ["Vpcs", "vpcs"],
  ["vpcs", "vpcs"],
  ["Subnets", "subnets"],
  ["subnets", "subnets"],
  ["SecurityGroups", "securityGroups"],
  ["security_groups", "securityGroups"],
  ["SecurityGroupRules", "securityGroupRules"],
  ["security_group_rules", "securityGroupRules"],
  ["NetworkAcls", "networkAcls"],
  ["network_acls", "networkAcls"],
  ["RouteTables", "routeTables"],
  ["route_tables", "routeTables"],
  ["NetworkInterfaces", "networkInterfaces"],
  ["network_interfaces", "networkInterfaces"],
  ["Instances", "instances"],
  ["instances", "instances"],
  ["InternetGateways", "internetGateways"],
  ["internet_gateways", "internetGateways"],
  ["NatGateways", "natGateways"],
  ["nat_gateways", "natGateways"],
  ["EgressOnlyInternetGateways", "egressOnlyGateways"],
  ["egress_only_internet_gateways", "egressOnlyGateways"],
  ["VpcPeeringConnections", "peerings"],
  ["vpc_peering_connections", "peerings"],
  ["PrefixLists", "prefixLists"],
  ["ManagedPrefixLists", "prefixLists"],
  ["prefix_lists", "prefixLists"],
]);

/**
 * Keys of outputs that hold nothing the importer models or that only describe the call, read
 * without a warning: the resources behind route targets are named by the routes themselves.
 */
const QUIET = new Set([
  "Addresses",
  "AvailabilityZones",
  "CustomerGateways",
  "VpnConnections",
  "VpnGateways",
  "VpcEndpoints",
  "TransitGateways",
  "TransitGatewayAttachments",
  "TransitGatewayVpcAttachments",
  "LoadBalancerDescriptions",
  "LoadBalancers",
  "TargetGroups",
  "DhcpOptions",
  "FlowLogs",
  "NextToken",
  "ResponseMetadata",
  "collector_version",
  "provider",
  "region",
  "account",
]);

/** get-managed-prefix-list-entries gives `{ Entries }` only: its list is named by the file. */
const PREFIX_LIST_ID = /pl-[0-9a-f]+/;

export function emptyResources(): Resources {
  return Object.fromEntries(Object.keys(KINDS).map((k) => [k, []])) as unknown as Resources;
}

/**
 * Every resource of the documents, by kind, each ID once: the same resource met twice (in a
 * combined file and in its own) is read once, and two different ones with one ID are an error.
 */
export function collectResources(documents: readonly SourceDocument[], problems: ImportProblems): Resources {
  const out = emptyResources();
  const seen = new Map<string, Item>();
  const add = (kind: Kind, file: string, path: string, data: unknown): void => {
    const at = { file, path, id: "" };
    if (!isObject(data)) {
      problems.error(at, "", "import/bad-field", `${path} is not an object`);
      return;
    }
    const id = field(data, KINDS[kind]);
    // an ID becomes a name when no tag gives one: it must be one, as every AWS ID is (sg-0abc...)
    if (typeof id !== "string" || !validName(id)) {
      problems.error(
        at,
        KINDS[kind],
        "import/bad-field",
        `a resource of ${path.replace(/\[\d+\]$/, "")} has no ${KINDS[kind]} of AWS's form (letters, digits and '-'): ${JSON.stringify(id) ?? "none"}`,
      );
      return;
    }
    const item: Item = { file, path, id, data };
    const key = `${kind} ${id}`;
    const earlier = seen.get(key);
    if (!earlier) {
      seen.set(key, item);
      out[kind].push(item);
    } else if (kind === "prefixLists") {
      // describe-managed-prefix-lists names a list, get-managed-prefix-list-entries gives its entries
      const merged = { ...item, data: { ...earlier.data, ...data } };
      out.prefixLists[out.prefixLists.indexOf(earlier)] = merged;
      seen.set(key, merged);
    } else if (JSON.stringify(earlier.data) !== JSON.stringify(data)) {
      problems.error(
        item,
        "",
        "import/duplicate-id",
        `appears twice with different contents (also at ${earlier.file}: ${earlier.path}); export each resource once`,
      );
    }
  };
  const entries: { file: string; path: string; list: unknown[] }[] = [];

  const read = (file: string, data: unknown, prefix: string) => {
    if (Array.isArray(data)) {
      for (const [i, d] of data.entries()) read(file, d, `${prefix}[${i}]`);
      return;
    }
    if (!isObject(data)) {
      problems.warn({ file, path: prefix || "(the whole file)", id: "" }, "", "import/unrecognised", "not an AWS CLI output: left out");
      return;
    }
    let known = false;
    for (const key of Object.keys(data)) {
      const value = field(data, key);
      const path = prefix ? `${prefix}.${key}` : key;
      const kind = KEYS.get(key);
      if (kind && Array.isArray(value)) {
        known = true;
        for (const [i, r] of value.entries()) add(kind, file, `${path}[${i}]`, r);
      } else if (key === "Reservations" && Array.isArray(value)) {
        known = true;
        value.forEach((r, i) => {
          const instances = isObject(r) ? field(r, "Instances") : undefined;
          if (Array.isArray(instances))
            for (const [j, x] of instances.entries()) add("instances", file, `${path}[${i}].Instances[${j}]`, x);
        });
      } else if (key === "Entries" && Array.isArray(value)) {
        known = true;
        entries.push({ file, path, list: value });
      } else if (QUIET.has(key)) {
        known = true;
      }
    }
    if (!known) {
      const keys = Object.keys(data).slice(0, 5).join(", ");
      problems.warn(
        { file, path: prefix || "(the whole file)", id: "" },
        "",
        "import/unrecognised",
        `no key of an AWS CLI output vpcsim reads (found ${keys || "none"}): left out`,
      );
    }
  };
  for (const d of documents) read(d.name, d.data, "");
  for (const e of entries) {
    const id = PREFIX_LIST_ID.exec(e.file)?.[0];
    const at = { file: e.file, path: e.path, id: "" };
    if (!id) {
      problems.warn(at, "", "import/unrecognised", "prefix list entries whose file name holds no prefix list ID (pl-...): left out");
      continue;
    }
    add("prefixLists", e.file, e.path, { PrefixListId: id, Entries: e.list });
  }
  return out;
}

/** The entries of a prefix list, from describe-prefix-lists (`Cidrs`) or managed lists' `Entries`. */
export function prefixListCidrs(list: Json): string[] | undefined {
  const cidrs = field(list, "Cidrs");
  if (Array.isArray(cidrs)) return cidrs.filter((c): c is string => typeof c === "string");
  const entries = field(list, "Entries");
  if (Array.isArray(entries))
    return entries.flatMap((e) => (isObject(e) && typeof field(e, "Cidr") === "string" ? [field(e, "Cidr") as string] : []));
  return undefined;
}
