// Appliances and NAT instances, aws-rules §4.6: one describe per rule id.
import { describe, expect, it } from "vitest";
import { engine, pkt } from "../helpers.js";
import { hops, natInstance, uncheckedEngine, withFirewall } from "./worlds.js";

const flows = [
  ["tcp 10.0.1.10:40000 > 10.0.2.20:5432 SYN", "tcp 10.0.2.20:5432 > 10.0.1.10:40000 SYN,ACK"],
  [
    "tcp [2600:1f18:aaaa:bb01::10]:40000 > [2600:1f18:aaaa:bb02::20]:5432 SYN",
    "tcp [2600:1f18:aaaa:bb02::20]:5432 > [2600:1f18:aaaa:bb01::10]:40000 SYN,ACK",
  ],
] as const;

describe("appliance.route-to-interface (§4.6)", () => {
  it("with source/destination check off, the instance forwards both ways, and its own security groups track the flow", () => {
    for (const [req, rep] of flows) {
      const e = engine(withFirewall(false).yaml());
      const r = e.send(pkt(req));
      expect(r.delivered).toBe(true);
      expect(r.hops.map((h) => h.component.kind)).toContain("interface");
      // Back through the firewall: both its entries (in and out) and both ends' match the reply.
      const back = e.send(pkt(rep));
      expect(back.delivered).toBe(true);
      expect(back.hops.filter((h) => h.rule?.startsWith("reply of tracked connection")).length).toBe(4);
    }
  });

  it("the appliance receives packets addressed elsewhere, through its subnet's ACL and groups, and forwards them unchanged", () => {
    const r = engine(withFirewall(false).yaml()).send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5432 SYN"));
    expect(hops(r)).toEqual([
      "security-groups app outbound: allow",
      "network-acl default outbound: allow",
      "route-table app-routes: forward",
      "network-acl default inbound: allow",
      "security-groups firewall inbound: allow",
      "interface firewall: forward",
      "security-groups firewall outbound: allow",
      "network-acl default outbound: allow",
      "route-table main: forward",
      "network-acl data-acl inbound: allow",
      "security-groups db inbound: allow",
      "interface db: deliver",
    ]);
    expect(r.received).toMatchObject({ source: "10.0.1.10", sourcePort: 40000, destination: "10.0.2.20", destinationPort: 5432 });
  });

  it("its inbound groups are checked before the source/destination check, its outbound groups after forwarding (vpcsim's choice)", () => {
    const closedIn = engine(withFirewall(true).group("fw-sg", { inbound: [] }).yaml()).send(
      pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5432 SYN"),
    );
    expect(closedIn.drop?.code).toBe("ENI_SG_RULES_MISMATCH");
    expect(closedIn.drop?.component).toMatchObject({ kind: "security-groups", instance: "firewall", direction: "inbound" });
    const closedOut = engine(
      withFirewall(false)
        .group("fw-sg", { inbound: [{ protocol: "tcp", ports: 5432, source: "app-sg" }], outbound: [] })
        .yaml(),
    ).send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5432 SYN"));
    expect(closedOut.drop?.component).toMatchObject({ kind: "security-groups", instance: "firewall", direction: "outbound" });
    expect(hops(closedOut).slice(-2)).toEqual(["interface firewall: forward", "security-groups firewall outbound: deny"]);
  });

  it("a packet dropped after the appliance tracked it reports no tracking at its destination, which never saw it", () => {
    const r = engine(withFirewall(false).group("db-sg", { inbound: [] }).yaml()).send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5432 SYN"));
    expect(hops(r)).toContain("security-groups firewall inbound: allow");
    expect(r.drop?.component).toMatchObject({ kind: "security-groups", instance: "db", direction: "inbound" });
    expect(r.trackedAtDestination).toBeUndefined();
  });
});

