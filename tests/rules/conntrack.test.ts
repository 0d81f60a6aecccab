// Connection tracking of security groups, aws-rules §3.1-§3.6: one describe per rule id.
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadScenario, simulate } from "../../src/index.js";
import { makePacket } from "../../src/model/packet.js";
import { icmpErrorAbout } from "../../src/scenario/icmp-error.js";
import { runScenario } from "../../src/scenario/run.js";
import { engine, pkt, scenario } from "../helpers.js";
import type { GroupRule, SettingsSpec } from "../world-builder.js";
import { world } from "../world-builder.js";
import { at, behindNat, FAMILIES, publicWeb, twoTiers } from "./worlds.js";

const TRACKED_REPLY = /^reply of tracked connection #\d+/;

describe("conntrack.reply-passes (§3.1)", () => {
  it("the reply of a tracked flow passes security groups without a rule, IPv4 and IPv6", () => {
    for (const [req, rep] of [
      ["tcp 10.0.1.10:40000 > 10.0.2.20:5432 SYN", "tcp 10.0.2.20:5432 > 10.0.1.10:40000 SYN,ACK"],
      [
        "tcp [2600:1f18:aaaa:bb01::10]:40000 > [2600:1f18:aaaa:bb02::20]:5432 SYN",
        "tcp [2600:1f18:aaaa:bb02::20]:5432 > [2600:1f18:aaaa:bb01::10]:40000 SYN,ACK",
      ],
    ] as const) {
      const e = engine(twoTiers().yaml());
      expect(e.send(pkt(req)).delivered).toBe(true);
      const r = e.send(pkt(rep));
      expect(r.delivered).toBe(true);
      expect(r.hops[0]!.rule).toMatch(TRACKED_REPLY);
    }
  });

  it("without a tracked entry the same reply-looking packet is denied by db-sg's empty outbound", () => {
    const r = engine(twoTiers().yaml()).send(pkt("tcp 10.0.2.20:5432 > 10.0.1.10:40000 SYN,ACK"));
    expect(r.drop?.code).toBe("ENI_SG_RULES_MISMATCH");
    expect(r.drop?.component).toMatchObject({ kind: "security-groups", instance: "db", direction: "outbound" });
  });

  it.each(FAMILIES)("the entry is keyed by addresses and ports: a reply to another client port is not a reply ($name)", (f) => {
    const e = engine(twoTiers().yaml());
    e.send(pkt(`tcp ${at(f.app, 40000)} > ${at(f.db, 5432)} SYN`));
    const other = e.send(pkt(`tcp ${at(f.db, 5432)} > ${at(f.app, 40001)} SYN,ACK`));
    expect(other.drop?.component).toMatchObject({ kind: "security-groups", instance: "db", direction: "outbound" });
    // the tracked reply also enters app, whose app-sg has no inbound rule at all
    const reply = e.send(pkt(`tcp ${at(f.db, 5432)} > ${at(f.app, 40000)} SYN,ACK`));
    expect(reply.hops.at(-2)).toMatchObject({
      component: { kind: "security-groups", instance: "app", direction: "inbound" },
      action: "allow",
    });
    expect(reply.hops.at(-2)!.rule).toMatch(TRACKED_REPLY);
  });
});

