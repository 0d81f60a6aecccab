// `npm run bench`: fixed, seeded workloads; each figure the median of 5 runs. Prints one table and
// writes bench/results.json. Not a test: timings never gate CI. Setup (building worlds and
// engines) is outside the timed part; the world compile is timed on its own.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { performance } from "node:perf_hooks";
import { ConnectionTable } from "../src/engine/connection-table.js";
import { loadAwsImport } from "../src/import/load.js";
import type { Packet, World } from "../src/index.js";
import { addressFromV4, Engine, runScenario } from "../src/index.js";
import { ReferenceEvaluator } from "../src/reference/evaluator.js";
import { awsExport } from "./aws-export.js";
import {
  addressSendSteps,
  buildTraffic,
  buildWorld,
  deniedSendSteps,
  fullAclWorld,
  ruleChangeSteps,
  scenarioOf,
  W1,
  waitSteps,
} from "./workloads.js";

const RUNS = 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Median milliseconds of `fn` over RUNS runs, each on a fresh `setup()`, which is not timed. */
function timeRuns<T>(setup: () => T, fn: (state: T) => void): number {
  const t: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const state = setup();
    const start = performance.now();
    fn(state);
    t.push(performance.now() - start);
  }
  return median(t);
}

const rows: { workload: string; figure: string; value: number; unit: string; target: string }[] = [];
const row = (workload: string, figure: string, value: number, unit: string, target = "") => {
  rows.push({ workload, figure, value: Math.round(value * 100) / 100, unit, target });
};
const rate = (packets: number, ms: number) => packets / (ms / 1000);

/** The share of packets delivered, and of those denied by each drop code, in percent. */
function outcomes(world: World, traffic: readonly Packet[]): { delivered: number; drops: [string, number][] } {
  const e = new Engine(world);
  const drops = new Map<string, number>();
  let delivered = 0;
  for (const p of traffic) {
    const verdict = e.verdict(p);
    if (verdict === "delivered") delivered++;
    else drops.set(verdict, (drops.get(verdict) ?? 0) + 1);
  }
  const percent = (n: number) => (100 * n) / traffic.length;
  return { delivered: percent(delivered), drops: [...drops].sort((a, b) => b[1] - a[1]).map(([code, n]) => [code, percent(n)]) };
}

function verdicts(world: World, traffic: readonly Packet[]): number {
  return timeRuns(
    () => new Engine(world),
    (e) => {
      for (let i = 0; i < traffic.length; i++) e.verdict(traffic[i]!);
    },
  );
}

// W3: a million tracked connections, then expiry. First, while the heap holds nothing else, so
// that the figure is the table's own.
{
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage();
  const table = new ConnectionTable(1024);
  const hosts = Array.from({ length: 1000 }, (_, i) => addressFromV4(0x0a000000 + i));
  const server = addressFromV4(0x0a010001);
  for (let i = 0; i < 1_000_000; i++) table.insert(i % 2000, 6, hosts[i % 1000]!, 1024 + Math.floor(i / 1000), server, 443, 0, 350, 0);
  gc?.();
  const after = process.memoryUsage();
  const bytes = after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers;
  row("W3 connection table", "heap per tracked connection", bytes / 1_000_000, "bytes", "<= 300");
  const start = performance.now();
  table.expire(1000);
  row("W3 connection table", "expire 1,000,000 entries", performance.now() - start, "ms", "< 1000");
}

// W1: steady traffic, 10,000 flows open at a time
const world = buildWorld(W1);
const traffic = buildTraffic(world, 1_000_000, 100_000, 10_000);
row(
  "W1 steady traffic",
  "world compile (2,000 instances)",
  timeRuns(
    () => undefined,
    () => new Engine(world),
  ),
  "ms",
);
const verdictMs = verdicts(world, traffic);
row("W1 steady traffic", "verdict-only", rate(traffic.length, verdictMs), "packets/s", ">= 1,000,000");
const traceMs = timeRuns(
  () => new Engine(world),
  (e) => {
    for (let i = 0; i < traffic.length; i++) e.send(traffic[i]!);
  },
);
row("W1 steady traffic", "full traces", rate(traffic.length, traceMs), "packets/s", ">= 200,000");
{
  const { delivered, drops } = outcomes(world, traffic);
  row("W1 steady traffic", "delivered", delivered, "%", "some denied by each component");
  for (const [code, share] of drops) row("W1 steady traffic", `denied: ${code}`, share, "%");
}
const floorMs = timeRuns(
  () => new Map<number, number>(),
  (seen) => {
    for (let i = 0; i < traffic.length; i++) {
      const p = traffic[i]!;
      seen.set(p.src.v4 ^ p.dstPort, i);
    }
  },
);
row("W1 steady traffic", "floor loop (one hash lookup)", rate(traffic.length, floorMs), "packets/s", "physical limit");
row("W1 steady traffic", "engine / floor", (100 * floorMs) / verdictMs, "%");
{
  const burst = buildTraffic(world, 1_000_000, 100_000);
  row("W1 steady traffic", "verdict-only, all 100,000 flows open at once", rate(burst.length, verdicts(world, burst)), "packets/s");
}

// The reference evaluator on a sample of W1's world and traffic: 200 flows, 20 open at a time.
{
  const sample = buildTraffic(world, 2_000, 200, 20);
  const engineMs = verdicts(world, sample);
  const refMs = timeRuns(
    () => new ReferenceEvaluator(world),
    (r) => {
      for (const p of sample) r.verdict(p);
    },
  );
  const e = new Engine(world);
  const r = new ReferenceEvaluator(world);
  const agree = sample.filter((p) => (e.verdict(p) === "delivered") === (r.verdict(p) === "delivered")).length;
  row("W1 sample (2,000 packets)", "reference evaluator", rate(sample.length, refMs), "packets/s");
  row("W1 sample (2,000 packets)", "engine speed-up over it", refMs / engineMs, "x");
  row("W1 sample (2,000 packets)", "verdicts agreeing", (100 * agree) / sample.length, "%", "100");
}

