// The connection table of security groups (aws-semantics §3): one entry per tracked flow per
// network interface, keyed by (interface, protocol, local address and port, remote address and
// port) so that both directions of a flow find the same entry. It is the engine's own mutable
// structure: each entry's key and state sit side by side in two typed arrays, under an
// open-addressing index, so a lookup touches three cache lines, allocates nothing, and a million
// entries cost tens of bytes each.
import type { Address } from "./address.js";
import { sameAddress } from "./address.js";

const EMPTY = 0;
const FREE = -1;

/** Entry flag bits. */
export const OUTBOUND = 1; // opened by a packet leaving the interface
export const REPLIED = 2; // a packet has been seen in the reply direction
export const STREAM = 4; // UDP with more than one request-response (UdpStreamTimeout, §3.4)
export const FIN_OUT = 8; // TCP: a FIN has left the interface
export const FIN_IN = 16; // TCP: a FIN has arrived at the interface

// Int32 fields of an entry: interface (FREE when unused), protocol with the family, the two ports,
// the two address hashes (for IPv4 the address itself), flags with the ICMP request type.
const K = 6;
const ENI = 0;
const PROTO = 1;
const PORTS = 2;
const LHASH = 3;
const RHASH = 4;
const STATE = 5;
// Float64 fields: last seen, idle timeout, opened at.
const T = 3;

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
  #capacity: number;
  #k: Int32Array;
  #t: Float64Array;
  #id: Int32Array;
  /** kept for IPv6 keys, whose hash is a fold, and for `info` */
  #local: (Address | undefined)[];
  #remote: (Address | undefined)[];
  /** slot → entry index + 1 (0 = empty); linear probing, kept under half full */
  #slots: Int32Array;
  #mask: number;
  #free: number[] = [];
  #used = 0;
  #live = 0;
  #nextId = 1;

  constructor(capacity = 1024) {
    this.#capacity = capacity;
    this.#k = new Int32Array(capacity * K);
    this.#t = new Float64Array(capacity * T);
    this.#id = new Int32Array(capacity);
    this.#local = new Array(capacity);
    this.#remote = new Array(capacity);
    this.#slots = new Int32Array(capacity * 2);
    this.#mask = capacity * 2 - 1;
  }

  get size(): number {
    return this.#live;
  }

  /** The entry index of a flow, or -1. Expiry is the caller's question (`isLive`). */
  find(eni: number, proto: number, local: Address, lport: number, remote: Address, rport: number): number {
    const slots = this.#slots;
    const k = this.#k;
    const pk = protoKey(proto, local);
    const ports = (lport << 16) | rport;
    const lh = local.hash;
    const rh = remote.hash;
    const v6 = local.family === 6;
    let s = hashOf(eni, pk, lh, ports, rh) & this.#mask;
    for (;;) {
      const v = slots[s]!;
      if (v === EMPTY) return -1;
      const i = v - 1;
      const o = i * K;
      if (k[o + ENI] === eni && k[o + PROTO] === pk && k[o + PORTS] === ports && k[o + LHASH] === lh && k[o + RHASH] === rh &&
        (!v6 || (sameAddress(this.#local[i]!, local) && sameAddress(this.#remote[i]!, remote)))) return i;
      s = (s + 1) & this.#mask;
    }
  }

  isLive(i: number, now: number): boolean {
    const o = i * T;
    return now - this.#t[o]! <= this.#t[o + 1]!;
  }

  insert(
    eni: number, proto: number, local: Address, lport: number, remote: Address, rport: number,
    now: number, timeout: number, flags: number, aux = 0,
  ): number {
    // Entries fill their arrays; the index has twice as many slots, so it stays at most half full.
    if (this.#used === this.#capacity && this.#free.length === 0) this.#grow();
    const i = this.#free.length > 0 ? this.#free.pop()! : this.#used++;
    const o = i * K;
    const k = this.#k;
    k[o + ENI] = eni;
    k[o + PROTO] = protoKey(proto, local);
    k[o + PORTS] = (lport << 16) | rport;
    k[o + LHASH] = local.hash;
    k[o + RHASH] = remote.hash;
    k[o + STATE] = flags | (aux << 8);
    const t = i * T;
    this.#t[t] = now;
    this.#t[t + 1] = timeout;
    this.#t[t + 2] = now;
    this.#id[i] = this.#nextId++;
    this.#local[i] = local;
    this.#remote[i] = remote;
    this.#place(i);
    this.#live++;
    return i;
  }

  touch(i: number, now: number, timeout: number, flags: number): void {
    const t = i * T;
    this.#t[t] = now;
    this.#t[t + 1] = timeout;
    const o = i * K + STATE;
    this.#k[o] = (this.#k[o]! & ~255) | flags;
  }

  flags(i: number): number {
    return this.#k[i * K + STATE]! & 255;
  }

  /** ICMP: the request type the entry was opened with */
  aux(i: number): number {
    return this.#k[i * K + STATE]! >>> 8;
  }

  info(i: number): ConnectionInfo {
    const t = i * T;
    return {
      id: this.#id[i]!,
      openedAt: this.#t[t + 2]!,
      outbound: (this.flags(i) & OUTBOUND) !== 0,
      lastSeen: this.#t[t]!,
      timeout: this.#t[t + 1]!,
    };
  }

  remove(i: number): void {
    const slots = this.#slots;
    const mask = this.#mask;
    let s = this.#home(i);
    while (slots[s] !== i + 1) s = (s + 1) & mask;
    // Backward-shift deletion keeps probe chains unbroken without tombstones.
    let hole = s;
    for (let j = (s + 1) & mask; slots[j] !== EMPTY; j = (j + 1) & mask) {
      const home = this.#home(slots[j]! - 1);
      // move the entry into the hole if its home slot is not cyclically within (hole, j]
      if (((j - home) & mask) >= ((j - hole) & mask)) {
        slots[hole] = slots[j]!;
        hole = j;
      }
    }
    slots[hole] = EMPTY;
    this.#release(i);
  }

  /** Drops every entry idle for longer than its timeout; returns how many went. */
  expire(now: number): number {
    let removed = 0;
    const k = this.#k;
    const t = this.#t;
    for (let i = 0; i < this.#used; i++) {
      if (k[i * K + ENI] === FREE || now - t[i * T]! <= t[i * T + 1]!) continue;
      this.#release(i);
      removed++;
    }
    if (removed > 0) this.#reindex();
    return removed;
  }

  /** Entries of one interface, for renderers and tests. */
  entriesOf(eni: number, now: number): ConnectionInfo[] {
    const out: ConnectionInfo[] = [];
    for (let i = 0; i < this.#used; i++) {
      if (this.#k[i * K + ENI] === eni && this.isLive(i, now)) out.push(this.info(i));
    }
    return out;
  }

  #home(i: number): number {
    const k = this.#k;
    const o = i * K;
    return hashOf(k[o + ENI]!, k[o + PROTO]!, k[o + LHASH]!, k[o + PORTS]!, k[o + RHASH]!) & this.#mask;
  }

  #release(i: number): void {
    this.#k[i * K + ENI] = FREE;
    this.#local[i] = undefined;
    this.#remote[i] = undefined;
    this.#free.push(i);
    this.#live--;
  }

  #place(i: number): void {
    let s = this.#home(i);
    while (this.#slots[s] !== EMPTY) s = (s + 1) & this.#mask;
    this.#slots[s] = i + 1;
  }

  #reindex(): void {
    this.#slots.fill(EMPTY);
    for (let i = 0; i < this.#used; i++) if (this.#k[i * K + ENI] !== FREE) this.#place(i);
  }

  #grow(): void {
    const cap = this.#capacity * 2;
    const k = new Int32Array(cap * K);
    k.set(this.#k);
    this.#k = k;
    const t = new Float64Array(cap * T);
    t.set(this.#t);
    this.#t = t;
    const id = new Int32Array(cap);
    id.set(this.#id);
    this.#id = id;
    this.#local.length = cap;
    this.#remote.length = cap;
    this.#capacity = cap;
    this.#slots = new Int32Array(cap * 2);
    this.#mask = cap * 2 - 1;
    this.#reindex();
  }
}
