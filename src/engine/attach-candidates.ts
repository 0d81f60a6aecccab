// Where "attach a group that already allows this traffic" (aws-rules §2.3) finds its candidates:
// every group's rules, indexed by the narrow blocks they name (prefix length and network; a prefix
// list's rule under each of its entries) and by the group they reference. Built once per world version, by the
// first drop that asks, so that a drop costs a lookup per prefix length in use instead of a scan
// of every rule of the world (on W1, 12,000 rules a drop). Wide blocks (/0) are no teacher's advice
// and are left out.
import { ruleKeys } from "../compile/keys.js";
import type { Address, Family } from "../model/address.js";
import type { Direction, SecurityGroupRule, World } from "../model/model.js";
import { ALL } from "../model/protocol.js";

/** A rule of some group, with its place in the world (groups in order, then rules in order) and the keys it covers. */
export interface Candidate {
  readonly order: number;
  readonly group: string;
  readonly rule: SecurityGroupRule;
  /** the [first, last] packet key the rule covers, by family; all keys for protocol all */
  readonly keys: Record<Family, readonly [number, number]>;
}

interface DirectionIndex {
  readonly byBlock: Map<string, Candidate[]>;
  readonly byGroup: Map<string, Candidate[]>;
  /** the prefix lengths some rule's block has, by family */
  readonly lengths: Record<Family, number[]>;
}

const indexes = new WeakMap<World, Record<Direction, DirectionIndex>>();

function blockKey(family: Family, prefix: number, network: number | bigint): string {
  return `${family}/${prefix}/${network}`;
}

/** The network of `a` at a prefix length, as blockKey writes a block's. */
function networkOf(a: Address, prefix: number): number | bigint {
  if (a.family === 4) return prefix === 0 ? 0 : ((a.v4 >>> (32 - prefix)) << (32 - prefix)) >>> 0;
  const shift = BigInt(128 - prefix);
  return (a.v6 >> shift) << shift;
}

function build(world: World, direction: Direction): DirectionIndex {
  const index: DirectionIndex = { byBlock: new Map(), byGroup: new Map(), lengths: { 4: [], 6: [] } };
  const lengths = { 4: new Set<number>(), 6: new Set<number>() };
  let order = 0;
  const add = (map: Map<string, Candidate[]>, key: string, c: Candidate) => {
    const list = map.get(key);
    if (list) list.push(c);
    else map.set(key, [c]);
  };
  for (const group of Object.values(world.securityGroups)) {
    for (const rule of direction === "inbound" ? group.inbound : group.outbound) {
      const keys = (family: Family) =>
        rule.protocol === ALL ? ([0, Number.MAX_SAFE_INTEGER] as const) : ruleKeys(rule.protocol, rule.ports, rule.icmp, family);
      const c: Candidate = { order: order++, group: group.name, rule, keys: { 4: keys(4), 6: keys(6) } };
      const peer = rule.peer;
      if (peer.kind === "security-group") {
        add(index.byGroup, peer.group, c);
        continue;
      }
      const blocks = peer.kind === "cidr" ? [peer.cidr] : (world.prefixLists[peer.list]?.cidrs ?? []);
      for (const b of blocks) {
        if (b.prefix === 0) continue;
        lengths[b.family].add(b.prefix);
        add(index.byBlock, blockKey(b.family, b.prefix, b.family === 4 ? b.lo4 : b.lo6), c);
      }
    }
  }
  index.lengths[4].push(...lengths[4]);
  index.lengths[6].push(...lengths[6]);
  return index;
}

/**
 * The first rule, in world order, of a group the interface does not carry (`own`), whose peer
 * covers `remote` (an interface carrying `remoteGroups`, when it is one) and whose protocol and
 * ports (or ICMP type and code) cover the packet's `protocol` and `key` (packetKey).
 */
export function firstAttachable(
  world: World,
  direction: Direction,
  remote: Address,
  remoteGroups: readonly string[] | undefined,
  protocol: number,
  key: number,
  own: readonly string[],
): Candidate | undefined {
  let both = indexes.get(world);
  if (!both) {
    both = { inbound: build(world, "inbound"), outbound: build(world, "outbound") };
    indexes.set(world, both);
  }
  const index = both[direction];
  let best: Candidate | undefined;
  const consider = (list: readonly Candidate[] | undefined) => {
    for (const c of list ?? []) {
      if (best && c.order >= best.order) break; // each list is in world order
      if (c.rule.protocol !== ALL && c.rule.protocol !== protocol) continue;
      const [lo, hi] = c.keys[remote.family];
      if (key < lo || key > hi || own.includes(c.group)) continue;
      best = c;
    }
  };
  for (const prefix of index.lengths[remote.family])
    consider(index.byBlock.get(blockKey(remote.family, prefix, networkOf(remote, prefix))));
  for (const g of remoteGroups ?? []) consider(index.byGroup.get(g));
  return best;
}
