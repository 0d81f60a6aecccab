// Worlds AWS refuses to create are refused at load, each with its code; quotas only warn. Every
// case is checked against a variant AWS accepts, so that a check that refuses everything fails.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../src/scenario/load.js";
import type { AclRule, GroupRule, InstanceSpec, WorldBuilder } from "../world-builder.js";
import { twoTiers } from "./worlds.js";

/** `error code` or `warning code` for each problem of the world, in file order; [] when clean. These worlds have no steps: that warning is left out. */
function found(w: WorldBuilder): string[] {
  const r = loadScenario(w.yaml(), "test.yaml");
  return (r.ok ? r.warnings : r.diagnostics).filter((d) => d.code !== "scenario/no-steps").map((d) => `${d.severity ?? "error"} ${d.code}`);
}

const aclRule = (rule: Partial<AclRule>): AclRule => ({ rule: 100, action: "allow", protocol: "all", cidr: "10.0.1.0/24", ...rule });
const withAclRule = (rule: Partial<AclRule>) => twoTiers({ dataAcl: { inbound: [aclRule(rule)] } });
const withGroupRule = (rule: GroupRule) => twoTiers({ dbInbound: [rule] });

describe("acl.ports-required (§1.7)", () => {
  it("a tcp or udp ACL rule without ports is refused; with ports, or for all protocols, it loads", () => {
    expect(found(withAclRule({ protocol: "tcp" }))).toEqual(["error rule/ports-required"]);
    expect(found(withAclRule({ protocol: "udp" }))).toEqual(["error rule/ports-required"]);
    expect(found(withAclRule({ protocol: "tcp", ports: "0-65535" }))).toEqual([]);
    expect(found(withAclRule({ protocol: "all" }))).toEqual([]);
  });
});

describe("acl.icmp-type-required (§1.7)", () => {
  it("an icmp ACL rule, or an icmpv6 one with an IPv6 block, needs a type; -1 says every type", () => {
    expect(found(withAclRule({ protocol: "icmp" }))).toEqual(["error rule/icmp-type-required"]);
    expect(found(withAclRule({ protocol: "icmpv6", cidr: "2600:1f18:aaaa:bb01::/64" }))).toEqual(["error rule/icmp-type-required"]);
    expect(found(withAclRule({ protocol: "icmp", "icmp-type": -1 }))).toEqual([]);
    expect(found(withAclRule({ protocol: "icmpv6", "icmp-type": 128, cidr: "2600:1f18:aaaa:bb01::/64" }))).toEqual([]);
  });
});

describe("acl.icmp-family (§1.7)", () => {
  it("icmpv6 with an IPv4 block and icmp with an IPv6 block load with a warning: no packet carries them", () => {
    expect(found(withAclRule({ protocol: "icmpv6" }))).toEqual(["warning rule/icmp-family"]);
    expect(found(withAclRule({ protocol: "icmp", "icmp-type": -1, cidr: "2600:1f18:aaaa:bb01::/64" }))).toEqual([
      "warning rule/icmp-family",
    ]);
    expect(found(withGroupRule({ protocol: "icmpv6", source: "10.0.1.0/24" }))).toEqual(["warning rule/icmp-family"]);
    expect(found(withGroupRule({ protocol: "icmpv6", source: "2600:1f18:aaaa:bb01::/64" }))).toEqual([]);
    expect(found(withGroupRule({ protocol: "icmp", source: "app-sg" }))).toEqual([]);
  });
});

describe("sg.ports-required (§2.6)", () => {
  it("a tcp or udp group rule without ports is refused, in the world and in an add-rule step", () => {
    expect(found(withGroupRule({ protocol: "udp", source: "app-sg" }))).toEqual(["error rule/ports-required"]);
    expect(found(withGroupRule({ protocol: "udp", ports: 53, source: "app-sg" }))).toEqual([]);
    const step = twoTiers().steps({ "add-rule": { "security-group": "db-sg", inbound: { protocol: "tcp", source: "app-sg" } } });
    expect(found(step)).toEqual(["error rule/ports-required"]);
  });
});

