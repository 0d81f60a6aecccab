// Whatever JSON an export holds, the importer gives a value and diagnostics, never a throw; and
// what it imports without errors, the loader takes or refuses with diagnostics, never a throw.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { importAws } from "../../src/import/aws.js";
import { loadAwsImport } from "../../src/import/load.js";
import { awsAccount, GROUPS, SUBNET } from "../aws-account.js";

const KEYS = [
  "Vpcs",
  "Subnets",
  "SecurityGroups",
  "NetworkAcls",
  "RouteTables",
  "NetworkInterfaces",
  "Reservations",
  "NatGateways",
  "PrefixLists",
  "vpcs",
];

describe("the importer on arbitrary JSON", () => {
  it("any JSON document: diagnostics, no throw", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (data) => {
        const r = importAws([{ name: "x.json", data }]);
        expect(r.errors.length + r.warnings.length).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 300 },
    );
  });

  it("the account with one output replaced by arbitrary JSON, names like __proto__ and constructor included: no throw", () => {
    const weird = fc.oneof(fc.jsonValue(), fc.constantFrom("__proto__", "constructor", "toString", "10.0.1.5", "blackhole", "", null));
    const resource = fc.dictionary(
      fc.constantFrom(
        "VpcId",
        "SubnetId",
        "GroupId",
        "CidrBlock",
        "Tags",
        "Entries",
        "Routes",
        "Associations",
        "IpPermissions",
        "Instances",
        "State",
      ),
      weird,
    );
    fc.assert(
      fc.property(fc.constantFrom(...KEYS), fc.array(resource, { maxLength: 4 }), (key, list) => {
        const r = loadAwsImport(awsAccount({ [key]: list }));
        expect(typeof r.ok).toBe("boolean");
      }),
      { numRuns: 300 },
    );
  });

  it("a resource whose ID is no AWS ID (a name every object has) is an error naming it", () => {
    const r = importAws(awsAccount({ Subnets: [{ SubnetId: "__proto__", VpcId: "vpc-1", CidrBlock: "10.0.1.0/24" }] }));
    expect(r.errors.map((d) => d.message)).toContain(
      `a resource of Subnets has no SubnetId of AWS's form (letters, digits and '-'): "__proto__"`,
    );
  });

  it("Name tags that every object has as a property (constructor, toString) are names like any other", () => {
    const r = loadAwsImport(
      awsAccount({
        Subnets: [{ ...SUBNET, Tags: [{ Key: "Name", Value: "constructor" }] }],
        SecurityGroups: GROUPS.map((g) => (g.GroupId === "sg-web" ? { ...g, GroupName: "toString" } : g)),
      }),
    );
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    expect(Object.keys(r.scenario.world.subnets)).toEqual(["constructor"]);
    expect(r.scenario.world.instances.web!.interfaces[0]!.securityGroups).toEqual(["toString"]);
  });
});

describe("importAws's arguments", () => {
  it.each([
    [null, {}, "importAws: documents are a list of { name, data }, not null"],
    [[{ data: {} }], {}, "importAws: each document is { name: string, data }, not an object"],
    [[], { vpc: 5 }, "importAws: options.vpc is a string, not 5"],
    [[], null, "importAws: options are { vpc?, name? }, not null"],
  ])("%j, %j: a VpcsimError", (documents, options, message) => {
    expect(() => importAws(documents as never, options as never)).toThrow(
      expect.objectContaining({ name: "VpcsimError", code: "argument/documents", message }),
    );
  });
});
