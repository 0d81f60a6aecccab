// Route tables and the same-subnet case, aws-rules §4.1-§4.2: one describe per rule id.
import { describe, expect, it } from "vitest";
import { engine, pkt } from "../helpers.js";
import type { RouteSpec } from "../world-builder.js";
import { at, behindNat, FAMILIES, hops, refusals, routingLoop, twoTiers, withFirewall } from "./worlds.js";

/** twoTiers whose main route table holds `routes`; pubapp (10.0.1.12, public 203.0.113.12) may use the internet gateway. */
const mainRoutes = (...routes: RouteSpec[]) =>
  twoTiers({ dataAcl: "default" })
    .routeTable("main", { main: true, routes })
    .instance("pubapp", { subnet: "app", "private-ip": "10.0.1.12", "public-ip": "203.0.113.12" });
const routeHop = (r: { hops: readonly { component: { kind: string }; rule?: string }[] }) =>
  r.hops.find((h) => h.component.kind === "route-table")!.rule;

describe("route.longest-prefix (§4.1)", () => {
  it("among the routes holding the destination the longest prefix wins, whatever their order", () => {
    const e = engine(
      mainRoutes(
        { destination: "0.0.0.0/0", target: "internet-gateway" },
        { destination: "198.51.100.0/24", target: "blackhole" },
        { destination: "198.51.100.0/25", target: "internet-gateway" },
      ).yaml(),
    );
    const narrow = e.send(pkt("tcp 10.0.1.12:40000 > 198.51.100.7:443 SYN"));
    expect(narrow.delivered).toBe(true);
    expect(routeHop(narrow)).toBe("198.51.100.0/25 → internet-gateway");
    const middle = e.send(pkt("tcp 10.0.1.12:40000 > 198.51.100.200:443 SYN"));
    expect(middle.drop?.code).toBe("BAD_STATE_ROUTE");
    expect(routeHop(middle)).toBe("198.51.100.0/24 → blackhole");
    const wide = e.send(pkt("tcp 10.0.1.12:40000 > 192.0.2.1:443 SYN"));
    expect(wide.delivered).toBe(true);
    expect(routeHop(wide)).toBe("0.0.0.0/0 → internet-gateway");
  });

  it("IPv6 likewise, looked up apart from IPv4: 0.0.0.0/0 does not cover IPv6, ::/0 does not cover IPv4", () => {
    const e = engine(
      mainRoutes({ destination: "::/0", target: "blackhole" }, { destination: "2001:db8::/32", target: "internet-gateway" }).yaml(),
    );
    const narrow = e.send(pkt("tcp [2600:1f18:aaaa:bb01::10]:40000 > [2001:db8::7]:443 SYN"));
    expect(narrow.delivered).toBe(true);
    expect(routeHop(narrow)).toBe("2001:db8::/32 → internet-gateway");
    expect(e.send(pkt("tcp [2600:1f18:aaaa:bb01::10]:40000 > [2001:db9::7]:443 SYN")).drop?.code).toBe("BAD_STATE_ROUTE");
    expect(e.send(pkt("tcp 10.0.1.12:40000 > 198.51.100.7:443 SYN")).drop?.code).toBe("NO_ROUTE_TO_DESTINATION");
    const v4only = engine(mainRoutes({ destination: "0.0.0.0/0", target: "internet-gateway" }).yaml());
    expect(v4only.send(pkt("tcp [2600:1f18:aaaa:bb01::10]:40000 > [2001:db8::7]:443 SYN")).drop?.code).toBe("NO_ROUTE_TO_DESTINATION");
  });
});

