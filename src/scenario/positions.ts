// Where the YAML node at a path starts. Each map is indexed by its keys the first time a path goes
// through it, so that a position costs the length of its path: looking a key up by scanning its
// map, once per diagnostic, made a file of 150,000 keys with a problem in each take minutes.
import type { Document, LineCounter, Node, Pair } from "yaml";
import { isAlias, isMap, isNode, isSeq } from "yaml";

/** Keys and indexes from the document's root to a node, as in `["steps", 3, "connect", "from"]`. */
export type Path = readonly (string | number)[];

/** The node a path ends at, or the key that names it in its map. */
export type Where = "value" | "key";

export class Positions {
  readonly #keys = new WeakMap<Node, Map<unknown, Pair>>();
  constructor(
    readonly doc: Document,
    readonly lines: LineCounter,
  ) {}

  /**
   * Line and column of the node at `path`, or of its nearest existing parent; 1:1 for none. With
   * `key`, of the key that names the last step, when the path ends in a map: a problem with a name.
   */
  at(path: Path, where: Where = "value"): { line: number; column: number } {
    let node: unknown = this.doc.contents;
    let offset = isNode(node) && node.range ? node.range[0] : undefined;
    for (const [i, key] of path.entries()) {
      const pair = this.#pair(node, key);
      const keyNode = where === "key" && i === path.length - 1 ? pair?.key : undefined;
      if (isNode(keyNode) && keyNode.range) offset = keyNode.range[0];
      node = pair ? pair.value : this.#item(node, key);
      if (!isNode(node) || keyNode) break;
      if (node.range) offset = node.range[0];
      // an alias is reported where it is used, not where its anchor is
      if (isAlias(node)) break;
    }
    if (offset === undefined) return { line: 1, column: 1 };
    const pos = this.lines.linePos(offset);
    return { line: pos.line, column: pos.col };
  }

  /** Whether the document writes a node at `path` (a rule AWS creates, or a default, has none). */
  has(path: Path): boolean {
    let node: unknown = this.doc.contents;
    for (const key of path) {
      const pair = this.#pair(node, key);
      node = pair ? pair.value : this.#item(node, key);
      if (node === undefined || node === null) return false;
    }
    return true;
  }

  #item(node: unknown, key: string | number): unknown {
    if (!isSeq(node)) return undefined;
    const i = typeof key === "number" ? key : /^\d+$/.test(key) ? Number(key) : -1;
    return i >= 0 ? node.items[i] : undefined;
  }

  #pair(node: unknown, key: string | number): Pair | undefined {
    if (!isMap(node)) return undefined;
    let index = this.#keys.get(node);
    if (!index) {
      index = new Map();
      for (const pair of node.items) {
        const k = isNode(pair.key) && "value" in pair.key ? pair.key.value : pair.key;
        if (!index.has(k)) index.set(k, pair);
      }
      this.#keys.set(node, index);
    }
    return index.get(key);
  }
}
