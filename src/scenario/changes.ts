// Steps that change the world: add, remove or replace a rule, attach or detach a security group,
// associate a network ACL, turn a source/destination check on or off.
import type { Direction, World } from "../model/model.js";
import type { WorldChange } from "../model/world-change.js";
import type { Path, Problems } from "./diagnostics.js";
import type { NameSet } from "./rules.js";
import { naclRule, sgRule } from "./rules.js";
import type { StepKind } from "./schema.js";
import { naclRuleSchema, sgRuleSchema } from "./schema.js";
import { shaped } from "./shape.js";

export type ChangeKind = Exclude<StepKind, "connect" | "send" | "close" | "wait">;
type RuleChangeKind = "add-rule" | "remove-rule" | "replace-rule";

/** A change step's body, where it is, and the world whose names it may use. */
interface At {
  readonly body: Record<string, unknown>;
  readonly path: Path;
  readonly problems: Problems;
  readonly world: World;
}

export function buildChange(
  kind: ChangeKind,
  body: Record<string, unknown>,
  path: Path,
  problems: Problems,
  world: World,
): WorldChange | undefined {
  const at: At = { body, path, problems, world };
  switch (kind) {
    case "attach-security-group":
    case "detach-security-group": {
      const instance = reference(at, "instance");
      if (instance === undefined) return undefined;
      const group = reference(at, "security-group");
      return group === undefined ? undefined : { kind, instance, interface: interfaceIndex(body), group };
    }
    case "set-source-dest-check": {
      const instance = reference(at, "instance");
      return instance === undefined ? undefined : { kind, instance, interface: interfaceIndex(body), enabled: body.enabled as boolean };
    }
    case "associate-network-acl": {
      const subnet = reference(at, "subnet");
      if (subnet === undefined) return undefined;
      const acl = reference(at, "network-acl");
      return acl === undefined ? undefined : { kind, subnet, acl };
    }
    case "add-rule":
    case "remove-rule":
    case "replace-rule":
      return ruleChange(kind, at);
    default: {
      const never: never = kind;
      throw new Error(`change ${String(never)} passed the shape pass but has no builder`);
    }
  }
}

/** The primary interface unless the step names another. */
function interfaceIndex(body: Record<string, unknown>): number {
  return (body.interface as number | undefined) ?? 0;
}

const REFERENCES = {
  instance: { in: "instances", code: "ref/unknown-instance", what: "instance" },
  "security-group": { in: "securityGroups", code: "ref/unknown-security-group", what: "security group" },
  "network-acl": { in: "networkAcls", code: "ref/unknown-network-acl", what: "network ACL" },
  subnet: { in: "subnets", code: "ref/unknown-subnet", what: "subnet" },
} as const;

/** The name in `field` when the world has such a thing, else a problem at the field. */
function reference({ body, path, problems, world }: At, field: keyof typeof REFERENCES): string | undefined {
  const ref = REFERENCES[field];
  const name = body[field] as string;
  return Object.hasOwn(world[ref.in], name) ? name : problems.error([...path, field], ref.code, `unknown ${ref.what} "${name}"`);
}

/** The names of a world's record; own keys only, never Object.prototype's (`constructor`). */
function ownNames(record: object): NameSet {
  return { has: (name) => Object.hasOwn(record, name) };
}

/** A rule change names one rule set (a network ACL or a security group) and one direction. */
function ruleChange(kind: RuleChangeKind, at: At): WorldChange | undefined {
  const { body, path, problems } = at;
  const directions = (["inbound", "outbound"] as const).filter((d) => body[d] !== undefined);
  if (directions.length !== 1) return problems.error(path, "change/direction", "name exactly one of inbound or outbound");
  if ((body["network-acl"] === undefined) === (body["security-group"] === undefined)) {
    return problems.error(path, "change/target", "name exactly one of network-acl or security-group");
  }
  return body["network-acl"] !== undefined ? naclRuleChange(kind, directions[0]!, at) : sgRuleChange(kind, directions[0]!, at);
}

/** An ACL rule is named by its number (aws-rules §1.1). */
function naclRuleChange(kind: RuleChangeKind, direction: Direction, at: At): WorldChange | undefined {
  const acl = reference(at, "network-acl");
  if (acl === undefined) return undefined;
  const rulePath = [...at.path, direction];
  if (kind === "remove-rule") {
    const number = (at.body[direction] as { rule?: unknown }).rule;
    if (typeof number !== "number")
      return at.problems.error(rulePath, "change/rule-number", "name the rule to remove by its number: { rule: 100 }");
    return { kind: "remove-nacl-rule", acl, direction, number };
  }
  const input = shaped(naclRuleSchema, at.body[direction], rulePath, at.problems);
  const rule = input && naclRule(input, rulePath, at.problems);
  return rule && { kind: kind === "add-rule" ? "add-nacl-rule" : "replace-nacl-rule", acl, direction, rule };
}

/** A security group rule is named by its content; replace-rule gives the new one under `with`. */
function sgRuleChange(kind: RuleChangeKind, direction: Direction, at: At): WorldChange | undefined {
  const group = reference(at, "security-group");
  if (group === undefined) return undefined;
  // views, not copies: a copy of every name for every change step is quadratic in a long file
  const peers = { groups: ownNames(at.world.securityGroups), lists: ownNames(at.world.prefixLists) };
  const parse = (value: unknown, path: Path) => {
    const input = shaped(sgRuleSchema, value, path, at.problems);
    return input && sgRule(input, direction, path, at.problems, peers);
  };
  const rule = parse(at.body[direction], [...at.path, direction]);
  if (!rule) return undefined;
  if (kind !== "replace-rule") return { kind: kind === "add-rule" ? "add-sg-rule" : "remove-sg-rule", group, direction, rule };
  if (at.body.with === undefined)
    return at.problems.error(at.path, "change/with", "replace-rule on a security group names the new rule under `with`");
  const next = parse(at.body.with, [...at.path, "with"]);
  return next && { kind: "replace-sg-rule", group, direction, old: rule, rule: next };
}
