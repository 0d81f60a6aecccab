// Internet, NAT and egress-only internet gateways, aws-rules §4.3-§4.5: one describe per rule id.
import { describe, expect, it } from "vitest";
import { engine, pkt } from "../helpers.js";
import type { AclSpec, GroupRule } from "../world-builder.js";
import { behindNat, hops, publicWeb, refusals, uncheckedEngine } from "./worlds.js";

const https: { inbound: GroupRule[] } = {
  inbound: [
    { protocol: "tcp", ports: 443, source: "0.0.0.0/0" },
    { protocol: "tcp", ports: 443, source: "::/0" },
  ],
};
/** publicWeb plus priv (10.0.1.11, 2600:…:bb01::11), which has no public IPv4 address. */
const withPrivate = () =>
  publicWeb(https).instance("priv", {
    subnet: "pub",
    "private-ip": "10.0.1.11",
    ipv6: "2600:1f18:aaaa:bb01::11",
    "security-groups": ["web-sg"],
  });

describe("igw.one-to-one (§4.3)", () => {
  it("outbound, the private source becomes the interface's public IPv4 address", () => {
    const r = engine(publicWeb().yaml()).send(pkt("tcp 10.0.1.10:40000 > 198.51.100.7:443 SYN"));
    expect(r.delivered).toBe(true);
    expect(r.received).toMatchObject({ source: "203.0.113.10", sourcePort: 40000, destination: "198.51.100.7" });
    expect(r.hops.find((h) => h.component.kind === "internet-gateway")).toMatchObject({
      action: "translate",
      translation: { field: "source", from: "10.0.1.10", to: "203.0.113.10" },
    });
  });

  it("inbound, the public destination becomes the private one before the ACL and the groups see it", () => {
    const r = engine(publicWeb(https).yaml()).send(pkt("tcp 198.51.100.7:50000 > 203.0.113.10:443 SYN"));
    expect(r.delivered).toBe(true);
    expect(r.received).toMatchObject({ source: "198.51.100.7", destination: "10.0.1.10", destinationPort: 443 });
    expect(hops(r)).toEqual([
      "internet-gateway: translate",
      "network-acl default inbound: allow",
      "security-groups web inbound: allow",
      "interface web: deliver",
    ]);
    expect(r.hops[0]!.translation).toEqual({ field: "destination", from: "203.0.113.10", to: "10.0.1.10" });
  });

  it("IPv6 is not translated, either way", () => {
    const e = engine(publicWeb(https).yaml());
    const out = e.send(pkt("tcp [2600:1f18:aaaa:bb01::10]:40000 > [2001:db8::7]:443 SYN"));
    expect(out.received).toMatchObject({ source: "2600:1f18:aaaa:bb01::10", destination: "2001:db8::7" });
    expect(out.hops.find((h) => h.component.kind === "internet-gateway")).toEqual({
      component: { kind: "internet-gateway" },
      action: "forward",
    });
    const into = e.send(pkt("tcp [2001:db8::7]:50000 > [2600:1f18:aaaa:bb01::10]:443 SYN"));
    expect(into.delivered).toBe(true);
    expect(into.received).toMatchObject({ destination: "2600:1f18:aaaa:bb01::10" });
    expect(hops(into)[0]).toBe("internet-gateway: forward");
  });
});

describe("igw.public-ip-required (§4.3)", () => {
  it("an interface with no public IPv4 address cannot use the internet gateway; its IPv6 address can", () => {
    const e = engine(withPrivate().yaml());
    const v4 = e.send(pkt("tcp 10.0.1.11:40000 > 198.51.100.7:443 SYN"));
    expect(v4.drop?.code).toBe("IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS");
    expect(v4.drop?.component).toEqual({ kind: "internet-gateway" });
    expect(hops(v4)).toEqual([
      "security-groups priv outbound: allow",
      "network-acl default outbound: allow",
      "route-table to-internet: forward",
    ]);
    expect(e.send(pkt("tcp [2600:1f18:aaaa:bb01::11]:40000 > [2001:db8::7]:443 SYN")).delivered).toBe(true);
  });
});

