// Engine behaviour, one test per AWS rule, named by its section of docs/aws-rules.md.
import { describe, expect, it } from "vitest";
import { engine, pkt } from "./helpers.js";

const twoTiers = (extra = "") => `
name: t
vpc: { cidr: 10.0.0.0/16, ipv6-cidr: "2600:1f18:aaaa:bb00::/56" }
subnets:
  app: { cidr: 10.0.1.0/24, ipv6-cidr: "2600:1f18:aaaa:bb01::/64" }
  data: { cidr: 10.0.2.0/24, ipv6-cidr: "2600:1f18:aaaa:bb02::/64", network-acl: data-acl }
network-acls:
  data-acl:
    inbound:
      - { rule: 100, action: allow, protocol: tcp, ports: 5432, cidr: 10.0.1.0/24 }
      - { rule: 110, action: allow, protocol: tcp, ports: 5432, cidr: "2600:1f18:aaaa:bb01::/64" }
    outbound:
      - { rule: 100, action: allow, protocol: tcp, ports: 1024-65535, cidr: 10.0.1.0/24 }
      - { rule: 110, action: allow, protocol: tcp, ports: 1024-65535, cidr: "2600:1f18:aaaa:bb01::/64" }
security-groups:
  app-sg: {}
  db-sg:
    inbound:
      - { protocol: tcp, ports: 5432, source: app-sg }
    outbound: []
instances:
  app: { subnet: app, private-ip: 10.0.1.10, ipv6: "2600:1f18:aaaa:bb01::10", security-groups: [app-sg] }
  app2: { subnet: app, private-ip: 10.0.1.11, security-groups: [app-sg] }
  db: { subnet: data, private-ip: 10.0.2.20, ipv6: "2600:1f18:aaaa:bb02::20", security-groups: [db-sg] }
${extra}`;

