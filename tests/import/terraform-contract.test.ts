// The contract scenarios written as `terraform show -json` states (tests/fixtures/terraform/):
// imported, with the YAML's internet hosts and steps added, they give the YAML's verdicts, step by
// step, packet by packet; `vpcsim import`, `run` and `trace` read them as they are.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadImport } from "../../src/import/load.js";
import { scenarioYaml } from "../../src/import/yaml-text.js";
import type { ScenarioResult } from "../../src/index.js";
import { loadScenario, runScenario } from "../../src/index.js";
import { loadScenarioValue } from "../../src/scenario/load.js";
import { runCli } from "../cli-run.js";

const CONTRACTS = ["stateful-security-groups", "ephemeral-ports", "nat-gateway"] as const;
const state = (name: string) => `tests/fixtures/terraform/${name}.json`;
/** each contract scenario as a state, and one as a plan (in a child module, IDs unknown until apply) */
const SOURCES: [name: string, file: string][] = [
  ...CONTRACTS.map((c): [string, string] => [c, state(c)]),
  ["stateful-security-groups", state("stateful-security-groups.plan")],
];

function imported(file: string) {
  const r = loadImport([{ name: file, data: JSON.parse(readFileSync(file, "utf8")) }], {}, file);
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r;
}

/** Each step's outcome and every packet's verdict. */
function verdicts(result: ScenarioResult): string[] {
  return result.steps.map(
    (s) => `${s.index} ${s.check?.pass ?? "-"} ${s.packets.map((p) => `${p.role}:${p.result.drop?.code ?? "delivered"}`).join(" ")}`,
  );
}

describe("the contract scenarios as Terraform states", () => {
  it.each(SOURCES)("%s from %s: the YAML's steps give the same verdicts on the import", (name, file) => {
    const yamlText = readFileSync(`tests/fixtures/contract/${name}.yaml`, "utf8");
    const yaml = loadScenario(yamlText, `${name}.yaml`);
    if (!yaml.ok) throw new Error(JSON.stringify(yaml.diagnostics));
    const { steps, "internet-hosts": hosts } = parse(yamlText) as Record<string, unknown>;
    const loaded = loadScenarioValue({ ...imported(file).value, ...(hosts ? { "internet-hosts": hosts } : {}), steps }, name);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
    const fromTerraform = runScenario(loaded.scenario);
    expect(fromTerraform.failed).toBe(0);
    expect(verdicts(fromTerraform)).toEqual(verdicts(runScenario(yaml.scenario)));
  });

  it.each(SOURCES)("%s from %s: the YAML that vpcsim import writes gives the same world", (_, file) => {
    const r = imported(file);
    const back = loadScenario(scenarioYaml(r.value, r.origins, r.warnings, file), "back.yaml");
    if (!back.ok) throw new Error(JSON.stringify(back.diagnostics));
    expect(back.scenario.world).toEqual(r.scenario.world);
  });

  it("vpcsim import detects Terraform, and --from says it", async () => {
    const detected = await runCli(["import", state("nat-gateway"), "--no-color"]);
    expect(detected.code).toBe(0);
    expect(detected.out).toContain("      - { destination: 0.0.0.0/0, target: nat-gw }");
    const told = await runCli(["import", state("nat-gateway"), "--from", "terraform", "--no-color"]);
    expect(told.out).toBe(detected.out);
    const wrong = await runCli(["import", state("nat-gateway"), "--from", "aws", "--no-color"]);
    expect(wrong.code).toBe(2);
  });

  it("vpcsim trace reads a state: 0 when request and reply arrive, 1 when either is dropped", async () => {
    const args = (port: number) => [
      "trace",
      state("stateful-security-groups"),
      "--from",
      "app-1",
      "--to",
      "db-1",
      "--protocol",
      "tcp",
      "--port",
      String(port),
      "--no-color",
    ];
    expect((await runCli(args(5432))).code).toBe(0);
    const denied = await runCli(args(22));
    expect(denied.code).toBe(1);
    expect(denied.out).toContain("db-sg");
  });

  it("vpcsim run reads a state beside scenario files", async () => {
    const r = await runCli(["run", state("ephemeral-ports"), "scenarios/nat-gateway.yaml", "--no-color"]);
    expect(r.code).toBe(0);
    expect(r.err).toContain("aws_vpc.main.default_network_acl_id");
  });
});