describe("igw.private-unreachable (§4.3)", () => {
  it("from the internet a private IPv4 address is unreachable; its public address is the way in", () => {
    const e = engine(publicWeb(https).yaml());
    const r = e.send(pkt("tcp 198.51.100.7:50000 > 10.0.1.10:443 SYN"));
    expect(r.drop?.code).toBe("IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS");
    expect(r.drop?.component).toEqual({ kind: "internet-gateway" });
    expect(r.hops).toEqual([]);
    expect(e.send(pkt("tcp 198.51.100.7:50000 > 203.0.113.10:443 SYN")).delivered).toBe(true);
  });

  it("IPv6 from the internet enters through the internet gateway when some route targets one (vpcsim's choice); with none, there is no path", () => {
    expect(engine(publicWeb(https).yaml()).send(pkt("tcp [2001:db8::7]:50000 > [2600:1f18:aaaa:bb01::10]:443 SYN")).delivered).toBe(true);
    const closed = engine(publicWeb(https).routeTable("to-internet", { routes: [] }).yaml());
    const r = closed.send(pkt("tcp [2001:db8::7]:50000 > [2600:1f18:aaaa:bb01::10]:443 SYN"));
    expect(r.drop?.code).toBe("NO_PATH");
    expect(r.drop?.component).toEqual({ kind: "internet" });
    // and no public IPv4 address is reachable without an internet gateway either
    expect(closed.send(pkt("tcp 198.51.100.7:50000 > 203.0.113.10:443 SYN")).drop?.code).toBe("NO_PATH");
  });
});

describe("igw.private-addresses (§4.3)", () => {
  const allOut = { inbound: [{ protocol: "tcp", ports: 443, source: "0.0.0.0/0" }] };

  it("a packet leaving through the internet gateway for a private (RFC 1918) or shared (RFC 6598) address is dropped there", () => {
    const e = engine(publicWeb(allOut).yaml());
    for (const [dst, code] of [
      ["10.50.0.7", "IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS"],
      ["172.16.0.1", "IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS"],
      ["172.31.255.254", "IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS"],
      ["192.168.1.5", "IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS"],
      ["100.64.0.1", "IGW_DESTINATION_ADDRESS_NOT_IN_RFC6598_EGRESS"],
      ["100.127.255.254", "IGW_DESTINATION_ADDRESS_NOT_IN_RFC6598_EGRESS"],
    ] as const) {
      const r = e.send(pkt(`tcp 10.0.1.10:40000 > ${dst}:443 SYN`));
      expect(r.drop?.code, dst).toBe(code);
      expect(r.drop?.component).toEqual({ kind: "internet-gateway" });
      expect(hops(r).at(-1)).toBe("route-table to-internet: forward");
      expect(r.drop?.fix).toContain("not to the internet gateway");
    }
    // the blocks' neighbours are public and pass
    for (const dst of ["172.32.0.1", "172.15.255.1", "100.128.0.1", "100.63.255.1", "192.169.0.1", "11.0.0.1"]) {
      expect(e.send(pkt(`tcp 10.0.1.10:40000 > ${dst}:443 SYN`)).delivered, dst).toBe(true);
    }
  });

  it("through a NAT gateway too: its translated packet meets the internet gateway's check", () => {
    const r = engine(behindNat().yaml()).send(pkt("tcp 10.0.1.25:40000 > 192.168.7.7:443 SYN"));
    expect(r.drop?.code).toBe("IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS");
  });

  it("a packet arriving from a private or shared source is dropped at the internet gateway, before translation", () => {
    const w = publicWeb(allOut).internetHost("office", { ip: "192.168.1.5" }).internetHost("carrier", { ip: "100.64.3.3" });
    const e = engine(w.yaml());
    const r = e.send(pkt("tcp 192.168.1.5:50000 > 203.0.113.10:443 SYN"));
    expect(r.drop).toMatchObject({ code: "IGW_SOURCE_ADDRESS_NOT_IN_RFC1918_INGRESS", component: { kind: "internet-gateway" } });
    expect(r.hops).toEqual([]);
    expect(e.send(pkt("tcp 100.64.3.3:50000 > 203.0.113.10:443 SYN")).drop?.code).toBe("IGW_SOURCE_ADDRESS_NOT_IN_RFC6598_INGRESS");
    expect(e.send(pkt("tcp 198.51.100.7:50000 > 203.0.113.10:443 SYN")).delivered).toBe(true);
  });
});

