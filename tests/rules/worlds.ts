// The worlds the rule tests share, each a function that returns a fresh builder; a test makes its
// variant by passing options or by calling the builder again (`twoTiers().instance(...)`).

import type { PacketResult } from "../../src/index.js";
import { componentLabel, Engine, loadScenario } from "../../src/index.js";
import { scenario } from "../helpers.js";
import type { AclSpec, GroupRule, InstanceSpec, SettingsSpec, SubnetSpec, WorldBuilder } from "../world-builder.js";
import { world } from "../world-builder.js";

/**
 * A plain Engine, for the few tests that send tens of thousands of packets (a port exhaustion takes
 * 64,512 connections): `engine()` of helpers.ts checks every packet against the reference
 * evaluator, which makes such a loop last about 45 s. Everything else uses `engine()`.
 */
export function uncheckedEngine(text: string): Engine {
  return new Engine(scenario(text).world);
}

/** A trace's hops in the words of `blocked-by`, with their action: `network-acl data-acl inbound: allow`. */
export function hops(r: PacketResult): string[] {
  return r.hops.map((h) => `${componentLabel(h.component)}: ${h.action}`);
}

/** The diagnostic codes a world is refused with ([] when it loads). */
export function refusals(w: WorldBuilder): string[] {
  const r = loadScenario(w.yaml(), "test.yaml");
  return r.ok ? [] : r.diagnostics.map((d) => d.code);
}

/** `address:port` as `pkt` reads it: IPv6 addresses in brackets. */
export function at(address: string, port: number): string {
  return address.includes(":") ? `[${address}]:${port}` : `${address}:${port}`;
}

/** The addresses of `twoTiers` in each family, for tests that hold in IPv4 and IPv6 alike. */
export const FAMILIES = [
  {
    name: "IPv4",
    app: "10.0.1.10",
    app2: "10.0.1.11",
    db: "10.0.2.20",
    appNet: "10.0.1.0/24",
    dataNet: "10.0.2.0/24",
    any: "0.0.0.0/0",
    host: "/32",
  },
  {
    name: "IPv6",
    app: "2600:1f18:aaaa:bb01::10",
    app2: "2600:1f18:aaaa:bb01::11",
    db: "2600:1f18:aaaa:bb02::20",
    appNet: "2600:1f18:aaaa:bb01::/64",
    dataNet: "2600:1f18:aaaa:bb02::/64",
    any: "::/0",
    host: "/128",
  },
] as const;

export const VPC6 = "2600:1f18:aaaa:bb00::/56";

/** The subnets of `twoTiers`, to restate one with a change. */
export const TWO_TIERS_SUBNETS = {
  app: { cidr: "10.0.1.0/24", "ipv6-cidr": "2600:1f18:aaaa:bb01::/64" },
  data: { cidr: "10.0.2.0/24", "ipv6-cidr": "2600:1f18:aaaa:bb02::/64", "network-acl": "data-acl" },
} satisfies Record<string, SubnetSpec>;

/** data-acl of `twoTiers`: PostgreSQL in from the app subnet, the replies out to its ephemeral ports. */
export const DATA_ACL = {
  inbound: [
    { rule: 100, action: "allow", protocol: "tcp", ports: 5432, cidr: "10.0.1.0/24" },
    { rule: 110, action: "allow", protocol: "tcp", ports: 5432, cidr: "2600:1f18:aaaa:bb01::/64" },
  ],
  outbound: [
    { rule: 100, action: "allow", protocol: "tcp", ports: "1024-65535", cidr: "10.0.1.0/24" },
    { rule: 110, action: "allow", protocol: "tcp", ports: "1024-65535", cidr: "2600:1f18:aaaa:bb01::/64" },
  ],
} satisfies AclSpec;

export interface TwoTiersOptions {
  /** db-sg's inbound rules (default: tcp 5432 from app-sg) */
  readonly dbInbound?: GroupRule[];
  /** db-sg's outbound rules (default: none, `outbound: []`); `"new-group"` leaves them out, as a new group */
  readonly dbOutbound?: GroupRule[] | "new-group";
  /** the data subnet's network ACL (default: DATA_ACL); `"default"` gives the subnet the VPC's default ACL */
  readonly dataAcl?: AclSpec | "default";
  readonly settings?: SettingsSpec;
}

/**
 * An app tier and a data tier: app (10.0.1.10, 2600:…:bb01::10) and app2 (10.0.1.11, …::11) in app-sg,
 * db (10.0.2.20, 2600:…:bb02::20) in db-sg, which admits PostgreSQL from app-sg and sends nothing
 * out; the data subnet has data-acl, the app subnet the default ACL.
 */
