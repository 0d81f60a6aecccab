// The connection table of security groups (aws-rules §3): one entry per tracked flow per
// network interface, keyed by (interface, protocol, local address and port, remote address and
// port) so that both directions of a flow find the same entry. It is the engine's own mutable
// structure: an open-addressing hash table whose slots hold the entries themselves, 32 bytes each
// with key and state side by side, so that a lookup costs about one cache miss and allocates
// nothing. What only traces read (id, opening time, timeout) lives apart.
import type { Address } from "../model/address.js";
import { sameAddress } from "../model/address.js";

/** Entry flag bits. */
export const OUTBOUND = 1; // opened by a packet leaving the interface
export const REPLIED = 2; // a packet has been seen in the reply direction
export const STREAM = 4; // UDP with more than one request-response (UdpStreamTimeout, §3.4)
export const FIN_OUT = 8; // TCP: a FIN has left the interface
export const FIN_IN = 16; // TCP: a FIN has arrived at the interface

// A slot is 8 int32 (32 bytes): interface + 1 (0 when empty); protocol with the family (9 bits),
// flags (8 bits) and the ICMP request type (8 bits); the two ports; the two address hashes (for
// IPv4 the address itself); then, as the float64 at index 3 of the slot, the time it expires.
const I = 8;
// int32 offsets within a slot, and the float64 one of the expiry time
const ENI = 0,
  PROTO = 1,
  PORTS = 2,
  LHASH = 3,
  RHASH = 4,
  EXPIRES = 3;
// the PROTO word: protocol and family (9 bits), flags (8 bits), the ICMP request type (8 bits)
const PROTO_BITS = 0x1ff,
  FLAGS_SHIFT = 9,
  AUX_SHIFT = 17;

/** An entry of the table: a slot number only this table and its caller in the engine hold. */
export type EntryRef = number & { readonly __entry: true };

/** Why an entry left the table, as the graveyard keeps it (aws-rules §3.4, §3.5). */
export const EXPIRED = 1;
export const CLOSED_BY_RST = 2;
export const CLOSED_BY_FIN = 3;

/** An entry that has left the table, for a drop's explanation. */
export interface EndedConnection {
  readonly id: number;
  readonly openedAt: number;
  /** when it expired or closed */
  readonly endedAt: number;
  readonly reason: typeof EXPIRED | typeof CLOSED_BY_RST | typeof CLOSED_BY_FIN;
  /** its idle timeout, and its flags then (which timeout applied) */
  readonly timeout: number;
  readonly flags: number;
}

// The graveyard: the last entries to leave the table, one per slot of a small direct-mapped table
// (a newer grave overwrites an older one of the same slot), kept in typed arrays so that burying
// costs a few stores and allocates nothing.
const GRAVES = 4096;
const GI = 6; // int32 per grave: interface + 1, PROTO word, ports, the two hashes, reason

export interface ConnectionInfo {
  readonly id: number;
  readonly openedAt: number;
  readonly outbound: boolean;
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
  /** per slot, for traces: id, opened at, idle timeout */
  #id = new Int32Array(0);
  #opened = new Float64Array(0);
  #timeout = new Float64Array(0);
  /** kept for IPv6 keys, whose hash is a fold */
  #local: (Address | undefined)[] = [];
  #remote: (Address | undefined)[] = [];
  #live = 0;
  #nextId = 1;
  /**
   * No entry expires before this time: a lower bound kept on insert and touch (one comparison),
   * made exact by each sweep, so that `expire` before it costs nothing.
   */
  #earliest = Infinity;
  readonly #graves = new Int32Array(GRAVES * GI);
  readonly #graveId = new Int32Array(GRAVES);
  /** per grave: opened at, ended at, timeout */
  readonly #graveTimes = new Float64Array(GRAVES * 3);

  constructor(capacity = 1024) {
    this.#allocate(2 ** Math.ceil(Math.log2(Math.max(4, capacity * 2))));
  }

  get size(): number {
    return this.#live;
  }

  /**
   * The live entry of a flow, or undefined; an entry found expired at `now` is removed. The
   * reference is valid until the next insert or remove.
   */
  findLive(eni: number, proto: number, local: Address, lport: number, remote: Address, rport: number, now: number): EntryRef | undefined {
    const s = this.#find(eni, proto, local, lport, remote, rport);
    if (s < 0) return undefined;
    const expires = this.#f[s * (I / 2) + EXPIRES]!;
    if (now > expires) {
      this.#bury(s, EXPIRED, expires);
      this.remove(s as EntryRef);
      return undefined;
    }
    return s as EntryRef;
  }