describe("nat.protocols (§4.4)", () => {
  it("a NAT gateway carries TCP, UDP and ICMP", () => {
    const e = engine(behindNat().yaml());
    for (const spec of [
      "tcp 10.0.1.25:40000 > 93.184.216.34:443 SYN",
      "udp 10.0.1.25:40000 > 93.184.216.34:53",
      "icmp 10.0.1.25:7 > 93.184.216.34 8/0",
    ]) {
      const r = e.send(pkt(spec));
      expect(r.delivered, spec).toBe(true);
      expect(hops(r)).toContain("nat-gateway nat: translate");
    }
  });

  it("anything else is dropped with PROTOCOL_RESTRICTION, after the NAT subnet's ACL admitted it", () => {
    const e = engine(behindNat().yaml());
    for (const proto of ["47", "50"]) {
      const r = e.send(pkt(`${proto} 10.0.1.25 > 93.184.216.34`));
      expect(r.drop?.code).toBe("PROTOCOL_RESTRICTION");
      expect(r.drop?.component).toEqual({ kind: "nat-gateway", name: "nat" });
      expect(hops(r).at(-1)).toBe("network-acl default inbound: allow");
    }
  });
});

describe("nat.source-port (§4.4)", () => {
  it("the source becomes the NAT gateway's address and a port from 1024; each flow gets its own port", () => {
    const e = engine(behindNat().yaml());
    const first = e.send(pkt("tcp 10.0.1.25:40000 > 93.184.216.34:443 SYN"));
    expect(first.received).toMatchObject({ source: "198.51.100.20", sourcePort: 1024, destination: "93.184.216.34", destinationPort: 443 });
    expect(first.hops.find((h) => h.component.kind === "nat-gateway")!.translation).toEqual({
      field: "source",
      from: "10.0.1.25:40000",
      to: "10.0.0.5:1024",
    });
    expect(e.send(pkt("tcp 10.0.1.25:40001 > 93.184.216.34:443 SYN")).received?.sourcePort).toBe(1025);
    // the same flow again keeps its port
    expect(e.send(pkt("tcp 10.0.1.25:40000 > 93.184.216.34:443 ACK")).received?.sourcePort).toBe(1024);
    const back = e.send(pkt("tcp 93.184.216.34:443 > 198.51.100.20:1025 SYN,ACK"));
    expect(back.received).toMatchObject({ destination: "10.0.1.25", destinationPort: 40001 });
  });

  it("an ICMP echo's identifier is the port: rewritten out, restored on the reply", () => {
    const e = engine(behindNat().yaml());
    const out = e.send(pkt("icmp 10.0.1.25:7 > 93.184.216.34 8/0"));
    expect(out.hops.find((h) => h.component.kind === "nat-gateway")!.translation).toEqual({
      field: "source",
      from: "10.0.1.25:7",
      to: "10.0.0.5:1024",
    });
    const back = e.send(pkt("icmp 93.184.216.34:1024 > 198.51.100.20 0/0"));
    expect(back.delivered).toBe(true);
    expect(back.received).toMatchObject({ destination: "10.0.1.25", icmpType: 0 });
    expect(back.hops.find((h) => h.component.kind === "nat-gateway")!.translation).toEqual({
      field: "destination",
      from: "10.0.0.5:1024",
      to: "10.0.1.25:7",
    });
  });

  it("so the NAT subnet's ACL must admit replies to 1024-65535, not only the clients' ephemeral range", () => {
    const acl = (from: number): AclSpec => ({
      inbound: [
        { rule: 100, action: "allow", protocol: "all", cidr: "10.0.0.0/16" },
        { rule: 200, action: "allow", protocol: "tcp", ports: `${from}-65535`, cidr: "0.0.0.0/0" },
      ],
      outbound: [{ rule: 100, action: "allow", protocol: "all", cidr: "0.0.0.0/0" }],
    });
    const linuxRange = engine(behindNat({ publicAcl: acl(32768) }).yaml());
    linuxRange.send(pkt("tcp 10.0.1.25:40000 > 93.184.216.34:443 SYN"));
    const r = linuxRange.send(pkt("tcp 93.184.216.34:443 > 198.51.100.20:1024 SYN,ACK"));
    expect(r.drop?.code).toBe("SUBNET_ACL_RESTRICTION");
    expect(r.drop?.component).toMatchObject({ kind: "network-acl", name: "public-acl", direction: "inbound" });
    const natRange = engine(behindNat({ publicAcl: acl(1024) }).yaml());
    natRange.send(pkt("tcp 10.0.1.25:40000 > 93.184.216.34:443 SYN"));
    expect(natRange.send(pkt("tcp 93.184.216.34:443 > 198.51.100.20:1024 SYN,ACK")).delivered).toBe(true);
  });
});

