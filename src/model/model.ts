// The VPC model: what a user describes, validated and with every name resolved. It holds no
// compiled structures; `compile.ts` turns one version of it into the flat tables the engine reads.
// Objects are keyed by the user's names; a world version is an immutable (immer) value.
import type { Address, Cidr } from "./address.js";

/** Which way a packet crosses a filter: into the interface or subnet, or out of it. */
export type Direction = "inbound" | "outbound";

export interface PortRange {
  readonly from: number;
  readonly to: number;
}

/** ICMP type and code; -1 matches any (aws-rules §1.3 IcmpTypeCode, §2.2). */
export interface IcmpMatch {
  readonly type: number;
  readonly code: number;
}

export type Peer =
  | { readonly kind: "cidr"; readonly cidr: Cidr }
  | { readonly kind: "security-group"; readonly group: string }
  | { readonly kind: "prefix-list"; readonly list: string };

export interface SecurityGroupRule {
  /** IANA number, -1 for all */
  readonly protocol: number;
  /** TCP/UDP destination ports; absent means all */
  readonly ports?: PortRange;
  /** ICMP/ICMPv6 type and code; absent means all */
  readonly icmp?: IcmpMatch;
  /** `source` of an inbound rule, `destination` of an outbound one */
  readonly peer: Peer;
  readonly description?: string;
}

export interface SecurityGroup {
  readonly name: string;
  readonly inbound: readonly SecurityGroupRule[];
  readonly outbound: readonly SecurityGroupRule[];
}

export interface NetworkAclRule {
  /** 1-32766 (aws-rules §1.1) */
  readonly number: number;
  readonly action: "allow" | "deny";
  readonly protocol: number;
  readonly ports?: PortRange;
  readonly icmp?: IcmpMatch;
  /** matched against the source inbound, the destination outbound */
  readonly cidr: Cidr;
}

export interface NetworkAcl {
  readonly name: string;
  readonly inbound: readonly NetworkAclRule[];
  readonly outbound: readonly NetworkAclRule[];
}

export type RouteTarget =
  | { readonly kind: "internet-gateway" }
  | { readonly kind: "egress-only-internet-gateway" }
  | { readonly kind: "nat-gateway"; readonly name: string }
  /** an instance's primary interface: an appliance that forwards what it is sent (aws-rules §4.6) */
  | { readonly kind: "instance"; readonly name: string }
  | { readonly kind: "blackhole" }
  /**
   * A named stand-in for a resource vpcsim does not model (a transit gateway, a virtual private
   * gateway, a VPC endpoint, a peering connection, ...): it keeps the resource's ID, and what is
   * routed to it stops there with UNMODELLED_TARGET (aws-rules §4.1), neither dropped silently nor allowed.
   */
  | { readonly kind: "unmodelled"; readonly id: string };

export interface Route {
  readonly destination: Cidr;
  readonly target: RouteTarget;
}

/** The `local` route for each VPC block is implicit and cannot be removed (aws-rules §4.1). */
export interface RouteTable {
  readonly name: string;
  readonly routes: readonly Route[];
}

export interface Subnet {
  readonly name: string;
  readonly cidr: Cidr;
  readonly ipv6Cidr?: Cidr;
  readonly networkAcl: string;
  readonly routeTable: string;
}

/** Idle timeouts in seconds (aws-rules §3.4). */
export interface ConntrackTimeouts {
  readonly tcpEstablished: number;
  readonly udp: number;
  readonly udpStream: number;
}

export interface NetworkInterface {
  /** `instance` for the primary interface, `instance#1`, ... for the others */
  readonly name: string;
  readonly instance: string;
  readonly subnet: string;
  readonly privateIps: readonly Address[];
  readonly ipv6s: readonly Address[];
  readonly publicIp?: Address;
  readonly securityGroups: readonly string[];
  readonly sourceDestCheck: boolean;
  /**
   * A NAT instance's primary interface: what it forwards leaves with its first private IPv4
   * address as the source and a port of its choosing (masquerade), and replies are sent back.
   */
  readonly nat: boolean;
  /** ports this end picks from when it opens a connection */
  readonly ephemeral: PortRange;
  readonly timeouts: ConntrackTimeouts;
}

export interface Instance {
  readonly name: string;
  readonly interfaces: readonly NetworkInterface[];
}

export interface NatGateway {
  readonly name: string;
  readonly subnet: string;
  readonly privateIp: Address;
  readonly publicIp: Address;
}

export interface InternetHost {
  readonly name: string;
  readonly address: Address;
  readonly ephemeral: PortRange;
}

export interface PrefixList {
  readonly name: string;
  readonly cidrs: readonly Cidr[];
  /** the most entries the list may hold, which a group rule naming it counts as (aws-rules §2.4); its entries when absent */
  readonly maxEntries?: number;
}

/**
 * Choices where AWS documents nothing or contradicts itself. Each is listed in the README's
 * assumptions, with the aws-rules section that leaves it open.
 */
export interface Settings {
  /** Model untracked flows (aws-rules §3.2). Off: every flow is tracked, as older tools assume. */
  readonly untrackedFlows: boolean;
  /** A new custom group also allows all outbound IPv6 when the VPC has an IPv6 block (§2.1, AMBIGUOUS). */
  readonly ipv6DefaultEgress: boolean;
  /**
   * An ICMP error quoting a packet of a live tracked connection passes the security groups without
   * a rule, as Linux conntrack's RELATED (aws-rules §3.6). Off, as AWS documents: it needs a rule.
   */
  readonly relatedIcmp: boolean;
  /** Idle timeout of tracked ICMP (§3.4 leaves it undocumented; UdpTimeout is the suggestion). */
  readonly icmpTimeout: number;
  /**
   * How long a TCP entry lives once one side has sent a FIN and the other has not yet (§3.4 leaves
   * states other than established undocumented; Linux conntrack's FIN_WAIT is 120 s). Once both
   * sides have sent a FIN, or either an RST, the entry goes at once.
   */
  readonly tcpClosingTimeout: number;
  /** Idle timeout of protocols other than TCP, UDP and ICMP (§3.1: 600 s). */
  readonly otherProtocolTimeout: number;
  /** NAT gateway idle timeout (§4.4: 350 s). */
  readonly natIdleTimeout: number;
  /** Egress-only internet gateway state timeout (undocumented; we use the NAT gateway's). */
  readonly egressOnlyIdleTimeout: number;
}

export interface Vpc {
  readonly name: string;
  readonly cidrs: readonly Cidr[];
  readonly ipv6Cidr?: Cidr;
  readonly defaultSecurityGroup: string;
  readonly defaultNetworkAcl: string;
  readonly mainRouteTable: string;
}

export interface World {
  readonly vpc: Vpc;
  readonly subnets: Readonly<Record<string, Subnet>>;
  readonly securityGroups: Readonly<Record<string, SecurityGroup>>;
  readonly networkAcls: Readonly<Record<string, NetworkAcl>>;
  readonly routeTables: Readonly<Record<string, RouteTable>>;
  readonly instances: Readonly<Record<string, Instance>>;
  readonly natGateways: Readonly<Record<string, NatGateway>>;
  readonly internetHosts: Readonly<Record<string, InternetHost>>;
  readonly prefixLists: Readonly<Record<string, PrefixList>>;
  readonly settings: Settings;
}