describe("conntrack.rule-removal-keeps (§3.1)", () => {
  it("removing a rule keeps a tracked connection alive", () => {
    const e = engine(twoTiers().yaml());
    e.send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5432 SYN"));
    e.update((w) => {
      w.securityGroups["db-sg"]!.inbound = [];
    });
    expect(e.send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5432 ACK")).delivered).toBe(true);
    expect(e.send(pkt("tcp 10.0.1.10:40001 > 10.0.2.20:5432 SYN")).delivered).toBe(false);
  });

  it("verdict-only mode gives the verdicts of full traces, and meets a new connection with the changed rules", () => {
    const flows = [
      "tcp 10.0.1.10:40000 > 10.0.2.20:5432 SYN",
      "tcp 10.0.2.20:5432 > 10.0.1.10:40000 SYN,ACK",
      "tcp 10.0.1.10:40001 > 10.0.2.20:22 SYN",
      "tcp [2600:1f18:aaaa:bb01::10]:40000 > [2600:1f18:aaaa:bb02::20]:5432 SYN",
      "tcp [2600:1f18:aaaa:bb02::20]:5432 > [2600:1f18:aaaa:bb01::10]:40000 SYN,ACK",
    ];
    const traced = engine(twoTiers().yaml());
    const bulk = engine(twoTiers().yaml());
    for (const f of flows) {
      const r = traced.send(pkt(f));
      expect(bulk.verdict(pkt(f))).toBe(r.drop?.code ?? "delivered");
    }
    expect(bulk.verdict(pkt("tcp 10.0.1.10:40002 > 10.0.2.20:5432 SYN"))).toBe("delivered");
    bulk.update((w) => {
      w.securityGroups["db-sg"]!.inbound = [];
    });
    // a new connection asks the same question of the rules: the answer must be the new one
    expect(bulk.verdict(pkt("tcp 10.0.1.10:40003 > 10.0.2.20:5432 SYN"))).toBe("ENI_SG_RULES_MISMATCH");
  });

  it.each(FAMILIES)("replacing the admitting rule by a narrower one keeps the tracked flow too ($name)", (f) => {
    const e = engine(twoTiers().yaml());
    e.send(pkt(`tcp ${at(f.app, 40000)} > ${at(f.db, 5432)} SYN`));
    e.update((w) => {
      w.securityGroups["db-sg"]!.inbound = [{ ...w.securityGroups["db-sg"]!.inbound[0]!, ports: { from: 6543, to: 6543 } }];
    });
    const kept = e.send(pkt(`tcp ${at(f.app, 40000)} > ${at(f.db, 5432)} ACK,PSH`));
    expect(kept.delivered).toBe(true);
    expect(kept.hops.at(-2)!.rule).toMatch(/^tracked connection #\d+/);
    expect(e.send(pkt(`tcp ${at(f.app, 40001)} > ${at(f.db, 5432)} SYN`)).drop?.code).toBe("ENI_SG_RULES_MISMATCH");
  });
});

describe("conntrack.other-protocols (§3.1)", () => {
  const esp = () =>
    engine(
      twoTiers({
        dbInbound: [
          { protocol: 50, source: "app-sg" },
          { protocol: 47, source: "app-sg" },
        ],
        dataAcl: "default",
      }).yaml(),
    );

  it.each(FAMILIES)("a protocol without ports is tracked by its two addresses and the protocol: a packet back is a reply ($name)", (f) => {
    const e = esp();
    expect(e.send(pkt(`50 ${f.app} > ${f.db}`)).trackedAtDestination).toBe(true);
    const back = e.send(pkt(`50 ${f.db} > ${f.app}`));
    expect(back.delivered).toBe(true);
    expect(back.hops[0]!.rule).toMatch(TRACKED_REPLY);
    // GRE between the same two addresses is another flow, which db-sg's empty outbound refuses
    expect(e.send(pkt(`47 ${f.db} > ${f.app}`)).drop?.component).toMatchObject({
      kind: "security-groups",
      instance: "db",
      direction: "outbound",
    });
    // and a third address is another flow
    expect(e.send(pkt(`50 ${f.db} > ${f.app2}`)).drop?.code).toBe("ENI_SG_RULES_MISMATCH");
  });
});

/** A public web server: port 80 open to the internet, SSH from one address (§3.2). */
const web = (settings?: SettingsSpec) => {
  const w = world("t")
    .vpc("10.0.0.0/16")
    .subnet("pub", { cidr: "10.0.1.0/24", "route-table": "rt" })
    .routeTable("rt", { routes: [{ destination: "0.0.0.0/0", target: "internet-gateway" }] })
    .group("web", {
      inbound: [
        { protocol: "tcp", ports: 80, source: "0.0.0.0/0" },
        { protocol: "tcp", ports: 22, source: "198.51.100.7/32" },
      ],
    })
    .instance("w", { subnet: "pub", "private-ip": "10.0.1.10", "public-ip": "203.0.113.10", "security-groups": ["web"] })
    .internetHost("c", { ip: "198.51.100.7" });
  return settings ? w.settings(settings) : w;
};

describe("conntrack.untracked (§3.2)", () => {
  it("a flow open to the internet both ways is untracked; one admitted by a narrower rule is tracked", () => {
    const e = engine(web().yaml());
    const http = e.send(pkt("tcp 198.51.100.7:50000 > 203.0.113.10:80 SYN"));
    expect(http.trackedAtDestination).toBe(false);
    const ssh = e.send(pkt("tcp 198.51.100.7:50001 > 203.0.113.10:22 SYN"));
    expect(ssh.trackedAtDestination).toBe(true);
    // with the setting off, every flow is tracked
    const off = engine(web({ "untracked-flows": false }).yaml());
    expect(off.send(pkt("tcp 198.51.100.7:50000 > 203.0.113.10:80 SYN")).trackedAtDestination).toBe(true);
  });

  it.each([
    { name: "IPv4", client: "198.51.100.7", server: "203.0.113.10", local: "10.0.1.10", any: "0.0.0.0/0" },
    { name: "IPv6", client: "2001:db8::7", server: "2600:1f18:aaaa:bb01::10", local: "2600:1f18:aaaa:bb01::10", any: "::/0" },
  ])("each packet of an untracked flow, replies too, needs a rule; the reply's rule may come from another group ($name)", (f) => {
    const open = publicWeb({ inbound: [{ protocol: "tcp", ports: 443, source: f.any }], outbound: [] }).group("egress", {
      outbound: [{ protocol: "tcp", ports: "0-65535", destination: f.any }],
    });
    const e = engine(
      open
        .instance("web", {
          subnet: "pub",
          "private-ip": "10.0.1.10",
          "public-ip": "203.0.113.10",
          ipv6: "2600:1f18:aaaa:bb01::10",
          "security-groups": ["web-sg", "egress"],
        })
        .yaml(),
    );
    expect(e.send(pkt(`tcp ${at(f.client, 50000)} > ${at(f.server, 443)} SYN`)).trackedAtDestination).toBe(false);
    const reply = e.send(pkt(`tcp ${at(f.local, 443)} > ${at(f.client, 50000)} SYN,ACK`));
    expect(reply.delivered).toBe(true);
    expect(reply.hops[0]!.rule).toBe(`egress: tcp all ports to ${f.any}`);
    // without the wide outbound rule the same flow is tracked
    const narrow = engine(publicWeb({ inbound: [{ protocol: "tcp", ports: 443, source: f.any }], outbound: [] }).yaml());
    expect(narrow.send(pkt(`tcp ${at(f.client, 50000)} > ${at(f.server, 443)} SYN`)).trackedAtDestination).toBe(true);
  });
});

/** A group open to every address in both directions, IPv4 and IPv6: the untracked case of §3.2. */
const open: { inbound: GroupRule[]; outbound: GroupRule[] } = {
  inbound: [
    { protocol: "all", source: "0.0.0.0/0" },
    { protocol: "all", source: "::/0" },
  ],
  outbound: [
    { protocol: "all", destination: "0.0.0.0/0" },
    { protocol: "all", destination: "::/0" },
  ],
};

describe("conntrack.icmp-always-tracked (§3.2)", () => {
  it("under rules open both ways to everyone, ICMP, ICMPv6 and other protocols are tracked, TCP and UDP are not", () => {
    const e = engine(publicWeb(open).yaml());
    expect(e.send(pkt("icmp 198.51.100.7:9 > 203.0.113.10 8/0")).trackedAtDestination).toBe(true);
    expect(e.send(pkt("icmpv6 [2001:db8::7]:9 > 2600:1f18:aaaa:bb01::10 128/0")).trackedAtDestination).toBe(true);
    expect(e.send(pkt("50 198.51.100.7 > 203.0.113.10")).trackedAtDestination).toBe(true);
    expect(e.send(pkt("tcp 198.51.100.7:50000 > 203.0.113.10:22 SYN")).trackedAtDestination).toBe(false);
    expect(e.send(pkt("udp [2001:db8::7]:50000 > [2600:1f18:aaaa:bb01::10]:53")).trackedAtDestination).toBe(false);
  });

  it.each([
    { name: "IPv4", request: "icmp 198.51.100.7:9 > 203.0.113.10 8/0", reply: "icmp 10.0.1.10:9 > 198.51.100.7 0/0" },
    {
      name: "IPv6",
      request: "icmpv6 [2001:db8::7]:9 > 2600:1f18:aaaa:bb01::10 128/0",
      reply: "icmpv6 [2600:1f18:aaaa:bb01::10]:9 > 2001:db8::7 129/0",
    },
  ])("so removing the rules does not cut a ping, as it cuts an untracked TCP flow ($name)", (f) => {
    const e = engine(publicWeb(open).yaml());
    e.send(pkt(f.request));
    e.send(pkt("tcp 198.51.100.7:50000 > 203.0.113.10:22 SYN"));
    e.update((w) => {
      w.securityGroups["web-sg"] = { name: "web-sg", inbound: [], outbound: [] };
    });
    const reply = e.send(pkt(f.reply));
    expect(reply.delivered).toBe(true);
    expect(reply.hops[0]!.rule).toMatch(TRACKED_REPLY);
    expect(e.send(pkt(f.request)).delivered).toBe(true);
    expect(e.send(pkt("tcp 198.51.100.7:50000 > 203.0.113.10:22 ACK")).drop?.code).toBe("ENI_SG_RULES_MISMATCH");
  });
});

describe("conntrack.untracked-cut (§3.2)", () => {
  it("removing the rule of an untracked flow cuts it at once; a tracked flow lives on", () => {
    const e = engine(web().yaml());
    expect(e.send(pkt("tcp 198.51.100.7:50000 > 203.0.113.10:80 SYN")).delivered).toBe(true);
    expect(e.send(pkt("tcp 198.51.100.7:50001 > 203.0.113.10:22 SYN")).delivered).toBe(true);
    e.update((w) => {
      w.securityGroups.web!.inbound = [];
    });
    const cut = e.send(pkt("tcp 198.51.100.7:50000 > 203.0.113.10:80 ACK"));
    expect(cut.delivered).toBe(false);
    expect(e.send(pkt("tcp 198.51.100.7:50001 > 203.0.113.10:22 ACK")).delivered).toBe(true);
    // the drop says why statefulness did not save the session: the flow was never tracked, and which rule admitted it
    expect(cut.drop?.explanation).toContain('This flow was never tracked: at t=0s rule "tcp port 80 from 0.0.0.0/0" of web admitted it');
    expect(cut.drop?.explanation).toContain("(aws-rules §3.2)");
  });

  it.each(FAMILIES)("an untracked flow's replies pass by the outbound rule: removing it refuses the next reply ($name)", (f) => {
    // db admits PostgreSQL from everyone and sends TCP to everyone: app's flows are untracked at db
    const e = engine(
      twoTiers({
        dataAcl: "default",
        dbInbound: [{ protocol: "tcp", ports: 5432, source: f.any }],
        dbOutbound: [{ protocol: "tcp", ports: "0-65535", destination: f.any }],
      }).yaml(),
    );
    expect(e.send(pkt(`tcp ${at(f.app, 40000)} > ${at(f.db, 5432)} SYN`)).trackedAtDestination).toBe(false);
    expect(e.send(pkt(`tcp ${at(f.db, 5432)} > ${at(f.app, 40000)} SYN,ACK`)).delivered).toBe(true);
    e.update((w) => {
      w.securityGroups["db-sg"]!.outbound = [];
    });
    const r = e.send(pkt(`tcp ${at(f.db, 5432)} > ${at(f.app, 40000)} ACK`));
    expect(r.drop?.component).toMatchObject({ kind: "security-groups", instance: "db", direction: "outbound" });
  });
});

describe("conntrack.auto-tracked (§3.3)", () => {
  it.each([
    {
      name: "IPv4 through the NAT gateway",
      out: "tcp 10.0.1.25:40000 > 93.184.216.34:443 SYN",
      back: "tcp 93.184.216.34:443 > 198.51.100.20:1024 SYN,ACK",
    },
    {
      name: "IPv6 through the egress-only gateway",
      out: "tcp [2600:1f18:aaaa:bb01::25]:40000 > [2001:db8::34]:443 SYN",
      back: "tcp [2001:db8::34]:443 > [2600:1f18:aaaa:bb01::25]:40000 SYN,ACK",
    },
  ])(
    "a flow through a NAT or egress-only gateway is tracked under rules open to everyone: its reply survives the rules' removal ($name)",
    (f) => {
      const e = engine(behindNat({ workerGroup: open }).yaml());
      const out = e.send(pkt(f.out));
      expect(out.hops[0]!.note).toBe("connection tracked from here on");
      e.update((w) => {
        w.securityGroups["worker-sg"]!.inbound = [];
      });
      const back = e.send(pkt(f.back));
      expect(back.delivered).toBe(true);
      expect(back.trackedAtDestination).toBe(true);
      expect(back.hops.at(-2)!.rule).toMatch(TRACKED_REPLY);
    },
  );

  it("the same rules through the internet gateway leave the flow untracked: its reply is cut", () => {
    const e = engine(publicWeb(open).yaml());
    const out = e.send(pkt("tcp 10.0.1.10:40000 > 93.184.216.34:443 SYN"));
    expect(out.hops[0]!.note).toMatch(/^untracked flow/);
    e.update((w) => {
      w.securityGroups["web-sg"]!.inbound = [];
    });
    expect(e.send(pkt("tcp 93.184.216.34:443 > 203.0.113.10:40000 SYN,ACK")).drop?.component).toMatchObject({
      kind: "security-groups",
      instance: "web",
      direction: "inbound",
    });
  });
});

describe("conntrack.tcp-timeout (§3.4)", () => {
  it("a tracked TCP entry expires after 432000 s idle", () => {
    const e = engine(twoTiers().yaml());
    e.send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5432 SYN"));
    e.update((w) => {
      w.securityGroups["db-sg"]!.inbound = [];
    });
    e.advance(432000);
    expect(e.send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5432 ACK")).delivered).toBe(true);
    e.advance(432001);
    const late = e.send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5432 ACK"));
    expect(late.delivered).toBe(false);
    // the drop names the expired entry, its idle time and where the timeout is set
    expect(late.drop?.explanation).toContain(
      "but its tracking entry expired at t=864000s after 432000 s idle (the timeout is tcp-established in the connection-tracking of db's interface; aws-rules §3.4)",
    );
    // a SYN opens a connection: it continues none, so the words stay plain
    expect(e.send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5432 SYN")).drop?.explanation).not.toContain("continues");
  });

  it.each(FAMILIES)("an interface's connection-tracking sets its own TCP timeout ($name)", (f) => {
    const e = engine(
      twoTiers()
        .instance("db", {
          subnet: "data",
          "private-ip": "10.0.2.20",
          ipv6: "2600:1f18:aaaa:bb02::20",
          "security-groups": ["db-sg"],
          "connection-tracking": { "tcp-established": "60s" },
        })
        .yaml(),
    );
    e.send(pkt(`tcp ${at(f.app, 40000)} > ${at(f.db, 5432)} SYN`));
    e.advance(60);
    expect(e.send(pkt(`tcp ${at(f.db, 5432)} > ${at(f.app, 40000)} ACK`)).delivered).toBe(true);
    e.advance(61);
    const late = e.send(pkt(`tcp ${at(f.db, 5432)} > ${at(f.app, 40000)} ACK`));
    expect(late.drop?.component).toMatchObject({ kind: "security-groups", instance: "db", direction: "outbound" });
  });
});

describe("conntrack.udp-timeout (§3.4)", () => {
  const dns = () => twoTiers({ dbInbound: [{ protocol: "udp", ports: 53, source: "app-sg" }], dataAcl: "default" });

  it("UDP entries last 30 s, 180 s once the flow is a stream", () => {
    const text = dns().yaml();
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

  it.each(FAMILIES)("a single request and reply keep the 30 s timeout; a stream's runs out after 180 s ($name)", (f) => {
    const request = `udp ${at(f.app, 40000)} > ${at(f.db, 53)}`;
    const reply = `udp ${at(f.db, 53)} > ${at(f.app, 40000)}`;
    const one = engine(dns().yaml());
    one.send(pkt(request));
    one.advance(30);
    expect(one.send(pkt(reply)).delivered).toBe(true);
    one.advance(31);
    expect(one.send(pkt(reply)).drop?.component).toMatchObject({ kind: "security-groups", instance: "db", direction: "outbound" });
    const stream = engine(dns().yaml());
    stream.send(pkt(request));
    stream.send(pkt(reply));
    stream.send(pkt(request));
    stream.advance(181);
    expect(stream.send(pkt(reply)).drop?.code).toBe("ENI_SG_RULES_MISMATCH");
  });

  it("each interface's connection-tracking sets its own UDP timeouts", () => {
    const timeouts = { udp: "60s", "udp-stream": "90s" };
    const dbTuned = dns().instance("db", {
      subnet: "data",
      "private-ip": "10.0.2.20",
      "security-groups": ["db-sg"],
      "connection-tracking": timeouts,
    });
    const half = engine(dbTuned.yaml());
    half.send(pkt("udp 10.0.1.10:40000 > 10.0.2.20:53"));
    half.advance(60);
    // db's entry lives 60 s, app's the default 30 s
    const r = half.send(pkt("udp 10.0.2.20:53 > 10.0.1.10:40000"));
    expect(r.hops[0]!.rule).toMatch(TRACKED_REPLY);
    expect(r.drop?.component).toMatchObject({ kind: "security-groups", instance: "app", direction: "inbound" });
    const bothTuned = dbTuned.instance("app", {
      subnet: "app",
      "private-ip": "10.0.1.10",
      "security-groups": ["app-sg"],
      "connection-tracking": timeouts,
    });
    const one = engine(bothTuned.yaml());
    one.send(pkt("udp 10.0.1.10:40000 > 10.0.2.20:53"));
    one.advance(60);
    expect(one.send(pkt("udp 10.0.2.20:53 > 10.0.1.10:40000")).delivered).toBe(true);
    const stream = engine(bothTuned.yaml());
    stream.send(pkt("udp 10.0.1.10:40000 > 10.0.2.20:53"));
    stream.send(pkt("udp 10.0.2.20:53 > 10.0.1.10:40000"));
    stream.send(pkt("udp 10.0.1.10:40000 > 10.0.2.20:53"));
    stream.advance(90);
    expect(stream.send(pkt("udp 10.0.2.20:53 > 10.0.1.10:40000")).delivered).toBe(true);
    stream.advance(91);
    expect(stream.send(pkt("udp 10.0.2.20:53 > 10.0.1.10:40000")).drop?.component).toMatchObject({
      kind: "security-groups",
      instance: "db",
      direction: "outbound",
    });
  });
});

describe("conntrack.other-timeout (§3.4)", () => {
  const esp = (settings?: SettingsSpec) =>
    engine(twoTiers({ dbInbound: [{ protocol: 50, source: "app-sg" }], dataAcl: "default", ...(settings ? { settings } : {}) }).yaml());

  it.each(FAMILIES)("other protocols' entries last 600 s idle ($name)", (f) => {
    const e = esp();
    e.send(pkt(`50 ${f.app} > ${f.db}`));
    e.advance(600);
    expect(e.send(pkt(`50 ${f.db} > ${f.app}`)).delivered).toBe(true);
    e.advance(601);
    expect(e.send(pkt(`50 ${f.db} > ${f.app}`)).drop?.component).toMatchObject({
      kind: "security-groups",
      instance: "db",
      direction: "outbound",
    });
  });

  it("settings.other-protocol-timeout changes it", () => {
    const e = esp({ "other-protocol-timeout": "60s" });
    e.send(pkt("50 10.0.1.10 > 10.0.2.20"));
    e.advance(61);
    expect(e.send(pkt("50 10.0.2.20 > 10.0.1.10")).drop?.code).toBe("ENI_SG_RULES_MISMATCH");
  });
});

describe("conntrack.icmp-timeout (§3.4)", () => {
  const ping = (settings?: SettingsSpec) =>
    engine(
      twoTiers({
        dbInbound: [
          { protocol: "icmp", "icmp-type": 8, source: "app-sg" },
          { protocol: "icmpv6", "icmp-type": 128, source: "app-sg" },
        ],
        dataAcl: "default",
        ...(settings ? { settings } : {}),
      }).yaml(),
    );

  it.each([
    { name: "IPv4", request: "icmp 10.0.1.10:7 > 10.0.2.20 8/0", reply: "icmp 10.0.2.20:7 > 10.0.1.10 0/0" },
    {
      name: "IPv6",
      request: "icmpv6 [2600:1f18:aaaa:bb01::10]:7 > 2600:1f18:aaaa:bb02::20 128/0",
      reply: "icmpv6 [2600:1f18:aaaa:bb02::20]:7 > 2600:1f18:aaaa:bb01::10 129/0",
    },
  ])("a tracked echo's entry lasts 30 s idle (vpcsim's choice), for its echo reply only ($name)", (f) => {
    const e = ping();
    e.send(pkt(f.request));
    e.advance(30);
    const reply = e.send(pkt(f.reply));
    expect(reply.delivered).toBe(true);
    expect(reply.hops[0]!.rule).toMatch(TRACKED_REPLY);
    e.advance(31);
    expect(e.send(pkt(f.reply)).drop?.component).toMatchObject({ kind: "security-groups", instance: "db", direction: "outbound" });
  });

  it("a packet of another type or identifier is no reply; settings.icmp-timeout changes the timeout", () => {
    const e = ping();
    e.send(pkt("icmp 10.0.1.10:7 > 10.0.2.20 8/0"));
    expect(e.send(pkt("icmp 10.0.2.20:7 > 10.0.1.10 3/4")).drop?.code).toBe("ENI_SG_RULES_MISMATCH");
    expect(e.send(pkt("icmp 10.0.2.20:8 > 10.0.1.10 0/0")).drop?.code).toBe("ENI_SG_RULES_MISMATCH");
    const short = ping({ "icmp-timeout": "10s" });
    short.send(pkt("icmp 10.0.1.10:7 > 10.0.2.20 8/0"));
    short.advance(11);
    expect(short.send(pkt("icmp 10.0.2.20:7 > 10.0.1.10 0/0")).drop?.code).toBe("ENI_SG_RULES_MISMATCH");
  });
});

/** A connection app → db whose admitting rule is then removed, so that only tracking lets it on. */
function closing(up: string, settings?: SettingsSpec) {
  const e = engine(twoTiers(settings ? { settings } : {}).yaml());
  e.send(pkt(`${up} SYN`));
  e.update((w) => {
    w.securityGroups["db-sg"]!.inbound = [];
  });
  return e;
}
const sides = [
  ["10.0.1.10", "10.0.2.20"],
  ["[2600:1f18:aaaa:bb01::10]", "[2600:1f18:aaaa:bb02::20]"],
] as const;

describe("conntrack.tcp-fin (§3.5)", () => {
  it("a FIN from each side closes the entry; one FIN leaves it closing for 120 s (vpcsim's choice), IPv4 and IPv6", () => {
    for (const [client, server] of sides) {
      const up = `tcp ${client}:40000 > ${server}:5432`;
      const down = `tcp ${server}:5432 > ${client}:40000`;
      const fin = (settings?: SettingsSpec) => {
        const e = closing(up, settings);
        expect(e.send(pkt(`${up} FIN,ACK`)).delivered).toBe(true);
        return e;
      };
      const both = fin();
      expect(both.send(pkt(`${down} FIN,ACK`)).delivered).toBe(true);
      expect(both.send(pkt(`${up} ACK`)).drop?.code).toBe("ENI_SG_RULES_MISMATCH");
      const half = fin();
      half.advance(120);
      expect(half.send(pkt(`${up} ACK`)).delivered).toBe(true);
      half.advance(121);
      expect(half.send(pkt(`${up} ACK`)).delivered).toBe(false);
      const short = fin({ "tcp-closing-timeout": "10s" });
      short.advance(11);
      expect(short.send(pkt(`${up} ACK`)).delivered).toBe(false);
    }
  });

  it.each(FAMILIES)("a FIN matching no entry is judged by the rules and opens nothing ($name)", (f) => {
    const e = engine(twoTiers({ dataAcl: "default" }).yaml());
    const fin = e.send(pkt(`tcp ${at(f.app, 40000)} > ${at(f.db, 5432)} FIN,ACK`));
    expect(fin.delivered).toBe(true);
    expect(fin.trackedAtDestination).toBe(false);
    expect(e.send(pkt(`tcp ${at(f.db, 5432)} > ${at(f.app, 40000)} ACK`)).drop?.component).toMatchObject({
      kind: "security-groups",
      instance: "db",
      direction: "outbound",
    });
    expect(e.send(pkt(`tcp ${at(f.app, 40000)} > ${at(f.db, 22)} FIN,ACK`)).drop?.component).toMatchObject({
      kind: "security-groups",
      instance: "db",
      direction: "inbound",
    });
  });
});

describe("conntrack.tcp-rst (§3.5)", () => {
  it("an RST removes the entry at once, IPv4 and IPv6", () => {
    for (const [client, server] of sides) {
      const up = `tcp ${client}:40000 > ${server}:5432`;
      const reset = closing(up);
      expect(reset.send(pkt(`${up} FIN,ACK`)).delivered).toBe(true);
      expect(reset.send(pkt(`${up} RST`)).delivered).toBe(true);
      const after = reset.send(pkt(`${up} ACK`));
      expect(after.delivered).toBe(false);
      expect(after.drop?.explanation).toMatch(
        /This packet continues connection #\d+ \(opened at t=0s\), which an RST closed at t=0s \(aws-rules §3\.5\)/,
      );
    }
  });

  it.each(FAMILIES)("an RST from the server's side removes it too, on both interfaces ($name)", (f) => {
    const up = `tcp ${at(f.app, 40000)} > ${at(f.db, 5432)}`;
    const down = `tcp ${at(f.db, 5432)} > ${at(f.app, 40000)}`;
    const e = closing(up);
    const rst = e.send(pkt(`${down} RST`));
    expect(rst.delivered).toBe(true);
    expect(rst.hops.filter((h) => h.note === "RST closes the connection").length).toBe(2);
    expect(e.send(pkt(`${down} ACK`)).drop?.component).toMatchObject({ kind: "security-groups", instance: "db", direction: "outbound" });
    expect(e.send(pkt(`${up} ACK`)).drop?.component).toMatchObject({ kind: "security-groups", instance: "db", direction: "inbound" });
  });

  it.each(FAMILIES)("an RST matching no entry is judged by the rules and opens nothing ($name)", (f) => {
    const e = engine(twoTiers().yaml());
    const rst = e.send(pkt(`tcp ${at(f.app, 40000)} > ${at(f.db, 5432)} RST`));
    expect(rst.delivered).toBe(true);
    expect(rst.trackedAtDestination).toBe(false);
    expect(rst.hops.at(-2)!.note).toBe("closing packet: no connection is opened");
    expect(e.send(pkt(`tcp ${at(f.db, 5432)} > ${at(f.app, 40000)} SYN,ACK`)).drop?.code).toBe("ENI_SG_RULES_MISMATCH");
  });
});

describe("conntrack.icmp-related (§3.6)", () => {
  it.each([
    { name: "IPv4", error: "icmp 10.0.2.20 > 10.0.1.10 3/4", protocol: "icmp", type: 3, source: "10.0.2.0/24" },
    {
      name: "IPv6",
      error: "icmpv6 2600:1f18:aaaa:bb02::20 > 2600:1f18:aaaa:bb01::10 2/0",
      protocol: "icmpv6",
      type: 2,
      source: "2600:1f18:aaaa:bb02::/64",
    },
  ])("an ICMP error about a tracked flow is an ordinary ICMP packet that needs rules (vpcsim's default, as AWS documents) ($name)", (f) => {
    const tiers = (appInbound: GroupRule[]) =>
      twoTiers({ dataAcl: "default", dbOutbound: "new-group" }).group("app-sg", { inbound: appInbound });
    const e = engine(tiers([]).yaml());
    const request =
      f.name === "IPv4"
        ? "tcp 10.0.1.10:40000 > 10.0.2.20:5432 SYN"
        : "tcp [2600:1f18:aaaa:bb01::10]:40000 > [2600:1f18:aaaa:bb02::20]:5432 SYN";
    expect(e.send(pkt(request)).delivered).toBe(true);
    const error = e.send(pkt(f.error));
    expect(error.drop?.code).toBe("ENI_SG_RULES_MISMATCH");
    expect(error.drop?.component).toMatchObject({ kind: "security-groups", instance: "app", direction: "inbound" });
    const allowed = engine(tiers([{ protocol: f.protocol, "icmp-type": f.type, source: f.source }]).yaml());
    allowed.send(pkt(request));
    expect(allowed.send(pkt(f.error)).delivered).toBe(true);
  });
});

describe("conntrack.related-icmp (§3.6)", () => {
  const related = (o: { settings?: SettingsSpec; dataAcl?: "default" } = {}) =>
    twoTiers({ dataAcl: o.dataAcl ?? "default", settings: o.settings ?? { "related-icmp": true } });
  const request = (f: (typeof FAMILIES)[number], port = 40000) => pkt(`tcp ${at(f.app, port)} > ${at(f.db, 5432)} SYN`);
  const KINDS = ["fragmentation-needed", "packet-too-big", "destination-unreachable", "time-exceeded"] as const;

  it.each(FAMILIES)(
    "with settings.related-icmp, every ICMP error quoting a tracked connection's packet passes both ends' groups without a rule ($name)",
    (f) => {
      const e = engine(related().yaml());
      const syn = request(f);
      expect(e.send(syn).delivered).toBe(true);
      for (const kind of KINDS) {
        const r = e.send(icmpErrorAbout(syn, kind));
        expect(r.delivered).toBe(true);
        // db-sg has no outbound rule and app-sg no inbound rule: both pass it as related
        const groups = r.hops.filter((h) => h.component.kind === "security-groups");
        expect(groups.map((h) => h.rule)).toEqual([
          expect.stringMatching(/^related to tracked connection #\d+/),
          expect.stringMatching(/^related to tracked connection #\d+/),
        ]);
        expect(r.trackedAtDestination).toBe(false);
      }
      // the errors opened nothing and closed nothing: the connection's reply still passes
      expect(e.send(pkt(`tcp ${at(f.db, 5432)} > ${at(f.app, 40000)} SYN,ACK`)).delivered).toBe(true);
    },
  );

  it.each(FAMILIES)("the same ICMP type quoting no packet, or a packet of no tracked flow, is judged by the rules ($name)", (f) => {
    const e = engine(related().yaml());
    const syn = request(f);
    e.send(syn);
    const bare = icmpErrorAbout(syn, "fragmentation-needed");
    const { related: _, ...unquoted } = bare;
    const alone = e.send(makePacket(unquoted));
    expect(alone.drop?.code).toBe("ENI_SG_RULES_MISMATCH");
    expect(alone.drop?.component).toMatchObject({ kind: "security-groups", instance: "db", direction: "outbound" });
    const stranger = e.send(icmpErrorAbout(request(f, 40001), "fragmentation-needed"));
    expect(stranger.drop?.component).toMatchObject({ kind: "security-groups", instance: "db", direction: "outbound" });
  });

  it.each(FAMILIES)("an error about a connection that has idled out is judged by the rules ($name)", (f) => {
    const e = engine(related().yaml());
    const syn = request(f);
    e.send(syn);
    e.advance(432001);
    expect(e.send(icmpErrorAbout(syn, "fragmentation-needed")).drop?.code).toBe("ENI_SG_RULES_MISMATCH");
  });

  it.each(FAMILIES)("only error messages are related: an echo request quoting a tracked packet needs a rule ($name)", (f) => {
    const e = engine(related().yaml());
    const syn = request(f);
    e.send(syn);
    const echo = makePacket({ ...icmpErrorAbout(syn, "time-exceeded"), icmpType: f.name === "IPv4" ? 8 : 128, icmpCode: 0 });
    expect(e.send(echo).drop?.code).toBe("ENI_SG_RULES_MISMATCH");
  });

  it.each(FAMILIES)("off by default, as AWS documents: the error needs a rule ($name)", (f) => {
    const e = engine(related({ settings: {} }).yaml());
    const syn = request(f);
    e.send(syn);
    const r = e.send(icmpErrorAbout(syn, "fragmentation-needed"));
    expect(r.drop?.code).toBe("ENI_SG_RULES_MISMATCH");
    expect(r.drop?.component).toMatchObject({ kind: "security-groups", instance: "db", direction: "outbound" });
    // the drop says which connection it was about, and why that did not let it through
    expect(r.drop?.explanation).toMatch(/It is an ICMP error about tracked connection #\d+ \(opened at t=0s\), yet AWS documents no pass/);
    expect(r.drop?.explanation).toContain("settings.related-icmp");
    // an error about no connection says nothing of the kind
    expect(e.send(icmpErrorAbout(request(f, 40001), "fragmentation-needed")).drop?.explanation).not.toContain("ICMP error about");
  });

  it.each(FAMILIES)("network ACLs judge a related error by their rules: one without ICMP drops it (the PMTUD blackhole) ($name)", (f) => {
    const e = engine(twoTiers({ settings: { "related-icmp": true } }).yaml());
    const syn = request(f);
    expect(e.send(syn).delivered).toBe(true);
    const r = e.send(icmpErrorAbout(syn, "fragmentation-needed"));
    expect(r.drop?.code).toBe("SUBNET_ACL_RESTRICTION");
    expect(r.drop?.component).toMatchObject({ kind: "network-acl", name: "data-acl", direction: "outbound" });
    expect(r.hops[0]!.rule).toMatch(/^related to tracked connection #\d+/);
  });

  it("a scenario sends an error about a connection's packet with `icmp-error`, expected as one packet", () => {
    const text = `${related().yaml()}
steps:
  - connect: { from: app, to: db, protocol: tcp, port: 5432, name: pg }
    expect: allowed
  - send: { connection: pg, direction: reply, icmp-error: time-exceeded }
    expect: { request: allowed }
`;
    const result = runScenario(scenario(text));
    expect(result.steps[1]!.title).toBe("send time-exceeded about the reply of pg");
    // the reply went db → app, so app answers it: the error goes app → db and passes db-sg's outbound as related
    const sent = result.steps[1]!.packets[0]!.result;
    expect(sent.packet).toMatchObject({ protocol: "icmp", source: "10.0.1.10", destination: "10.0.2.20", icmpType: 11, icmpCode: 0 });
    expect(sent.hops.filter((h) => h.rule?.startsWith("related to tracked connection")).length).toBe(2);
    expect(result.steps.every((s) => s.check?.pass)).toBe(true);
  });

  it("the loader refuses an ICMP error with TCP flags, a reply expected of it, and an error it does not know", () => {
    const codes = (step: string) => {
      const text = `${related().yaml()}
steps:
  - connect: { from: app, to: db, protocol: tcp, port: 5432, name: pg }
  - ${step}
`;
      const r = loadScenario(text, "t.yaml");
      return r.ok ? [] : r.diagnostics.map((d) => d.code);
    };
    expect(codes("send: { connection: pg, direction: request, icmp-error: time-exceeded, flags: SYN }")).toEqual(["tcp/flags"]);
    expect(codes("{ send: { connection: pg, direction: request, icmp-error: time-exceeded }, expect: { reply: denied } }")).toEqual([
      "expect/not-applicable",
    ]);
    expect(codes("send: { connection: pg, direction: request, icmp-error: source-quench }")).not.toEqual([]);
    expect(codes("send: { connection: pg, direction: request, icmp-error: packet-too-big }")).toEqual([]);
  });

  it("the code API sends one too", () => {
    const sim = simulate(parse(related().yaml()));
    sim.connect("app", "db", { protocol: "tcp", port: 5432, name: "pg" });
    const error = sim.send({ connection: "pg", direction: "request", "icmp-error": "fragmentation-needed", expect: "allowed" });
    expect(error.check?.pass).toBe(true);
    expect(error.packets[0]!.result.packet).toMatchObject({ protocol: "icmp", source: "10.0.2.20", icmpType: 3, icmpCode: 4 });
  });

  it("a step built in code with an unknown error is refused in words", () => {
    const s = scenario(`${related().yaml()}
steps:
  - connect: { from: app, to: db, protocol: tcp, port: 5432, name: pg }
  - send: { connection: pg, direction: request, icmp-error: time-exceeded }
`);
    const steps = [s.steps[0]!, { ...s.steps[1]!, icmpError: "constructor" }] as typeof s.steps;
    expect(() => runScenario({ ...s, steps })).toThrow(/icmp-error "constructor" is none of fragmentation-needed/);
  });
});