describe("nat.port-exhaustion (§4.4)", () => {
  it("one connection per port per destination, 64,512 in all, then NGW_PORT_ALLOCATION_ERROR", () => {
    const e = uncheckedEngine(behindNat().yaml());
    const inside = (i: number) => `10.0.1.25:${1024 + i}`;
    for (let i = 0; i < 64512; i++) {
      if (e.verdict(pkt(`tcp ${inside(i)} > 93.184.216.34:443 SYN`)) !== "delivered") throw new Error(`connection ${i} was refused`);
    }
    // a flow already translated keeps its port; a new one finds none
    expect(e.send(pkt("tcp 10.0.1.25:40000 > 93.184.216.34:443 ACK")).received?.sourcePort).toBe(40000);
    const r = e.send(pkt("tcp 10.0.1.25:1023 > 93.184.216.34:443 SYN"));
    expect(r.drop?.code).toBe("NGW_PORT_ALLOCATION_ERROR");
    expect(r.drop?.component).toEqual({ kind: "nat-gateway", name: "nat" });
    // another destination port is another destination, with all its ports free
    expect(e.send(pkt("tcp 10.0.1.25:1023 > 93.184.216.34:80 SYN")).received?.sourcePort).toBe(1024);
  });
  it("a port is free again once its flow has been idle past the timeout", () => {
    const e = uncheckedEngine(behindNat().yaml());
    for (let i = 0; i < 64512; i++) e.verdict(pkt(`tcp 10.0.1.25:${1024 + i} > 93.184.216.34:443 SYN`));
    expect(e.verdict(pkt("tcp 10.0.1.25:1023 > 93.184.216.34:443 SYN"))).toBe("NGW_PORT_ALLOCATION_ERROR");
    e.advance(351);
    const r = e.send(pkt("tcp 10.0.1.25:1023 > 93.184.216.34:443 SYN"));
    expect(r.delivered).toBe(true);
    expect(r.received?.sourcePort).toBeGreaterThanOrEqual(1024);
  });
});

describe("nat.idle-timeout (§4.4)", () => {
  it("a translation idle for 350 s is forgotten: the late reply is unsolicited", () => {
    const e = engine(behindNat().yaml());
    e.send(pkt("tcp 10.0.1.25:40000 > 93.184.216.34:443 SYN"));
    e.advance(350);
    expect(e.send(pkt("tcp 93.184.216.34:443 > 198.51.100.20:1024 ACK")).delivered).toBe(true);
    e.advance(351);
    const late = e.send(pkt("tcp 93.184.216.34:443 > 198.51.100.20:1024 ACK"));
    expect(late.drop?.code).toBe("NGW_UNSOLICITED_INBOUND");
    expect(late.drop?.component).toEqual({ kind: "nat-gateway", name: "nat" });
    // the drop says the translation was forgotten, after how long, and where the timeout is set
    expect(late.drop?.explanation).toContain(
      "nat forgot the translation this packet answers: it carried nothing for 351 s (last at t=350s)",
    );
    expect(late.drop?.explanation).toContain("idle timeout of 350 s (settings.nat-idle-timeout");
  });

  it("settings.nat-idle-timeout changes it", () => {
    const e = engine(behindNat({ settings: { "nat-idle-timeout": "60s" } }).yaml());
    e.send(pkt("udp 10.0.1.25:40000 > 93.184.216.34:53"));
    e.advance(61);
    expect(e.send(pkt("udp 93.184.216.34:53 > 198.51.100.20:1024")).drop?.code).toBe("NGW_UNSOLICITED_INBOUND");
  });
});

