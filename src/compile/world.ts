// One world version compiled into the lookup tables the engine reads per packet: interfaces by
// address, security groups flattened per interface, network ACLs and route tables per subnet. A
// new version reuses what the previous one compiled for every part that did not change.
import type { Address, Cidr } from "../model/address.js";
import { cidrContains, offsetAddress, parseAddress } from "../model/address.js";
import type { Component } from "../model/component.js";
import { LINK_LOCAL_SERVICES } from "../model/defaults.js";
import { shown, VpcsimError } from "../model/errors.js";
import type { Direction, NatGateway, NetworkAcl, NetworkInterface, RouteTable, SecurityGroup, Subnet, World } from "../model/model.js";
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
  /** private IPv6 address → index in `enis` */
  readonly private6: ReadonlyMap<bigint, number>;
  /** public IPv4 address → index in `enis` */
  readonly public4: ReadonlyMap<number, number>;
  /** each instance's primary interface (index in `enis`), for routes that target an instance */
  readonly primary: ReadonlyMap<string, number>;
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
  /** the compiled pieces by the model object they were compiled from, for the next version to reuse */
  readonly pieces: Pieces;
}

/** Compiled pieces keyed by the (immutable) model objects they come from. */
interface Pieces {
  /** security group name → id, which group references are matched by (aws-rules §2.3) */
  readonly groupIds: ReadonlyMap<string, number>;
  readonly groups: ReadonlyMap<SecurityGroup, GroupPair>;
  readonly acls: ReadonlyMap<NetworkAcl, CompiledNacl>;
  readonly tables: ReadonlyMap<RouteTable, CompiledRouteTable>;
  readonly subnets: ReadonlyMap<string, CompiledSubnet>;
  /** positions in `enis` of the interfaces carrying each group, and of those in each subnet */
  readonly byGroup: ReadonlyMap<string, readonly number[]>;
  readonly bySubnet: ReadonlyMap<string, readonly number[]>;
}

/** One group's two directions, each compiled when an interface first needs it. */
interface GroupPair {
  inbound?: CompiledGroup;
  outbound?: CompiledGroup;
}

/** Stable interface ids, kept by the engine across world versions. */
export type InterfaceIds = (name: string) => number;

/**
 * Compiles a world version. With `previous`, the compiled form of an earlier version of the same
 * world, every security group, network ACL, route table, subnet and interface whose model object
 * is the very same object (immer keeps unchanged parts of a world identical) keeps its compiled
 * form, so that a change to one rule costs that rule's group or ACL, not the world. The address
 * tables are kept when no interface's addresses changed.
 */
