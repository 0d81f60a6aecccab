// What AWS creates for you: the default security group, a new group's outbound rule, the default
// network ACL (aws-rules §1.2, §2.1).

import type { Cidr } from "./address.js";
import { ANY_V4, ANY_V6 } from "./address.js";
import type { ConntrackTimeouts, NetworkAcl, PortRange, SecurityGroupRule, Settings } from "./model.js";
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

export const DEFAULT_SETTINGS: Settings = {
  untrackedFlows: true,
  ipv6DefaultEgress: true,
  relatedIcmp: false,
  icmpTimeout: 30,
  tcpClosingTimeout: 120,
  otherProtocolTimeout: 600,
  natIdleTimeout: 350,
  egressOnlyIdleTimeout: 350,
};

export const DEFAULT_TIMEOUTS: ConntrackTimeouts = { tcpEstablished: 432000, udp: 30, udpStream: 180 };

/** The source ports a NAT gateway translates to (aws-rules §4.4): 64,512 per destination. */
export const NAT_GATEWAY_PORTS: PortRange = { from: 1024, to: 65535 };

/** Client port ranges (aws-rules §1.4; the issue names Linux 32768-60999, the kernel's default). */
export const EPHEMERAL_PROFILES: Readonly<Record<string, PortRange>> = {
  linux: { from: 32768, to: 60999 },
  windows: { from: 49152, to: 65535 },
  "windows-2003": { from: 1025, to: 5000 },
  "nat-gateway": NAT_GATEWAY_PORTS,
  elb: { from: 1024, to: 65535 },
  lambda: { from: 1024, to: 65535 },
};

/**
 * Amazon-provided services at link-local addresses, the same in every VPC, which neither network
 * ACLs nor security groups filter (aws-rules §1.6); the DNS resolver at the VPC's base + 2 and each
 * subnet's router at its base + 1 are found from the world.
 */
export const LINK_LOCAL_SERVICES: readonly (readonly [address: string, service: string])[] = [
  ["169.254.169.253", "Amazon DNS resolver"],
  ["169.254.169.254", "instance metadata service"],
  ["169.254.169.123", "Amazon Time Sync Service"],
  ["fd00:ec2::253", "Amazon DNS resolver"],
  ["fd00:ec2::254", "instance metadata service"],
  ["fd00:ec2::123", "Amazon Time Sync Service"],
];