describe("route.local (§4.1)", () => {
  it.each([
    { ...FAMILIES[0], local: "10.0.0.0/16 → local" },
    { ...FAMILIES[1], local: "2600:1f18:aaaa:bb00::/56 → local" },
  ])("each VPC block has an implicit local route that wins over a wider route ($name)", (f) => {
    const e = engine(
      mainRoutes(
        { destination: "0.0.0.0/0", target: "blackhole" },
        { destination: "10.0.0.0/8", target: "blackhole" },
        { destination: "::/0", target: "blackhole" },
      ).yaml(),
    );
    const r = e.send(pkt(`tcp ${at(f.app, 40000)} > ${at(f.db, 5432)} SYN`));
    expect(r.delivered).toBe(true);
    expect(routeHop(r)).toBe(f.local);
    expect(e.send(pkt("tcp 10.0.1.10:40000 > 10.9.0.1:443 SYN")).drop?.code).toBe("BAD_STATE_ROUTE");
  });

  it("a secondary VPC block has its local route too", () => {
    const e = engine(
      twoTiers({ dataAcl: "default" })
        .vpc(["10.0.0.0/16", "100.64.0.0/16"], { ipv6: "2600:1f18:aaaa:bb00::/56" })
        .subnet("extra", { cidr: "100.64.1.0/24" })
        .instance("far", { subnet: "extra", "private-ip": "100.64.1.10", "security-groups": ["db-sg"] })
        .yaml(),
    );
    const r = e.send(pkt("tcp 10.0.1.10:40000 > 100.64.1.10:5432 SYN"));
    expect(r.delivered).toBe(true);
    expect(routeHop(r)).toBe("100.64.0.0/16 → local");
  });

  it("the local route cannot be replaced: a route for a VPC block is refused", () => {
    expect(refusals(twoTiers().routeTable("main", { main: true, routes: [{ destination: "10.0.0.0/16", target: "blackhole" }] }))).toEqual([
      "route/local",
    ]);
    expect(
      refusals(twoTiers().routeTable("main", { main: true, routes: [{ destination: "2600:1f18:aaaa:bb00::/56", target: "blackhole" }] })),
    ).toEqual(["route/local"]);
  });

  it.each(FAMILIES)("the local route delivers to the VPC address only an interface owns: else NO_INTERFACE_AT_DESTINATION ($name)", (f) => {
    const nobody = f.name === "IPv4" ? "10.0.2.99" : "2600:1f18:aaaa:bb02::99";
    const r = engine(twoTiers().yaml()).send(pkt(`tcp ${at(f.app, 40000)} > ${at(nobody, 5432)} SYN`));
    expect(r.drop?.code).toBe("NO_INTERFACE_AT_DESTINATION");
    expect(r.drop?.component).toEqual({ kind: "vpc", subnet: "data" });
    // the subnet's ACL was read on the way in
    expect(hops(r).at(-1)).toBe("network-acl data-acl inbound: allow");
  });
});

describe("route.blackhole (§4.1)", () => {
  it("a blackhole route drops", () => {
    const e = engine(
      twoTiers()
        .routeTable("main", { main: true, routes: [{ destination: "192.0.2.0/24", target: "blackhole" }] })
        .yaml(),
    );
    expect(e.send(pkt("tcp 10.0.1.10:40000 > 192.0.2.1:80 SYN")).drop?.code).toBe("BAD_STATE_ROUTE");
  });

  it.each([
    { name: "IPv4", src: "10.0.1.10:40000", dst: "192.0.2.1:80" },
    { name: "IPv6", src: "[2600:1f18:aaaa:bb01::10]:40000", dst: "[2001:db8::1]:80" },
  ])("the route table is blamed, after the source's filters passed ($name)", (f) => {
    const e = engine(
      mainRoutes({ destination: "192.0.2.0/24", target: "blackhole" }, { destination: "2001:db8::/32", target: "blackhole" }).yaml(),
    );
    const r = e.send(pkt(`tcp ${f.src} > ${f.dst} SYN`));
    expect(r.drop?.code).toBe("BAD_STATE_ROUTE");
    expect(r.drop?.component).toEqual({ kind: "route-table", name: "main", subnet: "app" });
    expect(hops(r)).toEqual(["security-groups app outbound: allow", "network-acl default outbound: allow", "route-table main: deny"]);
    expect(r.hops.at(-1)?.note).toBe("blackhole: the route's target no longer exists");
  });
});

