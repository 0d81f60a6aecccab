// Random worlds written as AWS JSON (bench/aws-export.ts) and imported back give the same
// verdicts, packet by packet: the importer reads what the exporter writes as AWS does.
import { describe, expect, it } from "vitest";
import { awsExport } from "../../bench/aws-export.js";
import { buildTraffic, buildWorld } from "../../bench/workloads.js";
import { loadAwsImport } from "../../src/import/load.js";
import { Engine } from "../../src/index.js";

describe("export as AWS JSON → import: the same verdicts on random worlds", () => {
  it.each([1, 2, 3, 4, 5])("seed %d", (seed) => {
    const world = buildWorld({ subnets: 6, groups: 12, instances: 60, internetHosts: 10, aclRules: 8, sgRules: 6 }, seed);
    const r = loadAwsImport(awsExport(world));
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics.slice(0, 3)));
    // more IPv4 blocks than AWS's default quota (one a subnet) is a warning, and nothing else is
    expect(r.warnings.filter((w) => w.code !== "quota/vpc-blocks")).toEqual([]);
    // internet hosts are no AWS resource: the imported world is given the same ones
    const imported = { ...r.scenario.world, internetHosts: world.internetHosts };
    const traffic = buildTraffic(world, 3000, 300, 30, seed);
    const [a, b] = [new Engine(world), new Engine(imported)];
    const verdicts = traffic.map((p) => [a.verdict(p), b.verdict(p)]);
    expect(verdicts.filter(([x, y]) => x !== y)).toEqual([]);
    expect(new Set(verdicts.map(([x]) => x)).size).toBeGreaterThan(2);
  });
});
