// Changes to the world during a scenario: the console and API actions a learner takes between
// packets. Each yields a new immutable world version, or the reason AWS would refuse it.
import { produce } from "immer";
import { shown, VpcsimError } from "./errors.js";
import type { Direction, IcmpMatch, NetworkAclRule, Peer, PortRange, SecurityGroupRule, World } from "./model.js";

export type WorldChange =
  | { readonly kind: "add-nacl-rule"; readonly acl: string; readonly direction: Direction; readonly rule: NetworkAclRule }
  | { readonly kind: "remove-nacl-rule"; readonly acl: string; readonly direction: Direction; readonly number: number }
  | { readonly kind: "replace-nacl-rule"; readonly acl: string; readonly direction: Direction; readonly rule: NetworkAclRule }
  | { readonly kind: "add-sg-rule"; readonly group: string; readonly direction: Direction; readonly rule: SecurityGroupRule }
  | { readonly kind: "remove-sg-rule"; readonly group: string; readonly direction: Direction; readonly rule: SecurityGroupRule }
  | {
      readonly kind: "replace-sg-rule";
      readonly group: string;
      readonly direction: Direction;
      readonly old: SecurityGroupRule;
      readonly rule: SecurityGroupRule;
    }
  | { readonly kind: "attach-security-group"; readonly instance: string; readonly interface: number; readonly group: string }
  | { readonly kind: "detach-security-group"; readonly instance: string; readonly interface: number; readonly group: string }
  | { readonly kind: "associate-network-acl"; readonly subnet: string; readonly acl: string }
  | { readonly kind: "set-source-dest-check"; readonly instance: string; readonly interface: number; readonly enabled: boolean };

export type ChangeResult = { ok: true; world: World } | { ok: false; message: string };

/**
 * Two security group rules are the same rule when they match the same traffic (AWS refuses a
 * duplicate, aws-rules §2.2): same protocol, ports, ICMP type and code, and peer. The description
 * does not count.
 */
export function sameSgRule(a: SecurityGroupRule, b: SecurityGroupRule): boolean {
  return a.protocol === b.protocol && samePorts(a.ports, b.ports) && sameIcmp(a.icmp, b.icmp) && samePeer(a.peer, b.peer);
}

function samePorts(a: PortRange | undefined, b: PortRange | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.from === b.from && a.to === b.to);
}

function sameIcmp(a: IcmpMatch | undefined, b: IcmpMatch | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.type === b.type && a.code === b.code);
}

function samePeer(a: Peer, b: Peer): boolean {
  switch (a.kind) {
    case "cidr":
      return b.kind === "cidr" && a.cidr.text === b.cidr.text;
    case "security-group":
      return b.kind === "security-group" && a.group === b.group;
    case "prefix-list":
      return b.kind === "prefix-list" && a.list === b.list;
  }
}

/**
 * The world after a change, or why AWS would refuse it: an unknown network ACL, security group,
 * instance, subnet or interface, a rule that exists already or not at all, a group too many. A
 * change object that is not one (an unknown kind, a field of the wrong type or out of its range)
 * throws a VpcsimError (`argument/change`): that is a caller's mistake, not AWS's answer.
 */
