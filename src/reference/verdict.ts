// What happens to a packet: it is delivered, or the first part of the VPC that stops it names the
// reason with a drop code (aws-rules §5). The codes are the engine's, spelled out again here so
// that the rule book depends on nothing but the model.

/** aws-rules §5.1: Reachability Analyzer's explanation codes, and §5.2: vpcsim's own. */
export type DropCode =
  // §5.1
  | "ENI_SG_RULES_MISMATCH"
  | "SUBNET_ACL_RESTRICTION"
  | "NO_ROUTE_TO_DESTINATION"
  | "BAD_STATE_ROUTE"
  | "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS"
  | "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS"
  | "PROTOCOL_RESTRICTION"
  | "ENI_SOURCE_DEST_CHECK_RESTRICTION"
  // §5.2
  | "NGW_UNSOLICITED_INBOUND"
  | "NGW_NOT_A_DESTINATION"
  | "NGW_PORT_ALLOCATION_ERROR"
  | "NAT_INSTANCE_PORT_ALLOCATION_ERROR"
  | "EIGW_UNSOLICITED_INBOUND"
  | "NO_INTERFACE_AT_DESTINATION"
  | "NO_PATH"
  | "ROUTING_LOOP";

/** The outcome of one packet. */
export type Verdict = "delivered" | DropCode;

/**
 * One step of a packet's walk either lets it go on (`undefined`) or stops it with a drop code; so
 * `step() ?? nextStep()` reads "the first drop ends the packet" (aws-rules §4.7).
 */
export type StepResult = DropCode | undefined;
