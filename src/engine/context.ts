// What the walk of packets through one world reads and writes: the compiled world, the clock, the
// connection table of security groups, the gateways' flow state, and the scope of the packet in
// flight. The engine owns one; the walk's functions (path, filters, gateways) take it first.
import type { CompiledWorld } from "../compile/world.js";
import type { Component } from "../model/component.js";
import type { ConnectionTable } from "./connection-table.js";
import type { MatchCache } from "./match-cache.js";
import type { Scope } from "./scope.js";
import type { TranslationTable } from "./translation-table.js";

export interface WalkContext {
  compiled: CompiledWorld;
  /** simulation time in seconds */
  now: number;
  scope: Scope;
  readonly connections: ConnectionTable;
  readonly translations: TranslationTable;
  /** security group matches of the verdict-only path; cleared when the world changes */
  readonly matches: MatchCache;
  /**
   * Traced packets that passed a security group untracked (aws-rules §3.2), by flow: what admitted
   * them, for the words of a later drop. Written by traces only, so verdicts allocate nothing.
   */
  readonly untracked: Map<string, UntrackedPass>;
}

export interface UntrackedPass {
  readonly group: string;
  readonly rule: string;
  readonly at: number;
}

/** `via` bit: the packet came through a gateway whose connections AWS always tracks (aws-rules §3.3). */
export const AUTO_TRACKED = 1;
/** `via` bit: the packet left the VPC, so it may be delivered to any internet address. */
export const FROM_VPC = 2;
/**
 * `via` bit: an appliance forwarded the packet, and it discards the sender's security group
 * membership: rules that reference a group no longer match it (aws-rules §2.3).
 */
export const FORWARDED = 4;
/** Gateways and appliances one packet may pass before the routes count as a loop. */
export const MAX_DEPTH = 8;

export const INTERNET_GATEWAY: Component = { kind: "internet-gateway" };
export const EGRESS_ONLY_GATEWAY: Component = { kind: "egress-only-internet-gateway" };
export const VPC: Component = { kind: "vpc" };
export const INTERNET: Component = { kind: "internet" };
/** The key under which the egress-only gateway remembers flows in the translation table. */
export const EGRESS_ONLY = "egress-only-internet-gateway";
