// The ports a group rule opens to everyone (0.0.0.0/0 or ::/0, itself or in a prefix list), per
// protocol: what Trusted Advisor's and AWS Config's security group checks look at.
import type { Cidr } from "../model/address.js";
import type { SecurityGroupRule, World } from "../model/model.js";
import { ALL, TCP, UDP } from "../model/protocol.js";
import type { Interval } from "./intervals.js";

export interface OpenPorts {
  readonly protocol: typeof TCP | typeof UDP;
  readonly ports: readonly Interval[];
  /** the world-wide blocks: `0.0.0.0/0`, `::/0` */
  readonly blocks: readonly string[];
}

export const ALL_PORTS: Interval = [0, 65535];

/** The unrestricted blocks a rule's peer holds. */
export function worldBlocks(rule: SecurityGroupRule, world: World): Cidr[] {
  const peer = rule.peer;
  const cidrs = peer.kind === "cidr" ? [peer.cidr] : peer.kind === "prefix-list" ? (world.prefixLists[peer.list]?.cidrs ?? []) : [];
  return cidrs.filter((c) => c.prefix === 0);
}

/** TCP and UDP ports an inbound rule opens to the world; none for ICMP, other protocols or a narrower peer. */
export function openPorts(rule: SecurityGroupRule, world: World): OpenPorts[] {
  const blocks = worldBlocks(rule, world).map((c) => c.text);
  if (blocks.length === 0) return [];
  const ports: Interval = rule.ports ? [rule.ports.from, rule.ports.to] : ALL_PORTS;
  const protocols: OpenPorts["protocol"][] =
    rule.protocol === ALL ? [TCP, UDP] : rule.protocol === TCP ? [TCP] : rule.protocol === UDP ? [UDP] : [];
  return protocols.map((protocol) => ({ protocol, ports: [ports], blocks }));
}
