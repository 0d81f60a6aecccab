// Route tables (aws-rules §4.1): a subnet's table, plus an implicit `local` route for each VPC
// block; the route with the longest prefix holding the destination wins.
import type { Address, Cidr } from "../model/address.js";
import type { RouteTarget, Subnet, World } from "../model/model.js";
import { blockHolds } from "./blocks.js";
import { vpcBlocks } from "./places.js";

/** A route of a subnet's table, or the implicit local route of a VPC block. */
export interface RouteChoice {
  readonly destination: Cidr;
  readonly target: RouteTarget | { readonly kind: "local" };
}

/** aws-rules §4.1: each VPC block has a `local` route that cannot be removed. */
export function localRoutes(world: World): RouteChoice[] {
  return vpcBlocks(world).map((destination) => ({ destination, target: { kind: "local" } as const }));
}

/** aws-rules §4.1: the subnet's table (the loader gives subnets without one the main table). */
export function subnetRoutes(world: World, subnet: Subnet): RouteChoice[] {
  const table = world.routeTables[subnet.routeTable]!;
  return [...localRoutes(world), ...table.routes];
}

/**
 * aws-rules §4.1: among routes whose block holds the destination, the longest prefix wins (IPv4
 * and IPv6 apart, as a block holds only its own family). On a tie the local route wins, as AWS
 * refuses a route equal to it; undefined when no route matches.
 */
export function routeFor(world: World, subnet: Subnet, destination: Address): RouteChoice | undefined {
  let best: RouteChoice | undefined;
  for (const route of subnetRoutes(world, subnet)) {
    if (!blockHolds(route.destination, destination)) continue;
    if (best === undefined || route.destination.prefix > best.destination.prefix) best = route;
  }
  return best;
}

/** aws-rules §4.3, §4.5: whether any route table sends traffic to this kind of gateway. */
export function someRouteTargets(world: World, kind: "internet-gateway" | "egress-only-internet-gateway"): boolean {
  return Object.values(world.routeTables).some((table) => table.routes.some((r) => r.target.kind === kind));
}
