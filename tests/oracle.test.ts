// The Batfish snapshots' known outcomes (tests/fixtures/batfish-aws/EXPECTED.md), each asserted on
// the snapshot's JSON read as it is and imported (src/import/), not on a transcription.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { scenarioYaml } from "../src/import/yaml-text.js";
import type { Scenario, World } from "../src/index.js";
import { loadScenarioValue } from "../src/index.js";
import type { Connection } from "./snapshots.js";
import { connect, dropOf, hopsOf, importSnapshot, importSnapshotResult, ONE_VPC, SNAPSHOTS } from "./snapshots.js";

/** The instance that owns a private or public address. */
function owner(world: World, ip: string): string {
  const i = Object.values(world.instances).find((x) =>
    x.interfaces.some((e) => e.privateIps.some((a) => a.text === ip) || e.publicIp?.text === ip),
  );
  if (!i) throw new Error(`no instance at ${ip}`);
  return i.name;
}

const deniedAt = (world: World, ip: string) => `ENI_SG_RULES_MISMATCH security-groups ${owner(world, ip)} inbound`;
const allowed = (c: Connection) => expect([dropOf(c.request), c.reply && dropOf(c.reply)]).toEqual(["delivered", "delivered"]);

describe("Batfish oracle (EXPECTED.md), on the imported snapshots", () => {
  const loaded = new Map<string, Scenario>();
  beforeAll(async () => {
    for (const name of ONE_VPC) loaded.set(name, await importSnapshot(name));
  });
  const world = (name: string) => loaded.get(name)!.world;

  it("test-subnet S1-S4", () => {
    const w = world("test-subnet");
    const s1 = connect(w, "10.10.1.228", "10.10.1.44", "tcp", 80);
    expect(dropOf(s1.request)).toBe(deniedAt(w, "10.10.1.44"));
    expect(hopsOf(s1.request).filter((h) => h.startsWith("network-acl"))).toEqual([]);
    allowed(connect(w, "10.10.1.228", "10.10.1.44", "tcp", 22));
    const s3 = connect(w, "10.10.1.228", "10.10.0.1", "tcp", 80);
    expect(s3.request.drop?.code).toBe("NO_INTERFACE_AT_DESTINATION");
    expect(hopsOf(s3.request)[1]).toBe("network-acl:allow");
  });

  it("test-subnet S4: a packet from elsewhere in the VPC passes the ACL inbound and meets the groups", async () => {
    // the snapshot's own value, with one more subnet and instance to send from
    const r = await importSnapshotResult("test-subnet");
    if (!r.ok) throw new Error("import failed");
    const v = r.value;
    const withOther = {
      ...v,
      subnets: { ...v.subnets, other: { cidr: "10.10.2.0/24", "network-acl": Object.values(v.subnets)[0]!["network-acl"] } },
      instances: { ...v.instances, elsewhere: { subnet: "other", "private-ip": "10.10.2.9" } },
    };
    const s = loadScenarioValue(withOther);
    if (!s.ok) throw new Error(JSON.stringify(s.diagnostics));
    const s4 = connect(s.scenario.world, "elsewhere", "10.10.1.44", "tcp", 80);
    expect(hopsOf(s4.request).slice(-2)).toEqual(["network-acl:allow", "security-groups:deny"]);
    expect(dropOf(s4.request)).toBe(deniedAt(s.scenario.world, "10.10.1.44"));
  });

  it("test-public-subnet P1-P5", () => {
    const w = world("test-public-subnet");
    const p1 = connect(w, "8.8.8.8", "18.216.80.133", "tcp", 80);
    expect(p1.request.hops[0]).toMatchObject({ component: { kind: "internet-gateway" }, translation: { to: "10.0.0.91" } });
    expect(dropOf(p1.request)).toBe(deniedAt(w, "10.0.0.91"));
    allowed(connect(w, "8.8.8.8", "18.216.80.133", "tcp", 22));
    expect(connect(w, "8.8.8.8", "54.191.107.23", "tcp", 22).request.drop?.code).toBe("NO_PATH");
    expect(dropOf(connect(w, "8.8.8.8", "10.0.0.91", "tcp", 22).request)).toBe("IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS internet-gateway");
    const p5 = connect(w, "10.0.0.91", "8.8.8.8", "tcp", 443);
    allowed(p5);
    expect(p5.request.received?.source).toBe("18.216.80.133");
  });

  it("test-public-private-subnet PP1-PP7: the private subnet's default route stops at the VPN gateway's stand-in", () => {
    const w = world("test-public-private-subnet");
    const vgw = "UNMODELLED_TARGET route-table rtb-002f0eabf583bf991";
    const pp1 = connect(w, "10.0.1.204", "13.58.55.60", "tcp", 22);
    expect(dropOf(pp1.request)).toBe(vgw);
    expect(pp1.request.drop?.explanation).toContain("virtual private gateway vgw-070087240d6fa2989");
    expect(dropOf(connect(w, "10.0.1.204", "10.0.0.47", "tcp", 80).request)).toBe(deniedAt(w, "10.0.0.47"));
    allowed(connect(w, "10.0.1.204", "10.0.0.47", "tcp", 22));
    expect(dropOf(connect(w, "10.0.0.47", "10.0.1.204", "tcp", 80).request)).toBe(deniedAt(w, "10.0.1.204"));
    expect(dropOf(connect(w, "8.8.8.8", "13.58.55.60", "tcp", 80).request)).toBe(deniedAt(w, "10.0.0.47"));
    expect(connect(w, "8.8.8.8", "10.0.0.47", "tcp", 22).request.delivered).toBe(false);
    const pp6 = connect(w, "10.0.0.47", "8.8.8.8", "tcp", 443);
    expect(hopsOf(pp6.request)).toContain("internet-gateway:translate");
    allowed(pp6);
    expect(dropOf(connect(w, "10.0.1.204", "8.8.8.8", "tcp", 443).request)).toBe(vgw);
  });

  it("test-nat-gateway N1-N4", () => {
    const w = world("test-nat-gateway");
    const n1 = connect(w, "10.1.1.98", "8.8.8.8", "tcp", 80);
    allowed(n1);
    expect(n1.request.received?.source).toBe("3.135.127.225");
    expect(n1.reply?.received?.destination).toBe("10.1.1.98");
    expect(dropOf(connect(w, "8.8.8.8", "3.135.127.225", "tcp", 80).request)).toBe(
      "NGW_UNSOLICITED_INBOUND nat-gateway nat-07ab4846da51f4612",
    );
    expect(dropOf(connect(w, "10.1.1.98", "8.8.8.8", "47").request)).toBe("PROTOCOL_RESTRICTION nat-gateway nat-07ab4846da51f4612");
    expect(dropOf(connect(w, "10.1.250.116", "10.1.250.210", "tcp", 80).request)).toBe(
      "NGW_NOT_A_DESTINATION nat-gateway nat-07ab4846da51f4612",
    );
  });

  it("test-vpc-peering: three VPCs are refused with a message naming them; --vpc runs one, peering routes stop at stand-ins", async () => {
    const all = await importSnapshotResult("test-vpc-peering");
    expect(all.ok).toBe(false);
    const message = all.ok ? "" : all.diagnostics.map((d) => `${d.code} ${d.message}`).join("\n");
    expect(message).toContain("import/several-vpcs the import holds 3 VPCs");
    for (const id of ["vpc-00a31ce9d0c06675c", "vpc-09095dbf2886404ee", "vpc-0404e08ceddf7f650"]) expect(message).toContain(id);
    expect(message).toContain("--vpc");

    const a = (await importSnapshot("test-vpc-peering", { vpc: "vpc-0404e08ceddf7f650" })).world;
    const v1 = connect(a, "10.10.10.157", "192.168.1.106", "tcp", 80);
    expect(v1.request.drop?.code).toBe("UNMODELLED_TARGET");
    expect(v1.request.drop?.explanation).toContain("VPC peering connection pcx-0b89b559e3319d6cf");
    expect(connect(a, "10.10.10.157", "192.168.100.1", "tcp", 80).request.drop?.code).toBe("NO_ROUTE_TO_DESTINATION");
    const b = (await importSnapshot("test-vpc-peering", { vpc: "vpc-00a31ce9d0c06675c" })).world;
    for (const to of ["10.10.10.157", "10.10.100.1"]) {
      expect(connect(b, "192.168.1.106", to, "tcp", 80).request.drop?.explanation).toContain(
        "VPC peering connection pcx-0b89b559e3319d6cf",
      );
    }
  });

  it("each imported scenario holds every subnet block and instance address of its snapshot's JSON", async () => {
    for (const name of ONE_VPC) {
      const dir = join(SNAPSHOTS, name, "aws_configs");
      const read = (f: string) => JSON.parse(readFileSync(join(dir, f), "utf8"));
      const subnets = (read("Subnets.json").Subnets as { CidrBlock: string }[]).map((s) => s.CidrBlock);
      const addresses = (
        read("Reservations.json").Reservations as { Instances: { PrivateIpAddress: string; PublicIpAddress?: string }[] }[]
      )
        .flatMap((r) => r.Instances)
        .flatMap((i) => [i.PrivateIpAddress, ...(i.PublicIpAddress ? [i.PublicIpAddress] : [])]);
      const r = await importSnapshotResult(name);
      if (!r.ok) throw new Error(name);
      const text = scenarioYaml(r.value, r.origins, r.warnings, name);
      expect(subnets.length + addresses.length).toBeGreaterThan(2);
      for (const fact of [...subnets, ...addresses]) expect(text, `${name}: ${fact}`).toContain(fact);
    }
  });
});
