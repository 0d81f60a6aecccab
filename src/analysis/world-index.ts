// Who uses what in a world, and where each rule is written: the lookups every check shares.
import type { Direction, NetworkAclRule, NetworkInterface, SecurityGroupRule, Subnet, World } from "../model/model.js";
import type { ResourcePath, Source } from "./finding.js";

export interface AclRuleAt {
  readonly acl: string;
  readonly direction: Direction;
  readonly rule: NetworkAclRule;
  readonly path: ResourcePath;
}

export interface GroupRuleAt {
  readonly group: string;
  readonly direction: Direction;
  /** position in its group's list of that direction */
  readonly index: number;
  readonly rule: SecurityGroupRule;
  readonly path: ResourcePath;
}

export const DIRECTIONS: readonly Direction[] = ["inbound", "outbound"];

export class WorldIndex {
  readonly subnetsOfAcl = new Map<string, Subnet[]>();
  readonly interfacesOfGroup = new Map<string, NetworkInterface[]>();
  readonly interfacesOfSubnet = new Map<string, NetworkInterface[]>();
  readonly interfaces: NetworkInterface[];

  constructor(
    readonly world: World,
    readonly source: Source,
  ) {
    for (const s of Object.values(world.subnets)) push(this.subnetsOfAcl, s.networkAcl, s);
    this.interfaces = Object.values(world.instances).flatMap((i) => i.interfaces);
    for (const nic of this.interfaces) {
      push(this.interfacesOfSubnet, nic.subnet, nic);
      for (const g of nic.securityGroups) push(this.interfacesOfGroup, g, nic);
    }
  }

  /** The rules the file writes, in the file's order (AWS's implicit rules have no line to point at). */
  aclRules(acl: string, direction: Direction): AclRuleAt[] {
    const rules = this.world.networkAcls[acl]?.[direction] ?? [];
    return rules
      .map((rule, i) => ({ acl, direction, rule, path: ["network-acls", acl, direction, i] }))
      .filter((r) => this.source.has(r.path));
  }

  groupRules(group: string, direction: Direction): GroupRuleAt[] {
    const rules = this.world.securityGroups[group]?.[direction] ?? [];
    return rules
      .map((rule, index) => ({ group, direction, index, rule, path: ["security-groups", group, direction, index] }))
      .filter((r) => this.source.has(r.path));
  }

  allGroupRules(direction: Direction): GroupRuleAt[] {
    return Object.keys(this.world.securityGroups).flatMap((g) => this.groupRules(g, direction));
  }

  allAclRules(direction: Direction): AclRuleAt[] {
    return Object.keys(this.world.networkAcls).flatMap((a) => this.aclRules(a, direction));
  }

  /** A resource's own path when the file declares it, else the VPC's (AWS created it). */
  resourcePath(section: "network-acls" | "security-groups", name: string): ResourcePath {
    const path = [section, name];
    return this.source.has(path) ? path : ["vpc"];
  }

  /** The interfaces an ACL filters: those of its subnets. */
  interfacesOfAcl(acl: string): NetworkInterface[] {
    return (this.subnetsOfAcl.get(acl) ?? []).flatMap((s) => this.interfacesOfSubnet.get(s.name) ?? []);
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
