// What AWS creates for you: the default security group, a new group's outbound rule, the default
// network ACL (aws-semantics §1.2, §2.1).
import { ANY_V4, ANY_V6 } from "./address.js";
import type { Cidr } from "./address.js";
import type { NetworkAcl, SecurityGroupRule, Settings } from "./model.js";
import { ALL } from "./protocol.js";

/** A new group allows all outbound; IPv6 too when the VPC has an IPv6 block (a setting, §2.1). */
export function newGroupOutbound(ipv6Cidr: Cidr | undefined, settings: Settings): SecurityGroupRule[] {
  const rules: SecurityGroupRule[] = [{ protocol: ALL, peer: { kind: "cidr", cidr: ANY_V4 } }];
  if (ipv6Cidr && settings.ipv6DefaultEgress) rules.push({ protocol: ALL, peer: { kind: "cidr", cidr: ANY_V6 } });
  return rules;
}

/** The VPC's default group also allows all inbound from its own members (§2.1). */
export function defaultGroupInbound(name: string): SecurityGroupRule[] {
  return [{ protocol: ALL, peer: { kind: "security-group", group: name } }];
}

/** The default ACL allows everything: rule 100, and 101 for IPv6 (§1.2). */
export function defaultNetworkAcl(name: string, ipv6Cidr: Cidr | undefined): NetworkAcl {
  const rules = [{ number: 100, action: "allow" as const, protocol: ALL, cidr: ANY_V4 }];
  if (ipv6Cidr) rules.push({ number: 101, action: "allow" as const, protocol: ALL, cidr: ANY_V6 });
  return { name, inbound: rules, outbound: rules };
}
