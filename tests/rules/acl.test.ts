// Network ACLs, aws-rules §1.1-§1.5: one describe per rule id.
import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/index.js";
import { engine, pkt, scenario } from "../helpers.js";
import type { AclRule } from "../world-builder.js";
import { at, DATA_ACL, FAMILIES, publicWeb, refusals, TWO_TIERS_SUBNETS, twoTiers } from "./worlds.js";

/** db-sg open to every protocol from app-sg, so that the ACL alone decides. */
const openDb = { dbInbound: [{ protocol: "all", source: "app-sg" }] };
const allowAll = (rule: number, cidr: string): AclRule => ({ rule, action: "allow", protocol: "all", cidr });

describe("acl.stateless (§1.1)", () => {
  it("a reply needs its own allow rule: without the ephemeral range outbound, db's reply is denied, IPv4 and IPv6", () => {
    const e = engine(
      twoTiers({
        dataAcl: {
          inbound: DATA_ACL.inbound,
          outbound: [
            { rule: 100, action: "allow", protocol: "tcp", ports: 5432, cidr: "10.0.1.0/24" },
            { rule: 110, action: "allow", protocol: "tcp", ports: 5432, cidr: "2600:1f18:aaaa:bb01::/64" },
          ],
        },
      }).yaml(),
    );
    e.send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5432 SYN"));
    const r = e.send(pkt("tcp 10.0.2.20:5432 > 10.0.1.10:40000 SYN,ACK"), { role: "reply" });
    expect(r.drop?.code).toBe("SUBNET_ACL_RESTRICTION");
    expect(r.drop?.explanation).toMatch(/stateless: the reply to port 5432 goes to the client's ephemeral port 40000/);
    e.send(pkt("tcp [2600:1f18:aaaa:bb01::10]:40000 > [2600:1f18:aaaa:bb02::20]:5432 SYN"));
    expect(e.send(pkt("tcp [2600:1f18:aaaa:bb02::20]:5432 > [2600:1f18:aaaa:bb01::10]:40000 SYN,ACK")).drop?.code).toBe(
      "SUBNET_ACL_RESTRICTION",
    );
  });

  it.each(FAMILIES)("an ACL change hits the very next packet of a flow the security groups track ($name)", (f) => {
    const e = engine(twoTiers().yaml());
    expect(e.send(pkt(`tcp ${at(f.app, 40000)} > ${at(f.db, 5432)} SYN`)).delivered).toBe(true);
    e.update((w) => {
      w.networkAcls["data-acl"]!.inbound = [];
    });
    const r = e.send(pkt(`tcp ${at(f.app, 40000)} > ${at(f.db, 5432)} ACK`));
    expect(r.drop?.code).toBe("SUBNET_ACL_RESTRICTION");
    expect(r.drop?.component).toMatchObject({ kind: "network-acl", name: "data-acl", direction: "inbound" });
  });
});

describe("acl.first-match (§1.1)", () => {
  it.each(FAMILIES)("rule 100 allows all, rule 101 denies the client: the client is allowed, rule 100 decides ($name)", (f) => {
    const e = engine(
      twoTiers({
        ...openDb,
        dataAcl: {
          inbound: [allowAll(100, f.any), { rule: 101, action: "deny", protocol: "all", cidr: f.app + f.host }],
          outbound: [allowAll(100, f.any)],
        },
      }).yaml(),
    );
    const r = e.send(pkt(`tcp ${at(f.app, 40000)} > ${at(f.db, 5432)} SYN`));
    expect(r.delivered).toBe(true);
    expect(r.hops.find((h) => h.component.kind === "network-acl" && h.component.name === "data-acl")).toMatchObject({
      action: "allow",
      ruleNumber: 100,
    });
  });

  it.each(FAMILIES)("a deny numbered below the allow decides, though written after it; other clients still meet the allow ($name)", (f) => {
    const e = engine(
      twoTiers({
        ...openDb,
        dataAcl: {
          inbound: [allowAll(100, f.any), { rule: 90, action: "deny", protocol: "all", cidr: f.app + f.host }],
          outbound: [allowAll(100, f.any)],
        },
      }).yaml(),
    );
    const r = e.send(pkt(`tcp ${at(f.app, 40000)} > ${at(f.db, 5432)} SYN`));
    expect(r.drop?.code).toBe("SUBNET_ACL_RESTRICTION");
    expect(r.drop?.component).toMatchObject({ kind: "network-acl", name: "data-acl", direction: "inbound" });
    expect(r.hops.at(-1)).toMatchObject({ action: "deny", ruleNumber: 90 });
    expect(r.drop?.explanation).toMatch(/rule 90 denies/);
    const other = e.send(pkt(`tcp ${at(f.app2, 40000)} > ${at(f.db, 5432)} SYN`));
    expect(other.delivered).toBe(true);
    expect(other.hops.find((h) => h.component.kind === "network-acl" && h.component.name === "data-acl")).toMatchObject({
      ruleNumber: 100,
    });
  });
});

describe("acl.implicit-deny (§1.1)", () => {
  it.each(FAMILIES)("a packet no rule covers meets the `*` rule and is denied ($name)", (f) => {
    const r = engine(twoTiers(openDb).yaml()).send(pkt(`tcp ${at(f.app, 40000)} > ${at(f.db, 22)} SYN`));
    expect(r.delivered).toBe(false);
    expect(r.drop?.code).toBe("SUBNET_ACL_RESTRICTION");
    expect(r.drop?.component).toMatchObject({ kind: "network-acl", name: "data-acl", direction: "inbound" });
    expect(r.hops.at(-1)).toMatchObject({ action: "deny", ruleNumber: "*", rule: `* deny all from ${f.any}` });
    expect(r.drop?.explanation).toMatch(/final rule \* denies it/);
  });
});

describe("acl.subnet-boundary (§1.1)", () => {
  it("an ACL is read leaving its subnet and entering one; one ACL on two subnets is read at both", () => {
    const shared = (outbound: AclRule[]) =>
      twoTiers()
        .subnet("app", { ...TWO_TIERS_SUBNETS.app, "network-acl": "data-acl" })
        .acl("data-acl", { inbound: [...DATA_ACL.inbound, allowAll(200, "10.0.2.0/24")], outbound });
    // data-acl's outbound opens only the ephemeral ports of the app subnet: the request leaving app is denied
    const denied = engine(shared(DATA_ACL.outbound).yaml()).send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5432 SYN"));
    expect(denied.drop?.code).toBe("SUBNET_ACL_RESTRICTION");
    expect(denied.drop?.component).toEqual({ kind: "network-acl", name: "data-acl", subnet: "app", direction: "outbound" });
    const open = engine(
      shared([...DATA_ACL.outbound, { rule: 200, action: "allow", protocol: "tcp", ports: 5432, cidr: "10.0.2.0/24" }]).yaml(),
    );
    const r = open.send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5432 SYN"));
    expect(r.delivered).toBe(true);
    expect(r.hops.filter((h) => h.component.kind === "network-acl").map((h) => h.component)).toEqual([
      { kind: "network-acl", name: "data-acl", subnet: "app", direction: "outbound" },
      { kind: "network-acl", name: "data-acl", subnet: "data", direction: "inbound" },
    ]);
    // within the subnet, the same ACL is read neither way (route.same-subnet)
    const within = open.send(pkt("tcp 10.0.1.10:40000 > 10.0.1.11:5432 SYN"));
    expect(within.hops.some((h) => h.component.kind === "network-acl")).toBe(false);
  });
});

describe("acl.family (§1.1)", () => {
  it("IPv4 rules never match IPv6 traffic", () => {
    const e = engine(twoTiers({ dataAcl: { inbound: [DATA_ACL.inbound[0]!], outbound: DATA_ACL.outbound } }).yaml());
    const r = e.send(pkt("tcp [2600:1f18:aaaa:bb01::10]:40000 > [2600:1f18:aaaa:bb02::20]:5432 SYN"));
    expect(r.drop?.component).toMatchObject({ kind: "network-acl", name: "data-acl", direction: "inbound" });
    expect(r.hops.at(-1)!.ruleNumber).toBe("*");
  });

  it("IPv6 rules never match IPv4 traffic, not even ::/0", () => {
    const e = engine(twoTiers({ ...openDb, dataAcl: { inbound: [allowAll(100, "::/0")], outbound: [allowAll(100, "::/0")] } }).yaml());
    const r = e.send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5432 SYN"));
    expect(r.drop?.code).toBe("SUBNET_ACL_RESTRICTION");
    expect(r.hops.at(-1)).toMatchObject({ ruleNumber: "*", rule: "* deny all from 0.0.0.0/0" });
    expect(e.send(pkt("tcp [2600:1f18:aaaa:bb01::10]:40000 > [2600:1f18:aaaa:bb02::20]:5432 SYN")).delivered).toBe(true);
  });
});

describe("acl.default-allow (§1.2)", () => {
  it("a subnet that names no network ACL gets the default one, which allows everything", () => {
    expect(engine(twoTiers({ dataAcl: "default" }).yaml()).send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5432 SYN")).delivered).toBe(true);
  });

  it.each([
    { ...FAMILIES[0], rule: 100 },
    { ...FAMILIES[1], rule: 101 },
  ])("its rule $rule allows every protocol both ways ($name)", (f) => {
    const e = engine(twoTiers({ ...openDb, dataAcl: "default" }).yaml());
    for (const spec of [
      `udp ${at(f.app, 40000)} > ${at(f.db, 9999)}`,
      `50 ${f.app} > ${f.db}`,
      `tcp ${at(f.app, 40000)} > ${at(f.db, 1)} SYN`,
    ]) {
      const r = e.send(pkt(spec));
      expect(r.delivered, spec).toBe(true);
      expect(r.hops.filter((h) => h.component.kind === "network-acl").map((h) => [h.component, h.ruleNumber])).toEqual([
        [{ kind: "network-acl", name: "default", subnet: "app", direction: "outbound" }, f.rule],
        [{ kind: "network-acl", name: "default", subnet: "data", direction: "inbound" }, f.rule],
      ]);
    }
  });
});

describe("acl.custom-deny (§1.2)", () => {
  it("a custom ACL with no rules denies everything; the default ACL allows everything", () => {
    const e = engine(twoTiers({ dataAcl: {} }).yaml());
    expect(e.send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5432 SYN")).drop?.code).toBe("SUBNET_ACL_RESTRICTION");
    expect(engine(twoTiers({ dataAcl: "default" }).yaml()).send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5432 SYN")).delivered).toBe(true);
  });

  it.each(FAMILIES)("it denies both ways, by its `*` rule ($name)", (f) => {
    const e = engine(twoTiers({ ...openDb, dbOutbound: "new-group", dataAcl: {} }).yaml());
    const into = e.send(pkt(`tcp ${at(f.app, 40000)} > ${at(f.db, 5432)} SYN`));
    expect(into.drop?.component).toMatchObject({ kind: "network-acl", name: "data-acl", direction: "inbound" });
    expect(into.hops.at(-1)!.ruleNumber).toBe("*");
    expect(into.drop?.explanation).toMatch(/A custom network ACL denies all traffic until you add rules/);
    const out = e.send(pkt(`tcp ${at(f.db, 40000)} > ${at(f.app, 443)} SYN`));
    expect(out.drop?.component).toMatchObject({ kind: "network-acl", name: "data-acl", direction: "outbound" });
    expect(out.hops.at(-1)!.ruleNumber).toBe("*");
  });

  it("associating a fresh custom ACL with a subnet cuts it off at the next packet", () => {
    const e = engine(
      twoTiers({ ...openDb, dataAcl: "default" })
        .acl("fresh")
        .yaml(),
    );
    expect(e.send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5432 SYN")).delivered).toBe(true);
    e.update((w) => {
      w.subnets.data!.networkAcl = "fresh";
    });
    const r = e.send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5432 ACK"));
    expect(r.drop?.code).toBe("SUBNET_ACL_RESTRICTION");
    expect(r.drop?.component).toMatchObject({ kind: "network-acl", name: "fresh", subnet: "data", direction: "inbound" });
  });
});

describe("acl.rule-keys (§1.3)", () => {
  const only = (...inbound: AclRule[]) =>
    engine(twoTiers({ ...openDb, dataAcl: { inbound, outbound: [allowAll(100, "0.0.0.0/0")] } }).yaml());

  it("a TCP rule's ports are the destination port, never the source port; it does not cover UDP", () => {
    const e = only({ rule: 100, action: "allow", protocol: "tcp", ports: 5432, cidr: "10.0.1.0/24" });
    expect(e.send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5432 SYN")).delivered).toBe(true);
    const fromPort = e.send(pkt("tcp 10.0.1.10:5432 > 10.0.2.20:40000 SYN"));
    expect(fromPort.drop?.code).toBe("SUBNET_ACL_RESTRICTION");
    expect(fromPort.hops.at(-1)!.ruleNumber).toBe("*");
    expect(e.send(pkt("udp 10.0.1.10:40000 > 10.0.2.20:5432")).drop?.code).toBe("SUBNET_ACL_RESTRICTION");
  });

  it("an ICMP rule covers type and code: type 8 code -1 every ping, type 8 code 8 none, type -1 every type", () => {
    const icmp = (type: number, code: number) =>
      only({ rule: 100, action: "allow", protocol: "icmp", "icmp-type": type, "icmp-code": code, cidr: "10.0.1.0/24" });
    expect(icmp(8, -1).send(pkt("icmp 10.0.1.10 > 10.0.2.20 8/0")).delivered).toBe(true);
    expect(icmp(8, -1).send(pkt("icmp 10.0.1.10 > 10.0.2.20 3/4")).drop?.code).toBe("SUBNET_ACL_RESTRICTION");
    const eight = icmp(8, 8).send(pkt("icmp 10.0.1.10 > 10.0.2.20 8/0"));
    expect(eight.drop?.code).toBe("SUBNET_ACL_RESTRICTION");
    expect(eight.hops.at(-1)!.ruleNumber).toBe("*");
    expect(icmp(-1, -1).send(pkt("icmp 10.0.1.10 > 10.0.2.20 3/4")).delivered).toBe(true);
  });

  it("a rule for another protocol (50, ESP) covers all its packets and no other protocol; `all` covers everything", () => {
    const esp = only({ rule: 100, action: "allow", protocol: 50, cidr: "10.0.1.0/24" });
    expect(esp.send(pkt("50 10.0.1.10 > 10.0.2.20")).delivered).toBe(true);
    expect(esp.send(pkt("47 10.0.1.10 > 10.0.2.20")).drop?.code).toBe("SUBNET_ACL_RESTRICTION");
    expect(esp.send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5432 SYN")).drop?.code).toBe("SUBNET_ACL_RESTRICTION");
    const all = only(allowAll(100, "10.0.1.0/24"));
    for (const spec of [
      "tcp 10.0.1.10:40000 > 10.0.2.20:1 SYN",
      "udp 10.0.1.10:40000 > 10.0.2.20:65535",
      "icmp 10.0.1.10 > 10.0.2.20 13/0",
      "47 10.0.1.10 > 10.0.2.20",
    ]) {
      expect(all.send(pkt(spec)).delivered, spec).toBe(true);
    }
  });
});

describe("acl.direction-address (§1.3)", () => {
  it.each(FAMILIES)("inbound rules test the source, outbound rules the destination ($name)", (f) => {
    const acl = (inboundCidr: string, outboundCidr: string) =>
      engine(
        twoTiers({
          dataAcl: {
            inbound: [{ rule: 100, action: "allow", protocol: "tcp", ports: 5432, cidr: inboundCidr }],
            outbound: [{ rule: 100, action: "allow", protocol: "tcp", ports: "1024-65535", cidr: outboundCidr }],
          },
        }).yaml(),
      );
    const request = `tcp ${at(f.app, 40000)} > ${at(f.db, 5432)} SYN`;
    const reply = `tcp ${at(f.db, 5432)} > ${at(f.app, 40000)} SYN,ACK`;
    // the destination's own block inbound: the source is not in it
    const byDestination = acl(f.dataNet, f.appNet).send(pkt(request));
    expect(byDestination.drop?.component).toMatchObject({ kind: "network-acl", name: "data-acl", direction: "inbound" });
    // the source's block outbound: the reply's destination is not in it
    const wrongOut = acl(f.appNet, f.dataNet);
    expect(wrongOut.send(pkt(request)).delivered).toBe(true);
    expect(wrongOut.send(pkt(reply)).drop?.component).toMatchObject({ kind: "network-acl", name: "data-acl", direction: "outbound" });
    const right = acl(f.appNet, f.appNet);
    expect(right.send(pkt(request)).delivered).toBe(true);
    expect(right.send(pkt(reply)).delivered).toBe(true);
  });
});

describe("acl.icmpv6-ipv4-block (§1.3)", () => {
  it("protocol 58 with an IPv4 block covers every type and code; with an IPv6 block only the type and code it names", () => {
    const e = engine(
      twoTiers({
        ...openDb,
        dataAcl: {
          inbound: [
            { rule: 100, action: "allow", protocol: "icmpv6", "icmp-type": 128, "icmp-code": 0, cidr: "10.0.1.0/24" },
            { rule: 110, action: "allow", protocol: "icmpv6", "icmp-type": 128, "icmp-code": 0, cidr: "2600:1f18:aaaa:bb01::/64" },
          ],
          outbound: [],
        },
      }).yaml(),
    );
    const v4 = e.send(pkt("icmpv6 10.0.1.10 > 10.0.2.20 1/0"));
    expect(v4.delivered).toBe(true);
    expect(v4.hops.find((h) => h.component.kind === "network-acl" && h.component.name === "data-acl")!.ruleNumber).toBe(100);
    const v6 = e.send(pkt("icmpv6 2600:1f18:aaaa:bb01::10 > 2600:1f18:aaaa:bb02::20 1/0"));
    expect(v6.drop?.code).toBe("SUBNET_ACL_RESTRICTION");
    expect(v6.hops.at(-1)!.ruleNumber).toBe("*");
    const echo = e.send(pkt("icmpv6 2600:1f18:aaaa:bb01::10 > 2600:1f18:aaaa:bb02::20 128/0"));
    expect(echo.delivered).toBe(true);
    expect(echo.hops.find((h) => h.component.kind === "network-acl" && h.component.name === "data-acl")!.ruleNumber).toBe(110);
  });
});

describe("acl.ephemeral-ports (§1.4)", () => {
  it("the reply goes to the client's ephemeral port: the ACL must open that port the reply's way", () => {
    const linuxOnly = engine(
      twoTiers({
        dataAcl: {
          inbound: DATA_ACL.inbound,
          outbound: [{ rule: 100, action: "allow", protocol: "tcp", ports: "32768-60999", cidr: "10.0.1.0/24" }],
        },
      }).yaml(),
    );
    for (const [port, delivered] of [
      [32768, true],
      [60999, true],
      [61000, false],
      [1025, false],
    ] as const) {
      linuxOnly.send(pkt(`tcp 10.0.1.10:${port} > 10.0.2.20:5432 SYN`));
      const reply = linuxOnly.send(pkt(`tcp 10.0.2.20:5432 > 10.0.1.10:${port} SYN,ACK`));
      expect(reply.delivered, `client port ${port}`).toBe(delivered);
      if (!delivered) expect(reply.drop?.component).toMatchObject({ kind: "network-acl", name: "data-acl", direction: "outbound" });
    }
  });

  it("the fix for a reply opens the clients' whole ephemeral range, the client's own OS range as the narrow variant", () => {
    const e = engine(
      twoTiers({
        dataAcl: {
          inbound: DATA_ACL.inbound,
          outbound: [{ rule: 100, action: "allow", protocol: "tcp", ports: 5432, cidr: "10.0.1.0/24" }],
        },
      }).yaml(),
    );
    e.send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5432 SYN"));
    const r = e.send(pkt("tcp 10.0.2.20:5432 > 10.0.1.10:40000 SYN,ACK"), { role: "reply" });
    expect(r.drop?.fix).toBe("add rule 110 allow tcp 1024-65535 to 10.0.1.10/32 to outbound of network ACL data-acl");
    expect(r.drop?.narrower).toBe(
      "add rule 110 allow tcp 32768-60999 (the client's linux range) to 10.0.1.10/32 to outbound of network ACL data-acl",
    );
  });

  it("each client takes its source port from its profile: linux by default, windows, windows-2003, nat-gateway, elb, lambda or a range", () => {
    const profiles = { linux: 32768, windows: 49152, "windows-2003": 1025, "nat-gateway": 1024, elb: 1024, lambda: 1024 } as const;
    let w = publicWeb({ inbound: [{ protocol: "tcp", ports: 443, source: "0.0.0.0/0" }] })
      .subnet("pub", {
        cidr: "10.0.1.0/24",
        "ipv6-cidr": "2600:1f18:aaaa:bb01::/64",
        "route-table": "to-internet",
        "network-acl": "web-acl",
      })
      .acl("web-acl", {
        inbound: [{ rule: 100, action: "allow", protocol: "tcp", ports: 443, cidr: "0.0.0.0/0" }],
        outbound: [{ rule: 100, action: "allow", protocol: "tcp", ports: "32768-60999", cidr: "0.0.0.0/0" }],
      })
      .internetHost("unset", { ip: "198.51.100.9" })
      .internetHost("ranged", { ip: "198.51.100.10", "ephemeral-ports": "61000-61001" });
    Object.keys(profiles).forEach((p, i) => {
      w = w.internetHost(`client-${p}`, { ip: `198.51.100.${20 + i}`, "ephemeral-ports": p as keyof typeof profiles });
    });
    const clients = ["unset", ...Object.keys(profiles).map((p) => `client-${p}`), "ranged", "ranged", "ranged"];
    const result = runScenario(
      scenario(w.steps(...clients.map((c) => ({ connect: { from: c, to: "web", protocol: "tcp", port: 443 } }))).yaml()),
    );
    const ports = result.steps.map((s) => s.packets[0]!.result.packet.sourcePort);
    expect(ports).toEqual([32768, ...Object.values(profiles), 61000, 61001, 61000]);
    // web-acl opens the Linux range only: the other clients' replies are denied
    const replies = result.steps.map((s) => s.packets[1]!.result.delivered);
    expect(replies).toEqual([true, true, true, false, false, false, false, false, false, false]);
    expect(result.steps[3]!.packets[1]!.result.drop?.component).toMatchObject({
      kind: "network-acl",
      name: "web-acl",
      direction: "outbound",
    });
  });
});

describe("acl.quotas (§1.5)", () => {
  const numbered = (rule: number) =>
    twoTiers({ dataAcl: { inbound: [{ rule, action: "allow", protocol: "tcp", ports: 5432, cidr: "10.0.1.0/24" }] } });

  it("rule numbers 1-32766 load; 0 and 32767 (AWS's own `*`) are refused", () => {
    expect(refusals(numbered(1))).toEqual([]);
    expect(refusals(numbered(32766))).toEqual([]);
    expect(refusals(numbered(0))).toEqual(["nacl/rule-number-range"]);
    expect(refusals(numbered(32767))).toEqual(["nacl/rule-number-range"]);
  });

  it("no count is refused: a 21st rule (AWS's default quota is 20 with `*`) loads, with a warning, and decides", () => {
    const denies = Array.from(
      { length: 20 },
      (_, i): AclRule => ({ rule: 10 + i, action: "deny", protocol: "all", cidr: `192.0.2.${i}/32` }),
    );
    const e = engine(
      twoTiers({
        dataAcl: { inbound: [...denies, { rule: 100, action: "allow", protocol: "tcp", ports: 5432, cidr: "10.0.1.0/24" }] },
      }).yaml(),
    );
    const r = e.send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5432 SYN"));
    expect(r.delivered).toBe(true);
    expect(r.hops.find((h) => h.component.kind === "network-acl" && h.component.name === "data-acl")!.ruleNumber).toBe(100);
  });
});
