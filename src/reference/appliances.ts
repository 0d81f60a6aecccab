// Appliances and NAT instances (aws-rules §4.6): a route may send traffic to an instance, which then
// receives packets addressed to others. With source/destination check on (the default) its
// interface drops them; with it off, the instance forwards them unchanged, unless it is a NAT
// instance, which masquerades them as a NAT gateway would.
import type { NetworkInterface } from "../model/model.js";
import type { Packet } from "../model/packet.js";
import { ICMP, TCP, UDP } from "../model/protocol.js";
import type { StepResult } from "./verdict.js";

/**
 * aws-rules §4.6: an interface with source/destination check on drops a packet that is neither
 * from nor to it, such as one routed through it, or the reply it would send back inside.
 */
export function sourceDestCheck(iface: NetworkInterface): StepResult {
  return iface.sourceDestCheck ? "ENI_SOURCE_DEST_CHECK_RESTRICTION" : undefined;
}

/**
 * aws-rules §4.6 (vpcsim's choice): a NAT instance masquerades IPv4 TCP, UDP and ICMP to its first
 * private address and a port of its choosing; it forwards anything else unchanged.
 */
export function masquerades(iface: NetworkInterface, p: Packet): boolean {
  return iface.nat && p.src.family === 4 && (p.protocol === TCP || p.protocol === UDP || p.protocol === ICMP);
}

/** A NAT instance sends what it translates from its first private IPv4 address. */
export function masqueradeAddress(iface: NetworkInterface) {
  return iface.privateIps[0]!;
}

/**
 * aws-rules §4.6: a packet reaching a NAT instance's interface may be the reply to a flow it
 * translated (IPv4 only); anything else is for the instance itself.
 */
export function mayBeNatReply(iface: NetworkInterface, p: Packet): boolean {
  return iface.nat && p.dst.family === 4;
}
