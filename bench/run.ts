// `npm run bench`: fixed, seeded workloads, run in rounds. Each round runs every variant of a
// workload once, in an order that rotates from round to round, and times both CPU
// (process.cpuUsage, every thread of the process) and wall. A comparison (engine against the naive
// evaluator, against the floors, one size against another) is a ratio of two times measured in
// the same round; every figure is printed as the median over the rounds with its spread (min-max).
// Setup (building worlds, traffic and engines) is outside the timed part. Prints one table and
// writes bench/results.json, where each row with a target has a boolean `met`. Not a test: timings
// never gate CI.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { V4Table } from "../src/compile/v4-table.js";
import { ConnectionTable } from "../src/engine/connection-table.js";
import { loadAwsImport } from "../src/import/load.js";
import type { Packet, World } from "../src/index.js";
import { addressFromV4, Engine, runScenario } from "../src/index.js";
import { awsExport } from "./aws-export.js";
import { NaiveEvaluator } from "./naive.js";
import type { WorldShape } from "./workloads.js";
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

const ROUNDS = 5;

interface Sample {
  readonly wall: number;
  readonly cpu: number;
}

/** Milliseconds of wall and CPU time `fn` takes. */
function timed(fn: () => void): Sample {
  const c = process.cpuUsage();
  const start = performance.now();
  fn();
  const wall = performance.now() - start;
  const u = process.cpuUsage(c);
  return { wall, cpu: (u.user + u.system) / 1000 };
}

/**
 * Runs every variant once a round for `rounds` rounds, starting each round one variant later, so
 * that no variant always runs first (cold) or last (after the others' garbage).
 */
function inRounds<V extends Record<string, (round: number) => unknown>>(
  rounds: number,
  variants: V,
): { [K in keyof V]: ReturnType<V[K]>[] } {
  const names = Object.keys(variants);
  const out: Record<string, unknown[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(r + i) % names.length]!;
      out[name]!.push(variants[name]!(r));
    }
  }
  return out as { [K in keyof V]: ReturnType<V[K]>[] };
}

interface Row {
  workload: string;
  figure: string;
  unit: string;
  median: number;
  min: number;
  max: number;
  /** how many values (rounds or runs) the spread is over */
  n: number;
  target: string;
  met?: boolean;
}

const rows: Row[] = [];
const round2 = (x: number) => Math.round(x * 100) / 100;

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/** A row from values over rounds; with a target, `met` says whether the median meets it. */
function row(workload: string, figure: string, unit: string, values: readonly number[], target?: [string, (median: number) => boolean]) {
  const m = median(values);
  rows.push({
    workload,
    figure,
    unit,
    median: round2(m),
    min: round2(Math.min(...values)),
    max: round2(Math.max(...values)),
    n: values.length,
    target: target?.[0] ?? "",
    ...(target ? { met: target[1](m) } : {}),
  });
}

const perSecond = (packets: number, ms: number) => packets / (ms / 1000);
const cpuRate = (packets: number, samples: readonly Sample[]) => samples.map((s) => perSecond(packets, s.cpu));
const ratios = (a: readonly Sample[], b: readonly Sample[], scale = 1) => a.map((x, i) => (scale * x.cpu) / b[i]!.cpu);
const atLeast = (text: string, x: number): [string, (m: number) => boolean] => [text, (m) => m >= x];
const below = (text: string, x: number): [string, (m: number) => boolean] => [text, (m) => m < x];

/** Verdict-only over `traffic` on a fresh engine, each verdict kept (a store a packet) to check. */
function engineRun(world: World, traffic: readonly Packet[], verdicts: string[]): Sample {
  const e = new Engine(world);
  return timed(() => {
    for (let i = 0; i < traffic.length; i++) verdicts[i] = e.verdict(traffic[i]!);
  });
}

// W3: a million tracked connections, then expiry. First, while the heap holds nothing else, so
// that the figure is the table's own. Each connection has its own remote address object, as
// packets parsed from the wire would.
{
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage();
  const table = new ConnectionTable(1024);
  const server = addressFromV4(0x0a010001);
  for (let i = 0; i < 1_000_000; i++) {
    table.insert(i % 2000, 6, addressFromV4(0x0a000000 + (i % 1000)), 1024 + Math.floor(i / 1000), server, 443, 0, 350, 0);
  }
  gc?.();
  const after = process.memoryUsage();
  const bytes = after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers;
  row(
    "W3 connection table",
    "heap per tracked connection, one address object each",
    "bytes",
    [bytes / 1_000_000],
    ["<= 150", (m) => m <= 150],
  );
  row("W3 connection table", "expire 1,000,000 entries (CPU)", "ms", [timed(() => table.expire(1000)).cpu], below("< 1000", 1000));
}

