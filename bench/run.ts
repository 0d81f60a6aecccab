// `npm run bench`: fixed, seeded workloads; each figure the median of 5 runs. Prints one table and
// writes bench/results.json. Not a test: timings never gate CI.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { performance } from "node:perf_hooks";
import { ConnectionTable } from "../src/conntrack.js";
import { ANY_V4, Engine, addressFromV4, makePacket, parseCidr } from "../src/index.js";
import type { Address, NetworkAclRule, Packet, SecurityGroupRule, World } from "../src/index.js";
import { DEFAULT_SETTINGS, DEFAULT_TIMEOUTS } from "../src/model.js";

const RUNS = 5;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function cidr(text: string) {
  const r = parseCidr(text);
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

/** W1's world: 50 subnets with 18-rule ACLs, 200 groups of 60+60 rules, 2000 instances. */
function buildWorld(aclRules: number, sgRules: number, seed = 1): World {
  const rand = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const subnets: Record<string, World["subnets"][string]> = {};
  const networkAcls: Record<string, World["networkAcls"][string]> = {};
  for (let s = 0; s < 50; s++) {
    const acl = `acl-${s}`;
    const rules = (dir: "in" | "out"): NetworkAclRule[] => {
      const out: NetworkAclRule[] = [];
      for (let i = 0; i < aclRules - 1; i++) {
        const prefix = pick([8, 16, 24, 32]);
        const base = (Math.floor(rand() * 2 ** 32) >>> (32 - prefix)) << (32 - prefix) >>> 0;
        const lo = Math.floor(rand() * 60000);
        out.push({ number: 10 + i * 10, action: rand() < 0.3 ? "deny" : "allow", protocol: pick([6, 17, 1, -1]),
          ...(rand() < 0.7 ? { ports: { from: lo, to: lo + Math.floor(rand() * 500) } } : {}),
          cidr: cidr(`${(base >>> 24) & 255}.${(base >>> 16) & 255}.${(base >>> 8) & 255}.${base & 255}/${prefix}`) });
      }
      out.push({ number: 32000, action: dir === "in" || rand() < 0.9 ? "allow" : "deny", protocol: -1, cidr: ANY_V4 });
      return out;
    };
    networkAcls[acl] = { name: acl, inbound: rules("in"), outbound: rules("out") };
    subnets[`s${s}`] = { name: `s${s}`, cidr: cidr(`10.${s}.0.0/16`), networkAcl: acl, routeTable: "main" };
  }
  networkAcls.default = { name: "default", inbound: [], outbound: [] };
  const securityGroups: Record<string, World["securityGroups"][string]> = {};
  for (let g = 0; g < 200; g++) {
    const rules = (n: number): SecurityGroupRule[] => {
      const out: SecurityGroupRule[] = [];
      for (let i = 0; i < n; i++) {
        const lo = Math.floor(rand() * 60000);
        const kind = rand();
        const peer: SecurityGroupRule["peer"] = kind < 0.15 ? { kind: "security-group", group: `g${Math.floor(rand() * 200)}` }
          : { kind: "cidr", cidr: cidr(`10.${Math.floor(rand() * 50)}.0.0/16`) };
        const proto = kind > 0.9 ? 1 : pick([6, 17]);
        out.push(proto === 1 ? { protocol: 1, icmp: { type: 8, code: -1 }, peer } : { protocol: proto, ports: { from: lo, to: lo + Math.floor(rand() * 100) }, peer });
      }
      // every group lets a common service through so that traffic is mostly allowed
      out.push({ protocol: 6, ports: { from: 443, to: 443 }, peer: { kind: "cidr", cidr: cidr("10.0.0.0/8") } });
      return out;
    };
    securityGroups[`g${g}`] = { name: `g${g}`, inbound: rules(sgRules - 1), outbound: rules(sgRules - 1) };
  }
  securityGroups.default = { name: "default", inbound: [], outbound: [] };
  const instances: Record<string, World["instances"][string]> = {};
  for (let i = 0; i < 2000; i++) {
    const s = i % 50;
    const groups = Array.from({ length: 1 + Math.floor(rand() * 5) }, () => `g${Math.floor(rand() * 200)}`);
    const name = `i${i}`;
    instances[name] = { name, interfaces: [{
      name, instance: name, subnet: `s${s}`, privateIps: [addressFromV4(((10 << 24) | (s << 16) | (1 + Math.floor(i / 50))) >>> 0)], ipv6s: [],
      securityGroups: [...new Set(groups)], sourceDestCheck: true, ephemeral: { from: 32768, to: 60999 }, timeouts: DEFAULT_TIMEOUTS,
    }] };
  }
  return {
    vpc: { name: "vpc", cidrs: [cidr("10.0.0.0/8")], defaultSecurityGroup: "default", defaultNetworkAcl: "default", mainRouteTable: "main" },
    subnets, securityGroups, networkAcls, routeTables: { main: { name: "main", routes: [] } }, instances,
    natGateways: {}, internetHosts: {}, prefixLists: {}, settings: DEFAULT_SETTINGS,
  };
}

/** 1,000,000 packets from 100,000 connections: open (SYN), reply, data both ways, FIN. */
function buildTraffic(world: World, packets: number, connections: number, seed = 2): Packet[] {
  const rand = rng(seed);
  const addrs: Address[] = Object.values(world.instances).map((i) => i.interfaces[0]!.privateIps[0]!);
  const conns = Array.from({ length: connections }, (_, k) => {
    const a = addrs[Math.floor(rand() * addrs.length)]!;
    const b = addrs[Math.floor(rand() * addrs.length)]!;
    const port = rand() < 0.6 ? 443 : Math.floor(rand() * 65535);
    return { a, b, sport: 32768 + (k % 28000), port, proto: rand() < 0.85 ? 6 : 17 };
  });
  const out: Packet[] = [];
  const perConn = packets / connections; // 10: SYN, SYN-ACK, 6 data, FIN, FIN
  for (let round = 0; round < perConn; round++) {
    for (const c of conns) {
      const forward = round % 2 === 0;
      const flags = round === 0 ? 2 : round === 1 ? 18 : round >= perConn - 2 ? 17 : 16;
      out.push(makePacket(forward
        ? { src: c.a, dst: c.b, protocol: c.proto, srcPort: c.sport, dstPort: c.port, flags }
        : { src: c.b, dst: c.a, protocol: c.proto, srcPort: c.port, dstPort: c.sport, flags }));
    }
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function timeRuns(fn: () => void): number {
  const t: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    fn();
    t.push(performance.now() - start);
  }
  return median(t);
}

const rows: { workload: string; figure: string; value: number; unit: string; target: string }[] = [];
const row = (workload: string, figure: string, value: number, unit: string, target: string) => {
  rows.push({ workload, figure, value: Math.round(value * 100) / 100, unit, target });
};

// W1
const world = buildWorld(18, 60);
const traffic = buildTraffic(world, 1_000_000, 100_000);
const verdictMs = timeRuns(() => {
  const e = new Engine(world);
  for (let i = 0; i < traffic.length; i++) e.verdict(traffic[i]!);
});
row("W1 steady traffic", "verdict-only", traffic.length / (verdictMs / 1000), "packets/s", ">= 1,000,000");
const traceMs = timeRuns(() => {
  const e = new Engine(world);
  for (let i = 0; i < traffic.length; i++) e.send(traffic[i]!);
});
row("W1 steady traffic", "full traces", traffic.length / (traceMs / 1000), "packets/s", ">= 200,000");
{
  const e = new Engine(world);
  let delivered = 0;
  for (const p of traffic) if (e.verdict(p)) delivered++;
  row("W1 steady traffic", "delivered share", (100 * delivered) / traffic.length, "%", "some denied");
}
const floorMs = timeRuns(() => {
  const seen = new Map<number, number>();
  for (let i = 0; i < traffic.length; i++) {
    const p = traffic[i]!;
    seen.set(p.src.v4 ^ p.dstPort, i);
  }
});
row("W1 steady traffic", "floor loop (one hash lookup)", traffic.length / (floorMs / 1000), "packets/s", "physical limit");
row("W1 steady traffic", "engine / floor", (100 * floorMs) / verdictMs, "%", "");

// W2: the same traffic against growing rule sets
for (const [acl, sg] of [[1, 1], [10, 60], [40, 300]] as const) {
  const w = buildWorld(acl, Math.max(1, Math.ceil(sg / 3)));
  const t = buildTraffic(w, 200_000, 20_000);
  const ms = timeRuns(() => {
    const e = new Engine(w);
    for (let i = 0; i < t.length; i++) e.verdict(t[i]!);
  });
  row("W2 rule growth", `ACL ${acl} rules, ~${sg} per interface`, t.length / (ms / 1000), "packets/s", "largest >= half of smallest");
}

// W3: a million tracked connections, then expiry
{
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const table = new ConnectionTable(1024);
  const hosts = Array.from({ length: 1000 }, (_, i) => addressFromV4(0x0a000000 + i));
  const server = addressFromV4(0x0a010001);
  for (let i = 0; i < 1_000_000; i++) table.insert(i % 2000, 6, hosts[i % 1000]!, 1024 + Math.floor(i / 1000), server, 443, 0, 350, 0);
  gc?.();
  const after = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  row("W3 connection table", "heap per tracked connection", (after - before) / 1_000_000, "bytes", "<= 300");
  const start = performance.now();
  table.expire(1000);
  row("W3 connection table", "expire 1,000,000 entries", performance.now() - start, "ms", "< 1000");
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
  row("W4 cold start", "node -e 0", median(baseline), "ms", "");
}

const machine = { node: process.version, cpu: cpus()[0]?.model ?? "unknown", cores: cpus().length };
console.log(`vpcsim bench — Node ${machine.node}, ${machine.cpu} (${machine.cores} cores), median of ${RUNS} runs\n`);
console.log("| workload | figure | value | unit | target |\n|---|---|---|---|---|");
for (const r of rows) console.log(`| ${r.workload} | ${r.figure} | ${r.value.toLocaleString("en-US")} | ${r.unit} | ${r.target} |`);
writeFileSync("bench/results.json", `${JSON.stringify({ machine, runs: RUNS, rows }, null, 2)}\n`);
