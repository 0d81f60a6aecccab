// What the engine says about a packet: its verdict, the hops it took, and for a drop a stable
// code (aligned with Reachability Analyzer's explanation codes where one exists, aws-rules
// §5), an explanation for a learner and the smallest change that would let it through.
import type { Component } from "../model/component.js";
import type { Packet } from "../model/packet.js";
import { flagText } from "../model/packet.js";
import { protocolName, TCP, UDP } from "../model/protocol.js";
import type { DropCode } from "../model/verdict.js";

export type { DropCode } from "../model/verdict.js";

/** `reset`: the component answers the sender with a TCP RST instead of forwarding (a NAT gateway, aws-rules §4.4). */
export type Action = "allow" | "deny" | "forward" | "translate" | "deliver" | "reset";

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
  /** the narrow variant of the fix, where it differs */
  readonly narrower?: string;
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
  /** whether the destination interface tracks this flow after the packet (aws-rules §3) */
  readonly trackedAtDestination?: boolean;
  readonly time: number;
}

/** A packet as plain, JSON-ready data. */
export function packetView(p: Packet): PacketView {
  const ports = p.protocol === TCP || p.protocol === UDP;
  return {
    protocol: protocolName(p.protocol),
    source: p.src.text,
    destination: p.dst.text,
    ...(ports ? { sourcePort: p.srcPort, destinationPort: p.dstPort } : {}),
    ...(p.icmpType >= 0 ? { icmpType: p.icmpType, icmpCode: p.icmpCode } : {}),
    ...(p.protocol === TCP && p.flags ? { flags: flagText(p.flags) } : {}),
  };
}
