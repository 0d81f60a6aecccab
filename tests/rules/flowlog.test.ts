// VPC Flow Logs, aws-rules §6.1: the records vpcsim writes for a run's packets (the default format,
// one record a flow, an interface and a window), and the TCP flag values records use.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ACK, FIN, flagText, PSH, RST, SYN } from "../../src/index.js";
import { FLOW_LOG_HEADER, flowLogRecords } from "../../src/render/flow-log.js";
import { runScenario } from "../../src/scenario/run.js";
import { engine, pkt, scenario } from "../helpers.js";
import { twoTiers } from "./worlds.js";

/** The records of a scenario's run, without the fields every record shares (version, account, log-status). */
function records(text: string): string[] {
  const s = scenario(text);
  return flowLogRecords(runScenario(s), s.world).map((r) => {
    const f = r.split(" ");
    expect([f[0], f[1], f[13], f.length]).toEqual(["2", "123456789012", "OK", 14]);
    return f.slice(2, 13).join(" ");
  });
}

const PING = (groupRule: string, aclOutbound: string) => `name: ping
vpc: { cidr: 10.0.0.0/16 }
subnets: { a: { cidr: 10.0.1.0/24, network-acl: acl, route-table: rt } }
route-tables: { rt: { routes: [ { destination: 0.0.0.0/0, target: internet-gateway } ] } }
network-acls:
  acl:
    inbound: [ { rule: 100, action: allow, protocol: icmp, icmp-type: -1, icmp-code: -1, cidr: 0.0.0.0/0 } ]
    outbound: [ ${aclOutbound} ]
security-groups: { sg: { inbound: [ ${groupRule} ] } }
instances: { web: { subnet: a, private-ip: 10.0.1.10, public-ip: 203.0.113.10, security-groups: [sg] } }
internet-hosts: { pinger: { ip: 203.0.113.12 } }
steps:
  - connect: { from: pinger, to: web, protocol: icmp, icmp-type: 8 }
`;

describe("flowlog.default-format (§6.1)", () => {
  const allowPing = "{ protocol: icmp, icmp-type: 8, icmp-code: -1, source: 0.0.0.0/0 }";
  const aclAllowsAll = "{ rule: 100, action: allow, protocol: all, cidr: 0.0.0.0/0 }";

  it("the ACL lacks the reply's rule: an ACCEPT record for the ping and a REJECT record for its reply, ports 0, protocol 1", () => {
    expect(records(PING(allowPing, ""))).toEqual([
      "eni-web 203.0.113.12 10.0.1.10 0 0 1 1 28 1700000000 1700000060 ACCEPT",
      "eni-web 10.0.1.10 203.0.113.12 0 0 1 1 28 1700000000 1700000060 REJECT",
    ]);
  });

  it("the ACL allows the reply: two ACCEPT records; the group denies the ping: a single REJECT record", () => {
    expect(records(PING(allowPing, aclAllowsAll)).map((r) => r.split(" ").at(-1))).toEqual(["ACCEPT", "ACCEPT"]);
    expect(records(PING("{ protocol: tcp, ports: 22, source: 0.0.0.0/0 }", aclAllowsAll))).toEqual([
      "eni-web 203.0.113.12 10.0.1.10 0 0 1 1 28 1700000000 1700000060 REJECT",
    ]);
  });

  it("a flow's packets in one window are summed; a later window is a new record; addresses are private", () => {
    const lines = records(`${readFileSync("scenarios/ephemeral-ports.yaml", "utf8")}
  - connect: { from: laptop, to: web, protocol: tcp, port: 443, name: https }
  - send: { connection: https, direction: request }
  - wait: 2m
  - send: { connection: https, direction: request }
`);
    expect(lines).toContain("eni-web 198.51.100.7 10.0.1.10 49154 443 6 2 80 1700000000 1700000060 ACCEPT");
    expect(lines).toContain("eni-web 198.51.100.7 10.0.1.10 49154 443 6 1 40 1700000120 1700000180 ACCEPT");
    expect(lines.join("\n")).not.toContain("203.0.113.10");
  });

  it("an instance sending and one receiving both log it; traffic to Amazon's DNS is not logged", () => {
    const e = twoTiers();
    const lines = records(`${e.yaml()}
steps:
  - connect: { from: app, to: db, protocol: tcp, port: 5432 }
  - connect: { from: app, to: 10.0.0.2, protocol: udp, port: 53 }
`);
    expect(lines.map((l) => l.split(" ")[0])).toEqual(["eni-app", "eni-db", "eni-db", "eni-app"]);
  });

  it("the header names the default format's fields in AWS's order", () => {
    expect(FLOW_LOG_HEADER).toBe(
      "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status",
    );
  });
});

describe("flowlog.tcp-flags (§6.1)", () => {
  it("FIN 1, SYN 2, RST 4, PSH 8, ACK 16; a SYN-ACK is 18, a SYN then a FIN ORed is 3", () => {
    expect({ FIN, SYN, RST, PSH, ACK }).toEqual({ FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16 });
    expect(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5432 SYN,ACK").flags).toBe(18);
    expect(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5432 SYN").flags | pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5432 FIN").flags).toBe(3);
    expect(flagText(18)).toBe("SYN,ACK");
  });

  it("a trace shows a packet's flags; packets other than TCP carry none", () => {
    const e = engine(twoTiers().yaml());
    expect(e.send(pkt("tcp 10.0.1.10:40000 > 10.0.2.20:5432 SYN")).packet.flags).toBe("SYN");
    expect(e.send(pkt("tcp 10.0.2.20:5432 > 10.0.1.10:40000 SYN,ACK")).packet.flags).toBe("SYN,ACK");
    expect(e.send(pkt("udp 10.0.1.10:40000 > 10.0.2.20:53")).packet.flags).toBeUndefined();
  });
});