describe("nat.idle-reset (§4.4)", () => {
  it("after the idle timeout the inside host's next segment is answered with an RST, not translated anew; the connection is gone", () => {
    const e = engine(behindNat().yaml());
    expect(e.send(pkt("tcp 10.0.1.25:40000 > 93.184.216.34:443 SYN")).delivered).toBe(true);
    e.advance(350);
    expect(e.send(pkt("tcp 10.0.1.25:40000 > 93.184.216.34:443 ACK")).delivered).toBe(true);
    e.advance(400);
    const late = e.send(pkt("tcp 10.0.1.25:40000 > 93.184.216.34:443 ACK,PSH"));
    expect(late.drop?.code).toBe("NGW_CONNECTION_RESET");
    expect(late.drop?.component).toEqual({ kind: "nat-gateway", name: "nat" });
    expect(late.hops.at(-1)).toMatchObject({ component: { kind: "nat-gateway" }, action: "reset" });
    expect(late.hops.at(-1)?.note).toContain("answers 10.0.1.25:40000 with an RST");
    expect(late.drop?.explanation).toContain("carried nothing for 400 s (last at t=350s)");
    expect(late.drop?.explanation).toContain("idle timeout of 350 s (settings.nat-idle-timeout)");
    expect(late.drop?.fix).toContain("keepalives");
    // nothing was translated: the reply of the old mapping finds no flow
    expect(e.send(pkt("tcp 93.184.216.34:443 > 198.51.100.20:1024 ACK")).drop?.code).toBe("NGW_UNSOLICITED_INBOUND");
    // a new SYN opens a new translation
    expect(e.send(pkt("tcp 10.0.1.25:40000 > 93.184.216.34:443 SYN")).delivered).toBe(true);
  });

  it("the RST closes the sender's tracked flow, so its next segment needs an outbound rule", () => {
    const w = behindNat({ workerGroup: { outbound: [{ protocol: "tcp", ports: 443, destination: "93.184.216.34/32" }] } });
    const e = engine(w.yaml());
    e.send(pkt("tcp 10.0.1.25:40000 > 93.184.216.34:443 SYN"));
    e.advance(400);
    expect(e.send(pkt("tcp 10.0.1.25:40000 > 93.184.216.34:443 ACK")).drop?.code).toBe("NGW_CONNECTION_RESET");
    e.update((draft) => {
      draft.securityGroups["worker-sg"]!.outbound = [];
    });
    const next = e.send(pkt("tcp 10.0.1.25:40000 > 93.184.216.34:443 ACK"));
    expect(next.drop?.code).toBe("ENI_SG_RULES_MISMATCH");
  });

  it("only a SYN opens a translation: a segment of a connection never seen is reset; an RST is dropped unanswered", () => {
    const e = engine(behindNat().yaml());
    const r = e.send(pkt("tcp 10.0.1.25:40001 > 93.184.216.34:443 ACK"));
    expect(r.drop?.code).toBe("NGW_CONNECTION_RESET");
    expect(r.drop?.explanation).toContain("has no translation for this connection");
    const rst = e.send(pkt("tcp 10.0.1.25:40001 > 93.184.216.34:443 RST"));
    expect(rst.drop?.code).toBe("NGW_CONNECTION_RESET");
    expect(rst.hops.at(-1)).toMatchObject({ action: "deny", note: "an RST is not answered" });
    // UDP and ICMP are translated whatever they carry
    expect(e.send(pkt("udp 10.0.1.25:40000 > 93.184.216.34:53")).delivered).toBe(true);
  });
});

describe("nat.unsolicited (§4.4)", () => {
  it("a packet from outside that answers no translation is dropped, whatever the port", () => {
    const e = engine(behindNat().yaml());
    for (const port of [1024, 2000, 443]) {
      const r = e.send(pkt(`tcp 93.184.216.34:443 > 198.51.100.20:${port} SYN`));
      expect(r.drop?.code).toBe("NGW_UNSOLICITED_INBOUND");
      expect(r.drop?.component).toEqual({ kind: "nat-gateway", name: "nat" });
    }
    e.send(pkt("tcp 10.0.1.25:40000 > 93.184.216.34:443 SYN"));
    // the translation answers its own remote address and port only
    expect(e.send(pkt("tcp 93.184.216.34:444 > 198.51.100.20:1024 SYN,ACK")).drop?.code).toBe("NGW_UNSOLICITED_INBOUND");
    expect(e.send(pkt("tcp 198.51.100.7:443 > 198.51.100.20:1024 SYN,ACK")).drop?.code).toBe("NGW_UNSOLICITED_INBOUND");
    expect(e.send(pkt("tcp 93.184.216.34:443 > 198.51.100.20:1024 SYN,ACK")).delivered).toBe(true);
  });
});