export function applyChange(world: World, change: WorldChange): ChangeResult {
  if (typeof world !== "object" || world === null)
    throw new VpcsimError("argument/world", `applyChange: expected a world, got ${shown(world)}`);
  checkChange(change);
  const missing = unknownNames(world, change);
  if (missing) return { ok: false, message: missing };
  switch (change.kind) {
    case "add-nacl-rule":
    case "replace-nacl-rule": {
      const acl = world.networkAcls[change.acl]!;
      const rules = change.direction === "inbound" ? acl.inbound : acl.outbound;
      const at = rules.findIndex((r) => r.number === change.rule.number);
      if (change.kind === "add-nacl-rule" && at >= 0) {
        return {
          ok: false,
          message: `network ACL ${change.acl} already has ${change.direction} rule ${change.rule.number}; use replace-rule`,
        };
      }
      if (change.kind === "replace-nacl-rule" && at < 0) {
        return { ok: false, message: `network ACL ${change.acl} has no ${change.direction} rule ${change.rule.number} to replace` };
      }
      return ok(world, (w) => {
        const list = w.networkAcls[change.acl]![change.direction];
        if (at >= 0) list.splice(at, 1, change.rule);
        else list.push(change.rule);
      });
    }
    case "remove-nacl-rule": {
      const acl = world.networkAcls[change.acl]!;
      const at = (change.direction === "inbound" ? acl.inbound : acl.outbound).findIndex((r) => r.number === change.number);
      if (at < 0) return { ok: false, message: `network ACL ${change.acl} has no ${change.direction} rule ${change.number}` };
      return ok(world, (w) => void w.networkAcls[change.acl]![change.direction].splice(at, 1));
    }
    case "add-sg-rule":
    case "remove-sg-rule":
    case "replace-sg-rule": {
      const group = world.securityGroups[change.group]!;
      const rules = change.direction === "inbound" ? group.inbound : group.outbound;
      const target = change.kind === "replace-sg-rule" ? change.old : change.rule;
      const at = rules.findIndex((r) => sameSgRule(r, target));
      if (change.kind === "add-sg-rule") {
        if (at >= 0) return { ok: false, message: `security group ${change.group} already has this ${change.direction} rule` };
        return ok(world, (w) => void w.securityGroups[change.group]![change.direction].push(change.rule));
      }
      if (at < 0) return { ok: false, message: `security group ${change.group} has no such ${change.direction} rule` };
      return ok(world, (w) => {
        const list = w.securityGroups[change.group]![change.direction];
        if (change.kind === "replace-sg-rule") list.splice(at, 1, change.rule);
        else list.splice(at, 1);
      });
    }
    case "attach-security-group":
    case "detach-security-group": {
      const iface = world.instances[change.instance]!.interfaces[change.interface];
      if (!iface) return { ok: false, message: `instance ${change.instance} has no interface ${change.interface}` };
      const has = iface.securityGroups.includes(change.group);
      if (change.kind === "attach-security-group") {
        if (has) return { ok: false, message: `${change.group} is already attached to ${iface.name}` };
        if (iface.securityGroups.length >= 16)
          return { ok: false, message: `${iface.name} already has 16 security groups, the most AWS allows` };
        return ok(world, (w) => void w.instances[change.instance]!.interfaces[change.interface]!.securityGroups.push(change.group));
      }
      if (!has) return { ok: false, message: `${change.group} is not attached to ${iface.name}` };
      if (iface.securityGroups.length === 1) return { ok: false, message: `${iface.name} must keep at least one security group` };
      return ok(world, (w) => {
        const list = w.instances[change.instance]!.interfaces[change.interface]!.securityGroups;
        list.splice(list.indexOf(change.group), 1);
      });
    }
    case "associate-network-acl":
      return ok(world, (w) => {
        w.subnets[change.subnet]!.networkAcl = change.acl;
      });
    case "set-source-dest-check": {
      const iface = world.instances[change.instance]!.interfaces[change.interface];
      if (!iface) return { ok: false, message: `instance ${change.instance} has no interface ${change.interface}` };
      return ok(world, (w) => {
        w.instances[change.instance]!.interfaces[change.interface]!.sourceDestCheck = change.enabled;
      });
    }
  }
}

/** What a change names that the world does not have, in words; undefined when it has everything. */
function unknownNames(world: World, c: WorldChange): string | undefined {
  const has = (record: object | undefined, name: string) => typeof record === "object" && record !== null && Object.hasOwn(record, name);
  switch (c.kind) {
    case "add-nacl-rule":
    case "remove-nacl-rule":
    case "replace-nacl-rule":
      return has(world.networkAcls, c.acl) ? undefined : `there is no network ACL ${c.acl}`;
    case "add-sg-rule":
    case "remove-sg-rule":
    case "replace-sg-rule": {
      if (!has(world.securityGroups, c.group)) return `there is no security group ${c.group}`;
      if (c.kind === "remove-sg-rule") return undefined;
      // A new rule may name another group or a prefix list; AWS refuses one it does not know (aws-rules §2.3, §2.4).
      const peer = c.rule.peer;
      if (peer.kind === "security-group" && !has(world.securityGroups, peer.group))
        return `the rule names security group ${peer.group}, which does not exist`;
      if (peer.kind === "prefix-list" && !has(world.prefixLists, peer.list))
        return `the rule names prefix list ${peer.list}, which does not exist`;
      return undefined;
    }
    case "attach-security-group":
    case "detach-security-group":
    case "set-source-dest-check": {
      if (!has(world.instances, c.instance)) return `there is no instance ${c.instance}`;
      if (!world.instances[c.instance]!.interfaces[c.interface]) return `instance ${c.instance} has no interface ${c.interface}`;
      return c.kind !== "set-source-dest-check" && !has(world.securityGroups, c.group)
        ? `there is no security group ${c.group}`
        : undefined;
    }
    case "associate-network-acl":
      if (!has(world.subnets, c.subnet)) return `there is no subnet ${c.subnet}`;
      return has(world.networkAcls, c.acl) ? undefined : `there is no network ACL ${c.acl}`;
  }
}

const KINDS: ReadonlySet<unknown> = new Set<WorldChange["kind"]>([
  "add-nacl-rule",
  "remove-nacl-rule",
  "replace-nacl-rule",
  "add-sg-rule",
  "remove-sg-rule",
  "replace-sg-rule",
  "attach-security-group",
  "detach-security-group",
  "associate-network-acl",
  "set-source-dest-check",
]);

