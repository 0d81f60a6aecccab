// `vpcsim import` writes YAML that round-trips: loading it gives the world the import gives
// directly, and every connection the same verdicts, request and reply.
import { describe, expect, it } from "vitest";
import type { ImportOptions } from "../../src/import/aws.js";
import type { ImportLoadResult } from "../../src/import/load.js";
import { loadAwsImport } from "../../src/import/load.js";
import { scenarioYaml } from "../../src/import/yaml-text.js";
import type { World } from "../../src/index.js";
import { loadScenario } from "../../src/index.js";
import { awsAccount, GROUPS, INSTANCE, MAIN_TABLE } from "../aws-account.js";
import { connect, importSnapshotResult, ONE_VPC } from "../snapshots.js";

/** Every instance address (private and public) and one internet address. */
function endpoints(world: World): string[] {
  const ips = Object.values(world.instances).flatMap((i) =>
    i.interfaces.flatMap((e) => [...e.privateIps.map((a) => a.text), ...(e.publicIp ? [e.publicIp.text] : [])]),
  );
  return [...ips, "8.8.8.8"];
}

/** The verdicts of tcp 22, 80 and 443 between every pair of endpoints, request and reply. */
function verdicts(world: World, ends: readonly string[]): string[] {
  const out: string[] = [];
  for (const from of ends)
    for (const to of ends) {
      if (from === to || (from === "8.8.8.8" && to === "8.8.8.8")) continue;
      for (const port of [22, 80, 443]) {
        const c = connect(world, from, to, "tcp", port);
        out.push(`${from} → ${to}:${port} ${c.request.drop?.code ?? "delivered"} ${c.reply ? (c.reply.drop?.code ?? "delivered") : "-"}`);
      }
    }
  return out;
}

function roundTrip(r: ImportLoadResult, source: string): void {
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  const text = scenarioYaml(r.value, r.origins, r.warnings, source);
  const back = loadScenario(text, "imported.yaml");
  if (!back.ok) throw new Error(JSON.stringify(back.diagnostics));
  expect(back.scenario.world).toEqual(r.scenario.world);
  const ends = endpoints(r.scenario.world);
  const direct = verdicts(r.scenario.world, ends);
  expect(direct.length).toBeGreaterThan(5);
  expect(verdicts(back.scenario.world, ends)).toEqual(direct);
}

describe("import → YAML → load gives the same world and the same verdicts", () => {
  it.each([...ONE_VPC])("%s", async (name) => {
    roundTrip(await importSnapshotResult(name), name);
  });

  it.each([{ vpc: "vpc-0404e08ceddf7f650" }, { vpc: "vpc-00a31ce9d0c06675c" }] as ImportOptions[])(
    "test-vpc-peering, --vpc $vpc",
    async (options) => {
      roundTrip(await importSnapshotResult("test-vpc-peering", options), "test-vpc-peering");
    },
  );

  it("an account with stand-ins, prefix lists, several interfaces and names to quote", () => {
    const documents = awsAccount({
      RouteTables: [{ ...MAIN_TABLE, Routes: [{ DestinationCidrBlock: "0.0.0.0/0", TransitGatewayId: "tgw-1" }] }],
      SecurityGroups: [
        ...GROUPS,
        {
          GroupId: "sg-num",
          GroupName: "10",
          VpcId: "vpc-1",
          IpPermissions: [{ IpProtocol: "icmp", FromPort: 8, ToPort: -1, PrefixListIds: [{ PrefixListId: "pl-1" }] }],
          IpPermissionsEgress: [],
        },
      ],
      PrefixLists: [{ PrefixListId: "pl-1", PrefixListName: "true", Cidrs: ["192.0.2.0/24"] }],
      Reservations: [
        {
          Instances: [
            {
              ...INSTANCE,
              Tags: [{ Key: "Name", Value: "yes" }],
              NetworkInterfaces: [
                ...INSTANCE.NetworkInterfaces,
                {
                  ...INSTANCE.NetworkInterfaces[0],
                  NetworkInterfaceId: "eni-2",
                  Attachment: { DeviceIndex: 1 },
                  PrivateIpAddress: "10.0.1.11",
                  PrivateIpAddresses: [],
                  Groups: [{ GroupId: "sg-num" }],
                },
              ],
            },
          ],
        },
      ],
    });
    const r = loadAwsImport(documents);
    if (r.ok) expect(Object.keys(r.value["security-groups"]!)).toContain("10");
    roundTrip(r, "account");
  });
});
