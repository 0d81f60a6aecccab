// IPv4 address → small integer, for the packet path: an open-addressing table of int32 pairs, so a
// lookup reads one cache line where a Map walks its buckets and then its entries. The engine asks
// it for the interface behind a packet's source and destination.
export class V4Table {
  readonly #slots: Int32Array;
  readonly #mask: number;

  constructor(entries: readonly (readonly [v4: number, value: number])[]) {
    let size = 8;
    while (size < entries.length * 2) size *= 2;
    this.#mask = size - 1;
    this.#slots = new Int32Array(size * 2);
    for (const [v4, value] of entries) {
      let s = this.#home(v4);
      while (this.#slots[s * 2 + 1] !== 0 && this.#slots[s * 2] !== (v4 | 0)) s = (s + 1) & this.#mask;
      this.#slots[s * 2] = v4 | 0;
      this.#slots[s * 2 + 1] = value + 1;
    }
  }

  /** The value stored for the address, or -1. */
  get(v4: number): number {
    const key = v4 | 0;
    const slots = this.#slots;
    for (let s = this.#home(v4); ; s = (s + 1) & this.#mask) {
      const value = slots[s * 2 + 1]!;
      if (value === 0) return -1;
      if (slots[s * 2] === key) return value - 1;
    }
  }

  #home(v4: number): number {
    const h = Math.imul(v4 | 0, 0x9e3779b1);
    return (h ^ (h >>> 16)) & this.#mask;
  }
}