// W1: steady traffic, 10,000 flows open at a time. Each round runs the engine on the million
// packets (its first SAMPLE timed apart), the naive evaluator on those SAMPLE packets, full traces,
// and two floors: a hash write a packet (a loop, not a limit) and the least a stateful firewall
// does (two address lookups and two connection-table checks a packet).
{
  const world = buildWorld(W1);
  const traffic = buildTraffic(world, 1_000_000, 100_000, 10_000);
  const burst = buildTraffic(world, 1_000_000, 100_000);
  const SAMPLE = 100_000;
  const TRACED = 200_000;
  const sample = traffic.slice(0, SAMPLE);
  const engineVerdicts: string[][] = [];
  const naiveVerdicts: string[][] = [];
  const enis = Object.values(world.instances).flatMap((i) => i.interfaces);
  const addresses = new V4Table(enis.map((e, k) => [e.privateIps[0]!.v4, k] as const));
  const s = inRounds(ROUNDS, {
    engine: () => {
      const verdicts = new Array<string>(traffic.length);
      const e = new Engine(world);
      const head = timed(() => {
        for (let i = 0; i < SAMPLE; i++) verdicts[i] = e.verdict(traffic[i]!);
      });
      const rest = timed(() => {
        for (let i = SAMPLE; i < traffic.length; i++) verdicts[i] = e.verdict(traffic[i]!);
      });
      engineVerdicts.push(verdicts);
      return { head, all: { wall: head.wall + rest.wall, cpu: head.cpu + rest.cpu } };
    },
    naive: () => {
      const verdicts = new Array<string>(SAMPLE);
      const n = new NaiveEvaluator(world);
      const t = timed(() => {
        for (let i = 0; i < SAMPLE; i++) verdicts[i] = n.verdict(sample[i]!);
      });
      naiveVerdicts.push(verdicts);
      return t;
    },
    traces: () => {
      const e = new Engine(world);
      return timed(() => {
        for (let i = 0; i < TRACED; i++) e.send(traffic[i]!);
      });
    },
    burst: () => engineRun(world, burst, new Array<string>(burst.length)),
    hashWrite: () => {
      const seen = new Map<number, number>();
      return timed(() => {
        for (let i = 0; i < traffic.length; i++) {
          const p = traffic[i]!;
          seen.set(p.src.v4 ^ p.dstPort, i);
        }
      });
    },
    statefulFloor: () => {
      // the engine's own address table and connection table, doing nothing else: find both
      // interfaces, then look the flow up at each one and track it when new
      const table = new ConnectionTable(1024);
      return timed(() => {
        for (let i = 0; i < traffic.length; i++) {
          const p = traffic[i]!;
          const a = addresses.get(p.src.v4);
          const b = addresses.get(p.dst.v4);
          if (table.findLive(a, p.protocol, p.src, p.srcPort, p.dst, p.dstPort, 0) === undefined) {
            table.insert(a, p.protocol, p.src, p.srcPort, p.dst, p.dstPort, 0, 350, 1);
          }
          if (table.findLive(b, p.protocol, p.dst, p.dstPort, p.src, p.srcPort, 0) === undefined) {
            table.insert(b, p.protocol, p.dst, p.dstPort, p.src, p.srcPort, 0, 350, 0);
          }
        }
      });
    },
  });
  const W = "W1 steady traffic";
  const engineAll = s.engine.map((x) => x.all);
  const engineHead = s.engine.map((x) => x.head);
  row(W, "verdict-only (CPU time)", "packets/s", cpuRate(traffic.length, engineAll), atLeast(">= 1,000,000", 1_000_000));
  row(
    W,
    "verdict-only (wall time)",
    "packets/s",
    engineAll.map((x) => perSecond(traffic.length, x.wall)),
  );
  row(W, "verdict-only, all 100,000 flows open at once", "packets/s", cpuRate(burst.length, s.burst));
  row(
    W,
    `full traces (first ${TRACED.toLocaleString("en-US")} packets)`,
    "packets/s",
    cpuRate(TRACED, s.traces),
    atLeast(">= 200,000", 200_000),
  );
  row(W, "hash-write loop (one Map write a packet; a loop, not a limit)", "packets/s", cpuRate(traffic.length, s.hashWrite));
  row(W, "stateful floor (2 address lookups + 2 connection-table checks a packet)", "packets/s", cpuRate(traffic.length, s.statefulFloor));
  row(W, "engine / hash-write loop", "%", ratios(s.hashWrite, engineAll, 100));
  row(W, "engine / stateful floor", "%", ratios(s.statefulFloor, engineAll, 100), atLeast(">= 15", 15));
  row(W, `naive evaluator (first ${SAMPLE.toLocaleString("en-US")} packets)`, "packets/s", cpuRate(SAMPLE, s.naive));
  row(W, "engine speed-up over the naive evaluator, same packets", "x", ratios(s.naive, engineHead));
  // Agreement on the timed traffic itself: every round's engine verdicts against the naive
  // evaluator's, packet by packet, and the engine's rounds against each other on all packets.
  const agree = naiveVerdicts.map((n, r) => {
    let same = 0;
    for (let i = 0; i < SAMPLE; i++) if (n[i] === engineVerdicts[r]![i]) same++;
    return (100 * same) / SAMPLE;
  });
  row(W, "verdicts agreeing with the naive evaluator, timed packets", "%", agree, ["100", (m) => m === 100 && Math.min(...agree) === 100]);
  const first = engineVerdicts[0]!;
  const stable = engineVerdicts.every((v) => v.every((x, i) => x === first[i]));
  row(W, "engine verdicts equal in every round", "%", [stable ? 100 : 0], ["100", (m) => m === 100]);
  const counts = new Map<string, number>();
  for (const v of first) counts.set(v, (counts.get(v) ?? 0) + 1);
  const share = (n: number) => (100 * n) / first.length;
  row(W, "delivered", "%", [share(counts.get("delivered") ?? 0)]);
  for (const [code, n] of [...counts].sort((a, b) => b[1] - a[1])) if (code !== "delivered") row(W, `denied: ${code}`, "%", [share(n)]);
}