export function compileWorld(world: World, ids: InterfaceIds, previous?: CompiledWorld): CompiledWorld {
  const before = previous?.world;
  const old = previous?.pieces;
  const same = <K extends keyof World>(k: K) => before !== undefined && before[k] === world[k];
  // Group ids come from the groups' order, so they (and every compiled group, which holds ids of
  // the groups it references) carry over only while the set of groups is the same.
  const keepIds = old !== undefined && sameKeys(before!.securityGroups, world.securityGroups);
  const groupIds = keepIds ? old.groupIds : new Map(Object.keys(world.securityGroups).map((name, i) => [name, i]));
  const keepGroups = keepIds && same("prefixLists");
  const resolve = {
    id: (g: string) => groupIds.get(g) ?? -1,
    prefixList: (name: string) => own(world.prefixLists, name),
  };
  // The groups that are not the very object they were in the previous version.
  const changed = keepGroups ? changedKeys(before!.securityGroups, world.securityGroups) : undefined;
  // Each group is compiled once per direction, however many interfaces carry it; the others keep
  // their compiled form.
  const groups = new Map<SecurityGroup, GroupPair>(keepGroups ? old.groups : []);
  for (const name of changed ?? []) groups.delete(before!.securityGroups[name]!);
  const byName = new Map<string, SecurityGroup>();
  const group = (name: string, direction: Direction, iface: NetworkInterface): CompiledGroup => {
    let sg = byName.get(name);
    if (!sg) {
      sg = own(world.securityGroups, name);
      if (!sg) throw badWorld(`interface ${iface.name} carries security group ${shown(name)}, which the world does not have`);
      byName.set(name, sg);
    }
    let pair = groups.get(sg);
    if (!pair) {
      pair = changed?.has(name) ? keptDirections(sg, old!.groups.get(before!.securityGroups[name]!)) : {};
      groups.set(sg, pair);
    }
    let g = pair[direction];
    if (!g) {
      g = compileGroup(sg, direction, resolve);
      pair[direction] = g;
    }
    return g;
  };
  const keepVpc = same("vpc");
  const blocks = keepVpc ? previous!.blocks : world.vpc.ipv6Cidr ? [...world.vpc.cidrs, world.vpc.ipv6Cidr] : [...world.vpc.cidrs];

  const keepSubnets = old !== undefined && keepVpc && same("subnets") && same("networkAcls") && same("routeTables");
  const { subnets: subnetByName, acls, tables } = keepSubnets ? old : compileSubnets(world, old, before, blocks, keepVpc);

  const compileEni = (iface: NetworkInterface, subnet: CompiledSubnet): CompiledEni => {
    const sg = (direction: "inbound" | "outbound"): Component => ({
      kind: "security-groups",
      instance: iface.instance,
      interface: iface.name,
      groups: iface.securityGroups,
      direction,
    });
    return {
      id: ids(iface.name),
      iface,
      subnet,
      inbound: interfaceRules(iface.securityGroups.map((g) => group(g, "inbound", iface))),
      outbound: interfaceRules(iface.securityGroups.map((g) => group(g, "outbound", iface))),
      groupIds: Int32Array.from(iface.securityGroups.map((g) => groupIds.get(g)!)),
      sgIn: sg("inbound"),
      sgOut: sg("outbound"),
      self: { kind: "interface", instance: iface.instance, interface: iface.name },
    };
  };
  let enis: CompiledEni[];
  let addresses: Pick<CompiledWorld, "private4" | "private6" | "public4" | "primary">;
  let byGroup: ReadonlyMap<string, readonly number[]>;
  let bySubnet: ReadonlyMap<string, readonly number[]>;
  if (keepGroups && same("instances")) {
    // The same interfaces: only those in a subnet or carrying a group that changed are compiled
    // again, found through the indexes of the previous version, without visiting the others.
    enis = previous!.enis.slice();
    ({ byGroup, bySubnet } = old);
    const again = new Set<number>();
    for (const name of changed!) for (const k of byGroup.get(name) ?? []) again.add(k);
    // a subnet compiled again, or gone
    for (const [name, was] of old.subnets) if (subnetByName.get(name) !== was) for (const k of bySubnet.get(name) ?? []) again.add(k);
    for (const k of again) {
      const iface = enis[k]!.iface;
      const subnet = subnetByName.get(iface.subnet);
      if (!subnet) throw badWorld(`interface ${iface.name} is in subnet ${shown(iface.subnet)}, which the world does not have`);
      enis[k] = compileEni(iface, subnet);
    }
    addresses = previous!;
  } else {
    // An interface keeps its compiled form when it, its subnet's and its groups' did not change.
    const was = previous?.enis;
    enis = [];
    // The address tables map addresses to positions in `enis`: they hold while every interface
    // keeps its position and its addresses.
    let sameAddresses = was !== undefined;
    for (const instance of Object.values(world.instances)) {
      for (const iface of instance.interfaces) {
        const prev = was?.[enis.length];
        sameAddresses &&=
          prev !== undefined &&
          prev.iface.name === iface.name &&
          prev.iface.privateIps === iface.privateIps &&
          prev.iface.ipv6s === iface.ipv6s &&
          prev.iface.publicIp === iface.publicIp;
        const subnet = subnetByName.get(iface.subnet);
        if (!subnet) throw badWorld(`interface ${iface.name} is in subnet ${shown(iface.subnet)}, which the world does not have`);
        const keep = changed && prev?.iface === iface && prev.subnet === subnet && !iface.securityGroups.some((g) => changed.has(g));
        enis.push(keep ? prev : compileEni(iface, subnet));
      }
    }
    if (was && was.length !== enis.length) sameAddresses = false;
    addresses = sameAddresses ? previous! : addressTables(enis);
    ({ byGroup, bySubnet } = interfaceIndexes(enis));
  }
  const natPrivate4 = new Map<number, CompiledNat>();
  const natPublic4 = new Map<number, CompiledNat>();
  for (const nat of Object.values(world.natGateways)) {
    const subnet = subnetByName.get(nat.subnet);
    if (!subnet) throw badWorld(`NAT gateway ${nat.name} is in subnet ${shown(nat.subnet)}, which the world does not have`);
    const n: CompiledNat = { nat, subnet, ref: { kind: "nat-gateway", name: nat.name } };
    natPrivate4.set(nat.privateIp.v4, n);
    natPublic4.set(nat.publicIp.v4, n);
  }

  const hosts = same("internetHosts") ? previous! : hostTables(world);
  const services = keepVpc && same("subnets") ? previous! : serviceTables(world);
  const gateways = same("routeTables") ? previous! : gatewayKinds(world);
  const compiled: CompiledWorld = {
    world,
    enis,
    subnets: [...subnetByName.values()],
    private4: addresses.private4,
    private6: addresses.private6,
    public4: addresses.public4,
    primary: addresses.primary,
    natPrivate4,
    natPublic4,
    hosts4: hosts.hosts4,
    hosts6: hosts.hosts6,
    services4: services.services4,
    services6: services.services6,
    serviceLastBytes: services.serviceLastBytes,
    blocks,
    hasInternetGateway: gateways.hasInternetGateway,
    hasEgressOnlyGateway: gateways.hasEgressOnlyGateway,
    groupsOf: (a) => interfaceAt(compiled, a)?.groupIds,
    pieces: { groupIds, groups, acls, tables, subnets: subnetByName, byGroup, bySubnet },
  };
  return compiled;
}

