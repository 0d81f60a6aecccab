// Network ACLs (aws-semantics §1): stateless, numbered rules evaluated lowest first, the first
// match is final, then the implicit `*` deny. IPv4 and IPv6 rules are separate lists (§1.1).
import type { Address } from "./address.js";
import type { NetworkAcl, NetworkAclRule } from "./model.js";
import type { Packet } from "./packet.js";
import type { Direction } from "./security-group.js";
import { ALL, ICMP, ICMPV6, hasPorts } from "./protocol.js";

export interface CompiledNaclList {
  readonly count: number;
  readonly number: Int32Array;
  readonly allow: Uint8Array;
  readonly protocol: Int16Array;
  /** 0: no port test, 1: destination port range, 2: ICMP type/code */
  readonly test: Uint8Array;
  readonly lo: Int32Array;
  readonly hi: Int32Array;
  readonly lo4: Float64Array;
  readonly hi4: Float64Array;
  readonly lo6: bigint[];
  readonly hi6: bigint[];
  readonly rules: readonly NetworkAclRule[];
}

export interface CompiledNacl {
  readonly name: string;
  readonly inbound4: CompiledNaclList;
  readonly inbound6: CompiledNaclList;
  readonly outbound4: CompiledNaclList;
  readonly outbound6: CompiledNaclList;
}

export function compileNacl(acl: NetworkAcl): CompiledNacl {
  return {
    name: acl.name,
    inbound4: compileList(acl.inbound, 4),
    inbound6: compileList(acl.inbound, 6),
    outbound4: compileList(acl.outbound, 4),
    outbound6: compileList(acl.outbound, 6),
  };
}

function compileList(all: readonly NetworkAclRule[], family: 4 | 6): CompiledNaclList {
  const rules = all.filter((r) => r.cidr.family === family).sort((a, b) => a.number - b.number);
  const n = rules.length;
  const list = {
    count: n,
    number: new Int32Array(n),
    allow: new Uint8Array(n),
    protocol: new Int16Array(n),
    test: new Uint8Array(n),
    lo: new Int32Array(n),
    hi: new Int32Array(n),
    lo4: new Float64Array(n),
    hi4: new Float64Array(n),
    lo6: new Array<bigint>(n),
    hi6: new Array<bigint>(n),
    rules,
  };
  rules.forEach((r, i) => {
    list.number[i] = r.number;
    list.allow[i] = r.action === "allow" ? 1 : 0;
    list.protocol[i] = r.protocol;
    // Ports apply to TCP and UDP only; ICMP type/code to protocol 1, and to 58 with an IPv6
    // block; any other protocol number matches every port (§1.3).
    if (hasPorts(r.protocol)) {
      list.test[i] = 1;
      list.lo[i] = r.ports?.from ?? 0;
      list.hi[i] = r.ports?.to ?? 65535;
    } else if (r.protocol === ICMP || (r.protocol === ICMPV6 && family === 6)) {
      list.test[i] = 2;
      list.lo[i] = r.icmp?.type ?? -1;
      list.hi[i] = r.icmp?.code ?? -1;
    }
    list.lo4[i] = r.cidr.lo4;
    list.hi4[i] = r.cidr.hi4;
    list.lo6[i] = r.cidr.lo6;
    list.hi6[i] = r.cidr.hi6;
  });
  return list;
}

export function naclList(acl: CompiledNacl, direction: Direction, family: 4 | 6): CompiledNaclList {
  if (direction === "inbound") return family === 4 ? acl.inbound4 : acl.inbound6;
  return family === 4 ? acl.outbound4 : acl.outbound6;
}

/**
 * Index of the first rule that matches, or -1 for the implicit `*` deny. Inbound rules match the
 * source address, outbound rules the destination; ports are the destination port (§1.3).
 */
export function evaluateNacl(list: CompiledNaclList, p: Packet, peer: Address): number {
  const proto = p.protocol;
  const fam = peer.family;
  for (let i = 0; i < list.count; i++) {
    const rp = list.protocol[i]!;
    if (rp !== ALL && rp !== proto) continue;
    const test = list.test[i];
    if (test === 1) {
      if (p.dstPort < list.lo[i]! || p.dstPort > list.hi[i]!) continue;
    } else if (test === 2) {
      const t = list.lo[i]!;
      const c = list.hi[i]!;
      if ((t !== -1 && t !== p.icmpType) || (c !== -1 && c !== p.icmpCode)) continue;
    }
    if (fam === 4) {
      if (peer.v4 < list.lo4[i]! || peer.v4 > list.hi4[i]!) continue;
    } else if (peer.v6 < list.lo6[i]! || peer.v6 > list.hi6[i]!) continue;
    return i;
  }
  return -1;
}

/** The number AWS shows for the implicit deny of each family (§1.2). */
export function starRuleNumber(family: 4 | 6): number {
  return family === 4 ? 32767 : 32768;
}
