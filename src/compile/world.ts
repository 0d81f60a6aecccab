// One world version compiled into the lookup tables the engine reads per packet: interfaces by
// address, security groups flattened per interface, network ACLs and route tables per subnet.
import type { Address, Cidr } from "../model/address.js";
import { cidrContains, offsetAddress, parseAddress } from "../model/address.js";
import type { Component } from "../model/component.js";
import { LINK_LOCAL_SERVICES } from "../model/defaults.js";
import type { Direction, NatGateway, NetworkInterface, Subnet, World } from "../model/model.js";
import type { CompiledNacl } from "./network-acl.js";
import { compileNacl } from "./network-acl.js";
import type { CompiledRouteTable } from "./route-table.js";
import { compileRouteTable } from "./route-table.js";
import type { CompiledGroup, CompiledSgRules, GroupsOf } from "./security-groups.js";
import { compileGroup, interfaceRules } from "./security-groups.js";
import { V4Table } from "./v4-table.js";

export interface CompiledSubnet {
  readonly subnet: Subnet;
  readonly acl: CompiledNacl;
  readonly routes: CompiledRouteTable;
  readonly aclIn: Component;
  readonly aclOut: Component;
  readonly routeRef: Component;
}

export interface CompiledEni {
  /** stable across world versions: connection-table entries refer to it */
  readonly id: number;
  readonly iface: NetworkInterface;
  readonly subnet: CompiledSubnet;
  readonly inbound: CompiledSgRules;
  readonly outbound: CompiledSgRules;
  /** ids of its security groups, which group references match (aws-rules §2.3) */
  readonly groupIds: Int32Array;
  readonly sgIn: Component;
  readonly sgOut: Component;
  readonly self: Component;
}

export interface CompiledNat {
  readonly nat: NatGateway;
  readonly subnet: CompiledSubnet;
  readonly ref: Component;
}

export interface CompiledWorld {
  readonly world: World;
  readonly enis: readonly CompiledEni[];
  readonly subnets: readonly CompiledSubnet[];
  /** private IPv4 address → index in `enis` */
  readonly private4: V4Table;
  readonly private6: ReadonlyMap<bigint, CompiledEni>;
  readonly public4: ReadonlyMap<number, CompiledEni>;
  /** each instance's primary interface, for routes that target an instance */
  readonly primary: ReadonlyMap<string, CompiledEni>;
  readonly natPrivate4: ReadonlyMap<number, CompiledNat>;
  readonly natPublic4: ReadonlyMap<number, CompiledNat>;
  readonly hosts4: ReadonlyMap<number, string>;
  readonly hosts6: ReadonlyMap<bigint, string>;
  /** addresses security groups and network ACLs do not filter (aws-rules §1.6) */
  readonly services4: ReadonlyMap<number, string>;
  readonly services6: ReadonlyMap<bigint, string>;
  /** bit set of the last bytes of `services4`, so most packets skip the map */
  readonly serviceLastBytes: Uint32Array;
  readonly blocks: readonly Cidr[];
  readonly hasInternetGateway: boolean;
  readonly hasEgressOnlyGateway: boolean;
  readonly groupsOf: GroupsOf;
}

/** Stable interface ids, kept by the engine across world versions. */
export type InterfaceIds = (name: string) => number;