/** Each subnet with its network ACL and route table, compiled or, where nothing changed, kept. */
function compileSubnets(
  world: World,
  old: Pieces | undefined,
  before: World | undefined,
  blocks: readonly Cidr[],
  keepVpc: boolean,
): Pick<Pieces, "subnets" | "acls" | "tables"> {
  const subnetByName = new Map<string, CompiledSubnet>();
  const acls = new Map<NetworkAcl, CompiledNacl>();
  const tables = new Map<RouteTable, CompiledRouteTable>();
  for (const s of Object.values(world.subnets)) {
    const aclModel = own(world.networkAcls, s.networkAcl);
    if (!aclModel) throw badWorld(`subnet ${s.name} names network ACL ${shown(s.networkAcl)}, which the world does not have`);
    const tableModel = own(world.routeTables, s.routeTable);
    if (!tableModel) throw badWorld(`subnet ${s.name} names route table ${shown(s.routeTable)}, which the world does not have`);
    // A changed ACL keeps the compiled lists of a direction whose rules are unchanged.
    const acl =
      acls.get(aclModel) ?? old?.acls.get(aclModel) ?? compileNacl(aclModel, before && old?.acls.get(before.networkAcls[s.networkAcl]!));
    acls.set(aclModel, acl);
    // Route tables hold the implicit local route of each VPC block (aws-rules §4.1).
    const routes =
      tables.get(tableModel) ??
      (keepVpc ? old?.tables.get(tableModel) : undefined) ??
      compileRouteTable(checkTargets(world, tableModel), blocks);
    tables.set(tableModel, routes);
    const was = old?.subnets.get(s.name);
    subnetByName.set(
      s.name,
      was && was.subnet === s && was.acl === acl && was.routes === routes
        ? was
        : {
            subnet: s,
            acl,
            routes,
            aclIn: { kind: "network-acl", name: acl.name, subnet: s.name, direction: "inbound" },
            aclOut: { kind: "network-acl", name: acl.name, subnet: s.name, direction: "outbound" },
            routeRef: { kind: "route-table", name: routes.name, subnet: s.name },
          },
    );
  }
  return { subnets: subnetByName, acls, tables };
}

/** A route table whose routes lead to NAT gateways and instances the world has; the packet walk counts on it. */
function checkTargets(world: World, table: RouteTable): RouteTable {
  for (const r of table.routes) {
    const t = r.target;
    if ((t.kind === "nat-gateway" && !own(world.natGateways, t.name)) || (t.kind === "instance" && !own(world.instances, t.name))) {
      throw badWorld(`route table ${table.name} routes ${r.destination.text} to ${t.kind} ${shown(t.name)}, which the world does not have`);
    }
  }
  return table;
}

function addressTables(enis: readonly CompiledEni[]): Pick<CompiledWorld, "private4" | "private6" | "public4" | "primary"> {
  const private4Entries: [number, number][] = [];
  const private6 = new Map<bigint, number>();
  const public4 = new Map<number, number>();
  const primary = new Map<string, number>();
  enis.forEach(({ iface }, k) => {
    if (!primary.has(iface.instance)) primary.set(iface.instance, k);
    for (const a of iface.privateIps) private4Entries.push([a.v4, k]);
    for (const a of iface.ipv6s) private6.set(a.v6, k);
    if (iface.publicIp) public4.set(iface.publicIp.v4, k);
  });
  return { private4: new V4Table(private4Entries), private6, public4, primary };
}

/** A changed group's directions whose rules are the same list as before keep their compiled form. */
function keptDirections(sg: SecurityGroup, was: GroupPair | undefined): GroupPair {
  const pair: GroupPair = {};
  if (was?.inbound?.rules === sg.inbound) pair.inbound = was.inbound;
  if (was?.outbound?.rules === sg.outbound) pair.outbound = was.outbound;
  return pair;
}

