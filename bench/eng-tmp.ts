import { performance } from "node:perf_hooks";
import { Engine } from "../dist/index.js";
import { W1, buildTraffic, buildWorld } from "./workloads.js";
const world = buildWorld(W1);
const traffic = buildTraffic(world, 1_000_000, 100_000, Number(process.env.CONC ?? 10_000));
for (let r = 0; r < 3; r++) {
const e = new Engine(world);
const t = performance.now();
for (let i = 0; i < traffic.length; i++) e.verdict(traffic[i]!);
console.log("engine", performance.now() - t);
}