describe("sg.duplicate-rule (§2.6)", () => {
  it("a rule a group already has is refused, whatever its description; another peer or port is another rule", () => {
    const rule: GroupRule = { protocol: "tcp", ports: 5432, source: "app-sg" };
    expect(found(twoTiers({ dbInbound: [rule, { ...rule, description: "again" }] }))).toEqual(["error rule/duplicate"]);
    expect(found(twoTiers({ dbInbound: [rule, { ...rule, ports: 5433 }] }))).toEqual([]);
    expect(found(twoTiers({ dbInbound: [rule, { ...rule, source: "10.0.1.0/24" }] }))).toEqual([]);
  });
});

describe("sg.prefix-list-family (§2.6)", () => {
  it("a prefix list of IPv4 and IPv6 blocks is refused; one family per list loads", () => {
    expect(found(twoTiers().prefixList("p", ["10.9.0.0/16", "2001:db8::/32"]))).toEqual(["error prefix-list/family"]);
    expect(found(twoTiers().prefixList("p", ["10.9.0.0/16", "10.8.0.0/16"]).prefixList("q", ["2001:db8::/32"]))).toEqual([]);
  });

  it("a list with max-entries holds at most that many entries", () => {
    expect(found(twoTiers().prefixList("p", ["10.9.0.0/16", "10.8.0.0/16"], 1))).toEqual(["error prefix-list/max-entries"]);
    expect(found(twoTiers().prefixList("p", ["10.9.0.0/16", "10.8.0.0/16"], 2))).toEqual([]);
  });
});

describe("sg.attached-once (§2.6)", () => {
  it("one group listed twice on an interface is refused", () => {
    const on = (groups: string[]) => twoTiers().instance("x", { subnet: "app", "private-ip": "10.0.1.30", "security-groups": groups });
    expect(found(on(["app-sg", "db-sg", "app-sg"]))).toEqual(["error instance/duplicate-security-group"]);
    expect(found(on(["app-sg", "db-sg"]))).toEqual([]);
  });
});

describe("conntrack.timeout-limits (§3.7)", () => {
  type Timeouts = NonNullable<InstanceSpec["connection-tracking"]>;
  const timeouts = (ct: Timeouts) => twoTiers().instance("x", { subnet: "app", "private-ip": "10.0.1.30", "connection-tracking": ct });

  it("each timeout within AWS's limits loads, at both ends", () => {
    expect(found(timeouts({ "tcp-established": 60, udp: 30, "udp-stream": 60 }))).toEqual([]);
    expect(found(timeouts({ "tcp-established": "5d", udp: "1m", "udp-stream": "3m" }))).toEqual([]);
  });

  it("one second outside, or a fraction of a second, is refused", () => {
    const outside: Timeouts[] = [
      { "tcp-established": 59 },
      { "tcp-established": 432001 },
      { udp: 29 },
      { udp: 61 },
      { "udp-stream": 59 },
      { "udp-stream": "181s" },
    ];
    for (const ct of outside) {
      expect(found(timeouts(ct)), JSON.stringify(ct)).toEqual(["error conntrack/range"]);
    }
    expect(found(timeouts({ udp: 30.5 }))).toEqual(["error conntrack/range"]);
  });
});