describe("security groups (aws-rules §2, §3)", () => {
  it("§3.1: the reply of a tracked flow passes security groups without a rule, IPv4 and IPv6", () => {
    for (const [req, rep] of [
      ["tcp 10.0.1.10:40000 > 10.0.2.20:5432 SYN", "tcp 10.0.2.20:5432 > 10.0.1.10:40000 SYN,ACK"],
      ["tcp [2600:1f18:aaaa:bb01::10]:40000 > [2600:1f18:aaaa:bb02::20]:5432 SYN", "tcp [2600:1f18:aaaa:bb02::20]:5432 > [2600:1f18:aaaa:bb01::10]:40000 SYN,ACK"],
    ] as const) {
      const e = engine(twoTiers());
      expect(e.send(pkt(req)).delivered).toBe(true);
      const r = e.send(pkt(rep));
      expect(r.delivered).toBe(true);
      expect(r.hops[0]!.rule).toMatch(/^reply of tracked connection #\d+/);
    }
  });

  it("§3.1: without a tracked entry the same reply-looking packet is denied by db-sg's empty outbound", () => {
    const r = engine(twoTiers()).send(pkt("tcp 10.0.2.20:5432 > 10.0.1.10:40000 SYN,ACK"));
    expect(r.drop?.code).toBe("ENI_SG_RULES_MISMATCH");
    expect(r.drop?.component).toMatchObject({ kind: "security-groups", instance: "db", direction: "outbound" });
  });

  it("§2.3: a group reference matches members' private addresses, not other addresses", () => {
    const e = engine(twoTiers());
    expect(e.send(pkt("tcp 10.0.1.11:40000 > 10.0.2.20:5432 SYN")).delivered).toBe(true);
    // the default group is not app-sg: an instance outside app-sg is refused
    const e2 = engine(twoTiers(`  other: { subnet: app, private-ip: 10.0.1.12 }`).replace("instances:\n", "instances:\n"));
    expect(e2.send(pkt("tcp 10.0.1.12:40000 > 10.0.2.20:5432 SYN")).drop?.code).toBe("ENI_SG_RULES_MISMATCH");
  });

  it("§2.1: members of one custom group do not reach each other without a self-reference", () => {
    const r = engine(twoTiers()).send(pkt("tcp 10.0.1.10:40000 > 10.0.1.11:22 SYN"));
    expect(r.drop?.component).toMatchObject({ kind: "security-groups", instance: "app2", direction: "inbound" });
  });

  it("§3.1: removing a rule keeps a tracked connection alive", () => {
    const e = engine(twoTiers());
    e.send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5432 SYN"));
    e.update((w) => { w.securityGroups["db-sg"]!.inbound = []; });
    expect(e.send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5432 ACK")).delivered).toBe(true);
    expect(e.send(pkt("tcp 10.0.1.10:40001 > 10.0.2.20:5432 SYN")).delivered).toBe(false);
  });

  it("§3.4: a tracked TCP entry expires after 432000 s idle", () => {
    const e = engine(twoTiers());
    e.send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5432 SYN"));
    e.update((w) => { w.securityGroups["db-sg"]!.inbound = []; });
    e.advance(432000);
    expect(e.send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5432 ACK")).delivered).toBe(true);
    e.advance(432001);
    expect(e.send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5432 ACK")).delivered).toBe(false);
  });

  it("§3.4 (assumption): a FIN from each side closes the entry; one FIN leaves it closing for 120 s, IPv4 and IPv6", () => {
    for (const [client, server] of [["10.0.1.10", "10.0.2.20"], ["[2600:1f18:aaaa:bb01::10]", "[2600:1f18:aaaa:bb02::20]"]]) {
      const up = `tcp ${client}:40000 > ${server}:5432`;
      const down = `tcp ${server}:5432 > ${client}:40000`;
      const closing = (text = twoTiers()) => {
        const e = engine(text);
        e.send(pkt(`${up} SYN`));
        e.update((w) => { w.securityGroups["db-sg"]!.inbound = []; });
        expect(e.send(pkt(`${up} FIN,ACK`)).delivered).toBe(true);
        return e;
      };
      const both = closing();
      expect(both.send(pkt(`${down} FIN,ACK`)).delivered).toBe(true);
      expect(both.send(pkt(`${up} ACK`)).drop?.code).toBe("ENI_SG_RULES_MISMATCH");
      const half = closing();
      half.advance(120);
      expect(half.send(pkt(`${up} ACK`)).delivered).toBe(true);
      half.advance(121);
      expect(half.send(pkt(`${up} ACK`)).delivered).toBe(false);
      const short = closing(twoTiers().replace("name: t", "name: t\nsettings: { tcp-closing-timeout: 10s }"));
      short.advance(11);
      expect(short.send(pkt(`${up} ACK`)).delivered).toBe(false);
      const reset = closing();
      expect(reset.send(pkt(`${up} RST`)).delivered).toBe(true);
      expect(reset.send(pkt(`${up} ACK`)).delivered).toBe(false);
    }
  });

  it("§3.4: UDP entries last 30 s, 180 s once the flow is a stream", () => {
    const text = twoTiers().replace("- { protocol: tcp, ports: 5432, source: app-sg }", "- { protocol: udp, ports: 53, source: app-sg }")
      .replace(/network-acl: data-acl/, "");
    const e = engine(text);
    e.send(pkt("udp 10.0.1.10:40000 > 10.0.2.20:53"));
    e.advance(31);
    expect(e.send(pkt("udp 10.0.2.20:53 > 10.0.1.10:40000")).delivered).toBe(false);
    const s = engine(text);
    s.send(pkt("udp 10.0.1.10:40000 > 10.0.2.20:53"));
    s.send(pkt("udp 10.0.2.20:53 > 10.0.1.10:40000"));
    s.send(pkt("udp 10.0.1.10:40000 > 10.0.2.20:53"));
    s.advance(170);
    expect(s.send(pkt("udp 10.0.2.20:53 > 10.0.1.10:40000")).delivered).toBe(true);
  });

  it("§2.2: an ICMP rule matches type and code exactly; type 8 code 8 never matches a ping", () => {
    const text = (type: number, code: number) => `
name: t
vpc: { cidr: 10.0.0.0/16 }
subnets: { a: { cidr: 10.0.1.0/24 } }
security-groups:
  sg: { inbound: [ { protocol: icmp, icmp-type: ${type}, icmp-code: ${code}, source: 0.0.0.0/0 } ] }
instances:
  x: { subnet: a, private-ip: 10.0.1.10 }
  y: { subnet: a, private-ip: 10.0.1.11, security-groups: [sg] }
`;
    expect(engine(text(8, -1)).send(pkt("icmp 10.0.1.10 > 10.0.1.11 8/0")).delivered).toBe(true);
    expect(engine(text(8, 8)).send(pkt("icmp 10.0.1.10 > 10.0.1.11 8/0")).delivered).toBe(false);
  });

  it("§3.2: a flow open to the internet both ways is untracked: removing its rule cuts it at once", () => {
    const text = `
name: t
vpc: { cidr: 10.0.0.0/16 }
subnets: { pub: { cidr: 10.0.1.0/24, route-table: rt } }
route-tables: { rt: { routes: [ { destination: 0.0.0.0/0, target: internet-gateway } ] } }
security-groups:
  web: { inbound: [ { protocol: tcp, ports: 80, source: 0.0.0.0/0 }, { protocol: tcp, ports: 22, source: 198.51.100.7/32 } ] }
instances: { w: { subnet: pub, private-ip: 10.0.1.10, public-ip: 203.0.113.10, security-groups: [web] } }
internet-hosts: { c: { ip: 198.51.100.7 } }
`;
    const e = engine(text);
    const http = e.send(pkt("tcp 198.51.100.7:50000 > 203.0.113.10:80 SYN"));
    expect(http.trackedAtDestination).toBe(false);
    const ssh = e.send(pkt("tcp 198.51.100.7:50001 > 203.0.113.10:22 SYN"));
    expect(ssh.trackedAtDestination).toBe(true);
    e.update((w) => { w.securityGroups.web!.inbound = []; });
    expect(e.send(pkt("tcp 198.51.100.7:50000 > 203.0.113.10:80 ACK")).delivered).toBe(false);
    expect(e.send(pkt("tcp 198.51.100.7:50001 > 203.0.113.10:22 ACK")).delivered).toBe(true);
    // with the setting off, every flow is tracked
    const off = engine(text.replace("name: t", "name: t\nsettings: { untracked-flows: false }"));
    expect(off.send(pkt("tcp 198.51.100.7:50000 > 203.0.113.10:80 SYN")).trackedAtDestination).toBe(true);
  });
});

describe("network ACLs and paths (aws-rules §1, §4)", () => {
  it("§1.1: NACLs are stateless: a reply needs its own rule, IPv4 and IPv6", () => {
    const e = engine(twoTiers().replace("ports: 1024-65535, cidr: 10.0.1.0/24", "ports: 5432, cidr: 10.0.1.0/24")
      .replace('ports: 1024-65535, cidr: "2600', 'ports: 5432, cidr: "2600'));
    e.send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5432 SYN"));
    const r = e.send(pkt("tcp 10.0.2.20:5432 > 10.0.1.10:40000 SYN,ACK"), { role: "reply" });
    expect(r.drop?.code).toBe("SUBNET_ACL_RESTRICTION");
    expect(r.drop?.explanation).toMatch(/stateless: the reply to port 5432 goes to the client's ephemeral port 40000/);
    e.send(pkt("tcp [2600:1f18:aaaa:bb01::10]:40000 > [2600:1f18:aaaa:bb02::20]:5432 SYN"));
    expect(e.send(pkt("tcp [2600:1f18:aaaa:bb02::20]:5432 > [2600:1f18:aaaa:bb01::10]:40000 SYN,ACK")).drop?.code).toBe("SUBNET_ACL_RESTRICTION");
  });

  it("§1.1: IPv4 rules never match IPv6 traffic", () => {
    const e = engine(twoTiers().replace(/\s+- \{ rule: 110, action: allow, protocol: tcp, ports: 5432, cidr: "2600[^\n]*/, ""));
    const r = e.send(pkt("tcp [2600:1f18:aaaa:bb01::10]:40000 > [2600:1f18:aaaa:bb02::20]:5432 SYN"));
    expect(r.drop?.component).toMatchObject({ kind: "network-acl", name: "data-acl", direction: "inbound" });
    expect(r.hops.at(-1)!.ruleNumber).toBe("*");
  });

  it("§4.2: traffic within a subnet meets no network ACL", () => {
    const e = engine(twoTiers(`  db2: { subnet: data, private-ip: 10.0.2.21, security-groups: [app-sg] }`));
    const r = e.send(pkt("tcp 10.0.2.21:40000 > 10.0.2.20:5432 SYN"));
    expect(r.hops.some((h) => h.component.kind === "network-acl")).toBe(false);
    // data-acl would deny 10.0.2.21 (it allows 10.0.1.0/24 only), so delivery shows it was skipped
    expect(r.delivered).toBe(true);
  });

  it("§1.2: a custom ACL with no rules denies everything; the default ACL allows everything", () => {
    const e = engine(twoTiers().replace(/network-acls:[\s\S]*?security-groups:/, "network-acls:\n  data-acl: {}\nsecurity-groups:"));
    expect(e.send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5432 SYN")).drop?.code).toBe("SUBNET_ACL_RESTRICTION");
    expect(engine(twoTiers().replace("network-acl: data-acl", "")).send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5432 SYN")).delivered).toBe(true);
  });

  it("§1.6: DNS at VPC+2, metadata and time sync are not filtered", () => {
    const e = engine(twoTiers().replace("outbound: []", "outbound: []\n  locked: { outbound: [] }"));
    for (const dst of ["10.0.0.2:53", "169.254.169.254:80", "169.254.169.123:123"]) {
      expect(e.send(pkt(`udp 10.0.2.20:40000 > ${dst}`)).delivered).toBe(true);
    }
  });

  it("§4.1: a blackhole route drops; no route drops with NO_ROUTE_TO_DESTINATION", () => {
    const e = engine(twoTiers(`route-tables:\n  main: { main: true, routes: [ { destination: 192.0.2.0/24, target: blackhole } ] }`));
    expect(e.send(pkt("tcp 10.0.1.10:40000 > 192.0.2.1:80 SYN")).drop?.code).toBe("BAD_STATE_ROUTE");
    expect(e.send(pkt("tcp 10.0.1.10:40000 > 198.51.100.1:80 SYN")).drop?.code).toBe("NO_ROUTE_TO_DESTINATION");
  });

  it("§7, §2.3: a group reference does not match traffic sent to a public address", () => {
    const text = `
name: t
vpc: { cidr: 10.0.0.0/16 }
subnets: { pub: { cidr: 10.0.1.0/24, route-table: rt } }
route-tables: { rt: { routes: [ { destination: 0.0.0.0/0, target: internet-gateway } ] } }
security-groups:
  web: {}
  db: { inbound: [ { protocol: tcp, ports: 5432, source: web } ] }
instances:
  w: { subnet: pub, private-ip: 10.0.1.10, public-ip: 203.0.113.10, security-groups: [web] }
  d: { subnet: pub, private-ip: 10.0.1.20, public-ip: 203.0.113.20, security-groups: [db] }
`;
    const e = engine(text);
    expect(e.send(pkt("tcp 10.0.1.10:40000 > 10.0.1.20:5432 SYN")).delivered).toBe(true);
    const hairpin = e.send(pkt("tcp 10.0.1.10:40001 > 203.0.113.20:5432 SYN"));
    expect(hairpin.drop?.component).toMatchObject({ kind: "security-groups", instance: "d", direction: "inbound" });
  });
});

describe("verdict-only mode", () => {
  it("gives the verdicts of full traces, and forgets cached matches when the world changes (§2.1)", () => {
    const flows = [
      "tcp 10.0.1.10:40000 > 10.0.2.20:5432 SYN", "tcp 10.0.2.20:5432 > 10.0.1.10:40000 SYN,ACK", "tcp 10.0.1.10:40001 > 10.0.2.20:22 SYN",
      "tcp [2600:1f18:aaaa:bb01::10]:40000 > [2600:1f18:aaaa:bb02::20]:5432 SYN", "tcp [2600:1f18:aaaa:bb02::20]:5432 > [2600:1f18:aaaa:bb01::10]:40000 SYN,ACK",
    ];
    const traced = engine(twoTiers());
    const bulk = engine(twoTiers());
    for (const f of flows) {
      const r = traced.send(pkt(f));
      expect(bulk.verdict(pkt(f))).toBe(r.drop?.code ?? "delivered");
    }
    expect(bulk.verdict(pkt("tcp 10.0.1.10:40002 > 10.0.2.20:5432 SYN"))).toBe("delivered");
    bulk.update((w) => { w.securityGroups["db-sg"]!.inbound = []; });
    // a new connection asks the same question of the rules: the answer must be the new one
    expect(bulk.verdict(pkt("tcp 10.0.1.10:40003 > 10.0.2.20:5432 SYN"))).toBe("ENI_SG_RULES_MISMATCH");
  });
});

describe("appliances (§4.6, §4.1)", () => {
  const withFirewall = (check: boolean) => twoTiers(`
  firewall: { subnet: inspect, private-ip: 10.0.3.5, ipv6: "2600:1f18:aaaa:bb03::5", security-groups: [fw-sg], source-dest-check: ${check} }
`).replace("  app-sg: {}", `  app-sg: {}
  fw-sg: { inbound: [ { protocol: tcp, ports: 5432, source: app-sg } ] }`).replace("data-acl }", `data-acl, route-table: data-routes }
  inspect: { cidr: 10.0.3.0/24, ipv6-cidr: "2600:1f18:aaaa:bb03::/64" }`)
    .replace("app: { cidr: 10.0.1.0/24, ipv6-cidr: \"2600:1f18:aaaa:bb01::/64\" }",
      "app: { cidr: 10.0.1.0/24, ipv6-cidr: \"2600:1f18:aaaa:bb01::/64\", route-table: app-routes }")
    .replace("network-acls:", `route-tables:
  app-routes: { routes: [ { destination: 10.0.2.0/24, target: firewall }, { destination: "2600:1f18:aaaa:bb02::/64", target: firewall } ] }
  data-routes: { routes: [ { destination: 10.0.1.0/24, target: firewall }, { destination: "2600:1f18:aaaa:bb01::/64", target: firewall } ] }
network-acls:`);
  const flows = [
    ["tcp 10.0.1.10:40000 > 10.0.2.20:5432 SYN", "tcp 10.0.2.20:5432 > 10.0.1.10:40000 SYN,ACK"],
    ["tcp [2600:1f18:aaaa:bb01::10]:40000 > [2600:1f18:aaaa:bb02::20]:5432 SYN", "tcp [2600:1f18:aaaa:bb02::20]:5432 > [2600:1f18:aaaa:bb01::10]:40000 SYN,ACK"],
  ] as const;

  it("§4.6: with source/destination check on, an interface drops traffic addressed to others, IPv4 and IPv6", () => {
    for (const [req] of flows) {
      const r = engine(withFirewall(true)).send(pkt(req));
      expect(r.drop?.code).toBe("ENI_SOURCE_DEST_CHECK_RESTRICTION");
      expect(r.drop?.component).toEqual({ kind: "interface", instance: "firewall", interface: "firewall" });
      expect(r.drop?.fix).toContain("source-dest-check: false");
    }
  });

  it("§4.6: with it off, the instance forwards both ways, and its own security groups track the flow", () => {
    for (const [req, rep] of flows) {
      const e = engine(withFirewall(false));
      const r = e.send(pkt(req));
      expect(r.delivered).toBe(true);
      expect(r.hops.map((h) => h.component.kind)).toContain("interface");
      // Back through the firewall: both its entries (in and out) and both ends' match the reply.
      const back = e.send(pkt(rep));
      expect(back.delivered).toBe(true);
      expect(back.hops.filter((h) => h.rule?.startsWith("reply of tracked connection")).length).toBe(4);
    }
  });
});

describe("NAT instances (§4.6, §4.4)", () => {
  const world = (check: boolean) => `
name: n
vpc: { cidr: 10.0.0.0/16 }
subnets:
  public: { cidr: 10.0.0.0/24, route-table: to-internet }
  private: { cidr: 10.0.1.0/24, route-table: to-nat }
route-tables:
  to-internet: { routes: [ { destination: 0.0.0.0/0, target: internet-gateway } ] }
  to-nat: { routes: [ { destination: 0.0.0.0/0, target: nat-box } ] }
security-groups:
  nat-sg: { inbound: [ { protocol: all, source: 10.0.1.0/24 } ] }
instances:
  nat-box: { subnet: public, private-ip: 10.0.0.10, public-ip: 198.51.100.30, security-groups: [nat-sg], nat-instance: true, source-dest-check: ${check} }
  worker: { subnet: private, private-ip: 10.0.1.25 }
internet-hosts:
  api: { ip: 93.184.216.34 }
`;

  it("masquerades what it forwards and sends the replies back to the inside address and port", () => {
    const e = engine(world(false));
    const out = e.send(pkt("tcp 10.0.1.25:40000 > 93.184.216.34:443 SYN"));
    expect(out.delivered).toBe(true);
    expect(out.received).toMatchObject({ source: "198.51.100.30", destination: "93.184.216.34", destinationPort: 443 });
    const port = out.received!.sourcePort!;
    const back = e.send(pkt(`tcp 93.184.216.34:443 > 198.51.100.30:${port} SYN,ACK`));
    expect(back.delivered).toBe(true);
    expect(back.received).toMatchObject({ source: "93.184.216.34", destination: "10.0.1.25", destinationPort: 40000 });
    // a packet the internet opens towards the NAT instance's port belongs to no flow
    expect(e.send(pkt(`tcp 93.184.216.34:443 > 198.51.100.30:${port + 1} SYN`)).drop?.code).toBe("ENI_SG_RULES_MISMATCH");
  });

  it("drops the forwarded traffic, both ways, while source/destination check is on", () => {
    expect(engine(world(true)).send(pkt("tcp 10.0.1.25:40000 > 93.184.216.34:443 SYN")).drop?.code).toBe("ENI_SOURCE_DEST_CHECK_RESTRICTION");
    const e = engine(world(false));
    const port = e.send(pkt("tcp 10.0.1.25:40000 > 93.184.216.34:443 SYN")).received!.sourcePort!;
    e.update((w) => { w.instances["nat-box"]!.interfaces[0]!.sourceDestCheck = true; });
    const back = e.send(pkt(`tcp 93.184.216.34:443 > 198.51.100.30:${port} SYN,ACK`));
    expect(back.drop?.code).toBe("ENI_SOURCE_DEST_CHECK_RESTRICTION");
  });
});