export function twoTiers(o: TwoTiersOptions = {}) {
  const acl = o.dataAcl ?? DATA_ACL;
  const { "network-acl": _, ...dataWithoutAcl } = TWO_TIERS_SUBNETS.data;
  let w = world("two tiers")
    .vpc("10.0.0.0/16", { ipv6: VPC6 })
    .subnet("app", TWO_TIERS_SUBNETS.app)
    .subnet("data", acl === "default" ? dataWithoutAcl : TWO_TIERS_SUBNETS.data)
    .group("app-sg")
    .group("db-sg", {
      inbound: o.dbInbound ?? [{ protocol: "tcp", ports: 5432, source: "app-sg" }],
      ...(o.dbOutbound === "new-group" ? {} : { outbound: o.dbOutbound ?? [] }),
    })
    .instance("app", { subnet: "app", "private-ip": "10.0.1.10", ipv6: "2600:1f18:aaaa:bb01::10", "security-groups": ["app-sg"] })
    .instance("app2", { subnet: "app", "private-ip": "10.0.1.11", ipv6: "2600:1f18:aaaa:bb01::11", "security-groups": ["app-sg"] })
    .instance("db", { subnet: "data", "private-ip": "10.0.2.20", ipv6: "2600:1f18:aaaa:bb02::20", "security-groups": ["db-sg"] });
  if (acl !== "default") w = w.acl("data-acl", acl);
  if (o.settings) w = w.settings(o.settings);
  return w;
}

/**
 * `twoTiers` with a firewall appliance (10.0.3.5 in subnet inspect) that both tiers route each
 * other's blocks through, IPv4 and IPv6; fw-sg admits PostgreSQL from app-sg, db-sg from app's blocks.
 */
export function withFirewall(sourceDestCheck: boolean, firewall: Partial<InstanceSpec> = {}) {
  // db-sg names app's block: a reference to app-sg does not survive the firewall (aws-rules §2.3).
  const dbInbound: GroupRule[] = [
    { protocol: "tcp", ports: 5432, source: "10.0.1.0/24" },
    { protocol: "tcp", ports: 5432, source: "2600:1f18:aaaa:bb01::/64" },
  ];
  return twoTiers({ dbInbound })
    .subnet("app", { ...TWO_TIERS_SUBNETS.app, "route-table": "app-routes" })
    .subnet("data", { ...TWO_TIERS_SUBNETS.data, "route-table": "data-routes" })
    .subnet("inspect", { cidr: "10.0.3.0/24", "ipv6-cidr": "2600:1f18:aaaa:bb03::/64" })
    .routeTable("app-routes", {
      routes: [
        { destination: "10.0.2.0/24", target: "firewall" },
        { destination: "2600:1f18:aaaa:bb02::/64", target: "firewall" },
      ],
    })
    .routeTable("data-routes", {
      routes: [
        { destination: "10.0.1.0/24", target: "firewall" },
        { destination: "2600:1f18:aaaa:bb01::/64", target: "firewall" },
      ],
    })
    .group("fw-sg", { inbound: [{ protocol: "tcp", ports: 5432, source: "app-sg" }] })
    .instance("firewall", {
      subnet: "inspect",
      "private-ip": "10.0.3.5",
      ipv6: "2600:1f18:aaaa:bb03::5",
      "security-groups": ["fw-sg"],
      "source-dest-check": sourceDestCheck,
      ...firewall,
    });
}

/**
 * One public subnet (10.0.1.0/24, 2600:…:bb01::/64) routed to the internet gateway, IPv4 and
 * IPv6; web (10.0.1.10, public 203.0.113.10, 2600:…:bb01::10) in web-sg; internet hosts laptop
 * (198.51.100.7) and far6 (2001:db8::7).
 */
export function publicWeb(webGroup: { inbound?: GroupRule[]; outbound?: GroupRule[] } = {}) {
  return world("public web")
    .vpc("10.0.0.0/16", { ipv6: VPC6 })
    .subnet("pub", { cidr: "10.0.1.0/24", "ipv6-cidr": "2600:1f18:aaaa:bb01::/64", "route-table": "to-internet" })
    .routeTable("to-internet", {
      routes: [
        { destination: "0.0.0.0/0", target: "internet-gateway" },
        { destination: "::/0", target: "internet-gateway" },
      ],
    })
    .group("web-sg", webGroup)
    .instance("web", {
      subnet: "pub",
      "private-ip": "10.0.1.10",
      "public-ip": "203.0.113.10",
      ipv6: "2600:1f18:aaaa:bb01::10",
      "security-groups": ["web-sg"],
    })
    .internetHost("laptop", { ip: "198.51.100.7" })
    .internetHost("far6", { ip: "2001:db8::7" });
}

