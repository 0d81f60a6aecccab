// The connection table of security groups (aws-semantics §3): one entry per tracked flow per
// network interface, keyed by (interface, protocol, local address and port, remote address and
// port) so that both directions of a flow find the same entry. It is the engine's own mutable
// structure, columns in typed arrays with an open-addressing index, so a million entries cost
// tens of bytes each and a lookup allocates nothing.
import type { Address } from "./address.js";
import { sameAddress } from "./address.js";

const EMPTY = 0;

/** Entry flag bits. */
export const OUTBOUND = 1; // opened by a packet leaving the interface
export const REPLIED = 2; // a packet has been seen in the reply direction
export const STREAM = 4; // UDP with more than one request-response (UdpStreamTimeout, §3.4)
export const FIN_OUT = 8; // TCP: a FIN has left the interface
export const FIN_IN = 16; // TCP: a FIN has arrived at the interface

export interface ConnectionInfo {
  readonly id: number;
  readonly openedAt: number;
  readonly outbound: boolean;
  readonly lastSeen: number;
  readonly timeout: number;
}

export class ConnectionTable {
  #capacity: number;
  #eni: Int32Array;
  #proto: Int16Array;
  #lport: Uint16Array;
  #rport: Uint16Array;
  #local: (Address | undefined)[];
  #remote: (Address | undefined)[];
  #lastSeen: Float64Array;
  #opened: Float64Array;
  #timeout: Float32Array;
  #id: Int32Array;
  #flags: Uint8Array;
  /** ICMP: the request type the entry was opened with */
  #aux: Int16Array;
  /** slot → entry index + 1 (0 = empty); linear probing, kept under half full */
  #slots: Int32Array;
  #mask: number;
  #free: number[] = [];
  #used = 0;
  #live = 0;
  #nextId = 1;

  constructor(capacity = 1024) {
    this.#capacity = capacity;
    this.#eni = new Int32Array(capacity);
    this.#proto = new Int16Array(capacity);
    this.#lport = new Uint16Array(capacity);
    this.#rport = new Uint16Array(capacity);
    this.#local = new Array(capacity);
    this.#remote = new Array(capacity);
    this.#lastSeen = new Float64Array(capacity);
    this.#opened = new Float64Array(capacity);
    this.#timeout = new Float32Array(capacity);
    this.#id = new Int32Array(capacity);
    this.#flags = new Uint8Array(capacity);
    this.#aux = new Int16Array(capacity);
    this.#slots = new Int32Array(capacity * 2);
    this.#mask = capacity * 2 - 1;
  }

  get size(): number {
    return this.#live;
  }