describe("igw.public-ip-routable (§4.8)", () => {
  it("a public IP the internet does not route is refused, on an instance and on a NAT gateway", () => {
    const on = (ip: string) => twoTiers().instance("x", { subnet: "app", "private-ip": "10.0.1.30", "public-ip": ip });
    for (const ip of [
      "192.168.1.5",
      "172.16.0.9",
      "10.9.0.1",
      "100.64.0.1",
      "127.0.0.1",
      "169.254.1.1",
      "224.0.0.5",
      "255.255.255.255",
      "0.1.2.3",
    ]) {
      expect(found(on(ip)), ip).toEqual(["error address/not-public"]);
    }
    for (const ip of ["198.51.100.9", "203.0.113.9", "54.12.0.1", "100.128.0.1", "172.32.0.1"]) expect(found(on(ip)), ip).toEqual([]);
    const nat = twoTiers().natGateway("nat", { subnet: "app", "private-ip": "10.0.1.40", "public-ip": "100.64.3.3" });
    expect(found(nat)).toEqual(["error address/not-public"]);
  });
});

describe("vpc.block-size (§4.8)", () => {
  const sized = (vpc: string, subnet: string, vpc6 = "2600:1f18:aaaa:bb00::/56", subnet6 = "2600:1f18:aaaa:bb01::/64") =>
    twoTiers().vpc(vpc, { ipv6: vpc6 }).subnet("app", { cidr: subnet, "ipv6-cidr": subnet6 });

  it("IPv4 blocks of a VPC or subnet are /16 to /28", () => {
    expect(found(sized("10.0.0.0/15", "10.0.1.0/24"))).toEqual(["error cidr/size"]);
    // the tier's instances at .10 and .11 lie outside a /29 or /28 at .0, so these subnets start at .0 of their own /24
    const small = (cidr: string) => twoTiers().subnet("edge", { cidr });
    expect(found(small("10.0.9.0/29"))).toEqual(["error cidr/size"]);
    expect(found(small("10.0.9.0/28"))).toEqual([]);
  });

  it("IPv6 blocks step by 4: a VPC's /44 to /60, a subnet's /44 to /64", () => {
    expect(found(sized("10.0.0.0/16", "10.0.1.0/24", "2600:1f18:aaaa:bb00::/57"))).toEqual(["error cidr/size"]);
    expect(found(sized("10.0.0.0/16", "10.0.1.0/24", "2600:1f18:aaaa:bb00::/56", "2600:1f18:aaaa:bb01::/80"))).toEqual(["error cidr/size"]);
    expect(found(sized("10.0.0.0/16", "10.0.1.0/24", "2600:1f18:aaaa:bb00::/56", "2600:1f18:aaaa:bb00::/60"))).toEqual([]);
  });
});

describe("route.duplicate-destination (§4.8)", () => {
  it("two routes to one destination in one table are refused; the same destination in two tables is not", () => {
    const twice = twoTiers().routeTable("r", {
      routes: [
        { destination: "0.0.0.0/0", target: "internet-gateway" },
        { destination: "0.0.0.0/0", target: "blackhole" },
      ],
    });
    expect(found(twice)).toEqual(["error route/duplicate"]);
    const apart = twoTiers()
      .routeTable("r", { routes: [{ destination: "0.0.0.0/0", target: "internet-gateway" }] })
      .routeTable("s", { routes: [{ destination: "0.0.0.0/0", target: "blackhole" }] });
    expect(found(apart)).toEqual([]);
  });
});

describe("route.one-main (§4.8)", () => {
  it("a second table marked main is refused", () => {
    expect(found(twoTiers().routeTable("r", { main: true }).routeTable("s", { main: true }))).toEqual(["error route/main"]);
    expect(found(twoTiers().routeTable("r", { main: true }).routeTable("s", {}))).toEqual([]);
  });
});

describe("service.reserved-addresses (§1.6)", () => {
  it("the first four and the last address of a subnet's IPv6 block are refused too: ::1 is the VPC router's", () => {
    const at = (ip: string) => found(twoTiers().instance("x", { subnet: "app", "private-ip": "10.0.1.30", ipv6: ip }));
    for (const suffix of ["::", "::1", "::2", "::3", ":ffff:ffff:ffff:ffff"]) {
      expect(at(`2600:1f18:aaaa:bb01${suffix}`), suffix).toEqual(["error address/reserved"]);
    }
    expect(at("2600:1f18:aaaa:bb01::4")).toEqual([]);
  });
});