describe("appliance.source-dest-check (§4.6)", () => {
  it("with source/destination check on, an interface drops traffic addressed to others, IPv4 and IPv6", () => {
    for (const [req] of flows) {
      const r = engine(withFirewall(true).yaml()).send(pkt(req));
      expect(r.drop?.code).toBe("ENI_SOURCE_DEST_CHECK_RESTRICTION");
      expect(r.drop?.component).toEqual({ kind: "interface", instance: "firewall", interface: "firewall" });
      expect(r.drop?.fix).toContain("source-dest-check: false");
    }
  });

  it("a NAT instance drops the forwarded traffic, both ways, while source/destination check is on", () => {
    expect(engine(natInstance(true).yaml()).send(pkt("tcp 10.0.1.25:40000 > 93.184.216.34:443 SYN")).drop?.code).toBe(
      "ENI_SOURCE_DEST_CHECK_RESTRICTION",
    );
    const e = engine(natInstance(false).yaml());
    const port = e.send(pkt("tcp 10.0.1.25:40000 > 93.184.216.34:443 SYN")).received!.sourcePort!;
    e.update((w) => {
      w.instances["nat-box"]!.interfaces[0]!.sourceDestCheck = true;
    });
    const back = e.send(pkt(`tcp 93.184.216.34:443 > 198.51.100.30:${port} SYN,ACK`));
    expect(back.drop?.code).toBe("ENI_SOURCE_DEST_CHECK_RESTRICTION");
  });

  it("traffic addressed to the instance itself passes with the check on", () => {
    const e = engine(
      withFirewall(true)
        .group("fw-sg", { inbound: [{ protocol: "tcp", ports: 22, source: "10.0.0.0/16" }] })
        .yaml(),
    );
    const r = e.send(pkt("tcp 10.0.1.10:40000 > 10.0.3.5:22 SYN"));
    expect(r.delivered).toBe(true);
    expect(hops(r).at(-1)).toBe("interface firewall: deliver");
  });
});

describe("appliance.nat-instance (§4.6)", () => {
  it("masquerades what it forwards and sends the replies back to the inside address and port", () => {
    const e = engine(natInstance(false).yaml());
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

  it("it translates to its first private address and a port from 1024, for TCP, UDP and ICMP", () => {
    const e = engine(natInstance(false).yaml());
    const translation = (spec: string) => e.send(pkt(spec)).hops.find((h) => h.component.kind === "interface")!;
    expect(translation("tcp 10.0.1.25:40000 > 93.184.216.34:443 SYN")).toMatchObject({
      action: "translate",
      translation: { field: "source", from: "10.0.1.25:40000", to: "10.0.0.10:1024" },
    });
    expect(translation("udp 10.0.1.25:40000 > 93.184.216.34:53")).toMatchObject({
      action: "translate",
      translation: { from: "10.0.1.25:40000", to: "10.0.0.10:1025" },
    });
    expect(translation("icmp 10.0.1.25:5 > 93.184.216.34 8/0")).toMatchObject({
      action: "translate",
      translation: { from: "10.0.1.25:5", to: "10.0.0.10:1026" },
    });
    const pong = e.send(pkt("icmp 93.184.216.34:1026 > 198.51.100.30 0/0"));
    expect(pong.delivered).toBe(true);
    expect(pong.received).toMatchObject({ destination: "10.0.1.25", icmpType: 0 });
  });

  it("other protocols are forwarded untranslated: with a private source the internet gateway refuses them", () => {
    const r = engine(natInstance(false).yaml()).send(pkt("47 10.0.1.25 > 93.184.216.34"));
    expect(hops(r)).toContain("interface nat-box: forward");
    expect(r.drop?.code).toBe("IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS");
  });

  it("its translations follow its interface's tracking timeouts: a UDP one lasts 30 s idle", () => {
    const e = engine(natInstance(false).yaml());
    e.send(pkt("udp 10.0.1.25:40000 > 93.184.216.34:53"));
    e.advance(30);
    expect(e.send(pkt("udp 93.184.216.34:53 > 198.51.100.30:1024")).received).toMatchObject({
      destination: "10.0.1.25",
      destinationPort: 40000,
    });
    e.advance(31);
    const late = e.send(pkt("udp 93.184.216.34:53 > 198.51.100.30:1024"));
    expect(late.drop?.component).toMatchObject({ kind: "security-groups", instance: "nat-box", direction: "inbound" });
  });

  it("out of ports for one destination it gives NAT_INSTANCE_PORT_ALLOCATION_ERROR", () => {
    const e = uncheckedEngine(natInstance(false).yaml());
    for (let i = 0; i < 64512; i++) {
      if (e.verdict(pkt(`tcp 10.0.1.25:${1024 + i} > 93.184.216.34:443 SYN`)) !== "delivered")
        throw new Error(`connection ${i} was refused`);
    }
    const r = e.send(pkt("tcp 10.0.1.25:1023 > 93.184.216.34:443 SYN"));
    expect(r.drop?.code).toBe("NAT_INSTANCE_PORT_ALLOCATION_ERROR");
    expect(r.drop?.component).toEqual({ kind: "interface", instance: "nat-box", interface: "nat-box" });
    expect(e.send(pkt("tcp 10.0.1.25:1023 > 93.184.216.34:80 SYN")).delivered).toBe(true);
  });
});
