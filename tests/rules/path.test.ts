// The order in which a packet meets the VPC's parts, and its reply, aws-rules §4.7.
import { describe, expect, it } from "vitest";
import { engine, pkt } from "../helpers.js";
import { at, behindNat, FAMILIES, hops, twoTiers } from "./worlds.js";

describe("path.order (§4.7)", () => {
  it.each(FAMILIES)("from A to B: A's groups out, A's subnet ACL out, A's route table, B's subnet ACL in, B's groups in ($name)", (f) => {
    const r = engine(twoTiers().yaml()).send(pkt(`tcp ${at(f.app, 40000)} > ${at(f.db, 5432)} SYN`));
    expect(r.delivered).toBe(true);
    expect(hops(r)).toEqual([
      "security-groups app outbound: allow",
      "network-acl default outbound: allow",
      "route-table main: forward",
      "network-acl data-acl inbound: allow",
      "security-groups db inbound: allow",
      "interface db: deliver",
    ]);
  });

  it("a gateway on the way brings its subnet's ACL in and out, then that subnet's route table", () => {
    const r = engine(behindNat().yaml()).send(pkt("tcp 10.0.1.25:40000 > 93.184.216.34:443 SYN"));
    expect(hops(r)).toEqual([
      "security-groups worker outbound: allow",
      "network-acl default outbound: allow",
      "route-table to-nat: forward",
      "network-acl default inbound: allow",
      "nat-gateway nat: translate",
      "network-acl default outbound: allow",
      "route-table to-internet: forward",
      "internet-gateway: translate",
      "internet api: deliver",
    ]);
    expect(r.hops.filter((h) => h.component.kind === "network-acl").map((h) => h.component)).toEqual([
      { kind: "network-acl", name: "default", subnet: "private", direction: "outbound" },
      { kind: "network-acl", name: "default", subnet: "public", direction: "inbound" },
      { kind: "network-acl", name: "default", subnet: "public", direction: "outbound" },
    ]);
  });

  it.each(FAMILIES)(
    "inbound the ACL comes before the groups, outbound the groups before the ACL; the first drop ends the packet ($name)",
    (f) => {
      // data-acl denies everything and db-sg allows nothing either way: which one is blamed tells the order
      const e = engine(twoTiers({ dataAcl: {}, dbInbound: [] }).yaml());
      const into = e.send(pkt(`tcp ${at(f.app, 40000)} > ${at(f.db, 5432)} SYN`));
      expect(into.drop?.component).toMatchObject({ kind: "network-acl", name: "data-acl", direction: "inbound" });
      expect(hops(into).at(-1)).toBe("network-acl data-acl inbound: deny");
      const out = e.send(pkt(`tcp ${at(f.db, 40000)} > ${at(f.app, 5432)} SYN`));
      expect(out.drop?.component).toMatchObject({ kind: "security-groups", instance: "db", direction: "outbound" });
      expect(hops(out)).toEqual(["security-groups db outbound: deny"]);
    },
  );
});

describe("path.reply (§4.7)", () => {
  it.each(FAMILIES)("a reply takes the same steps from B back to A: groups pass it as tracked, ACLs judge it afresh ($name)", (f) => {
    const e = engine(twoTiers().yaml());
    e.send(pkt(`tcp ${at(f.app, 40000)} > ${at(f.db, 5432)} SYN`));
    const reply = e.send(pkt(`tcp ${at(f.db, 5432)} > ${at(f.app, 40000)} SYN,ACK`));
    expect(hops(reply)).toEqual([
      "security-groups db outbound: allow",
      "network-acl data-acl outbound: allow",
      "route-table main: forward",
      "network-acl default inbound: allow",
      "security-groups app inbound: allow",
      "interface app: deliver",
    ]);
    const rules = reply.hops.map((h) => h.rule ?? "");
    expect(rules[0]).toMatch(/^reply of tracked connection/);
    expect(rules[1]).toMatch(/^1[01]0 allow tcp ports 1024-65535 to /);
    expect(rules[4]).toMatch(/^reply of tracked connection/);
    // an ACL change hits the reply although the groups still track the flow
    e.update((w) => {
      w.networkAcls["data-acl"]!.outbound = [];
    });
    const cut = e.send(pkt(`tcp ${at(f.db, 5432)} > ${at(f.app, 40000)} ACK`));
    expect(hops(cut)).toEqual(["security-groups db outbound: allow", "network-acl data-acl outbound: deny"]);
  });

  it("the reply through a NAT gateway retraces the request's steps in reverse", () => {
    const e = engine(behindNat().yaml());
    e.send(pkt("tcp 10.0.1.25:40000 > 93.184.216.34:443 SYN"));
    expect(hops(e.send(pkt("tcp 93.184.216.34:443 > 198.51.100.20:1024 SYN,ACK")))).toEqual([
      "internet-gateway: translate",
      "network-acl default inbound: allow",
      "nat-gateway nat: translate",
      "network-acl default outbound: allow",
      "route-table to-internet: forward",
      "network-acl default inbound: allow",
      "security-groups worker inbound: allow",
      "interface worker: deliver",
    ]);
  });
});