export function compileWorld(world: World, ids: InterfaceIds): CompiledWorld {
  const interfaces = Object.values(world.instances).flatMap((i) => i.interfaces);
  const groupIds = new Map(Object.keys(world.securityGroups).map((name, i) => [name, i]));
  const resolve = {
    id: (g: string) => groupIds.get(g) ?? -1,
    prefixList: (name: string) => world.prefixLists[name],
  };
  // Each group is compiled once per direction, however many interfaces carry it.
  const compiledGroups = new Map<string, CompiledGroup>();
  const group = (name: string, direction: Direction): CompiledGroup => {
    const key = `${direction} ${name}`;
    let g = compiledGroups.get(key);
    if (!g) {
      g = compileGroup(world.securityGroups[name]!, direction, resolve);
      compiledGroups.set(key, g);
    }
    return g;
  };
  const blocks = world.vpc.ipv6Cidr ? [...world.vpc.cidrs, world.vpc.ipv6Cidr] : [...world.vpc.cidrs];

  const subnetByName = new Map<string, CompiledSubnet>();
  const acls = new Map<string, CompiledNacl>();
  const tables = new Map<string, CompiledRouteTable>();
  for (const s of Object.values(world.subnets)) {
    const acl = acls.get(s.networkAcl) ?? compileNacl(world.networkAcls[s.networkAcl]!);
    acls.set(s.networkAcl, acl);
    const routes = tables.get(s.routeTable) ?? compileRouteTable(world.routeTables[s.routeTable]!, blocks);
    tables.set(s.routeTable, routes);
    subnetByName.set(s.name, {
      subnet: s,
      acl,
      routes,
      aclIn: { kind: "network-acl", name: acl.name, subnet: s.name, direction: "inbound" },
      aclOut: { kind: "network-acl", name: acl.name, subnet: s.name, direction: "outbound" },
      routeRef: { kind: "route-table", name: routes.name, subnet: s.name },
    });
  }

  const enis: CompiledEni[] = [];
  const private4Entries: [number, number][] = [];
  const private6 = new Map<bigint, CompiledEni>();
  const public4 = new Map<number, CompiledEni>();
  const primaryEni = new Map<string, CompiledEni>();
  for (const iface of interfaces) {
    const sg = (direction: "inbound" | "outbound"): Component => ({
      kind: "security-groups",
      instance: iface.instance,
      interface: iface.name,
      groups: iface.securityGroups,
      direction,
    });
    const eni: CompiledEni = {
      id: ids(iface.name),
      iface,
      subnet: subnetByName.get(iface.subnet)!,
      inbound: interfaceRules(iface.securityGroups.map((g) => group(g, "inbound"))),
      outbound: interfaceRules(iface.securityGroups.map((g) => group(g, "outbound"))),
      groupIds: Int32Array.from(iface.securityGroups.map((g) => groupIds.get(g)!)),
      sgIn: sg("inbound"),
      sgOut: sg("outbound"),
      self: { kind: "interface", instance: iface.instance, interface: iface.name },
    };
    enis.push(eni);
    if (!primaryEni.has(iface.instance)) primaryEni.set(iface.instance, eni);
    for (const a of iface.privateIps) private4Entries.push([a.v4, enis.length - 1]);
    for (const a of iface.ipv6s) private6.set(a.v6, eni);
    if (iface.publicIp) public4.set(iface.publicIp.v4, eni);
  }

  const natPrivate4 = new Map<number, CompiledNat>();
  const natPublic4 = new Map<number, CompiledNat>();
  for (const nat of Object.values(world.natGateways)) {
    const n: CompiledNat = { nat, subnet: subnetByName.get(nat.subnet)!, ref: { kind: "nat-gateway", name: nat.name } };
    natPrivate4.set(nat.privateIp.v4, n);
    natPublic4.set(nat.publicIp.v4, n);
  }

  const hosts4 = new Map<number, string>();
  const hosts6 = new Map<bigint, string>();
  for (const h of Object.values(world.internetHosts)) {
    if (h.address.family === 4) hosts4.set(h.address.v4, h.name);
    else hosts6.set(h.address.v6, h.name);
  }

  const services4 = new Map<number, string>();
  const services6 = new Map<bigint, string>();
  for (const [text, name] of LINK_LOCAL_SERVICES) {
    const a = parseAddress(text);
    if (!a.ok) throw new Error(`bad built-in address ${text}`);
    if (a.value.family === 4) services4.set(a.value.v4, name);
    else services6.set(a.value.v6, name);
  }
  // The VPC base + 2 is the Amazon DNS resolver; each subnet's base + 1 is its router (§1.6).
  const primary = world.vpc.cidrs[0];
  if (primary) services4.set(offsetAddress(primary, 2).v4, "Amazon DNS resolver");
  for (const s of Object.values(world.subnets)) {
    services4.set(offsetAddress(s.cidr, 1).v4, "VPC router");
    if (s.ipv6Cidr) services6.set(offsetAddress(s.ipv6Cidr, 1).v6, "VPC router");
  }

  const serviceLastBytes = new Uint32Array(8);
  for (const v of services4.keys()) serviceLastBytes[(v & 255) >> 5]! |= 1 << (v & 31);
  const targets = Object.values(world.routeTables).flatMap((t) => t.routes.map((r) => r.target.kind));
  const compiled: CompiledWorld = {
    world,
    enis,
    subnets: [...subnetByName.values()],
    private4: new V4Table(private4Entries),
    private6,
    public4,
    primary: primaryEni,
    natPrivate4,
    natPublic4,
    hosts4,
    hosts6,
    services4,
    services6,
    serviceLastBytes,
    blocks,
    hasInternetGateway: targets.includes("internet-gateway"),
    hasEgressOnlyGateway: targets.includes("egress-only-internet-gateway"),
    groupsOf: (a) => interfaceAt(compiled, a)?.groupIds,
  };
  return compiled;
}

export function interfaceAt(c: CompiledWorld, a: Address): CompiledEni | undefined {
  if (a.family === 6) return c.private6.get(a.v6);
  const i = c.private4.get(a.v4);
  return i < 0 ? undefined : c.enis[i];
}

export function serviceAt(c: CompiledWorld, a: Address): string | undefined {
  if (a.family === 6) return c.services6.get(a.v6);
  const last = a.v4 & 255;
  return (c.serviceLastBytes[last >> 5]! & (1 << (last & 31))) === 0 ? undefined : c.services4.get(a.v4);
}

export function inVpc(c: CompiledWorld, a: Address): boolean {
  for (const b of c.blocks) if (cidrContains(b, a)) return true;
  return false;
}

export function subnetContaining(c: CompiledWorld, a: Address): CompiledSubnet | undefined {
  for (const s of c.subnets) {
    if (cidrContains(s.subnet.cidr, a) || (s.subnet.ipv6Cidr && cidrContains(s.subnet.ipv6Cidr, a))) return s;
  }
  return undefined;
}
