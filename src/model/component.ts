// The parts of a VPC a packet meets on its way: what a trace hop names, what a drop blames, and
// what a scenario's `blocked-by` expectation names in words.
import type { Direction } from "./model.js";

export type Component =
  | {
      readonly kind: "security-groups";
      readonly instance: string;
      readonly interface: string;
      readonly groups: readonly string[];
      readonly direction: Direction;
    }
  | { readonly kind: "network-acl"; readonly name: string; readonly subnet: string; readonly direction: Direction }
  | { readonly kind: "route-table"; readonly name: string; readonly subnet: string }
  | { readonly kind: "internet-gateway" }
  | { readonly kind: "egress-only-internet-gateway" }
  | { readonly kind: "nat-gateway"; readonly name: string }
  | { readonly kind: "interface"; readonly instance: string; readonly interface: string }
  | { readonly kind: "vpc"; readonly subnet?: string }
  | { readonly kind: "internet"; readonly host?: string }
  | { readonly kind: "amazon-service"; readonly service: string };

/** The words of `blocked-by` in scenario files: `network-acl web-acl outbound`, ... */
export function componentLabel(c: Component): string {
  switch (c.kind) {
    case "security-groups":
      return `security-groups ${c.instance} ${c.direction}`;
    case "network-acl":
      return `network-acl ${c.name} ${c.direction}`;
    case "route-table":
      return `route-table ${c.name}`;
    case "internet-gateway":
      return "internet-gateway";
    case "egress-only-internet-gateway":
      return "egress-only-internet-gateway";
    case "nat-gateway":
      return `nat-gateway ${c.name}`;
    case "interface":
      return `interface ${c.interface}`;
    case "vpc":
      return c.subnet ? `vpc subnet ${c.subnet}` : "vpc";
    case "internet":
      return c.host ? `internet ${c.host}` : "internet";
    case "amazon-service":
      return `amazon-service ${c.service}`;
  }
}