/** Verdict-only packets/s per round for each world, interleaved, on `packets` packets each. */
function growth<K extends string>(shapes: Record<K, WorldShape>, packets: number): Record<K, Sample[]> & { delivered: Record<K, number> } {
  const prepared = Object.fromEntries(
    Object.entries<WorldShape>(shapes).map(([k, shape]) => {
      const w = buildWorld(shape);
      return [k, { w, t: buildTraffic(w, packets, packets / 10, packets / 100) }];
    }),
  ) as Record<K, { w: World; t: Packet[] }>;
  const delivered = {} as Record<K, number>;
  const s = inRounds(
    ROUNDS,
    Object.fromEntries(
      Object.entries<{ w: World; t: Packet[] }>(prepared).map(([k, { w, t }]) => [
        k,
        () => {
          const verdicts = new Array<string>(t.length);
          const sample = engineRun(w, t, verdicts);
          delivered[k as K] = (100 * verdicts.filter((v) => v === "delivered").length) / t.length;
          return sample;
        },
      ]),
    ) as Record<K, () => Sample>,
  );
  return Object.assign(s, { delivered });
}

// W2: the same kind of traffic against growing rule sets (per interface ≈ 3 groups' worth), sizes
// interleaved in rounds; no rule opens the VPC first, so each size's index is its own.
{
  const W = "W2 rule growth";
  const shape = (acl: number, perInterface: number): WorldShape => ({
    ...W1,
    aclRules: acl,
    sgRules: Math.max(1, Math.round(perInterface / 3)),
  });
  const packets = 200_000;
  const s = growth({ small: shape(1, 1), medium: shape(10, 60), large: shape(40, 300) }, packets);
  const names = {
    small: "ACL 1 rule, ~1 rule per interface",
    medium: "ACL 10 rules, ~60 per interface",
    large: "ACL 40 rules, ~300 per interface",
  };
  for (const k of ["small", "medium", "large"] as const) {
    row(W, names[k], "packets/s", cpuRate(packets, s[k]));
    row(W, `${names[k]}: delivered`, "%", [s.delivered[k]]);
  }
  row(W, "largest / smallest, same round", "%", ratios(s.small, s.large, 100), atLeast(">= 50", 50));
}

