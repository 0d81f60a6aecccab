// The connection table of security groups (aws-semantics §3): one entry per tracked flow per
// network interface, keyed by (interface, protocol, local address and port, remote address and
// port) so that both directions of a flow find the same entry. It is the engine's own mutable
// structure: an open-addressing hash table whose slots hold the entries themselves, one 64-byte
// cache line each with key and state side by side, so that a lookup costs about one cache miss and
// allocates nothing.
import type { Address } from "./address.js";
import { sameAddress } from "./address.js";

/** Entry flag bits. */
export const OUTBOUND = 1; // opened by a packet leaving the interface
export const REPLIED = 2; // a packet has been seen in the reply direction
export const STREAM = 4; // UDP with more than one request-response (UdpStreamTimeout, §3.4)
export const FIN_OUT = 8; // TCP: a FIN has left the interface
export const FIN_IN = 16; // TCP: a FIN has arrived at the interface

// A slot is 16 int32 (64 bytes). Int32 fields: interface + 1 (0 when empty), protocol with the
// family, the two ports, the two address hashes (for IPv4 the address itself), flags with the ICMP
// request type, id. Float64 fields (by float64 index within the slot): last seen, idle timeout,
// opened at.
const I = 16;
const F = 8;
const ENI = 0;
const PROTO = 1;
const PORTS = 2;
const LHASH = 3;
const RHASH = 4;
const STATE = 5;
const ID = 6;
const SEEN = 4;
const TIMEOUT = 5;
const OPENED = 6;

export interface ConnectionInfo {
  readonly id: number;
  readonly openedAt: number;
  readonly outbound: boolean;
  readonly lastSeen: number;
  readonly timeout: number;
}

function protoKey(proto: number, local: Address): number {
  return local.family === 6 ? proto | 256 : proto;
}

function hashOf(eni: number, proto: number, lhash: number, ports: number, rhash: number): number {
  let h = Math.imul(eni ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ lhash, 0xc2b2ae35);
  h = Math.imul(h ^ rhash, 0x27d4eb2f);
  h = Math.imul(h ^ ports, 0x165667b1);
  h ^= proto;
  return h ^ (h >>> 15);
}

export class ConnectionTable {
  /** slots, a power of two, kept at most half full */
  #slots = 0;
  #mask = 0;
  #i = new Int32Array(0);
  #f = new Float64Array(0);
  /** kept for IPv6 keys, whose hash is a fold */
  #local: (Address | undefined)[] = [];
  #remote: (Address | undefined)[] = [];
  #live = 0;
  #nextId = 1;

  constructor(capacity = 1024) {
    this.#allocate(2 ** Math.ceil(Math.log2(Math.max(4, capacity * 2))));
  }

  get size(): number {
    return this.#live;
  }

