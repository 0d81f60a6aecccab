// Security groups, aws-rules §2.1-§2.5: one describe per rule id.

import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { loadScenario } from "../../src/index.js";
import { engine, pkt } from "../helpers.js";
import type { GroupRule } from "../world-builder.js";
import { world } from "../world-builder.js";
import { at, FAMILIES, hops, publicWeb, refusals, twoTiers, VPC6, withFirewall } from "./worlds.js";

/** Two subnets a (10.0.1.0/24) and b (10.0.2.0/24), IPv4 and IPv6, and no instance yet. */
const twoSubnets = () =>
  world("two subnets")
    .vpc("10.0.0.0/16", { ipv6: VPC6 })
    .subnet("a", { cidr: "10.0.1.0/24", "ipv6-cidr": "2600:1f18:aaaa:bb01::/64" })
    .subnet("b", { cidr: "10.0.2.0/24", "ipv6-cidr": "2600:1f18:aaaa:bb02::/64" });

describe("sg.allow-only (§2.1)", () => {
  it.each(FAMILIES)("a packet no rule of any group covers is dropped; nothing but allow rules exist to list ($name)", (f) => {
    const r = engine(twoTiers({ dataAcl: "default" }).yaml()).send(pkt(`tcp ${at(f.app, 40000)} > ${at(f.db, 22)} SYN`));
    expect(r.drop?.code).toBe("ENI_SG_RULES_MISMATCH");
    expect(r.drop?.component).toMatchObject({ kind: "security-groups", instance: "db", direction: "inbound", groups: ["db-sg"] });
    expect(r.hops.at(-1)).toMatchObject({ action: "deny", rule: "no rule matches" });
    expect(r.drop?.explanation).toMatch(/Security groups only allow/);
  });

  it("a group rule has no action: `action: deny` is refused at load", () => {
    const text = twoTiers().object();
    const rule = text["security-groups"]!["db-sg"]!.inbound![0]! as GroupRule & { action?: string };
    rule.action = "deny"; // not expressible with the builder's types: written into the plain object on purpose
    const r = loadScenario(stringify(text), "deny.yaml");
    expect(r.ok).toBe(false);
    expect(r.ok ? [] : r.diagnostics.map((d) => d.code)).toEqual(["schema/unrecognized_keys"]);
  });
});

describe("sg.union (§2.1)", () => {
  const twoGroups = (groups: string[]) =>
    twoSubnets()
      .group("ssh", {
        inbound: [
          { protocol: "tcp", ports: 22, source: "10.0.1.0/24" },
          { protocol: "tcp", ports: 22, source: "2600:1f18:aaaa:bb01::/64" },
        ],
      })
      .group("web", {
        inbound: [
          { protocol: "tcp", ports: 443, source: "0.0.0.0/0" },
          { protocol: "tcp", ports: 443, source: "::/0" },
        ],
      })
      .instance("client", { subnet: "a", "private-ip": "10.0.1.10", ipv6: "2600:1f18:aaaa:bb01::10" })
      .instance("server", { subnet: "b", "private-ip": "10.0.2.20", ipv6: "2600:1f18:aaaa:bb02::20", "security-groups": groups });

  it.each(FAMILIES)(
    "every rule of every group on the interface is one set: each group's rule lets its traffic in, in any order ($name)",
    (f) => {
      const [client, server] = [f.app, f.db];
      for (const groups of [
        ["ssh", "web"],
        ["web", "ssh"],
      ]) {
        const e = engine(twoGroups(groups).yaml());
        const ssh = e.send(pkt(`tcp ${at(client, 40000)} > ${at(server, 22)} SYN`));
        expect(ssh.delivered).toBe(true);
        expect(ssh.hops.find((h) => h.component.kind === "security-groups" && h.component.direction === "inbound")!.rule).toMatch(
          /^ssh: tcp port 22 from /,
        );
        const https = e.send(pkt(`tcp ${at(client, 40001)} > ${at(server, 443)} SYN`));
        expect(https.delivered).toBe(true);
        expect(https.hops.find((h) => h.component.kind === "security-groups" && h.component.direction === "inbound")!.rule).toMatch(
          /^web: tcp port 443 from /,
        );
        const other = e.send(pkt(`tcp ${at(client, 40002)} > ${at(server, 80)} SYN`));
        expect(other.drop?.component).toMatchObject({ kind: "security-groups", instance: "server", direction: "inbound", groups });
      }
      // with only one of the groups, the other's traffic is refused
      expect(engine(twoGroups(["ssh"]).yaml()).send(pkt(`tcp ${at(client, 40001)} > ${at(server, 443)} SYN`)).drop?.code).toBe(
        "ENI_SG_RULES_MISMATCH",
      );
    },
  );
});