  #hash(eni: number, proto: number, local: Address, lport: number, remote: Address, rport: number): number {
    let h = Math.imul(eni ^ 0x9e3779b9, 0x85ebca6b);
    h = Math.imul(h ^ local.hash, 0xc2b2ae35);
    h = Math.imul(h ^ remote.hash, 0x27d4eb2f);
    h = Math.imul(h ^ ((lport << 16) | rport), 0x165667b1);
    h ^= proto;
    h ^= h >>> 15;
    return h & this.#mask;
  }

  /** The entry index of a flow, or -1. Expiry is the caller's question (`isLive`). */
  find(eni: number, proto: number, local: Address, lport: number, remote: Address, rport: number): number {
    const slots = this.#slots;
    let s = this.#hash(eni, proto, local, lport, remote, rport);
    for (;;) {
      const v = slots[s]!;
      if (v === EMPTY) return -1;
      const i = v - 1;
      if (
        this.#eni[i] === eni && this.#proto[i] === proto && this.#lport[i] === lport && this.#rport[i] === rport &&
        sameAddress(this.#local[i]!, local) && sameAddress(this.#remote[i]!, remote)
      ) return i;
      s = (s + 1) & this.#mask;
    }
  }

  isLive(i: number, now: number): boolean {
    return now - this.#lastSeen[i]! <= this.#timeout[i]!;
  }

  insert(
    eni: number, proto: number, local: Address, lport: number, remote: Address, rport: number,
    now: number, timeout: number, flags: number, aux = 0,
  ): number {
    if (this.#used * 2 >= this.#capacity && this.#free.length === 0) this.#grow();
    const i = this.#free.length > 0 ? this.#free.pop()! : this.#used++;
    this.#eni[i] = eni;
    this.#proto[i] = proto;
    this.#local[i] = local;
    this.#lport[i] = lport;
    this.#remote[i] = remote;
    this.#rport[i] = rport;
    this.#lastSeen[i] = now;
    this.#opened[i] = now;
    this.#timeout[i] = timeout;
    this.#flags[i] = flags;
    this.#aux[i] = aux;
    this.#id[i] = this.#nextId++;
    this.#place(i);
    this.#live++;
    return i;
  }

  touch(i: number, now: number, timeout: number, flags: number): void {
    this.#lastSeen[i] = now;
    this.#timeout[i] = timeout;
    this.#flags[i] = flags;
  }

  flags(i: number): number {
    return this.#flags[i]!;
  }

  aux(i: number): number {
    return this.#aux[i]!;
  }

  info(i: number): ConnectionInfo {
    return {
      id: this.#id[i]!,
      openedAt: this.#opened[i]!,
      outbound: (this.#flags[i]! & OUTBOUND) !== 0,
      lastSeen: this.#lastSeen[i]!,
      timeout: this.#timeout[i]!,
    };
  }

  remove(i: number): void {
    const slots = this.#slots;
    const mask = this.#mask;
    let s = this.#hash(this.#eni[i]!, this.#proto[i]!, this.#local[i]!, this.#lport[i]!, this.#remote[i]!, this.#rport[i]!);
    while (slots[s] !== i + 1) s = (s + 1) & mask;
    // Backward-shift deletion keeps probe chains unbroken without tombstones.
    let hole = s;
    for (let j = (s + 1) & mask; slots[j] !== EMPTY; j = (j + 1) & mask) {
      const k = slots[j]! - 1;
      const home = this.#hash(this.#eni[k]!, this.#proto[k]!, this.#local[k]!, this.#lport[k]!, this.#remote[k]!, this.#rport[k]!);
      // move k into the hole if its home slot is not cyclically within (hole, j]
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
    for (let i = 0; i < this.#used; i++) {
      if (this.#local[i] === undefined || now - this.#lastSeen[i]! <= this.#timeout[i]!) continue;
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
      if (this.#local[i] !== undefined && this.#eni[i] === eni && this.isLive(i, now)) out.push(this.info(i));
    }
    return out;
  }

  #release(i: number): void {
    this.#local[i] = undefined;
    this.#remote[i] = undefined;
    this.#eni[i] = -1;
    this.#free.push(i);
    this.#live--;
  }

  #place(i: number): void {
    let s = this.#hash(this.#eni[i]!, this.#proto[i]!, this.#local[i]!, this.#lport[i]!, this.#remote[i]!, this.#rport[i]!);
    while (this.#slots[s] !== EMPTY) s = (s + 1) & this.#mask;
    this.#slots[s] = i + 1;
  }

  #reindex(): void {
    this.#slots.fill(EMPTY);
    for (let i = 0; i < this.#used; i++) if (this.#local[i] !== undefined) this.#place(i);
  }

  #grow(): void {
    const cap = this.#capacity * 2;
    const grow = <T extends Int32Array | Int16Array | Uint16Array | Float64Array | Float32Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(cap);
      b.set(a);
      return b;
    };
    this.#eni = grow(this.#eni);
    this.#proto = grow(this.#proto);
    this.#lport = grow(this.#lport);
    this.#rport = grow(this.#rport);
    this.#lastSeen = grow(this.#lastSeen);
    this.#opened = grow(this.#opened);
    this.#timeout = grow(this.#timeout);
    this.#id = grow(this.#id);
    this.#flags = grow(this.#flags);
    this.#aux = grow(this.#aux);
    this.#local.length = cap;
    this.#remote.length = cap;
    this.#capacity = cap;
    this.#slots = new Int32Array(cap * 2);
    this.#mask = cap * 2 - 1;
    this.#reindex();
  }
}
