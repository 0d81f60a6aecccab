// Drop codes, aws-rules §5: every code the book lists is produced by its cause, and blames the part
// of the VPC the cause names. The lists are read from docs/aws-rules.md, so a code added to the book
// needs its case here.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Engine, PacketResult } from "../../src/index.js";
import { engine, pkt } from "../helpers.js";
import { behindNat, natInstance, publicWeb, routingLoop, twoTiers, uncheckedEngine, withFirewall } from "./worlds.js";

/** The codes a section of the book lists, as `- \`CODE\`: ...` items. */
function bookCodes(section: string): string[] {
  const text = readFileSync("docs/aws-rules.md", "utf8");
  const start = text.indexOf(`### ${section} `);
  const end = text.indexOf("\n### ", start + 1);
  expect(start, `section ${section} in docs/aws-rules.md`).toBeGreaterThan(0);
  return [...text.slice(start, end < 0 ? undefined : end).matchAll(/^- `([A-Z0-9_]+)`:/gm)].map((m) => m[1]!);
}

interface Case {
  /** the cause, in the book's words */
  readonly cause: string;
  readonly send: () => PacketResult;
  /** the kind of component blamed */
  readonly blames: string;
}

/** Fills 64,512 ports of one destination, as nat.port-exhaustion does (without the reference check: see uncheckedEngine). */
function exhaust(e: Engine, inside: string): Engine {
  for (let i = 0; i < 64512; i++) {
    if (e.verdict(pkt(`tcp ${inside}:${1024 + i} > 93.184.216.34:443 SYN`)) !== "delivered") throw new Error(`connection ${i} was refused`);
  }
  return e;
}

const REACHABILITY_ANALYZER: Record<string, Case> = {
  ...Object.fromEntries(
    (
      [
        ["IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS", "private", "tcp 10.0.1.10:40000 > 192.168.1.5:443 SYN"],
        ["IGW_DESTINATION_ADDRESS_NOT_IN_RFC6598_EGRESS", "shared", "tcp 10.0.1.10:40000 > 100.64.1.5:443 SYN"],
        ["IGW_SOURCE_ADDRESS_NOT_IN_RFC1918_INGRESS", "private", "tcp 192.168.1.5:40000 > 203.0.113.10:443 SYN"],
        ["IGW_SOURCE_ADDRESS_NOT_IN_RFC6598_INGRESS", "shared", "tcp 100.64.1.5:40000 > 203.0.113.10:443 SYN"],
      ] as const
    ).map(([code, space, spec]): [string, Case] => [
      code,
      {
        cause: `the internet gateway meets a ${space} address`,
        send: () =>
          engine(publicWeb().internetHost("office", { ip: "192.168.1.5" }).internetHost("carrier", { ip: "100.64.1.5" }).yaml()).send(
            pkt(spec),
          ),
        blames: "internet-gateway",
      },
    ]),
  ),
  SG_REFERENCES_NOT_PRESERVED: {
    cause: "only a group reference would admit a packet an appliance forwarded",
    send: () =>
      engine(
        withFirewall(false)
          .group("db-sg", { inbound: [{ protocol: "tcp", ports: 5432, source: "app-sg" }] })
          .yaml(),
      ).send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5432 SYN")),
    blames: "security-groups",
  },
  ENI_SG_RULES_MISMATCH: {
    cause: "no group rule and no tracked entry lets the packet through",
    send: () => engine(twoTiers({ dataAcl: "default" }).yaml()).send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:22 SYN")),
    blames: "security-groups",
  },
  SUBNET_ACL_RESTRICTION: {
    cause: "the subnet's ACL denies it",
    send: () => engine(twoTiers().yaml()).send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:22 SYN")),
    blames: "network-acl",
  },
  NO_ROUTE_TO_DESTINATION: {
    cause: "the route table has no route for the destination",
    send: () => engine(twoTiers().yaml()).send(pkt("tcp 10.0.1.10:40000 > 198.51.100.1:443 SYN")),
    blames: "route-table",
  },
  BAD_STATE_ROUTE: {
    cause: "the matching route is a blackhole",
    send: () =>
      engine(
        twoTiers()
          .routeTable("main", { main: true, routes: [{ destination: "0.0.0.0/0", target: "blackhole" }] })
          .yaml(),
      ).send(pkt("tcp 10.0.1.10:40000 > 198.51.100.1:443 SYN")),
    blames: "route-table",
  },
  IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS: {
    cause: "the sender has no public IPv4 for the internet gateway",
    send: () =>
      engine(publicWeb().instance("priv", { subnet: "pub", "private-ip": "10.0.1.11" }).yaml()).send(
        pkt("tcp 10.0.1.11:40000 > 198.51.100.7:443 SYN"),
      ),
    blames: "internet-gateway",
  },
  IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS: {
    cause: "a packet from the internet targets a private address",
    send: () => engine(publicWeb().yaml()).send(pkt("tcp 198.51.100.7:50000 > 10.0.1.10:443 SYN")),
    blames: "internet-gateway",
  },
  PROTOCOL_RESTRICTION: {
    cause: "a NAT gateway got a protocol other than TCP, UDP or ICMP",
    send: () => engine(behindNat().yaml()).send(pkt("47 10.0.1.25 > 93.184.216.34")),
    blames: "nat-gateway",
  },
  ENI_SOURCE_DEST_CHECK_RESTRICTION: {
    cause: "an interface with the check on meets a packet not its own",
    send: () => engine(withFirewall(true).yaml()).send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5432 SYN")),
    blames: "interface",
  },
};

