// The engine against the executable rule book (src/reference/: a plain reading of aws-rules §1-§5,
// ip-num `contains` per rule) on a W1-shaped sample: security groups with CIDR and group peers,
// wide rules that leave flows untracked (§3.2), numbered ACLs with denies, public and private
// subnets, internet hosts, FIN closes. Both must give every packet the same outcome: delivered,
// or the same drop code.
import { describe, expect, it } from "vitest";
import { NaiveEvaluator } from "../bench/naive.js";
import { buildTraffic, buildWorld } from "../bench/workloads.js";
import { Engine } from "../src/index.js";
import { ReferenceEvaluator } from "../src/reference/evaluator.js";

describe("engine equals the reference evaluator on a W1 sample (aws-rules §1-§5)", () => {
  it("gives every packet the same verdict and drop code", () => {
    const world = buildWorld({ subnets: 8, groups: 24, instances: 160, internetHosts: 10, aclRules: 30, sgRules: 24 }, 7);
    const traffic = buildTraffic(world, 3_000, 300, 40, 11);
    const engine = new Engine(world);
    const reference = new ReferenceEvaluator(world);
    const codes = new Set<string>();
    const disagree = traffic.flatMap((p, i) => {
      const verdict = engine.verdict(p);
      const expected = reference.verdict(p);
      if (verdict !== "delivered") codes.add(verdict);
      return verdict === expected ? [] : [`packet ${i}: engine ${verdict}, reference ${expected}`];
    });
    expect(disagree).toEqual([]);
    // the sample meets each kind of filter and gateway
    expect([...codes].sort()).toEqual(
      expect.arrayContaining([
        "ENI_SG_RULES_MISMATCH",
        "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS",
        "NO_ROUTE_TO_DESTINATION",
        "SUBNET_ACL_RESTRICTION",
      ]),
    );
  }, 30_000);
});

// The benchmark's naive evaluator (bench/naive.ts) is the baseline the engine's speed is quoted
// against; `npm run bench` checks it on the timed traffic, and this keeps it honest between runs,
// on the same sample and on worlds where a third of the rules allow every port.
describe("the benchmark's naive evaluator equals the reference evaluator", () => {
  it("gives every packet the same verdict and drop code", () => {
    for (const allPortShare of [undefined, 0.3]) {
      const world = buildWorld({ subnets: 8, groups: 24, instances: 160, internetHosts: 10, aclRules: 30, sgRules: 24, allPortShare }, 7);
      const traffic = buildTraffic(world, 1_500, 150, 20, 11);
      const naive = new NaiveEvaluator(world);
      const reference = new ReferenceEvaluator(world);
      const disagree = traffic.flatMap((p, i) => {
        const verdict = naive.verdict(p);
        const expected = reference.verdict(p);
        return verdict === expected ? [] : [`packet ${i}: naive ${verdict}, reference ${expected}`];
      });
      expect(disagree).toEqual([]);
    }
  }, 90_000);
});