describe("route.unmodelled (§4.1)", () => {
  it.each([
    { name: "IPv4", src: "10.0.1.10:40000", dst: "192.0.2.1:80", route: "192.0.2.0/24" },
    { name: "IPv6", src: "[2600:1f18:aaaa:bb01::10]:40000", dst: "[2001:db8::1]:80", route: "2001:db8::/32" },
  ])("a route to a stand-in stops the packet with UNMODELLED_TARGET naming its ID, after the source's filters ($name)", (f) => {
    const e = engine(
      mainRoutes(
        { destination: "192.0.2.0/24", target: { unmodelled: "tgw-0abc" } },
        { destination: "2001:db8::/32", target: { unmodelled: "tgw-0abc" } },
      ).yaml(),
    );
    const r = e.send(pkt(`tcp ${f.src} > ${f.dst} SYN`));
    expect(r.drop?.code).toBe("UNMODELLED_TARGET");
    expect(r.drop?.component).toEqual({ kind: "route-table", name: "main", subnet: "app" });
    expect(r.drop?.explanation).toContain(`Route ${f.route} in main sends the packet to transit gateway tgw-0abc`);
    expect(routeHop(r)).toBe(`${f.route} → unmodelled tgw-0abc`);
  });

  it("a stand-in may take a whole subnet's block inside the VPC, as a firewall endpoint does", () => {
    const e = engine(mainRoutes({ destination: "10.0.2.0/24", target: { unmodelled: "vpce-0fw" } }).yaml());
    const r = e.send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5432 SYN"));
    expect(r.drop?.code).toBe("UNMODELLED_TARGET");
    expect(r.drop?.explanation).toContain("VPC endpoint vpce-0fw");
  });
});

describe("route.no-route (§4.1)", () => {
  it("no route drops with NO_ROUTE_TO_DESTINATION", () => {
    const e = engine(
      twoTiers()
        .routeTable("main", { main: true, routes: [{ destination: "192.0.2.0/24", target: "blackhole" }] })
        .yaml(),
    );
    expect(e.send(pkt("tcp 10.0.1.10:40000 > 198.51.100.1:80 SYN")).drop?.code).toBe("NO_ROUTE_TO_DESTINATION");
  });

  it.each([
    { name: "IPv4", src: "10.0.1.10:40000", dst: "198.51.100.1:80" },
    { name: "IPv6", src: "[2600:1f18:aaaa:bb01::10]:40000", dst: "[2001:db8::1]:80" },
  ])("a subnet with only the local route reaches nothing outside the VPC; its route table is blamed ($name)", (f) => {
    const r = engine(twoTiers().yaml()).send(pkt(`tcp ${f.src} > ${f.dst} SYN`));
    expect(r.drop?.code).toBe("NO_ROUTE_TO_DESTINATION");
    expect(r.drop?.component).toEqual({ kind: "route-table", name: "main", subnet: "app" });
    // the trace ends at the table consulted, with what it holds
    const v4 = f.name === "IPv4";
    expect(r.hops.at(-1)).toMatchObject({
      component: { kind: "route-table", name: "main" },
      action: "deny",
      rule: `no route covers ${f.dst.replace(/^\[?([^\]]*?)\]?:\d+$/, "$1")}`,
      note: v4 ? "IPv4 routes of main: 10.0.0.0/16 → local" : "IPv6 routes of main: 2600:1f18:aaaa:bb00::/56 → local",
    });
  });
});

describe("route.no-route (§4.1): the fix names a target", () => {
  it("a sender with a public address is sent to the internet gateway; a private one to a NAT gateway of another subnet; IPv6 to the egress-only gateway if one is in use", () => {
    const pub = engine(mainRoutes().yaml()).send(pkt("tcp 10.0.1.12:40000 > 198.51.100.1:80 SYN"));
    expect(pub.drop?.fix).toBe("add the route 0.0.0.0/0 → internet-gateway to route table main");
    expect(pub.drop?.narrower).toBe("add the route 198.51.100.1/32 → internet-gateway to route table main (this destination only)");
    const w = behindNat().routeTable("to-nat", { routes: [] });
    const e = engine(w.yaml());
    expect(e.send(pkt("tcp 10.0.1.25:40000 > 93.184.216.34:443 SYN")).drop?.fix).toBe(
      "add the route 0.0.0.0/0 → nat-gateway nat to route table to-nat",
    );
    // no route names an egress-only gateway any more, so IPv6 goes to the internet gateway
    expect(e.send(pkt("tcp [2600:1f18:aaaa:bb01::25]:40000 > [2001:db8::34]:443 SYN")).drop?.fix).toBe(
      "add the route ::/0 → internet-gateway to route table to-nat",
    );
    const v6only = engine(
      behindNat()
        .routeTable("to-nat", { routes: [{ destination: "0.0.0.0/0", target: "nat" }] })
        .routeTable("to-internet", {
          routes: [
            { destination: "0.0.0.0/0", target: "internet-gateway" },
            { destination: "::/0", target: "egress-only-internet-gateway" },
          ],
        })
        .yaml(),
    );
    expect(v6only.send(pkt("tcp [2600:1f18:aaaa:bb01::25]:40000 > [2001:db8::34]:443 SYN")).drop?.fix).toBe(
      "add the route ::/0 → egress-only-internet-gateway to route table to-nat",
    );
  });
});