const VPCSIM: Record<string, Case> = {
  NGW_UNSOLICITED_INBOUND: {
    cause: "a packet from outside answers no live NAT gateway translation",
    send: () => engine(behindNat().yaml()).send(pkt("tcp 93.184.216.34:443 > 198.51.100.20:1024 SYN")),
    blames: "nat-gateway",
  },
  NGW_CONNECTION_RESET: {
    cause: "the NAT gateway resets a TCP segment of a connection it no longer knows",
    send: () => engine(behindNat().yaml()).send(pkt("tcp 10.0.1.25:40000 > 93.184.216.34:443 ACK")),
    blames: "nat-gateway",
  },
  NGW_NOT_A_DESTINATION: {
    cause: "a packet is addressed to the NAT gateway itself",
    send: () => engine(behindNat().yaml()).send(pkt("tcp 10.0.1.25:40000 > 10.0.0.5:80 SYN")),
    blames: "nat-gateway",
  },
  NGW_PORT_ALLOCATION_ERROR: {
    cause: "the NAT gateway has no free port for this destination",
    send: () => exhaust(uncheckedEngine(behindNat().yaml()), "10.0.1.25").send(pkt("tcp 10.0.1.25:1023 > 93.184.216.34:443 SYN")),
    blames: "nat-gateway",
  },
  NAT_INSTANCE_PORT_ALLOCATION_ERROR: {
    cause: "a NAT instance has no free port for this destination",
    send: () => exhaust(uncheckedEngine(natInstance(false).yaml()), "10.0.1.25").send(pkt("tcp 10.0.1.25:1023 > 93.184.216.34:443 SYN")),
    blames: "interface",
  },
  EIGW_UNSOLICITED_INBOUND: {
    cause: "the internet tries to open an IPv6 connection through an egress-only gateway",
    send: () =>
      engine(behindNat().routeTable("to-internet", { routes: [] }).yaml()).send(
        pkt("tcp [2001:db8::34]:443 > [2600:1f18:aaaa:bb01::25]:40000 SYN"),
      ),
    blames: "egress-only-internet-gateway",
  },
  NO_INTERFACE_AT_DESTINATION: {
    cause: "the destination is in the VPC but no interface owns it",
    send: () => engine(twoTiers().yaml()).send(pkt("tcp 10.0.1.10:40000 > 10.0.2.99:5432 SYN")),
    blames: "vpc",
  },
  NO_PATH: {
    cause: "no interface owns the source, nothing owns the destination, or inbound IPv6 finds no gateway",
    send: () => {
      const e = engine(publicWeb().yaml());
      expect(e.send(pkt("tcp 10.0.1.99:40000 > 10.0.1.10:22 SYN")).drop).toMatchObject({ code: "NO_PATH", component: { kind: "vpc" } });
      expect(
        engine(publicWeb().routeTable("to-internet", { routes: [] }).yaml()).send(
          pkt("tcp [2001:db8::7]:50000 > [2600:1f18:aaaa:bb01::10]:443 SYN"),
        ).drop?.code,
      ).toBe("NO_PATH");
      return e.send(pkt("tcp 198.51.100.7:50000 > 203.0.113.99:443 SYN"));
    },
    blames: "internet",
  },
  UNMODELLED_TARGET: {
    cause: "the matching route sends the packet to a resource vpcsim does not model, named by its ID",
    send: () =>
      engine(
        twoTiers()
          .routeTable("main", { main: true, routes: [{ destination: "0.0.0.0/0", target: { unmodelled: "tgw-0abc" } }] })
          .yaml(),
      ).send(pkt("tcp 10.0.1.10:40000 > 198.51.100.1:443 SYN")),
    blames: "route-table",
  },
  ROUTING_LOOP: {
    cause: "the packet passed through too many gateways and appliances",
    send: () => engine(routingLoop().yaml()).send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5432 SYN")),
    blames: "interface",
  },
};

describe("codes.reachability-analyzer (§5.1)", () => {
  it("the book's list of Reachability Analyzer codes is the list tested here", () => {
    expect(Object.keys(REACHABILITY_ANALYZER).sort()).toEqual(bookCodes("§5.1").sort());
  });

  it.each(Object.entries(REACHABILITY_ANALYZER).map(([code, c]) => ({ code, ...c })))("$code when $cause", (c) => {
    const r = c.send();
    expect(r.delivered).toBe(false);
    expect(r.drop?.code).toBe(c.code);
    expect(r.drop?.component.kind).toBe(c.blames);
    expect(r.drop?.explanation.length).toBeGreaterThan(20);
  });
});

describe("codes.vpcsim (§5.2)", () => {
  it("the book's list of vpcsim's own codes is the list tested here", () => {
    expect(Object.keys(VPCSIM).sort()).toEqual(bookCodes("§5.2").sort());
  });

  it.each(Object.entries(VPCSIM).map(([code, c]) => ({ code, ...c })))("$code when $cause", (c) => {
    const r = c.send();
    expect(r.delivered).toBe(false);
    expect(r.drop?.code).toBe(c.code);
    expect(r.drop?.component.kind).toBe(c.blames);
    expect(r.drop?.explanation.length).toBeGreaterThan(20);
  });
});
