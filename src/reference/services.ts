// Amazon-provided services (aws-rules §1.6): neither network ACLs nor security groups filter
// traffic between an interface and the Amazon DNS server, instance metadata, the Amazon Time Sync
// Service and the VPC router.
import type { Address } from "../model/address.js";
import { offsetAddress } from "../model/address.js";
import { LINK_LOCAL_SERVICES } from "../model/defaults.js";
import type { World } from "../model/model.js";
import { sameAddress } from "./blocks.js";

/**
 * aws-rules §1.6: the service at an address, if any: the link-local ones, the DNS resolver at the
 * VPC's primary IPv4 block base + 2, and each subnet's router at its block's base + 1 (IPv4, and
 * IPv6 `::1` of the subnet's block).
 */
export function amazonServiceAt(world: World, address: Address): string | undefined {
  for (const [text, service] of LINK_LOCAL_SERVICES) {
    if (address.text === text) return service;
  }
  const primary = world.vpc.cidrs[0];
  if (primary && sameAddress(offsetAddress(primary, 2), address)) return "Amazon DNS resolver";
  for (const subnet of Object.values(world.subnets)) {
    if (sameAddress(offsetAddress(subnet.cidr, 1), address)) return "VPC router";
    if (subnet.ipv6Cidr && sameAddress(offsetAddress(subnet.ipv6Cidr, 1), address)) return "VPC router";
  }
  return undefined;
}