describe("sg.default-group (§2.1)", () => {
  const defaults = () =>
    twoSubnets()
      .group("other")
      .instance("d1", { subnet: "a", "private-ip": "10.0.1.10", ipv6: "2600:1f18:aaaa:bb01::10" })
      .instance("d2", { subnet: "b", "private-ip": "10.0.2.20", ipv6: "2600:1f18:aaaa:bb02::20" })
      .instance("outsider", { subnet: "a", "private-ip": "10.0.1.30", ipv6: "2600:1f18:aaaa:bb01::30", "security-groups": ["other"] });

  it("an interface with no group gets the VPC's default group", () => {
    const r = engine(defaults().yaml()).send(pkt("tcp 10.0.1.30:40000 > 10.0.2.20:22 SYN"));
    expect(r.drop?.component).toMatchObject({ kind: "security-groups", instance: "d2", direction: "inbound", groups: ["default"] });
  });

  it.each([
    { name: "IPv4", d1: "10.0.1.10", d2: "10.0.2.20", outsider: "10.0.1.30", internet: "198.51.100.7" },
    {
      name: "IPv6",
      d1: "2600:1f18:aaaa:bb01::10",
      d2: "2600:1f18:aaaa:bb02::20",
      outsider: "2600:1f18:aaaa:bb01::30",
      internet: "2001:db8::7",
    },
  ])("it admits everything from its own members and nothing from others, and lets everything out ($name)", (f) => {
    const e = engine(
      defaults()
        .routeTable("main", {
          main: true,
          routes: [
            { destination: "0.0.0.0/0", target: "internet-gateway" },
            { destination: "::/0", target: "internet-gateway" },
          ],
        })
        .instance("d1", { subnet: "a", "private-ip": "10.0.1.10", ipv6: "2600:1f18:aaaa:bb01::10", "public-ip": "203.0.113.10" })
        .yaml(),
    );
    for (const spec of [
      `tcp ${at(f.d1, 40000)} > ${at(f.d2, 22)} SYN`,
      `udp ${at(f.d1, 40000)} > ${at(f.d2, 9999)}`,
      `50 ${f.d1} > ${f.d2}`,
    ]) {
      const r = e.send(pkt(spec));
      expect(r.delivered, spec).toBe(true);
      expect(r.hops.find((h) => h.component.kind === "security-groups" && h.component.direction === "inbound")!.rule).toBe(
        "default: all traffic from security group default",
      );
    }
    expect(e.send(pkt(`tcp ${at(f.outsider, 40000)} > ${at(f.d2, 22)} SYN`)).drop?.code).toBe("ENI_SG_RULES_MISMATCH");
    const out = e.send(pkt(`tcp ${at(f.d1, 40000)} > ${at(f.internet, 443)} SYN`));
    expect(out.delivered).toBe(true);
    expect(out.hops[0]).toMatchObject({ action: "allow", rule: `default: all traffic to ${f.name === "IPv4" ? "0.0.0.0/0" : "::/0"}` });
  });

  it("a scenario that declares `default` changes it", () => {
    const e = engine(
      defaults()
        .group("default", { inbound: [{ protocol: "tcp", ports: 22, source: "10.0.1.30/32" }] })
        .yaml(),
    );
    expect(e.send(pkt("tcp 10.0.1.30:40000 > 10.0.2.20:22 SYN")).delivered).toBe(true);
    expect(e.send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:22 SYN")).drop?.code).toBe("ENI_SG_RULES_MISMATCH");
  });
});

describe("sg.new-group-egress (§2.1)", () => {
  const fresh = () =>
    twoSubnets()
      .group("fresh")
      .group("open", {
        inbound: [
          { protocol: "all", source: "0.0.0.0/0" },
          { protocol: "all", source: "::/0" },
        ],
      })
      .instance("f", { subnet: "a", "private-ip": "10.0.1.10", ipv6: "2600:1f18:aaaa:bb01::10", "security-groups": ["fresh"] })
      .instance("peer", { subnet: "b", "private-ip": "10.0.2.20", ipv6: "2600:1f18:aaaa:bb02::20", "security-groups": ["open"] });

  it.each(FAMILIES)("a new group has no inbound rule and allows all outbound ($name)", (f) => {
    const [mine, peer] = [f.app, f.db];
    const e = engine(fresh().yaml());
    const out = e.send(pkt(`udp ${at(mine, 40000)} > ${at(peer, 9999)}`));
    expect(out.delivered).toBe(true);
    expect(out.hops[0]!.rule).toBe(`fresh: all traffic to ${f.any}`);
    const into = e.send(pkt(`tcp ${at(peer, 40000)} > ${at(mine, 22)} SYN`));
    expect(into.drop?.component).toMatchObject({ kind: "security-groups", instance: "f", direction: "inbound" });
  });

  it("with settings.ipv6-default-egress off it allows IPv4 out only; the default group follows the setting", () => {
    const e = engine(
      fresh()
        .instance("d", { subnet: "a", "private-ip": "10.0.1.11", ipv6: "2600:1f18:aaaa:bb01::11" })
        .settings({ "ipv6-default-egress": false })
        .yaml(),
    );
    expect(e.send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:22 SYN")).delivered).toBe(true);
    for (const [instance, src] of [
      ["f", "2600:1f18:aaaa:bb01::10"],
      ["d", "2600:1f18:aaaa:bb01::11"],
    ] as const) {
      const r = e.send(pkt(`tcp [${src}]:40000 > [2600:1f18:aaaa:bb02::20]:22 SYN`));
      expect(r.drop?.component).toMatchObject({ kind: "security-groups", instance, direction: "outbound" });
    }
  });

  it("`outbound: []` lets nothing out", () => {
    const r = engine(fresh().group("fresh", { outbound: [] }).yaml()).send(pkt("udp 10.0.1.10:40000 > 10.0.2.20:9999"));
    expect(r.drop?.component).toMatchObject({ kind: "security-groups", instance: "f", direction: "outbound" });
  });
});

describe("sg.no-implicit-self (§2.1)", () => {
  it("members of one custom group do not reach each other without a self-reference", () => {
    const r = engine(twoTiers().yaml()).send(pkt("tcp 10.0.1.10:40000 > 10.0.1.11:22 SYN"));
    expect(r.drop?.component).toMatchObject({ kind: "security-groups", instance: "app2", direction: "inbound" });
  });

  it.each(FAMILIES)("a rule whose source is the group itself lets them ($name)", (f) => {
    const e = engine(
      twoTiers()
        .group("app-sg", { inbound: [{ protocol: "tcp", ports: 22, source: "app-sg" }] })
        .yaml(),
    );
    const r = e.send(pkt(`tcp ${at(f.app, 40000)} > ${at(f.app2, 22)} SYN`));
    expect(r.delivered).toBe(true);
    expect(r.hops.at(-2)!.rule).toBe("app-sg: tcp port 22 from security group app-sg");
  });
});

describe("sg.protocol (§2.2)", () => {
  const server = (inbound: GroupRule[]) => engine(twoTiers({ dbInbound: inbound, dataAcl: "default" }).yaml());

  it("a tcp rule covers tcp only, on its destination port (the local port inbound)", () => {
    const e = server([{ protocol: "tcp", ports: "5432-5433", source: "app-sg" }]);
    expect(e.send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5433 SYN")).delivered).toBe(true);
    expect(e.send(pkt("tcp 10.0.1.10:5432 > 10.0.2.20:40000 SYN")).drop?.code).toBe("ENI_SG_RULES_MISMATCH");
    expect(e.send(pkt("udp 10.0.1.10:40000 > 10.0.2.20:5432")).drop?.code).toBe("ENI_SG_RULES_MISMATCH");
  });

  it("an outbound rule's range is the remote port", () => {
    const e = engine(
      twoTiers({ dataAcl: "default" })
        .group("app-sg", { outbound: [{ protocol: "tcp", ports: 5432, destination: "10.0.2.0/24" }] })
        .yaml(),
    );
    expect(e.send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5432 SYN")).delivered).toBe(true);
    const r = e.send(pkt("tcp 10.0.1.10:5432 > 10.0.2.20:40000 SYN"));
    expect(r.drop?.component).toMatchObject({ kind: "security-groups", instance: "app", direction: "outbound" });
  });

  it("`all` covers every protocol and port; a number (50, ESP) covers that protocol only, with no ports", () => {
    const all = server([{ protocol: "all", source: "app-sg" }]);
    for (const spec of [
      "tcp 10.0.1.10:40000 > 10.0.2.20:1 SYN",
      "udp 10.0.1.10:40000 > 10.0.2.20:65535",
      "icmp 10.0.1.10 > 10.0.2.20 8/0",
      "47 10.0.1.10 > 10.0.2.20",
    ]) {
      expect(all.send(pkt(spec)).delivered, spec).toBe(true);
    }
    const esp = server([{ protocol: 50, source: "app-sg" }]);
    expect(esp.send(pkt("50 10.0.1.10 > 10.0.2.20")).delivered).toBe(true);
    expect(esp.send(pkt("47 10.0.1.10 > 10.0.2.20")).drop?.code).toBe("ENI_SG_RULES_MISMATCH");
    expect(esp.send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5432 SYN")).drop?.code).toBe("ENI_SG_RULES_MISMATCH");
  });

  it("ports are refused on a protocol other than tcp and udp", () => {
    expect(refusals(twoTiers({ dbInbound: [{ protocol: 50, ports: 500, source: "app-sg" }] }))).toEqual(["rule/ports-without-tcp-udp"]);
  });
});

describe("sg.icmp-all-types (§2.2)", () => {
  const icmpWorld = (rule: GroupRule) =>
    world("icmp")
      .vpc("10.0.0.0/16")
      .subnet("a", { cidr: "10.0.1.0/24" })
      .group("sg", { inbound: [rule] })
      .instance("x", { subnet: "a", "private-ip": "10.0.1.10" })
      .instance("y", { subnet: "a", "private-ip": "10.0.1.11", "security-groups": ["sg"] });
  const icmpRule = (type: number, code: number): GroupRule => ({
    protocol: "icmp",
    "icmp-type": type,
    "icmp-code": code,
    source: "0.0.0.0/0",
  });

  it("an ICMP rule matches type and code exactly; type 8 code 8 never matches a ping", () => {
    expect(engine(icmpWorld(icmpRule(8, -1)).yaml()).send(pkt("icmp 10.0.1.10 > 10.0.1.11 8/0")).delivered).toBe(true);
    expect(engine(icmpWorld(icmpRule(8, 8)).yaml()).send(pkt("icmp 10.0.1.10 > 10.0.1.11 8/0")).delivered).toBe(false);
  });

  it("type -1 covers every type and code; code -1 every code of its type only", () => {
    const all = engine(icmpWorld(icmpRule(-1, -1)).yaml());
    for (const tc of ["8/0", "3/4", "13/0", "0/0"]) expect(all.send(pkt(`icmp 10.0.1.10 > 10.0.1.11 ${tc}`)).delivered, tc).toBe(true);
    const unreachable = engine(icmpWorld(icmpRule(3, -1)).yaml());
    expect(unreachable.send(pkt("icmp 10.0.1.10 > 10.0.1.11 3/4")).delivered).toBe(true);
    expect(unreachable.send(pkt("icmp 10.0.1.10 > 10.0.1.11 3/13")).delivered).toBe(true);
    expect(unreachable.send(pkt("icmp 10.0.1.10 > 10.0.1.11 8/0")).drop?.code).toBe("ENI_SG_RULES_MISMATCH");
  });

  it("a type of -1 with a code other than -1 is refused at load, as AWS does", () => {
    expect(refusals(icmpWorld(icmpRule(-1, 0)))).toEqual(["icmp/code-without-type"]);
    expect(refusals(icmpWorld(icmpRule(-1, -1)))).toEqual([]);
  });

  it("an icmpv6 rule with no type covers every ICMPv6 type; with type 128 only echo requests", () => {
    const v6 = (rule: GroupRule) => engine(twoTiers({ dbInbound: [rule], dataAcl: "default" }).yaml());
    const any = v6({ protocol: "icmpv6", source: "app-sg" });
    for (const tc of ["128/0", "1/4", "135/0"]) {
      expect(any.send(pkt(`icmpv6 2600:1f18:aaaa:bb01::10 > 2600:1f18:aaaa:bb02::20 ${tc}`)).delivered, tc).toBe(true);
    }
    const echo = v6({ protocol: "icmpv6", "icmp-type": 128, source: "app-sg" });
    expect(echo.send(pkt("icmpv6 2600:1f18:aaaa:bb01::10 > 2600:1f18:aaaa:bb02::20 128/0")).delivered).toBe(true);
    expect(echo.send(pkt("icmpv6 2600:1f18:aaaa:bb01::10 > 2600:1f18:aaaa:bb02::20 1/4")).drop?.code).toBe("ENI_SG_RULES_MISMATCH");
  });
});

describe("sg.group-reference (§2.3)", () => {
  it("a group reference matches members' private addresses, not other addresses", () => {
    const e = engine(twoTiers().yaml());
    expect(e.send(pkt("tcp 10.0.1.11:40000 > 10.0.2.20:5432 SYN")).delivered).toBe(true);
    // the default group is not app-sg: an instance outside app-sg is refused
    const e2 = engine(twoTiers().instance("other", { subnet: "app", "private-ip": "10.0.1.12" }).yaml());
    expect(e2.send(pkt("tcp 10.0.1.12:40000 > 10.0.2.20:5432 SYN")).drop?.code).toBe("ENI_SG_RULES_MISMATCH");
  });

  it("it matches every private IPv4 and every IPv6 address of members (vpcsim's choice), and follows membership changes", () => {
    const e = engine(
      twoTiers()
        .instance("app", {
          subnet: "app",
          "private-ip": ["10.0.1.10", "10.0.1.50"],
          ipv6: ["2600:1f18:aaaa:bb01::10", "2600:1f18:aaaa:bb01::50"],
          "security-groups": ["app-sg"],
        })
        .yaml(),
    );
    for (const [src, dst] of [
      ["10.0.1.50", "10.0.2.20"],
      ["2600:1f18:aaaa:bb01::10", "2600:1f18:aaaa:bb02::20"],
      ["2600:1f18:aaaa:bb01::50", "2600:1f18:aaaa:bb02::20"],
    ] as const) {
      const r = e.send(pkt(`tcp ${at(src, 40000)} > ${at(dst, 5432)} SYN`));
      expect(r.delivered, src).toBe(true);
      expect(r.hops.at(-2)!.rule).toBe("db-sg: tcp port 5432 from security group app-sg");
    }
    e.update((w) => {
      w.instances.app!.interfaces[0]!.securityGroups = ["default"];
    });
    expect(e.send(pkt("tcp 10.0.1.50:40001 > 10.0.2.20:5432 SYN")).drop?.code).toBe("ENI_SG_RULES_MISMATCH");
  });

  it("referencing a group does not import its rules", () => {
    // db-sg references app-sg; app-sg's own inbound rule for port 22 does not open db
    const e = engine(
      twoTiers({ dataAcl: "default" })
        .group("app-sg", { inbound: [{ protocol: "tcp", ports: 22, source: "0.0.0.0/0" }] })
        .yaml(),
    );
    expect(e.send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:22 SYN")).drop?.component).toMatchObject({
      kind: "security-groups",
      instance: "db",
      direction: "inbound",
    });
  });
});

describe("sg.reference-not-public (§2.3)", () => {
  it("a group reference does not match traffic sent to a public address", () => {
    const e = engine(
      world("t")
        .vpc("10.0.0.0/16")
        .subnet("pub", { cidr: "10.0.1.0/24", "route-table": "rt" })
        .routeTable("rt", { routes: [{ destination: "0.0.0.0/0", target: "internet-gateway" }] })
        .group("web")
        .group("db", { inbound: [{ protocol: "tcp", ports: 5432, source: "web" }] })
        .instance("w", { subnet: "pub", "private-ip": "10.0.1.10", "public-ip": "203.0.113.10", "security-groups": ["web"] })
        .instance("d", { subnet: "pub", "private-ip": "10.0.1.20", "public-ip": "203.0.113.20", "security-groups": ["db"] })
        .yaml(),
    );
    expect(e.send(pkt("tcp 10.0.1.10:40000 > 10.0.1.20:5432 SYN")).delivered).toBe(true);
    const hairpin = e.send(pkt("tcp 10.0.1.10:40001 > 203.0.113.20:5432 SYN"));
    expect(hairpin.drop?.component).toMatchObject({ kind: "security-groups", instance: "d", direction: "inbound" });
  });
});

describe("sg.reference-not-preserved (§2.3)", () => {
  const byReference = () => withFirewall(false).group("db-sg", { inbound: [{ protocol: "tcp", ports: 5432, source: "app-sg" }] });

  it("a rule referencing the sender's group does not match what an appliance forwarded: SG_REFERENCES_NOT_PRESERVED, IPv4 and IPv6", () => {
    for (const f of FAMILIES) {
      const r = engine(byReference().yaml()).send(pkt(`tcp ${at(f.app, 40000)} > ${at(f.db, 5432)} SYN`));
      expect(r.drop?.code).toBe("SG_REFERENCES_NOT_PRESERVED");
      expect(r.drop?.component).toMatchObject({ kind: "security-groups", instance: "db", direction: "inbound" });
      expect(r.drop?.explanation).toContain("appliance firewall");
      expect(r.drop?.fix).toBe(`add an inbound rule to db-sg: tcp 5432 from ${f.appNet} (the sender's subnet)`);
      expect(r.drop?.narrower).toBe(`add an inbound rule to db-sg: tcp 5432 from ${f.app}${f.host} (the sender's private address)`);
    }
  });

  it("the appliance itself, which the sender reaches directly, matches the reference; the sender's address or block matches after it", () => {
    // fw-sg admits app-sg by reference: the packet reaches db-sg, which refuses the reference
    const r = engine(byReference().yaml()).send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5432 SYN"));
    expect(hops(r)).toContain("security-groups firewall inbound: allow");
    const byAddress = byReference().group("db-sg", { inbound: [{ protocol: "tcp", ports: 5432, source: "10.0.1.10/32" }] });
    expect(engine(byAddress.yaml()).send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5432 SYN")).delivered).toBe(true);
  });

  it("without a reference that would have matched, the drop is the ordinary ENI_SG_RULES_MISMATCH", () => {
    // db-sg references only itself, and app is no member of it
    const selfOnly = byReference().group("db-sg", { inbound: [{ protocol: "tcp", ports: 5432, source: "db-sg" }] });
    const r = engine(selfOnly.yaml()).send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5432 SYN"));
    expect(r.drop).toMatchObject({ code: "ENI_SG_RULES_MISMATCH", component: { instance: "db" } });
  });

  it("without an appliance on the route the reference matches as before", () => {
    const r = engine(twoTiers({ dataAcl: "default" }).yaml()).send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5432 SYN"));
    expect(r.delivered).toBe(true);
  });
});

describe("sg.prefix-list (§2.4)", () => {
  it.each([
    { name: "IPv4", inside: "10.0.1.10", outside: "10.0.1.100", server: "10.0.2.40", list: "office" },
    {
      name: "IPv6",
      inside: "2600:1f18:aaaa:bb01::10",
      outside: "2600:1f18:aaaa:bb01::1:100",
      server: "2600:1f18:aaaa:bb02::40",
      list: "office6",
    },
  ])("a rule naming a prefix list covers the addresses of its entries and no others ($name)", (f) => {
    // a prefix list holds one family (aws-rules §2.6): one list for each
    const e = engine(
      twoSubnets()
        .prefixList("office", ["10.0.1.0/28", "192.0.2.0/24"])
        .prefixList("office6", ["2600:1f18:aaaa:bb01::/120"])
        .group("pl-sg", {
          inbound: [
            { protocol: "tcp", ports: 443, source: "office" },
            { protocol: "tcp", ports: 443, source: "office6" },
          ],
        })
        .instance("srv", { subnet: "b", "private-ip": "10.0.2.40", ipv6: "2600:1f18:aaaa:bb02::40", "security-groups": ["pl-sg"] })
        .instance("near", { subnet: "a", "private-ip": "10.0.1.10", ipv6: "2600:1f18:aaaa:bb01::10" })
        .instance("far", { subnet: "a", "private-ip": "10.0.1.100", ipv6: "2600:1f18:aaaa:bb01::1:100" })
        .yaml(),
    );
    const inside = e.send(pkt(`tcp ${at(f.inside, 40000)} > ${at(f.server, 443)} SYN`));
    expect(inside.delivered).toBe(true);
    expect(inside.hops.at(-2)!.rule).toBe(`pl-sg: tcp port 443 from prefix list ${f.list}`);
    const outside = e.send(pkt(`tcp ${at(f.outside, 40000)} > ${at(f.server, 443)} SYN`));
    expect(outside.drop?.component).toMatchObject({ kind: "security-groups", instance: "srv", direction: "inbound" });
  });

  it("an internet address in a later entry of the list is covered too", () => {
    const e = engine(
      publicWeb({ inbound: [{ protocol: "tcp", ports: 443, source: "office" }] })
        .prefixList("office", ["10.0.1.0/28", "198.51.100.0/24"])
        .internetHost("stranger", { ip: "192.0.2.9" })
        .yaml(),
    );
    expect(e.send(pkt("tcp 198.51.100.7:50000 > 203.0.113.10:443 SYN")).delivered).toBe(true);
    expect(e.send(pkt("tcp 192.0.2.9:50000 > 203.0.113.10:443 SYN")).drop?.code).toBe("ENI_SG_RULES_MISMATCH");
  });
});

describe("sg.prefix-list (§2.4): the fix a teacher gives", () => {
  it("a drop where a rule already names a prefix list for this traffic suggests adding the address to the list; the narrow rule comes second", () => {
    const e = engine(
      twoSubnets()
        .prefixList("office", ["10.0.1.0/28"])
        .group("pl-sg", { inbound: [{ protocol: "tcp", ports: 443, source: "office" }] })
        .instance("srv", { subnet: "b", "private-ip": "10.0.2.40", "security-groups": ["pl-sg"] })
        .instance("far", { subnet: "a", "private-ip": "10.0.1.100" })
        .yaml(),
    );
    const r = e.send(pkt("tcp 10.0.1.100:40000 > 10.0.2.40:443 SYN"));
    expect(r.drop?.fix).toBe(
      'add 10.0.1.100/32 to prefix list office, which rule "tcp port 443 from prefix list office" of pl-sg already uses',
    );
    expect(r.drop?.narrower).toBe("add an inbound rule to pl-sg: tcp 443 from 10.0.1.100/32");
  });
});

describe("sg.group-reference (§2.3): the fix a teacher gives", () => {
  it("between members of one group the fix is a self-reference, the address rule the narrow variant", () => {
    const e = engine(
      twoSubnets()
        .group("cluster", { inbound: [] })
        .instance("node1", { subnet: "a", "private-ip": "10.0.1.10", "security-groups": ["cluster"] })
        .instance("node2", { subnet: "b", "private-ip": "10.0.2.10", "security-groups": ["cluster"] })
        .yaml(),
    );
    const r = e.send(pkt("tcp 10.0.1.10:40000 > 10.0.2.10:7000 SYN"));
    expect(r.drop?.fix).toBe(
      "add an inbound rule to cluster: tcp 7000 from cluster (a self-reference: every member of the group, now and later)",
    );
    expect(r.drop?.narrower).toBe("add an inbound rule to cluster: tcp 7000 from 10.0.1.10/32");
  });

  it("when a group of the VPC already allows the traffic, the fix attaches it instead of copying its rule", () => {
    const e = engine(
      twoTiers({ dataAcl: "default" })
        .group("admin-ssh", { inbound: [{ protocol: "tcp", ports: 22, source: "10.0.1.0/24" }] })
        .yaml(),
    );
    const r = e.send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:22 SYN"));
    expect(r.drop?.fix).toBe('attach security group admin-ssh to db: its rule "tcp port 22 from 10.0.1.0/24" already allows this');
    expect(r.drop?.narrower).toBe("add an inbound rule to db-sg: tcp 22 from 10.0.1.10/32");
    // a group open to the whole internet is no teacher's advice
    const wide = engine(
      twoTiers({ dataAcl: "default" })
        .group("anything", { inbound: [{ protocol: "tcp", ports: 22, source: "0.0.0.0/0" }] })
        .yaml(),
    );
    expect(wide.send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:22 SYN")).drop?.fix).toBe(
      "add an inbound rule to db-sg: tcp 22 from 10.0.1.10/32",
    );
  });
});

describe("sg.quotas (§2.5)", () => {
  const withGroups = (n: number) => {
    const names = Array.from({ length: n }, (_, i) => `g${i}`);
    let w = twoTiers();
    for (const g of names) w = w.group(g, { inbound: [{ protocol: "tcp", ports: 1000 + Number(g.slice(1)), source: "app-sg" }] });
    return w.instance("db", { subnet: "data", "private-ip": "10.0.2.20", "security-groups": names });
  };

  it("up to 16 groups on an interface load, and all of them apply; a 17th is refused", () => {
    expect(refusals(withGroups(16))).toEqual([]);
    // within the data subnet, so that data-acl (PostgreSQL only) does not decide
    const e = engine(
      withGroups(16)
        .instance("peer", { subnet: "data", "private-ip": "10.0.2.21", "security-groups": ["app-sg"] })
        .yaml(),
    );
    expect(e.send(pkt("tcp 10.0.2.21:40000 > 10.0.2.20:1015 SYN")).delivered).toBe(true);
    expect(e.send(pkt("tcp 10.0.2.21:40000 > 10.0.2.20:1016 SYN")).drop?.code).toBe("ENI_SG_RULES_MISMATCH");
    expect(refusals(withGroups(17))).toEqual(["schema/too_big"]);
  });

  it("no other count is refused: a group of 61 inbound rules loads, with a warning, and its last rule applies", () => {
    const rules = Array.from({ length: 61 }, (_, i): GroupRule => ({ protocol: "tcp", ports: 2000 + i, source: "app-sg" }));
    const e = engine(twoTiers({ dbInbound: rules, dataAcl: "default" }).yaml());
    expect(e.send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:2060 SYN")).delivered).toBe(true);
    expect(e.send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:2061 SYN")).drop?.code).toBe("ENI_SG_RULES_MISMATCH");
  });
});
