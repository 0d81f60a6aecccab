// Changes to the world during a scenario: the console and API actions a learner takes between
// packets. Each yields a new immutable world version, or the reason AWS would refuse it.
import { produce } from "immer";
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

export function applyChange(world: World, change: WorldChange): ChangeResult {
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

type Mutable<T> = {
  -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? Mutable<U>[] : T[K] extends object ? Mutable<T[K]> : T[K];
};

function ok(world: World, recipe: (w: Mutable<World>) => void): ChangeResult {
  return { ok: true, world: produce(world, (d) => recipe(d as unknown as Mutable<World>)) };
}