describe("acl.quotas (§1.5)", () => {
  const rules = (n: number, cidr: (i: number) => string) => Array.from({ length: n }, (_, i) => aclRule({ rule: i + 1, cidr: cidr(i) }));

  it("20 rules of one family with `*` warn, naming the quota; the world loads; families count apart", () => {
    const v4 = (i: number) => `192.0.2.${i}/32`;
    const v6 = (i: number) => `2001:db8::${i}/128`;
    expect(found(twoTiers({ dataAcl: { inbound: rules(19, v4) } }))).toEqual([]);
    const over = loadScenario(twoTiers({ dataAcl: { inbound: rules(20, v4) } }).yaml(), "t.yaml");
    expect(over.ok && over.warnings.map((d) => d.code)).toEqual(["quota/acl-rules", "scenario/no-steps"]);
    expect(over.ok && over.warnings[0]!.message).toMatch(/"rules per network ACL" is 20/);
    const mixed = [...rules(19, v4), ...rules(19, v6).map((r) => ({ ...r, rule: r.rule + 100 }))];
    expect(found(twoTiers({ dataAcl: { inbound: mixed } }))).toEqual([]);
  });
});

describe("sg.quotas (§2.5)", () => {
  it("61 rules of one family in a direction warn; a group reference counts in both families; a prefix list as its entries", () => {
    const ports = (n: number, source: string) =>
      Array.from({ length: n }, (_, i): GroupRule => ({ protocol: "tcp", ports: 1 + i, source }));
    expect(found(twoTiers({ dbInbound: ports(60, "10.0.1.0/24") }))).toEqual([]);
    expect(found(twoTiers({ dbInbound: ports(61, "10.0.1.0/24") }))).toEqual(["warning quota/group-rules"]);
    expect(found(twoTiers({ dbInbound: [...ports(30, "10.0.1.0/24"), ...ports(31, "2001:db8::/32")] }))).toEqual([]);
    expect(found(twoTiers({ dbInbound: ports(61, "app-sg") }))).toEqual(["warning quota/group-rules", "warning quota/group-rules"]);
    const list = Array.from({ length: 60 }, (_, i) => `192.0.${i}.0/24`);
    expect(found(twoTiers({ dbInbound: [...ports(1, "10.0.1.0/24"), ...ports(1, "big")] }).prefixList("big", list))).toEqual([
      "warning quota/group-rules",
    ]);
    // a list counts as its max-entries, not the entries it holds now
    const one = twoTiers({ dbInbound: [...ports(1, "10.0.1.0/24"), ...ports(1, "big")] });
    expect(found(one.prefixList("big", ["192.0.2.0/24"], 59))).toEqual([]);
    expect(found(one.prefixList("big", ["192.0.2.0/24"], 60))).toEqual(["warning quota/group-rules"]);
  });

  it("more than 5 groups on an interface warn; more than 1,000 prefix list entries warn", () => {
    const groups = ["a", "b", "c", "d", "e", "f"];
    let w = twoTiers();
    for (const g of groups) w = w.group(g);
    const on = (n: number) => w.instance("x", { subnet: "app", "private-ip": "10.0.1.30", "security-groups": groups.slice(0, n) });
    expect(found(on(5))).toEqual([]);
    expect(found(on(6))).toEqual(["warning quota/groups-per-interface"]);
    const entries = (n: number) => Array.from({ length: n }, (_, i) => `10.${100 + (i >> 8)}.${i & 255}.0/24`);
    expect(found(twoTiers().prefixList("p", entries(1000)))).toEqual([]);
    expect(found(twoTiers().prefixList("p", entries(1001)))).toEqual(["warning quota/prefix-list-entries"]);
    expect(found(twoTiers().prefixList("p", entries(2), 1001))).toEqual(["warning quota/prefix-list-entries"]);
  });
});
