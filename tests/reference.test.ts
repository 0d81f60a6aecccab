// The engine against the reference evaluator of the benchmark (issue 4): a newcomer's reading of
// aws-rules §1-§4 with ip-num `contains` per rule. On a W1-shaped sample (security groups with
// CIDR and group peers, wide rules that leave flows untracked (§3.2), numbered ACLs with denies,
// public and private subnets, internet hosts, FIN closes) both must give every packet the same verdict.
import { describe, expect, it } from "vitest";
import { Engine } from "../src/index.js";
import { ReferenceEvaluator } from "../bench/reference.js";
import { buildTraffic, buildWorld } from "../bench/workloads.js";

describe("engine equals the reference evaluator on a W1 sample (aws-rules §1-§4)", () => {
  it("gives every packet the same verdict", () => {
    const world = buildWorld({ subnets: 8, groups: 24, instances: 160, internetHosts: 10, aclRules: 30, sgRules: 24 }, 7);
    const traffic = buildTraffic(world, 3_000, 300, 40, 11);
    const engine = new Engine(world);
    const reference = new ReferenceEvaluator(world);
    const codes = new Set<string>();
    const disagree = traffic.filter((p) => {
      const verdict = engine.verdict(p);
      if (verdict !== "delivered") codes.add(verdict);
      return (verdict === "delivered") !== reference.verdict(p);
    });
    expect(disagree).toEqual([]);
    // the sample meets each kind of filter and gateway
    expect([...codes].sort()).toEqual(expect.arrayContaining(["ENI_SG_RULES_MISMATCH", "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS", "NO_ROUTE_TO_DESTINATION", "SUBNET_ACL_RESTRICTION"]));
  }, 30_000);
});
