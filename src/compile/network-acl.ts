// Network ACLs (aws-rules §1): stateless, numbered rules evaluated lowest first, the first
// match is final, then the implicit `*` deny. IPv4 and IPv6 rules are separate lists (§1.1). Each
// list is compiled into a match index whose priority is the rule's position by number, so the
// first match is one lookup however long the list.
import type { Address, Family } from "../model/address.js";
import type { Direction, NetworkAcl, NetworkAclRule } from "../model/model.js";
import { ruleKeys } from "./keys.js";
import type { MatchIndex } from "./match-index.js";
import { buildMatchIndex, lookup } from "./match-index.js";

export interface CompiledNaclList {
  /** the rules of this family, lowest number first */
  readonly rules: readonly NetworkAclRule[];
  readonly allow: Uint8Array;
  readonly index: MatchIndex;
}

export interface CompiledNacl {
  readonly name: string;
  /** the model's lists these were compiled from */
  readonly inbound: readonly NetworkAclRule[];
  readonly outbound: readonly NetworkAclRule[];
  readonly inbound4: CompiledNaclList;
  readonly inbound6: CompiledNaclList;
  readonly outbound4: CompiledNaclList;
  readonly outbound6: CompiledNaclList;
  /** each direction's rule numbers, both IP versions (they share numbers, aws-rules §1.1), ascending */
  readonly inboundNumbers: Int32Array;
  readonly outboundNumbers: Int32Array;
}

/** Compiles an ACL; a direction whose rules are the very list `previous` was compiled from keeps its lists. */
export function compileNacl(acl: NetworkAcl, previous?: CompiledNacl): CompiledNacl {
  const keepIn = previous?.inbound === acl.inbound && previous.name === acl.name;
  const keepOut = previous?.outbound === acl.outbound && previous.name === acl.name;
  return {
    name: acl.name,
    inbound: acl.inbound,
    outbound: acl.outbound,
    inbound4: keepIn ? previous.inbound4 : compileList(acl.inbound, 4),
    inbound6: keepIn ? previous.inbound6 : compileList(acl.inbound, 6),
    outbound4: keepOut ? previous.outbound4 : compileList(acl.outbound, 4),
    outbound6: keepOut ? previous.outbound6 : compileList(acl.outbound, 6),
    inboundNumbers: keepIn ? previous.inboundNumbers : numbers(acl.inbound),
    outboundNumbers: keepOut ? previous.outboundNumbers : numbers(acl.outbound),
  };
}

function numbers(rules: readonly NetworkAclRule[]): Int32Array {
  return Int32Array.from(rules, (r) => r.number).sort();
}

function compileList(all: readonly NetworkAclRule[], family: Family): CompiledNaclList {
  const rules = all.filter((r) => r.cidr.family === family).sort((a, b) => a.number - b.number);
  const rects = rules.map((r, priority) => {
    const [keyLo, keyHi] = ruleKeys(r.protocol, r.ports, r.icmp, family);
    return { priority, protocol: r.protocol, keyLo, keyHi, peer: { cidr: r.cidr } };
  });
  return { rules, allow: Uint8Array.from(rules.map((r) => (r.action === "allow" ? 1 : 0))), index: buildMatchIndex(family, rects) };
}

export function naclList(acl: CompiledNacl, direction: Direction, family: Family): CompiledNaclList {
  if (direction === "inbound") return family === 4 ? acl.inbound4 : acl.inbound6;
  return family === 4 ? acl.outbound4 : acl.outbound6;
}

/**
 * Index of the first rule that matches, or -1 for the implicit `*` deny. Inbound rules match the
 * source address, outbound rules the destination; `key` is the destination port or ICMP type/code
 * (§1.3).
 */
export function evaluateNacl(list: CompiledNaclList, protocol: number, key: number, peer: Address): number {
  return lookup(list.index, protocol, key, peer);
}