  #find(eni: number, proto: number, local: Address, lport: number, remote: Address, rport: number): number {
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
      if (
        at === id &&
        (a[o + PROTO]! & PROTO_BITS) === pk &&
        a[o + PORTS] === ports &&
        a[o + LHASH] === lh &&
        a[o + RHASH] === rh &&
        (!v6 || (sameAddress(this.#local[s]!, local) && sameAddress(this.#remote[s]!, remote)))
      )
        return s;
    }
  }

  insert(
    eni: number,
    proto: number,
    local: Address,
    lport: number,
    remote: Address,
    rport: number,
    now: number,
    timeout: number,
    flags: number,
    aux = 0,
  ): EntryRef {
    if ((this.#live + 1) * 2 > this.#slots) this.#resize(this.#slots * 2);
    const pk = protoKey(proto, local);
    const ports = (lport << 16) | rport;
    const s = this.#emptySlot(hashOf(eni, pk, local.hash, ports, remote.hash));
    const a = this.#i;
    const o = s * I;
    a[o + ENI] = eni + 1;
    a[o + PROTO] = pk | (flags << FLAGS_SHIFT) | (aux << AUX_SHIFT);
    a[o + PORTS] = ports;
    a[o + LHASH] = local.hash;
    a[o + RHASH] = remote.hash;
    this.#f[s * (I / 2) + EXPIRES] = now + timeout;
    if (now + timeout < this.#earliest) this.#earliest = now + timeout;
    this.#id[s] = this.#nextId++;
    this.#opened[s] = now;
    this.#timeout[s] = timeout;
    this.#local[s] = local;
    this.#remote[s] = remote;
    this.#live++;
    return s as EntryRef;
  }

  touch(s: EntryRef, now: number, timeout: number, flags: number): void {
    this.#f[s * (I / 2) + EXPIRES] = now + timeout;
    if (now + timeout < this.#earliest) this.#earliest = now + timeout;
    this.#timeout[s] = timeout;
    const o = s * I + PROTO;
    const v = this.#i[o]!;
    this.#i[o] = (v & ~(0xff << FLAGS_SHIFT)) | (flags << FLAGS_SHIFT);
  }

  flags(s: EntryRef): number {
    return (this.#i[s * I + PROTO]! >>> FLAGS_SHIFT) & 0xff;
  }

  /** ICMP: the request type the entry was opened with */
  aux(s: EntryRef): number {
    return (this.#i[s * I + PROTO]! >>> AUX_SHIFT) & 0xff;
  }

  info(s: EntryRef): ConnectionInfo {
    return {
      id: this.#id[s]!,
      openedAt: this.#opened[s]!,
      outbound: (this.flags(s) & OUTBOUND) !== 0,
      timeout: this.#timeout[s]!,
    };
  }

  remove(s: EntryRef): void {
    this.#delete(s);
  }

  /** Removes an entry a TCP RST or the second FIN closed, remembering why (aws-rules §3.5). */
  close(s: EntryRef, reason: typeof CLOSED_BY_RST | typeof CLOSED_BY_FIN, now: number): void {
    this.#bury(s, reason, now);
    this.#delete(s);
  }

  /** The last entry of a flow to leave the table, if its grave has not been reused since. */
  ended(eni: number, proto: number, local: Address, lport: number, remote: Address, rport: number): EndedConnection | undefined {
    const pk = protoKey(proto, local);
    const ports = (lport << 16) | rport;
    const g = hashOf(eni, pk, local.hash, ports, remote.hash) & (GRAVES - 1);
    const a = this.#graves;
    const o = g * GI;
    if (a[o] !== eni + 1 || (a[o + 1]! & PROTO_BITS) !== pk || a[o + 2] !== ports || a[o + 3] !== local.hash || a[o + 4] !== remote.hash) {
      return undefined;
    }
    const t = this.#graveTimes;
    return {
      id: this.#graveId[g]!,
      openedAt: t[g * 3]!,
      endedAt: t[g * 3 + 1]!,
      reason: a[o + 5] as EndedConnection["reason"],
      timeout: t[g * 3 + 2]!,
      flags: (a[o + 1]! >>> FLAGS_SHIFT) & 0xff,
    };
  }

  /** Writes slot `s` into its grave: a handful of stores, nothing allocated. */
  #bury(s: number, reason: number, at: number): void {
    const a = this.#i;
    const o = s * I;
    const g = this.#home(a, s) & (GRAVES - 1);
    const graves = this.#graves;
    const go = g * GI;
    graves[go] = a[o + ENI]!;
    graves[go + 1] = a[o + PROTO]!;
    graves[go + 2] = a[o + PORTS]!;
    graves[go + 3] = a[o + LHASH]!;
    graves[go + 4] = a[o + RHASH]!;
    graves[go + 5] = reason;
    this.#graveId[g] = this.#id[s]!;
    this.#graveTimes[g * 3] = this.#opened[s]!;
    this.#graveTimes[g * 3 + 1] = at;
    this.#graveTimes[g * 3 + 2] = this.#timeout[s]!;
  }

  /** Backward-shift deletion of slot `s`: later entries of its probe chain may move into it. */
  #delete(s: number): void {
    const mask = this.#mask;
    const a = this.#i;
    // Backward-shift deletion keeps probe chains unbroken without tombstones.
    let hole: number = s;
    for (let j = (s + 1) & mask; a[j * I + ENI] !== 0; j = (j + 1) & mask) {
      const home = this.#home(a, j) & mask;
      // move the entry into the hole if its home slot is not cyclically within (hole, j]
      if (((j - home) & mask) >= ((j - hole) & mask)) {
        this.#copy(a, this.#id, this.#opened, this.#timeout, this.#local, this.#remote, j, hole);
        hole = j;
      }
    }
    a[hole * I + ENI] = 0;
    this.#local[hole] = undefined;
    this.#remote[hole] = undefined;
    this.#live--;
  }

  /**
   * Drops every entry idle for longer than its timeout; returns how many went. In place: nothing
   * is allocated, and before the earliest expiry nothing is visited. A sweep starts just after an
   * empty slot, so that no probe chain wraps past its start: a removal only shifts later entries
   * of the chain back into the slot just visited, which is then looked at again.
   */
  expire(now: number): number {
    if (!(now > this.#earliest)) return 0;
    const a = this.#i;
    const f = this.#f;
    const mask = this.#mask;
    let start = 0;
    while (a[start * I + ENI] !== 0) start++; // the table is at most half full: there is an empty slot
    let removed = 0;
    let earliest = Infinity;
    for (let k = 1; k <= mask; k++) {
      const s = (start + k) & mask;
      while (a[s * I + ENI] !== 0) {
        const expires = f[s * (I / 2) + EXPIRES]!;
        if (!(now > expires)) {
          if (expires < earliest) earliest = expires;
          break;
        }
        this.#bury(s, EXPIRED, expires);
        this.#delete(s);
        removed++;
      }
    }
    this.#earliest = earliest;
    return removed;
  }

  #home(a: Int32Array, s: number): number {
    const o = s * I;
    return hashOf(a[o + ENI]! - 1, a[o + PROTO]! & PROTO_BITS, a[o + LHASH]!, a[o + PORTS]!, a[o + RHASH]!);
  }

  /** The first empty slot from `hash` on. */
  #emptySlot(hash: number): number {
    let s = hash & this.#mask;
    while (this.#i[s * I + ENI] !== 0) s = (s + 1) & this.#mask;
    return s;
  }

  /** Copies slot `from` of a table's arrays (this one's or the old ones while resizing) into slot `to` of this one. */
  #copy(
    hot: Int32Array,
    id: Int32Array,
    opened: Float64Array,
    timeout: Float64Array,
    local: readonly (Address | undefined)[],
    remote: readonly (Address | undefined)[],
    from: number,
    to: number,
  ): void {
    const b = this.#i;
    for (let k = 0; k < I; k++) b[to * I + k] = hot[from * I + k]!;
    this.#id[to] = id[from]!;
    this.#opened[to] = opened[from]!;
    this.#timeout[to] = timeout[from]!;
    this.#local[to] = local[from];
    this.#remote[to] = remote[from];
  }

  #allocate(slots: number): void {
    this.#slots = slots;
    this.#mask = slots - 1;
    const buffer = new ArrayBuffer(slots * I * 4);
    this.#i = new Int32Array(buffer);
    this.#f = new Float64Array(buffer);
    this.#id = new Int32Array(slots);
    this.#opened = new Float64Array(slots);
    this.#timeout = new Float64Array(slots);
    this.#local = new Array(slots);
    this.#remote = new Array(slots);
  }

  /** Rebuilds the table with `slots` slots. */
  #resize(slots: number): void {
    const hot = this.#i;
    const id = this.#id;
    const opened = this.#opened;
    const timeout = this.#timeout;
    const local = this.#local;
    const remote = this.#remote;
    const count = this.#slots;
    this.#allocate(slots);
    this.#live = 0;
    for (let s = 0; s < count; s++) {
      if (hot[s * I + ENI] === 0) continue;
      this.#copy(hot, id, opened, timeout, local, remote, s, this.#emptySlot(this.#home(hot, s)));
      this.#live++;
    }
  }
}