/**
 * A private subnet (10.0.1.0/24, 2600:…:bb01::/64) whose IPv4 goes out through NAT gateway nat
 * (10.0.0.5, public 198.51.100.20) in the public subnet, and whose IPv6 goes out through an
 * egress-only internet gateway; worker (10.0.1.25, 2600:…:bb01::25) in worker-sg. Internet hosts
 * api (93.184.216.34) and api6 (2001:db8::34).
 */
export function behindNat(
  options: { workerGroup?: { inbound?: GroupRule[]; outbound?: GroupRule[] }; publicAcl?: AclSpec; settings?: SettingsSpec } = {},
) {
  let w = world("behind a NAT gateway")
    .vpc("10.0.0.0/16", { ipv6: VPC6 })
    .subnet("public", { cidr: "10.0.0.0/24", "route-table": "to-internet", ...(options.publicAcl ? { "network-acl": "public-acl" } : {}) })
    .subnet("private", { cidr: "10.0.1.0/24", "ipv6-cidr": "2600:1f18:aaaa:bb01::/64", "route-table": "to-nat" })
    .routeTable("to-internet", { routes: [{ destination: "0.0.0.0/0", target: "internet-gateway" }] })
    .routeTable("to-nat", {
      routes: [
        { destination: "0.0.0.0/0", target: "nat" },
        { destination: "::/0", target: "egress-only-internet-gateway" },
      ],
    })
    .natGateway("nat", { subnet: "public", "private-ip": "10.0.0.5", "public-ip": "198.51.100.20" })
    .group("worker-sg", options.workerGroup ?? {})
    .instance("worker", { subnet: "private", "private-ip": "10.0.1.25", ipv6: "2600:1f18:aaaa:bb01::25", "security-groups": ["worker-sg"] })
    .internetHost("api", { ip: "93.184.216.34" })
    .internetHost("api6", { ip: "2001:db8::34" });
  if (options.publicAcl) w = w.acl("public-acl", options.publicAcl);
  if (options.settings) w = w.settings(options.settings);
  return w;
}

/** A NAT instance nat-box (10.0.0.10, public 198.51.100.30) for the private subnet's worker (10.0.1.25). */
export function natInstance(sourceDestCheck: boolean) {
  return world("NAT instance")
    .vpc("10.0.0.0/16")
    .subnet("public", { cidr: "10.0.0.0/24", "route-table": "to-internet" })
    .subnet("private", { cidr: "10.0.1.0/24", "route-table": "to-nat" })
    .routeTable("to-internet", { routes: [{ destination: "0.0.0.0/0", target: "internet-gateway" }] })
    .routeTable("to-nat", { routes: [{ destination: "0.0.0.0/0", target: "nat-box" }] })
    .group("nat-sg", { inbound: [{ protocol: "all", source: "10.0.1.0/24" }] })
    .instance("nat-box", {
      subnet: "public",
      "private-ip": "10.0.0.10",
      "public-ip": "198.51.100.30",
      "security-groups": ["nat-sg"],
      "nat-instance": true,
      "source-dest-check": sourceDestCheck,
    })
    .instance("worker", { subnet: "private", "private-ip": "10.0.1.25" })
    .internetHost("api", { ip: "93.184.216.34" });
}

/**
 * `twoTiers` whose app subnet sends the data subnet to appliance fw1, whose subnet sends it to fw2,
 * whose subnet sends it back to fw1: a routing loop.
 */
export function routingLoop() {
  // db-sg names app's block, as a group reference does not survive an appliance (aws-rules §2.3)
  return twoTiers({ dataAcl: "default", dbInbound: [{ protocol: "tcp", ports: 5432, source: "10.0.1.0/24" }] })
    .subnet("app", { ...TWO_TIERS_SUBNETS.app, "route-table": "to-fw1" })
    .subnet("s1", { cidr: "10.0.3.0/24", "route-table": "to-fw2" })
    .subnet("s2", { cidr: "10.0.4.0/24", "route-table": "to-fw1" })
    .routeTable("to-fw1", { routes: [{ destination: "10.0.2.0/24", target: "fw1" }] })
    .routeTable("to-fw2", { routes: [{ destination: "10.0.2.0/24", target: "fw2" }] })
    .group("fw-sg", { inbound: [{ protocol: "all", source: "10.0.0.0/16" }] })
    .instance("fw1", { subnet: "s1", "private-ip": "10.0.3.5", "security-groups": ["fw-sg"], "source-dest-check": false })
    .instance("fw2", { subnet: "s2", "private-ip": "10.0.4.5", "security-groups": ["fw-sg"], "source-dest-check": false });
}
