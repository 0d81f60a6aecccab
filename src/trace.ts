// What the engine says about a packet: its verdict, the hops it took, and for a drop a stable
// code (aligned with Reachability Analyzer's explanation codes where one exists, aws-semantics
// §7.1), an explanation for a learner and the smallest change that would let it through.
import type { Direction } from "./security-group.js";

export type Component =
  | { readonly kind: "security-groups"; readonly instance: string; readonly interface: string; readonly groups: readonly string[]; readonly direction: Direction }
  | { readonly kind: "network-acl"; readonly name: string; readonly subnet: string; readonly direction: Direction }
  | { readonly kind: "route-table"; readonly name: string; readonly subnet: string }
  | { readonly kind: "internet-gateway" }
  | { readonly kind: "egress-only-internet-gateway" }
  | { readonly kind: "nat-gateway"; readonly name: string }
  | { readonly kind: "interface"; readonly instance: string; readonly interface: string }
  | { readonly kind: "vpc"; readonly subnet?: string }
  | { readonly kind: "internet"; readonly host?: string }
  | { readonly kind: "amazon-service"; readonly service: string };

export type DropCode =
  | "ENI_SG_RULES_MISMATCH"
  | "SUBNET_ACL_RESTRICTION"
  | "NO_ROUTE_TO_DESTINATION"
  | "BAD_STATE_ROUTE"
  | "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS"
  | "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS"
  | "PROTOCOL_RESTRICTION"
  | "ENI_SOURCE_DEST_CHECK_RESTRICTION"
  // our own codes, where Reachability Analyzer has none (it does not model state)
  | "NGW_UNSOLICITED_INBOUND"
  | "NGW_NOT_A_DESTINATION"
  | "NGW_PORT_ALLOCATION_ERROR"
  | "NAT_INSTANCE_PORT_ALLOCATION_ERROR"
  | "EIGW_UNSOLICITED_INBOUND"
  | "NO_INTERFACE_AT_DESTINATION"
  | "NO_PATH"
  | "ROUTING_LOOP";

export type Action = "allow" | "deny" | "forward" | "translate" | "deliver";

export interface Hop {
  readonly component: Component;
  readonly action: Action;
  /** the rule or route that decided, in console words */
  readonly rule?: string;
  readonly ruleNumber?: number | "*";
  /** the tracked connection that let the packet through */
  readonly connection?: number;
  readonly note?: string;
  readonly translation?: { readonly field: "source" | "destination"; readonly from: string; readonly to: string };
}

export interface Drop {
  readonly code: DropCode;
  readonly component: Component;
  readonly explanation: string;
  /** the smallest change that would let this packet through, when there is one */
  readonly fix?: string;
}

export interface PacketView {
  readonly protocol: string;
  readonly source: string;
  readonly destination: string;
  readonly sourcePort?: number;
  readonly destinationPort?: number;
  readonly icmpType?: number;
  readonly icmpCode?: number;
  readonly flags?: string;
}

export interface PacketResult {
  readonly delivered: boolean;
  readonly packet: PacketView;
  /** the packet as it arrived, after address translation */
  readonly received?: PacketView;
  readonly hops: readonly Hop[];
  readonly drop?: Drop;
  /** whether the destination interface tracks this flow after the packet (aws-semantics §3) */
  readonly trackedAtDestination?: boolean;
  readonly time: number;
}

/** The words of `blocked-by` in scenario files: `network-acl web-acl outbound`, ... */
export function componentLabel(c: Component): string {
  switch (c.kind) {
    case "security-groups": return `security-groups ${c.instance} ${c.direction}`;
    case "network-acl": return `network-acl ${c.name} ${c.direction}`;
    case "route-table": return `route-table ${c.name}`;
    case "internet-gateway": return "internet-gateway";
    case "egress-only-internet-gateway": return "egress-only-internet-gateway";
    case "nat-gateway": return `nat-gateway ${c.name}`;
    case "interface": return `interface ${c.interface}`;
    case "vpc": return c.subnet ? `vpc subnet ${c.subnet}` : "vpc";
    case "internet": return c.host ? `internet ${c.host}` : "internet";
    case "amazon-service": return `amazon-service ${c.service}`;
  }
}
