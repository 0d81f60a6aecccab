// The executable rule book: docs/aws-rules.md as plain code, one concept per file, each function
// citing its section. Tests hold the engine to it packet by packet (tests/agreement.test.ts).

export { masquerades, sourceDestCheck } from "./appliances.js";
export { blockHolds, isWholeFamily } from "./blocks.js";
export { ConnectionTable, fitsFlow, flowName, idleTimeout, isClosing, isUntracked, statefulSecurityGroups } from "./connection-tracking.js";
export { MAX_GATEWAYS, ReferenceEvaluator } from "./evaluator.js";
export { FlowMemory, natGatewayCarries } from "./gateways.js";
export { aclAllows, aclRuleCovers, firstCoveringRule, rulesInOrder, subnetAcl } from "./network-acl.js";
export { routeFor, subnetRoutes } from "./routes.js";
export type { RuleMatchFields } from "./rule-coverage.js";
export { coversTraffic, icmpCovered, opensEveryPort, portCovered, protocolCovers, rangeCovers } from "./rule-coverage.js";
export { groupMemberAt, interfaceRules, peerCovers, securityGroupsAllow, sgRuleCovers } from "./security-groups.js";
export { amazonServiceAt } from "./services.js";
export type { DropCode, StepResult, Verdict } from "./verdict.js";
