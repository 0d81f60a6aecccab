// What a teacher would change to let a dropped packet through, read from the world only when a drop
// is put in words: edit the prefix list a rule already uses, reference a group both ends share,
// attach a group that already allows the traffic (aws-rules §2.3, §2.4), and for a reply through a
// network ACL, the client's ephemeral ports (§1.4). Never called on the verdict-only path.
import { packetKey, ruleKeys } from "../compile/keys.js";
import type { CompiledEni } from "../compile/world.js";
import { interfaceAt } from "../compile/world.js";
import type { ClientPorts, SgSuggestion } from "../explain/drop.js";
import { sgRuleText } from "../explain/rule-text.js";
import type { Address } from "../model/address.js";
import { EPHEMERAL_PROFILES } from "../model/defaults.js";
import type { Direction, PortRange, SecurityGroupRule, World } from "../model/model.js";
import type { Packet } from "../model/packet.js";
import { ALL } from "../model/protocol.js";
import { firstAttachable } from "./attach-candidates.js";
import type { WalkContext } from "./context.js";

/** Whether a rule's protocol and ports (or ICMP type and code) cover the packet (`key` is its packetKey), whatever its peer. */
function coversTraffic(rule: SecurityGroupRule, p: Packet, key: number, family: 4 | 6): boolean {
  if (rule.protocol !== ALL && rule.protocol !== p.protocol) return false;
  const [lo, hi] = ruleKeys(rule.protocol === ALL ? p.protocol : rule.protocol, rule.ports, rule.icmp, family);
  return key >= lo && key <= hi;
}

/** The teacher's change for a security group drop, when there is a better one than a new address rule. */
export function sgSuggestion(c: WalkContext, eni: CompiledEni, direction: Direction, p: Packet): SgSuggestion | undefined {
  const world: World = c.compiled.world;
  const remote = direction === "inbound" ? p.src : p.dst;
  const family = remote.family;
  const own = eni.iface.securityGroups;
  const key = packetKey(p);
  // A rule of the interface's groups already names a prefix list for this traffic: add the address there.
  for (const group of own) {
    const rules = direction === "inbound" ? world.securityGroups[group]?.inbound : world.securityGroups[group]?.outbound;
    for (const rule of rules ?? []) {
      if (rule.peer.kind === "prefix-list" && coversTraffic(rule, p, key, family)) {
        return { kind: "prefix-list", list: rule.peer.list, group, rule: sgRuleText(rule, direction) };
      }
    }
  }
  // Both ends are members of one group: a self-reference admits every member, present and future.
  const peerGroups = interfaceAt(c.compiled, remote)?.iface.securityGroups;
  const shared = peerGroups && own.find((g) => peerGroups.includes(g));
  if (shared) return { kind: "self", group: shared };
  // A group of the VPC already allows this traffic: attach it rather than copy its rule. Only the
  // rules whose peer may cover the address are looked at (attach-candidates.ts).
  const found = firstAttachable(world, direction, remote, peerGroups, p.protocol, key, own);
  return found ? { kind: "attach", group: found.group, rule: sgRuleText(found.rule, direction) } : undefined;
}

/** The ports the client a reply goes back to opens connections from (§1.4), with its profile's name. */
export function clientPorts(c: WalkContext, client: Address): ClientPorts | undefined {
  const w = c.compiled;
  let range: PortRange | undefined = interfaceAt(w, client)?.iface.ephemeral;
  if (!range && client.family === 4 && w.natPrivate4.has(client.v4)) range = EPHEMERAL_PROFILES["nat-gateway"];
  if (!range) range = Object.values(w.world.internetHosts).find((h) => h.address.text === client.text)?.ephemeral;
  if (!range) return undefined;
  const { from, to } = range;
  const profile = Object.entries(EPHEMERAL_PROFILES).find(([, r]) => r.from === from && r.to === to)?.[0];
  return { from, to, ...(profile ? { profile } : {}) };
}
