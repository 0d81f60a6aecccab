// What happened to a packet: delivered, or why not as a stable code (aws-rules §5): Reachability Analyzer's explanation
// codes where it has one (§5.1), vpcsim's own where it has none, as it does not model state (§5.2).
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
  | "ROUTING_LOOP"
  // issue 9: Reachability Analyzer's codes for group references through appliances and the internet gateway's address checks
  | "SG_REFERENCES_NOT_PRESERVED"
  | "IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS"
  | "IGW_DESTINATION_ADDRESS_NOT_IN_RFC6598_EGRESS"
  | "IGW_SOURCE_ADDRESS_NOT_IN_RFC1918_INGRESS"
  | "IGW_SOURCE_ADDRESS_NOT_IN_RFC6598_INGRESS"
  // and vpcsim's own for the NAT gateway's reset of a connection it no longer knows
  | "NGW_CONNECTION_RESET"
  // a route to a resource vpcsim does not model (a named stand-in of an import)
  | "UNMODELLED_TARGET";

/** What happened to a packet: `"delivered"`, or the code of its drop. */
export type Verdict = "delivered" | DropCode;