// Instances: W1's rules with 2,000 and 20,000 instances, interleaved in rounds.
{
  const W = "W1 at scale";
  const packets = 200_000;
  const s = growth({ small: W1, large: { ...W1, instances: 20_000 } }, packets);
  row(W, "verdict-only, 2,000 instances", "packets/s", cpuRate(packets, s.small));
  row(W, "verdict-only, 20,000 instances", "packets/s", cpuRate(packets, s.large));
  row(W, "20,000 / 2,000 instances, same round", "%", ratios(s.small, s.large, 100), atLeast(">= 75", 75));
}

// Compile and one-rule update: W1's world, W1's shape with 60 / 250 / 1,000 rules a group of which
// 30% allow every port from a block, and W1 with 20,000 instances; worlds interleaved in rounds.
// An update adds one rule to a group through Engine.update and is timed to the engine being ready
// (the median of 10 a round, after one untimed update: immer freezes a world the first time it
// changes it).
{
  const W = "Compile";
  const COMPILE_ROUNDS = 3;
  const worlds = {
    w1: buildWorld(W1),
    r60: buildWorld({ ...W1, allPortShare: 0.3 }),
    r250: buildWorld({ ...W1, sgRules: 250, allPortShare: 0.3 }),
    r1000: buildWorld({ ...W1, sgRules: 1000, allPortShare: 0.3 }),
    i20k: buildWorld({ ...W1, instances: 20_000 }),
  };
  const block = worlds.w1.vpc.cidrs[0]!;
  const s = inRounds(
    COMPILE_ROUNDS,
    Object.fromEntries(
      Object.entries(worlds).map(([k, world]) => [
        k,
        () => {
          let e: Engine | undefined;
          const compile = timed(() => {
            e = new Engine(world);
          });
          const update = (i: number) =>
            timed(() =>
              e!.update((d) => {
                d.securityGroups[`g${i % 200}`]!.inbound.push({
                  protocol: 6,
                  ports: { from: 1, to: 1 },
                  peer: { kind: "cidr", cidr: block },
                });
              }),
            );
          update(0);
          const updates = Array.from({ length: 10 }, (_, i) => update(i + 1).wall);
          return { compile, update: median(updates) };
        },
      ]),
    ) as Record<keyof typeof worlds, () => { compile: Sample; update: number }>,
  );
  const names: Record<keyof typeof worlds, string> = {
    w1: "W1's world (60 rules a group, 2,000 instances)",
    r60: "60 rules a group, 30% all-port, 2,000 instances",
    r250: "250 rules a group, 30% all-port, 2,000 instances",
    r1000: "1,000 rules a group, 30% all-port, 2,000 instances",
    i20k: "W1's rules, 20,000 instances",
  };
  for (const k of Object.keys(worlds) as (keyof typeof worlds)[]) {
    row(
      W,
      `world compile (wall): ${names[k]}`,
      "ms",
      s[k].map((x) => x.compile.wall),
      k === "r1000" ? below("< 1000", 1000) : undefined,
    );
    row(
      W,
      `world compile (CPU): ${names[k]}`,
      "ms",
      s[k].map((x) => x.compile.cpu),
    );
    row(
      W,
      `one-rule update (wall): ${names[k]}`,
      "ms",
      s[k].map((x) => x.update),
      k === "w1" ? below("< 10", 10) : undefined,
    );
  }
}