describe("nat.not-destination (§4.4)", () => {
  it("the NAT gateway is never itself a destination, from its own subnet or another", () => {
    const e = engine(behindNat().instance("neighbour", { subnet: "public", "private-ip": "10.0.0.9" }).yaml());
    const r = e.send(pkt("tcp 10.0.1.25:40000 > 10.0.0.5:80 SYN"));
    expect(r.drop?.code).toBe("NGW_NOT_A_DESTINATION");
    expect(r.drop?.component).toEqual({ kind: "nat-gateway", name: "nat" });
    // from another subnet, the NAT subnet's ACL is read on the way in
    expect(hops(r).slice(-2)).toEqual(["route-table to-nat: forward", "network-acl default inbound: allow"]);
    expect(e.send(pkt("udp 10.0.0.9:40000 > 10.0.0.5:53")).drop?.code).toBe("NGW_NOT_A_DESTINATION");
  });
});

describe("eigw.egress-only (§4.5)", () => {
  /** IPv6 leaves only through the egress-only gateway: no route targets an internet gateway. */
  const egressOnly = () => behindNat().routeTable("to-internet", { routes: [] });

  it("connections opened from the VPC go out untranslated and their replies come in", () => {
    const e = engine(egressOnly().yaml());
    const out = e.send(pkt("tcp [2600:1f18:aaaa:bb01::25]:40000 > [2001:db8::34]:443 SYN"));
    expect(out.delivered).toBe(true);
    expect(out.received).toMatchObject({ source: "2600:1f18:aaaa:bb01::25", sourcePort: 40000 });
    expect(hops(out).slice(-2)).toEqual(["egress-only-internet-gateway: forward", "internet api6: deliver"]);
    const back = e.send(pkt("tcp [2001:db8::34]:443 > [2600:1f18:aaaa:bb01::25]:40000 SYN,ACK"));
    expect(back.delivered).toBe(true);
    expect(hops(back)).toEqual([
      "egress-only-internet-gateway: forward",
      "network-acl default inbound: allow",
      "security-groups worker inbound: allow",
      "interface worker: deliver",
    ]);
  });

  it("connections opened from the internet are dropped with EIGW_UNSOLICITED_INBOUND", () => {
    const e = engine(
      egressOnly()
        .group("worker-sg", { inbound: [{ protocol: "all", source: "::/0" }] })
        .yaml(),
    );
    const r = e.send(pkt("tcp [2001:db8::34]:443 > [2600:1f18:aaaa:bb01::25]:40001 SYN"));
    expect(r.drop?.code).toBe("EIGW_UNSOLICITED_INBOUND");
    expect(r.drop?.component).toEqual({ kind: "egress-only-internet-gateway" });
  });

  it("it forgets a flow after 350 s idle (vpcsim's choice)", () => {
    // the worker's own UDP entry is gone after 30 s: worker-sg lets the late reply in by rule
    const w = engine(
      egressOnly()
        .group("worker-sg", { inbound: [{ protocol: "udp", ports: "1024-65535", source: "::/0" }] })
        .yaml(),
    );
    w.send(pkt("udp [2600:1f18:aaaa:bb01::25]:40000 > [2001:db8::34]:53"));
    w.advance(350);
    expect(w.send(pkt("udp [2001:db8::34]:53 > [2600:1f18:aaaa:bb01::25]:40000")).delivered).toBe(true);
    w.advance(351);
    expect(w.send(pkt("udp [2001:db8::34]:53 > [2600:1f18:aaaa:bb01::25]:40000")).drop?.code).toBe("EIGW_UNSOLICITED_INBOUND");
  });

  it("it carries IPv6 only: an IPv4 route to it is refused", () => {
    expect(
      refusals(behindNat().routeTable("to-nat", { routes: [{ destination: "0.0.0.0/0", target: "egress-only-internet-gateway" }] })),
    ).toEqual(["route/family"]);
  });
});
