// A network ACL's verdict on every key of one protocol at once, for peers that no rule's block cuts
// (aws-rules §1.1: the lowest-numbered rule that matches decides, then the implicit deny). Interval
// arithmetic over the rules' key ranges (§1.3): each rule claims the keys no earlier rule took.

import { ruleKeys } from "../compile/keys.js";
import type { CompiledNacl } from "../compile/network-acl.js";
import { compileNacl, naclList } from "../compile/network-acl.js";
import type { Cidr, Family } from "../model/address.js";
import type { Direction, NetworkAcl, NetworkAclRule } from "../model/model.js";
import { ALL } from "../model/protocol.js";
import { cidrRange } from "./boxes.js";
import type { Interval } from "./intervals.js";
import { intersect, normalize, subtract } from "./intervals.js";
import { ALL_PORTS } from "./open-ports.js";

/** Addresses, inclusive. */
export type Span = readonly [bigint, bigint];

export interface KeyDecision {
  readonly keys: readonly Interval[];
  readonly allow: boolean;
  /** undefined: the implicit `*` deny */
  readonly rule: NetworkAclRule | undefined;
}

/** Model ACLs are immutable values: each is compiled once, however many checks read it. */
const compiled = new WeakMap<NetworkAcl, CompiledNacl>();

/** One direction and family of an ACL, lowest number first (the compiled list's order). */
export function aclRules(acl: NetworkAcl, direction: Direction, family: Family): readonly NetworkAclRule[] {
  let c = compiled.get(acl);
  if (!c) {
    c = compileNacl(acl);
    compiled.set(acl, c);
  }
  return naclList(c, direction, family).rules;
}

/** The verdict on each key of `protocol` for a peer in `peers`; a rule's block holds all of `peers` or none of it. */
export function keyDecisions(rules: readonly NetworkAclRule[], protocol: number, family: Family, peers: Span): KeyDecision[] {
  let left: Interval[] = [ALL_PORTS];
  const out: KeyDecision[] = [];
  for (const rule of rules) {
    if (left.length === 0) break;
    if (rule.protocol !== ALL && rule.protocol !== protocol) continue;
    const [lo, hi] = cidrRange(rule.cidr);
    if (peers[0] < lo || peers[1] > hi) continue;
    const claimed = intersect(left, [ruleKeys(rule.protocol, rule.ports, rule.icmp, family)]);
    if (claimed.length === 0) continue;
    left = subtract(left, claimed);
    out.push({ keys: claimed, allow: rule.action === "allow", rule });
  }
  if (left.length > 0) out.push({ keys: left, allow: false, rule: undefined });
  return out;
}

export function allowedKeys(decisions: readonly KeyDecision[]): Interval[] {
  return normalize(decisions.filter((d) => d.allow).flatMap((d) => d.keys));
}

/** The denials among `keys`, each with the rule that denies it. */
export function deniedAmong(decisions: readonly KeyDecision[], keys: readonly Interval[]): KeyDecision[] {
  return decisions
    .filter((d) => !d.allow)
    .map((d) => ({ ...d, keys: intersect(d.keys, keys) }))
    .filter((d) => d.keys.length > 0);
}

/** `span` cut at the edges of every block, without the parts in `outside`: peers each rule holds whole or not at all. */
export function segments(span: Span, cuts: readonly Cidr[], outside: readonly Span[] = []): Span[] {
  const edges = new Set<bigint>([span[0], span[1] + 1n]);
  for (const c of [...cuts.map(cidrRange), ...outside]) {
    for (const e of [c[0], c[1] + 1n]) if (e > span[0] && e <= span[1]) edges.add(e);
  }
  const sorted = [...edges].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const out: Span[] = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const piece: Span = [sorted[i]!, sorted[i + 1]! - 1n];
    if (!outside.some(([lo, hi]) => lo <= piece[0] && piece[1] <= hi)) out.push(piece);
  }
  return out;
}