// W5: scenario-like runs, 10,000 steps of one kind each through runScenario, so that nothing a
// step does grows with the world or the run: rule changes on W1's world, waits with W1's
// connection table full, packets from an IP-address endpoint and packets denied by the last rule
// of a 32,766-rule ACL. Interleaved in rounds.
{
  const STEPS = 10_000;
  const world = buildWorld(W1);
  const perThousand = (s: readonly Sample[]) => s.map((x) => (x.cpu * 1000) / STEPS);
  const changes = scenarioOf(world, ruleChangeSteps(world, STEPS), "rule-changes");
  const waits = scenarioOf(world, waitSteps(STEPS), "waits");
  const burst = buildTraffic(world, 200_000, 100_000);
  const fromAddress = scenarioOf(world, addressSendSteps(world, STEPS), "address");
  const acl = fullAclWorld(32766);
  const denied = scenarioOf(acl, deniedSendSteps(STEPS), "acl-hint");
  const run = (w: World, scenario: ReturnType<typeof scenarioOf>, prepare?: (e: Engine) => void) => () => {
    const e = new Engine(w);
    prepare?.(e);
    return timed(() => runScenario(scenario, e));
  };
  const s = inRounds(3, {
    changes: run(world, changes),
    waits: run(world, waits, (e) => {
      for (const p of burst) e.verdict(p);
    }),
    fromAddress: run(world, fromAddress),
    denied: run(acl, denied),
  });
  const W = "W5 scenario steps (CPU)";
  const target = below("< 1000", 1000);
  row(W, "rule changes on W1's world", "ms per 1,000 steps", perThousand(s.changes), target);
  row(W, "waits, W1's 100,000 flows open", "ms per 1,000 steps", perThousand(s.waits), target);
  row(W, "packets from an IP-address endpoint (W1)", "ms per 1,000 steps", perThousand(s.fromAddress), target);
  row(W, "denied packets with an ACL fix hint, 32,766 rules", "ms per 1,000 steps", perThousand(s.denied), target);
}

// W4: cold start of the CLI on one small scenario, against `node -e 0` in the same round.
{
  const wall = (args: string[]) => () => {
    const start = performance.now();
    execFileSync(process.execPath, args, { env: { ...process.env, NO_COLOR: "1" } });
    return performance.now() - start;
  };
  const s = inRounds(ROUNDS, { node: wall(["-e", "0"]), run: wall(["bin/vpcsim.js", "run", "scenarios/ephemeral-ports.yaml"]) });
  const W = "W4 cold start (wall)";
  row(W, "vpcsim run (one scenario)", "ms", s.run);
  row(W, "node -e 0", "ms", s.node);
  row(
    W,
    "vpcsim run / node -e 0, same round",
    "x",
    s.run.map((x, i) => x / s.node[i]!),
    ["<= 2", (m) => m <= 2],
  );
}

// W6: W1's world written as an account's describe-* JSON (bench/aws-export.ts), parsed and
// imported into a loaded scenario, as `vpcsim run <folder>` does.
{
  const texts = awsExport(buildWorld(W1)).map((d) => ({ name: d.name, text: JSON.stringify(d.data, null, 1) }));
  let ok = true;
  const s = inRounds(3, {
    import: () =>
      timed(() => {
        ok &&= loadAwsImport(texts.map((f) => ({ name: f.name, data: JSON.parse(f.text) }))).ok;
      }),
  });
  if (!ok) throw new Error("W1 as AWS JSON did not import");
  const mb = texts.reduce((n, f) => n + f.text.length, 0) / 1_000_000;
  row(
    "W6 AWS import",
    `W1 as AWS JSON (${Math.round(mb)} MB, 2,000 instances), parsed and imported (CPU)`,
    "ms",
    s.import.map((x) => x.cpu),
    below("< 2000", 2000),
  );
}

const machine = { node: process.version, cpu: cpus()[0]?.model ?? "unknown", cores: cpus().length, loadAverage: loadavg().map(round2) };
console.log(
  `vpcsim bench — Node ${machine.node}, ${machine.cpu} (${machine.cores} cores, load average ${machine.loadAverage.join(" ")}); ` +
    `median over rounds (${ROUNDS} for packets, 3 for compiles and scenario steps), spread min–max; rates from CPU time unless marked wall\n`,
);
console.log("| workload | figure | median | spread | unit | target | met |\n|---|---|---|---|---|---|---|");
const fmt = (x: number) => x.toLocaleString("en-US", { maximumFractionDigits: x < 100 ? 2 : 0 });
for (const r of rows) {
  const spread = r.n > 1 ? `${fmt(r.min)}–${fmt(r.max)}` : "";
  console.log(
    `| ${r.workload} | ${r.figure} | ${fmt(r.median)} | ${spread} | ${r.unit} | ${r.target} | ${r.met === undefined ? "" : r.met ? "yes" : "no"} |`,
  );
}
writeFileSync("bench/results.json", `${JSON.stringify({ machine, rounds: ROUNDS, rows }, null, 2)}\n`);
