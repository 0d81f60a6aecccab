// A cache of security group matches for the verdict-only path: (interface, direction, protocol,
// key, remote IPv4 address) → the matching line or -1. Packets that no connection-table entry
// lets through (openings, untracked flows, denied retries) repeat the same question; a
// direct-mapped table answers a repeat with one cache line instead of a walk through each group's
// index. It belongs to one compiled world: the engine clears it whenever the world changes.
const SLOT = 4;

export const MISS = -2;

export class MatchCache {
  readonly #slots: Int32Array;
  readonly #mask: number;

  constructor(bits = 16) {
    this.#mask = (1 << bits) - 1;
    this.#slots = new Int32Array((1 << bits) * SLOT);
  }

  /** The cached line for this question, or MISS. `side` is interface id × 2 + (outbound ? 1 : 0). */
  get(side: number, protoKey: number, v4: number): number {
    const o = this.#slot(side, protoKey, v4);
    const s = this.#slots;
    return s[o] === side + 1 && s[o + 1] === protoKey && s[o + 2] === (v4 | 0) ? s[o + 3]! : MISS;
  }

  set(side: number, protoKey: number, v4: number, line: number): void {
    const o = this.#slot(side, protoKey, v4);
    const s = this.#slots;
    s[o] = side + 1;
    s[o + 1] = protoKey;
    s[o + 2] = v4 | 0;
    s[o + 3] = line;
  }

  clear(): void {
    this.#slots.fill(0);
  }

  #slot(side: number, protoKey: number, v4: number): number {
    let h = Math.imul(side ^ 0x9e3779b9, 0x85ebca6b);
    h = Math.imul(h ^ protoKey, 0xc2b2ae35);
    h = Math.imul(h ^ v4, 0x27d4eb2f);
    return ((h ^ (h >>> 15)) & this.#mask) * SLOT;
  }
}
