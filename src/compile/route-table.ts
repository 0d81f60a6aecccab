// Route tables (aws-rules §4.1): longest prefix match, IPv4 and IPv6 looked up separately,
// with an implicit `local` route for each VPC block.
import type { Address, Cidr } from "../model/address.js";
import type { Route, RouteTable } from "../model/model.js";

/** A route of the table, or the implicit `local` route of a VPC block. */
export type CompiledRoute = Route | { readonly destination: Cidr; readonly target: { readonly kind: "local" } };
export type CompiledTarget = CompiledRoute["target"];

export interface CompiledRouteTable {
  readonly name: string;
  /** most specific first */
  readonly v4: readonly CompiledRoute[];
  readonly v6: readonly CompiledRoute[];
}

export function compileRouteTable(table: RouteTable, localBlocks: readonly Cidr[]): CompiledRouteTable {
  const routes: CompiledRoute[] = [
    ...localBlocks.map((destination) => ({ destination, target: { kind: "local" } as const })),
    ...table.routes,
  ];
  // Longest prefix first; on a tie the local route wins, as AWS refuses a route equal to it.
  const ordered = routes
    .map((r, i) => ({ r, i }))
    .sort((a, b) => b.r.destination.prefix - a.r.destination.prefix || a.i - b.i)
    .map((x) => x.r);
  return {
    name: table.name,
    v4: ordered.filter((r) => r.destination.family === 4),
    v6: ordered.filter((r) => r.destination.family === 6),
  };
}

export function lookupRoute(table: CompiledRouteTable, dst: Address): CompiledRoute | undefined {
  if (dst.family === 4) {
    for (const r of table.v4) if (dst.v4 >= r.destination.lo4 && dst.v4 <= r.destination.hi4) return r;
    return undefined;
  }
  for (const r of table.v6) if (dst.v6 >= r.destination.lo6 && dst.v6 <= r.destination.hi6) return r;
  return undefined;
}

export function targetText(t: CompiledTarget): string {
  if (t.kind === "unmodelled") return `unmodelled ${t.id}`;
  return t.kind === "nat-gateway" || t.kind === "instance" ? `${t.kind} ${t.name}` : t.kind;
}