describe("route.middlebox-subnet (§4.1)", () => {
  it("a route more specific than local is accepted for exactly one subnet's block toward an instance or NAT gateway", () => {
    expect(refusals(withFirewall(false))).toEqual([]);
    expect(refusals(twoTiers().routeTable("main", { main: true, routes: [{ destination: "10.0.2.0/25", target: "db" }] }))).toEqual([
      "route/local",
    ]);
    expect(
      refusals(twoTiers().routeTable("main", { main: true, routes: [{ destination: "10.0.2.0/24", target: "internet-gateway" }] })),
    ).toEqual(["route/local"]);
  });

  it.each(FAMILIES)("traffic for that subnet goes through the middlebox instead of straight by the local route ($name)", (f) => {
    const r = engine(withFirewall(false).yaml()).send(pkt(`tcp ${at(f.app, 40000)} > ${at(f.db, 5432)} SYN`));
    expect(r.delivered).toBe(true);
    expect(routeHop(r)).toBe(`${f.dataNet} → instance firewall`);
    expect(hops(r)).toContain("interface firewall: forward");
  });
});

describe("route.loop (§4.1)", () => {
  it("a packet passing too many gateways and appliances is dropped with ROUTING_LOOP", () => {
    const loop = routingLoop();
    const r = engine(loop.yaml()).send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5432 SYN"));
    expect(r.delivered).toBe(false);
    expect(r.drop?.code).toBe("ROUTING_LOOP");
    const forwards = hops(r).filter((h) => h.endsWith(": forward") && h.startsWith("interface"));
    expect(forwards.slice(0, 4)).toEqual([
      "interface fw1: forward",
      "interface fw2: forward",
      "interface fw1: forward",
      "interface fw2: forward",
    ]);
    expect(forwards.length).toBeGreaterThan(4);
    expect(r.drop?.component.kind).toBe("interface");
    // break the loop: s2 sends the data subnet by the local route, and the packet arrives
    const fixed = engine(loop.subnet("s2", { cidr: "10.0.4.0/24" }).yaml()).send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5432 SYN"));
    expect(fixed.delivered).toBe(true);
  });
});

describe("route.same-subnet (§4.2)", () => {
  it("traffic within a subnet meets no network ACL", () => {
    const e = engine(
      twoTiers()
        .instance("db2", { subnet: "data", "private-ip": "10.0.2.21", "security-groups": ["app-sg"] })
        .yaml(),
    );
    const r = e.send(pkt("tcp 10.0.2.21:40000 > 10.0.2.20:5432 SYN"));
    expect(r.hops.some((h) => h.component.kind === "network-acl")).toBe(false);
    // data-acl would deny 10.0.2.21 (it allows 10.0.1.0/24 only), so delivery shows it was skipped
    expect(r.delivered).toBe(true);
  });

  it.each([
    { name: "IPv4", db2: "10.0.2.21", db: "10.0.2.20" },
    { name: "IPv6", db2: "2600:1f18:aaaa:bb02::21", db: "2600:1f18:aaaa:bb02::20" },
  ])("both interfaces' groups still apply, with the route table's note in between ($name)", (f) => {
    const e = engine(
      twoTiers()
        .instance("db2", { subnet: "data", "private-ip": "10.0.2.21", ipv6: "2600:1f18:aaaa:bb02::21", "security-groups": ["app-sg"] })
        .yaml(),
    );
    const ok = e.send(pkt(`tcp ${at(f.db2, 40000)} > ${at(f.db, 5432)} SYN`));
    expect(hops(ok)).toEqual([
      "security-groups db2 outbound: allow",
      "route-table main: forward",
      "security-groups db inbound: allow",
      "interface db: deliver",
    ]);
    expect(ok.hops[1]!.note).toBe("same subnet: network ACLs are not evaluated");
    const refused = e.send(pkt(`tcp ${at(f.db2, 40000)} > ${at(f.db, 22)} SYN`));
    expect(refused.drop?.component).toMatchObject({ kind: "security-groups", instance: "db", direction: "inbound" });
    const out = e.send(pkt(`tcp ${at(f.db, 40000)} > ${at(f.db2, 22)} SYN`));
    expect(out.drop?.component).toMatchObject({ kind: "security-groups", instance: "db", direction: "outbound" });
  });
});
