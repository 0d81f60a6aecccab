// The Batfish snapshots' known outcomes (tests/fixtures/batfish-aws/EXPECTED.md), on worlds
// transcribed by hand from the snapshots' JSON; the last test checks the transcription.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runScenario } from "../src/index.js";
import { scenario } from "./helpers.js";

function failures(text: string): string[] {
  return runScenario(scenario(text))
    .steps.filter((s) => s.check && !s.check.pass)
    .map((s) => `step ${s.index + 1} ${s.title}: ${s.check!.failures.join("; ")}`);
}

const ssh = `{ inbound: [ { protocol: tcp, ports: 22, source: 0.0.0.0/0 } ] }`;

const testSubnet = `
name: test-subnet
vpc: { cidr: 10.10.0.0/16 }
subnets: { s: { cidr: 10.10.1.0/24 } }
security-groups: { launch-wizard-1: ${ssh}, launch-wizard-2: ${ssh} }
instances:
  i1: { subnet: s, private-ip: 10.10.1.228, security-groups: [launch-wizard-2] }
  i2: { subnet: s, private-ip: 10.10.1.44, security-groups: [launch-wizard-1] }
steps:
  - connect: { from: i1, to: i2, protocol: tcp, port: 80 }       # S1
    expect: { request: denied, blocked-by: security-groups i2 inbound }
  - connect: { from: i1, to: i2, protocol: tcp, port: 22 }       # S2
    expect: allowed
  - connect: { from: i1, to: 10.10.0.1, protocol: tcp, port: 80 } # S3
    expect: { request: denied, code: NO_INTERFACE_AT_DESTINATION }
`;

const testPublicSubnet = `
name: test-public-subnet
vpc: { cidr: 10.0.0.0/16 }
subnets: { pub: { cidr: 10.0.0.0/24, route-table: rt } }
route-tables: { rt: { routes: [ { destination: 0.0.0.0/0, target: internet-gateway } ] } }
security-groups: { launch-wizard-1: ${ssh} }
instances: { i: { subnet: pub, private-ip: 10.0.0.91, public-ip: 18.216.80.133, security-groups: [launch-wizard-1] } }
internet-hosts: { google: { ip: 8.8.8.8 } }
steps:
  - connect: { from: google, to: 18.216.80.133, protocol: tcp, port: 80 }  # P1
    expect: { request: denied, blocked-by: security-groups i inbound }
  - connect: { from: google, to: i, protocol: tcp, port: 22 }              # P2
    expect: allowed
  - connect: { from: google, to: 54.191.107.23, protocol: tcp, port: 22 }  # P3
    expect: { request: denied, code: NO_PATH }
  - connect: { from: google, to: 10.0.0.91, protocol: tcp, port: 22 }      # P4
    expect: { request: denied, blocked-by: internet-gateway }
  - connect: { from: i, to: google, protocol: tcp, port: 443 }             # P5
    expect: allowed
`;

const testNatGateway = `
name: test-nat-gateway
vpc: { cidr: 10.1.0.0/16 }
subnets:
  private: { cidr: 10.1.1.0/24, route-table: to-nat }
  private2: { cidr: 10.1.20.0/24 }
  public: { cidr: 10.1.250.0/24, route-table: to-igw, network-acl: public-acl }
route-tables:
  to-nat: { routes: [ { destination: 0.0.0.0/0, target: nat } ] }
  to-igw: { routes: [ { destination: 0.0.0.0/0, target: internet-gateway } ] }
network-acls:
  public-acl:
    inbound:
      - { rule: 100, action: allow, protocol: icmp, icmp-type: -1, cidr: 10.1.1.0/24 }
      - { rule: 200, action: allow, protocol: all, cidr: 0.0.0.0/0 }
    outbound:
      - { rule: 100, action: allow, protocol: all, cidr: 0.0.0.0/0 }
nat-gateways: { nat: { subnet: public, private-ip: 10.1.250.210, public-ip: 3.135.127.225 } }
instances:
  p1: { subnet: private, private-ip: 10.1.1.98 }
  p2: { subnet: private2, private-ip: 10.1.20.173 }
  pub: { subnet: public, private-ip: 10.1.250.116, public-ip: 18.216.129.140 }
internet-hosts: { google: { ip: 8.8.8.8 } }
steps:
  - connect: { from: p1, to: google, protocol: tcp, port: 80 }              # N1
    expect: allowed
  - connect: { from: google, to: 3.135.127.225, protocol: tcp, port: 80 }   # N2
    expect: { request: denied, blocked-by: nat-gateway nat, code: NGW_UNSOLICITED_INBOUND }
  - connect: { from: p1, to: google, protocol: 47 }                         # N3 (GRE)
    expect: { request: denied, blocked-by: nat-gateway nat, code: PROTOCOL_RESTRICTION }
  - connect: { from: pub, to: 10.1.250.210, protocol: tcp, port: 80 }       # N4
    expect: { request: denied, blocked-by: nat-gateway nat }
`;