  /** The slot of a flow, or -1; valid until the next insert or remove. Expiry is the caller's question (`isLive`). */
  find(eni: number, proto: number, local: Address, lport: number, remote: Address, rport: number): number {
    const a = this.#i;
    const id = eni + 1;
    const pk = protoKey(proto, local);
    const ports = (lport << 16) | rport;
    const lh = local.hash;
    const rh = remote.hash;
    const v6 = local.family === 6;
    const mask = this.#mask;
    for (let s = hashOf(eni, pk, lh, ports, rh) & mask; ; s = (s + 1) & mask) {
      const o = s * I;
      const at = a[o + ENI]!;
      if (at === 0) return -1;
      if (at === id && a[o + PROTO] === pk && a[o + PORTS] === ports && a[o + LHASH] === lh && a[o + RHASH] === rh &&
        (!v6 || (sameAddress(this.#local[s]!, local) && sameAddress(this.#remote[s]!, remote)))) return s;
    }
  }

  isLive(s: number, now: number): boolean {
    const o = s * F;
    return now - this.#f[o + SEEN]! <= this.#f[o + TIMEOUT]!;
  }

  insert(
    eni: number, proto: number, local: Address, lport: number, remote: Address, rport: number,
    now: number, timeout: number, flags: number, aux = 0,
  ): number {
    if ((this.#live + 1) * 2 > this.#slots) this.#resize(this.#slots * 2);
    const pk = protoKey(proto, local);
    const ports = (lport << 16) | rport;
    const s = this.#emptySlot(hashOf(eni, pk, local.hash, ports, remote.hash));
    const a = this.#i;
    const o = s * I;
    a[o + ENI] = eni + 1;
    a[o + PROTO] = pk;
    a[o + PORTS] = ports;
    a[o + LHASH] = local.hash;
    a[o + RHASH] = remote.hash;
    a[o + STATE] = flags | (aux << 8);
    a[o + ID] = this.#nextId++;
    const f = s * F;
    this.#f[f + SEEN] = now;
    this.#f[f + TIMEOUT] = timeout;
    this.#f[f + OPENED] = now;
    this.#local[s] = local;
    this.#remote[s] = remote;
    this.#live++;
    return s;
  }

  touch(s: number, now: number, timeout: number, flags: number): void {
    const f = s * F;
    this.#f[f + SEEN] = now;
    this.#f[f + TIMEOUT] = timeout;
    const o = s * I + STATE;
    this.#i[o] = (this.#i[o]! & ~255) | flags;
  }

  flags(s: number): number {
    return this.#i[s * I + STATE]! & 255;
  }

  /** ICMP: the request type the entry was opened with */
  aux(s: number): number {
    return this.#i[s * I + STATE]! >>> 8;
  }

  info(s: number): ConnectionInfo {
    const f = s * F;
    return {
      id: this.#i[s * I + ID]!,
      openedAt: this.#f[f + OPENED]!,
      outbound: (this.flags(s) & OUTBOUND) !== 0,
      lastSeen: this.#f[f + SEEN]!,
      timeout: this.#f[f + TIMEOUT]!,
    };
  }

  remove(s: number): void {
    const mask = this.#mask;
    const a = this.#i;
    // Backward-shift deletion keeps probe chains unbroken without tombstones.
    let hole = s;
    for (let j = (s + 1) & mask; a[j * I + ENI] !== 0; j = (j + 1) & mask) {
      const home = this.#home(a, j) & mask;
      // move the entry into the hole if its home slot is not cyclically within (hole, j]
      if (((j - home) & mask) >= ((j - hole) & mask)) {
        this.#copy(a, this.#local, this.#remote, j, hole);
        hole = j;
      }
    }
    a[hole * I + ENI] = 0;
    this.#local[hole] = undefined;
    this.#remote[hole] = undefined;
    this.#live--;
  }

  /** Drops every entry idle for longer than its timeout; returns how many went. */
  expire(now: number): number {
    const before = this.#live;
    this.#resize(this.#slots, now);
    return before - this.#live;
  }

  /** Entries of one interface, for renderers and tests. */
  entriesOf(eni: number, now: number): ConnectionInfo[] {
    const out: ConnectionInfo[] = [];
    for (let s = 0; s < this.#slots; s++) {
      if (this.#i[s * I + ENI] === eni + 1 && this.isLive(s, now)) out.push(this.info(s));
    }
    return out;
  }

  #home(a: Int32Array, s: number): number {
    const o = s * I;
    return hashOf(a[o + ENI]! - 1, a[o + PROTO]!, a[o + LHASH]!, a[o + PORTS]!, a[o + RHASH]!);
  }

  /** The first empty slot from `hash` on. */
  #emptySlot(hash: number): number {
    let s = hash & this.#mask;
    while (this.#i[s * I + ENI] !== 0) s = (s + 1) & this.#mask;
    return s;
  }

  /** Copies slot `from` of a table's arrays into slot `to` of this one. */
  #copy(a: Int32Array, local: readonly (Address | undefined)[], remote: readonly (Address | undefined)[], from: number, to: number): void {
    const b = this.#i;
    for (let k = 0; k < I; k++) b[to * I + k] = a[from * I + k]!;
    this.#local[to] = local[from];
    this.#remote[to] = remote[from];
  }

  #allocate(slots: number): void {
    this.#slots = slots;
    this.#mask = slots - 1;
    const buffer = new ArrayBuffer(slots * I * 4);
    this.#i = new Int32Array(buffer);
    this.#f = new Float64Array(buffer);
    this.#local = new Array(slots);
    this.#remote = new Array(slots);
  }

  /** Rebuilds the table with `slots` slots, leaving out entries expired at `now` (if given). */
  #resize(slots: number, now?: number): void {
    const a = this.#i;
    const f = this.#f;
    const local = this.#local;
    const remote = this.#remote;
    const count = this.#slots;
    this.#allocate(slots);
    this.#live = 0;
    for (let s = 0; s < count; s++) {
      if (a[s * I + ENI] === 0) continue;
      if (now !== undefined && now - f[s * F + SEEN]! > f[s * F + TIMEOUT]!) continue;
      this.#copy(a, local, remote, s, this.#emptySlot(this.#home(a, s)));
      this.#live++;
    }
  }
}