function interfaceIndexes(enis: readonly CompiledEni[]): Pick<Pieces, "byGroup" | "bySubnet"> {
  const byGroup = new Map<string, number[]>();
  const bySubnet = new Map<string, number[]>();
  const add = (m: Map<string, number[]>, key: string, k: number) => {
    const list = m.get(key);
    if (list) list.push(k);
    else m.set(key, [k]);
  };
  enis.forEach(({ iface }, k) => {
    add(bySubnet, iface.subnet, k);
    for (const g of new Set(iface.securityGroups)) add(byGroup, g, k);
  });
  return { byGroup, bySubnet };
}

function hostTables(world: World): Pick<CompiledWorld, "hosts4" | "hosts6"> {
  const hosts4 = new Map<number, string>();
  const hosts6 = new Map<bigint, string>();
  for (const h of Object.values(world.internetHosts)) {
    if (h.address.family === 4) hosts4.set(h.address.v4, h.name);
    else hosts6.set(h.address.v6, h.name);
  }
  return { hosts4, hosts6 };
}

/** Amazon's services, parsed once: ip-num takes tens of microseconds an address. */
let linkLocal: readonly Address[] | undefined;

function serviceTables(world: World): Pick<CompiledWorld, "services4" | "services6" | "serviceLastBytes"> {
  linkLocal ??= LINK_LOCAL_SERVICES.map(([text]) => {
    const a = parseAddress(text);
    if (!a.ok) throw new Error(`bad built-in address ${text}`);
    return a.value;
  });
  const services4 = new Map<number, string>();
  const services6 = new Map<bigint, string>();
  LINK_LOCAL_SERVICES.forEach(([, name], i) => {
    const a = linkLocal![i]!;
    if (a.family === 4) services4.set(a.v4, name);
    else services6.set(a.v6, name);
  });
  // The VPC base + 2 is the Amazon DNS resolver; each subnet's base + 1 is its router (§1.6).
  const primary = world.vpc.cidrs[0];
  if (primary) services4.set(offsetAddress(primary, 2).v4, "Amazon DNS resolver");
  for (const s of Object.values(world.subnets)) {
    services4.set(offsetAddress(s.cidr, 1).v4, "VPC router");
    if (s.ipv6Cidr) services6.set(offsetAddress(s.ipv6Cidr, 1).v6, "VPC router");
  }
  const serviceLastBytes = new Uint32Array(8);
  for (const v of services4.keys()) serviceLastBytes[(v & 255) >> 5]! |= 1 << (v & 31);
  return { services4, services6, serviceLastBytes };
}

function gatewayKinds(world: World): Pick<CompiledWorld, "hasInternetGateway" | "hasEgressOnlyGateway"> {
  const targets = new Set(Object.values(world.routeTables).flatMap((t) => t.routes.map((r) => r.target.kind)));
  return { hasInternetGateway: targets.has("internet-gateway"), hasEgressOnlyGateway: targets.has("egress-only-internet-gateway") };
}

/** `record[name]` when the record has it as its own key (a name such as "constructor" is not one). */
function own<T>(record: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.hasOwn(record, name) ? record[name] : undefined;
}

function sameKeys(a: object, b: object): boolean {
  if (a === b) return true;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k, i) => k === kb[i]);
}

/** The names whose entry is not the same object in both records (all of `b`'s, when `a` lacks them). */
function changedKeys<T>(a: Readonly<Record<string, T>>, b: Readonly<Record<string, T>>): ReadonlySet<string> {
  const changed = new Set<string>();
  if (a === b) return changed;
  // An inherited name (`constructor`) in `a` is no group either: it differs, so it counts as changed.
  for (const k of Object.keys(b)) if (a[k] !== b[k]) changed.add(k);
  return changed;
}

function badWorld(why: string): VpcsimError {
  return new VpcsimError("argument/world", `${why}; load a scenario with loadScenario for a world`);
}

export function interfaceAt(c: CompiledWorld, a: Address): CompiledEni | undefined {
  if (a.family === 6) {
    const k = c.private6.get(a.v6);
    return k === undefined ? undefined : c.enis[k];
  }
  const i = c.private4.get(a.v4);
  return i < 0 ? undefined : c.enis[i];
}

/** The interface whose public IPv4 address is `v4` (aws-rules §4.3). */
export function publicInterfaceAt(c: CompiledWorld, v4: number): CompiledEni | undefined {
  const k = c.public4.get(v4);
  return k === undefined ? undefined : c.enis[k];
}

/** An instance's primary interface. */
export function primaryInterface(c: CompiledWorld, instance: string): CompiledEni | undefined {
  const k = c.primary.get(instance);
  return k === undefined ? undefined : c.enis[k];
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
