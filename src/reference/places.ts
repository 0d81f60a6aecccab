// Where an address lives in the world: which interface, NAT gateway, subnet or internet host owns
// it, and whether it lies inside the VPC. Plain searches through the model, nothing indexed.
import type { Address } from "../model/address.js";
import type { InternetHost, NatGateway, NetworkInterface, Subnet, World } from "../model/model.js";
import { blockHolds, sameAddress } from "./blocks.js";

/** Every network interface of every instance. */
export function allInterfaces(world: World): NetworkInterface[] {
  return Object.values(world.instances).flatMap((instance) => instance.interfaces);
}

/**
 * The interface that owns a private address: one of its private IPv4 addresses, or one of its
 * IPv6 addresses. Public IPv4 addresses belong to the internet gateway's mapping (aws-rules §4.3).
 */
export function interfaceOwning(world: World, address: Address): NetworkInterface | undefined {
  return allInterfaces(world).find((iface) => (address.family === 4 ? iface.privateIps : iface.ipv6s).some((a) => sameAddress(a, address)));
}

/** The interface whose public IPv4 (or Elastic IP) address this is (aws-rules §4.3). */
export function interfaceWithPublicIp(world: World, address: Address): NetworkInterface | undefined {
  return allInterfaces(world).find((iface) => iface.publicIp !== undefined && sameAddress(iface.publicIp, address));
}

/** A route to an instance reaches its primary interface (aws-rules §4.6). */
export function primaryInterface(world: World, instance: string): NetworkInterface | undefined {
  return world.instances[instance]?.interfaces[0];
}

export function subnetOf(world: World, iface: NetworkInterface): Subnet {
  return world.subnets[iface.subnet]!;
}

/** The subnet whose IPv4 or IPv6 block holds the address. */
export function subnetContaining(world: World, address: Address): Subnet | undefined {
  return Object.values(world.subnets).find(
    (s) => blockHolds(s.cidr, address) || (s.ipv6Cidr !== undefined && blockHolds(s.ipv6Cidr, address)),
  );
}

/** The VPC's blocks: its IPv4 blocks and its IPv6 block, if any. */
export function vpcBlocks(world: World) {
  return world.vpc.ipv6Cidr ? [...world.vpc.cidrs, world.vpc.ipv6Cidr] : [...world.vpc.cidrs];
}

export function insideVpc(world: World, address: Address): boolean {
  return vpcBlocks(world).some((block) => blockHolds(block, address));
}

export function natGatewayWithPrivateIp(world: World, address: Address): NatGateway | undefined {
  return Object.values(world.natGateways).find((n) => sameAddress(n.privateIp, address));
}

export function natGatewayWithPublicIp(world: World, address: Address): NatGateway | undefined {
  return Object.values(world.natGateways).find((n) => sameAddress(n.publicIp, address));
}

export function internetHostAt(world: World, address: Address): InternetHost | undefined {
  return Object.values(world.internetHosts).find((h) => sameAddress(h.address, address));
}