/** The subnets and instance addresses of a snapshot's JSON (describe-subnets, describe-instances). */
function snapshotFacts(name: string): string[] {
  const dir = join("tests/fixtures/batfish-aws", name, "aws_configs");
  const read = (f: string) => JSON.parse(readFileSync(join(dir, f), "utf8"));
  const subnets = (read("Subnets.json").Subnets as { CidrBlock: string }[]).map((s) => s.CidrBlock);
  const instances = (read("Reservations.json").Reservations as { Instances: { PrivateIpAddress: string; PublicIpAddress?: string }[] }[])
    .flatMap((r) => r.Instances)
    .flatMap((i) => [i.PrivateIpAddress, ...(i.PublicIpAddress ? [i.PublicIpAddress] : [])]);
  return [...subnets, ...instances];
}

describe("Batfish oracle (EXPECTED.md)", () => {
  it("test-subnet S1-S4", () => {
    expect(failures(testSubnet)).toEqual([]);
    // S1: no NACL hop; S3: the NACL outbound is passed first; S4: a packet from elsewhere in the VPC
    const s = runScenario(
      scenario(`
name: s
vpc: { cidr: 10.10.0.0/16 }
subnets: { s: { cidr: 10.10.1.0/24 }, other: { cidr: 10.10.2.0/24 } }
security-groups: { launch-wizard-1: ${ssh}, launch-wizard-2: ${ssh} }
instances:
  i1: { subnet: s, private-ip: 10.10.1.228, security-groups: [launch-wizard-2] }
  i2: { subnet: s, private-ip: 10.10.1.44, security-groups: [launch-wizard-1] }
  elsewhere: { subnet: other, private-ip: 10.10.2.9 }
steps:
  - connect: { from: i1, to: i2, protocol: tcp, port: 80 }
  - connect: { from: i1, to: 10.10.0.1, protocol: tcp, port: 80 }
  - connect: { from: elsewhere, to: i2, protocol: tcp, port: 80 }
`),
    );
    const hops = (i: number) => s.steps[i]!.packets[0]!.result.hops.map((h) => `${h.component.kind}:${h.action}`);
    expect(hops(0).filter((h) => h.startsWith("network-acl"))).toEqual([]);
    expect(hops(1)[1]).toBe("network-acl:allow");
    expect(hops(2).slice(-2)).toEqual(["network-acl:allow", "security-groups:deny"]);
  });

  it("test-public-subnet P1-P5", () => {
    expect(failures(testPublicSubnet)).toEqual([]);
    const r = runScenario(
      scenario(`
name: p5
vpc: { cidr: 10.0.0.0/16 }
subnets: { pub: { cidr: 10.0.0.0/24, route-table: rt } }
route-tables: { rt: { routes: [ { destination: 0.0.0.0/0, target: internet-gateway } ] } }
instances: { i: { subnet: pub, private-ip: 10.0.0.91, public-ip: 18.216.80.133 } }
internet-hosts: { google: { ip: 8.8.8.8 } }
steps: [ { connect: { from: i, to: google, protocol: tcp, port: 443 } } ]
`),
    );
    expect(r.steps[0]!.packets[0]!.result.received?.source).toBe("18.216.80.133");
  });

  it("test-nat-gateway N1-N4", () => {
    expect(failures(testNatGateway)).toEqual([]);
    const n1 = runScenario(scenario(testNatGateway)).steps[0]!.packets[0]!.result;
    expect(n1.received?.source).toBe("3.135.127.225");
  });

  it("the transcribed worlds hold every subnet and instance address of their snapshot", () => {
    for (const [name, text] of [
      ["test-subnet", testSubnet],
      ["test-public-subnet", testPublicSubnet],
      ["test-nat-gateway", testNatGateway],
    ] as const) {
      const facts = snapshotFacts(name);
      expect(facts.length).toBeGreaterThan(1);
      for (const fact of facts) expect(text, `${name}: ${fact}`).toContain(fact);
    }
  });
});