/** Throws a VpcsimError unless `c` is a WorldChange: its kind, and each field of the right type and range. */
function checkChange(c: WorldChange): void {
  const bad = (why: string) => new VpcsimError("argument/change", `applyChange: ${why}`);
  if (typeof c !== "object" || c === null) throw bad(`expected a change, got ${shown(c)}`);
  if (!KINDS.has(c.kind)) throw bad(`${shown(c.kind)} is not a kind of change`);
  const fields = c as unknown as Record<string, unknown>;
  const name = (k: string) => {
    if (typeof fields[k] !== "string") throw bad(`${c.kind} needs ${k}, a name; got ${shown(fields[k])}`);
  };
  switch (c.kind) {
    case "add-nacl-rule":
    case "replace-nacl-rule":
    case "remove-nacl-rule":
      name("acl");
      direction(c.direction, bad);
      if (c.kind === "remove-nacl-rule") ruleNumber(c.number, bad);
      else naclRule(c.rule, bad);
      return;
    case "add-sg-rule":
    case "remove-sg-rule":
    case "replace-sg-rule":
      name("group");
      direction(c.direction, bad);
      sgRule(c.rule, bad);
      if (c.kind === "replace-sg-rule") sgRule(c.old, bad);
      return;
    case "attach-security-group":
    case "detach-security-group":
    case "set-source-dest-check":
      name("instance");
      if (!isInteger(c.interface, 0, Number.MAX_SAFE_INTEGER))
        throw bad(`interface must be an interface's position (0 for the primary), got ${shown(c.interface)}`);
      if (c.kind === "set-source-dest-check") {
        if (typeof c.enabled !== "boolean") throw bad(`enabled must be true or false, got ${shown(c.enabled)}`);
      } else name("group");
      return;
    case "associate-network-acl":
      name("subnet");
      name("acl");
      return;
  }
}

type Bad = (why: string) => VpcsimError;

function isInteger(v: unknown, min: number, max: number): v is number {
  return typeof v === "number" && Number.isInteger(v) && v >= min && v <= max;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null;
}

function direction(d: unknown, bad: Bad): void {
  if (d !== "inbound" && d !== "outbound") throw bad(`direction must be "inbound" or "outbound", got ${shown(d)}`);
}

/** aws-rules §1.1: rules are numbered 1-32766. */
function ruleNumber(n: unknown, bad: Bad): void {
  if (!isInteger(n, 1, 32766)) throw bad(`a network ACL rule number is an integer 1-32766, got ${shown(n)}`);
}

/** The fields network ACL and security group rules share (aws-rules §1.3, §2.2). */
function traffic(r: Record<string, unknown>, bad: Bad): void {
  if (!isInteger(r.protocol, -1, 255)) throw bad(`a rule's protocol is -1 (all) or 0-255, got ${shown(r.protocol)}`);
  if (r.ports !== undefined) {
    const p = r.ports;
    if (!isObject(p) || !isInteger(p.from, 0, 65535) || !isInteger(p.to, p.from as number, 65535)) {
      throw bad("a rule's ports are { from, to }, integers 0-65535 with from <= to");
    }
  }
  if (r.icmp !== undefined) {
    const i = r.icmp;
    if (!isObject(i) || !isInteger(i.type, -1, 255) || !isInteger(i.code, -1, 255)) {
      throw bad("a rule's icmp is { type, code }, integers -1 (any) to 255");
    }
  }
}

function cidr(c: unknown, bad: Bad): void {
  const ok =
    isObject(c) &&
    typeof c.text === "string" &&
    (c.family === 4
      ? isInteger(c.prefix, 0, 32) && isInteger(c.lo4, 0, 0xffffffff) && isInteger(c.hi4, c.lo4 as number, 0xffffffff)
      : c.family === 6 && isInteger(c.prefix, 0, 128) && typeof c.lo6 === "bigint" && typeof c.hi6 === "bigint" && c.lo6 <= c.hi6);
  if (!ok) throw bad("a rule's block must be a CIDR block from parseCidr");
}

function naclRule(r: unknown, bad: Bad): void {
  if (!isObject(r)) throw bad(`expected a network ACL rule, got ${shown(r)}`);
  ruleNumber(r.number, bad);
  if (r.action !== "allow" && r.action !== "deny") throw bad(`a network ACL rule's action is "allow" or "deny", got ${shown(r.action)}`);
  traffic(r, bad);
  cidr(r.cidr, bad);
}

function sgRule(r: unknown, bad: Bad): void {
  if (!isObject(r)) throw bad(`expected a security group rule, got ${shown(r)}`);
  traffic(r, bad);
  const peer = r.peer;
  if (!isObject(peer)) throw bad("a security group rule needs a peer: a block, a group or a prefix list");
  if (peer.kind === "cidr") cidr(peer.cidr, bad);
  else if (peer.kind === "security-group") {
    if (typeof peer.group !== "string") throw bad("a security group peer names its group");
  } else if (peer.kind === "prefix-list") {
    if (typeof peer.list !== "string") throw bad("a prefix-list peer names its list");
  } else throw bad(`a rule's peer is a cidr, a security-group or a prefix-list, got ${shown(peer.kind)}`);
  if (r.description !== undefined && typeof r.description !== "string") throw bad("a rule's description is text");
}

type Mutable<T> = {
  -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? Mutable<U>[] : T[K] extends object ? Mutable<T[K]> : T[K];
};

function ok(world: World, recipe: (w: Mutable<World>) => void): ChangeResult {
  return { ok: true, world: produce(world, (d) => recipe(d as unknown as Mutable<World>)) };
}