// W2: the same kind of traffic against growing rule sets (per interface ≈ 3 groups' worth), each
// group opening with a broad rule so that every size lets about the same traffic through
{
  const sizes = [
    [1, 1],
    [10, 60],
    [40, 300],
  ] as const;
  const rates = sizes.map(([acl, perInterface]) => {
    const w = buildWorld({ ...W1, aclRules: acl, sgRules: Math.max(1, Math.round(perInterface / 3)), openFirstRule: true });
    const t = buildTraffic(w, 200_000, 20_000, 2_000);
    const pps = rate(t.length, verdicts(w, t));
    row("W2 rule growth", `ACL ${acl} rules, ~${perInterface} per interface`, pps, "packets/s");
    row("W2 rule growth", `ACL ${acl} rules, ~${perInterface} per interface: delivered`, outcomes(w, t).delivered, "%");
    return pps;
  });
  row("W2 rule growth", "largest / smallest", (100 * rates[2]!) / rates[0]!, "%", ">= 50");
}

// W5: scenario-like runs, 10,000 steps of one kind each through runScenario, so that nothing a
// step does grows with the world or the run (issue "Hostile and broken input"): rule changes on
// W1's world (each recompiles only the group or ACL it touches), waits with W1's connection table
// full (expiry is in place and skipped before the earliest timeout), packets from an IP-address
// endpoint (looked up once per run) and packets denied by the last rule of a 32,766-rule ACL
// (whose fix hint looks for a free rule number by binary search).
{
  const STEPS = 10_000;
  const perThousand = (ms: number) => (ms * 1000) / STEPS;
  const target = "< 1000";
  const changes = scenarioOf(world, ruleChangeSteps(world, STEPS), "rule-changes");
  row(
    "W5 scenario steps",
    "rule changes on W1's world",
    perThousand(
      timeRuns(
        () => new Engine(world),
        (e) => runScenario(changes, e),
      ),
    ),
    "ms per 1,000 steps",
    target,
  );
  const waits = scenarioOf(world, waitSteps(STEPS), "waits");
  const burst = buildTraffic(world, 200_000, 100_000);
  row(
    "W5 scenario steps",
    "waits, W1's 100,000 flows open",
    perThousand(
      timeRuns(
        () => {
          const e = new Engine(world);
          for (const p of burst) e.verdict(p);
          return e;
        },
        (e) => runScenario(waits, e),
      ),
    ),
    "ms per 1,000 steps",
    target,
  );
  const fromAddress = scenarioOf(world, addressSendSteps(world, STEPS), "address");
  row(
    "W5 scenario steps",
    "packets from an IP-address endpoint (W1)",
    perThousand(
      timeRuns(
        () => new Engine(world),
        (e) => runScenario(fromAddress, e),
      ),
    ),
    "ms per 1,000 steps",
    target,
  );
  const acl = fullAclWorld(32766);
  const denied = scenarioOf(acl, deniedSendSteps(STEPS), "acl-hint");
  row(
    "W5 scenario steps",
    "denied packets with an ACL fix hint, 32,766 rules",
    perThousand(
      timeRuns(
        () => new Engine(acl),
        (e) => runScenario(denied, e),
      ),
    ),
    "ms per 1,000 steps",
    target,
  );
}

// W6: W1's world written as an account's describe-* JSON, imported: JSON text → a loaded scenario
{
  const texts = awsExport(world).map((d) => ({ name: d.name, text: JSON.stringify(d.data, null, 1) }));
  let ok = true;
  const ms = timeRuns(
    () => texts,
    (files) => {
      ok &&= loadAwsImport(files.map((f) => ({ name: f.name, data: JSON.parse(f.text) }))).ok;
    },
  );
  if (!ok) throw new Error("W1 as AWS JSON did not import");
  const mb = texts.reduce((n, f) => n + f.text.length, 0) / 1_000_000;
  row("W6 AWS import", `W1 as AWS JSON (${Math.round(mb)} MB, 2,000 instances), parsed and imported`, ms, "ms", "< 2000");
}

// W4: cold start of the CLI on one small scenario
{
  const t: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    let s = performance.now();
    execFileSync(process.execPath, ["-e", "0"]);
    baseline.push(performance.now() - s);
    s = performance.now();
    execFileSync(process.execPath, ["bin/vpcsim.js", "run", "scenarios/ephemeral-ports.yaml"], { env: { ...process.env, NO_COLOR: "1" } });
    t.push(performance.now() - s);
  }
  row("W4 cold start", "vpcsim run (one scenario)", median(t), "ms", "< 300");
  row("W4 cold start", "node -e 0", median(baseline), "ms");
}

const machine = { node: process.version, cpu: cpus()[0]?.model ?? "unknown", cores: cpus().length };
console.log(`vpcsim bench — Node ${machine.node}, ${machine.cpu} (${machine.cores} cores), median of ${RUNS} runs\n`);
console.log("| workload | figure | value | unit | target |\n|---|---|---|---|---|");
rows.sort((a, b) => a.workload.slice(0, 2).localeCompare(b.workload.slice(0, 2)));
for (const r of rows) console.log(`| ${r.workload} | ${r.figure} | ${r.value.toLocaleString("en-US")} | ${r.unit} | ${r.target} |`);
writeFileSync("bench/results.json", `${JSON.stringify({ machine, runs: RUNS, rows }, null, 2)}\n`);
