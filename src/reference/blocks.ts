// Whether a CIDR block holds an address: the one question every rule, route and subnet asks. It is
// answered by ip-num, an independent library, rather than by the model's integer ranges, so that
// the reference does not share the engine's arithmetic (aws-rules §1.1, §2.2, §4.1).
import { IPv4, IPv4CidrRange, IPv6, IPv6CidrRange } from "ip-num";
import type { Address, Cidr } from "../model/address.js";

/**
 * aws-rules §1.1, §4.1: an IPv4 block holds only IPv4 addresses and an IPv6 block only IPv6 ones,
 * so `0.0.0.0/0` covers no IPv6 traffic.
 */
export function blockHolds(block: Cidr, address: Address): boolean {
  if (block.family !== address.family) return false;
  if (isWholeFamily(block)) return true; // 0.0.0.0/0 or ::/0 holds every address of its family
  if (block.family === 4) return IPv4CidrRange.fromCidr(block.text).contains(IPv4.fromString(address.text));
  return IPv6CidrRange.fromCidr(block.text).contains(IPv6.fromString(address.text));
}

/** aws-rules §3.2: a block is "wide" when it is all addresses of its family, `0.0.0.0/0` or `::/0`. */
export function isWholeFamily(block: Cidr): boolean {
  return block.prefix === 0;
}

export function sameAddress(a: Address, b: Address): boolean {
  return a.family === b.family && a.text === b.text;
}
