// Rules that can never decide anything, and resources nothing uses: an ACL rule whose every match
// an earlier rule takes (aws-rules §1.1), a group rule another rule of its group already allows
// (§2.1: a group is a union), a reference to a group no interface carries (§2.3), a rule for an
// address family no interface it filters has, and ACLs and groups attached to nothing.

import { naclRuleText, sgRuleText } from "../explain/rule-text.js";
import type { Family } from "../model/address.js";
import type { SecurityGroupRule } from "../model/model.js";
import type { WorldChange } from "../model/world-change.js";
import type { Box } from "./boxes.js";
import { covered, overlaps, ruleBox, ruleBoxOf } from "./boxes.js";
import type { Basis, Draft } from "./finding.js";
import type { GroupRuleAt, WorldIndex } from "./world-index.js";
import { DIRECTIONS } from "./world-index.js";

const basis = (section: string, name: string, url: string): Basis => ({ source: "aws-rules", name: `${section} ${name}`, url });
const ACL_ORDER = basis(
  "§1.1",
  "Stateless, numbered, first match wins",
  "https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html",
);
const SG_UNION = basis("§2.1", "Allow-only, unioned", "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html");
const SG_REFERENCE = basis(
  "§2.3",
  "Group references",
  "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html#security-group-referencing",
);
const ACL_FAMILY = basis("§1.1", "IPv4 and IPv6 rules apart", "https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html");
const ACL_ASSOCIATION = basis(
  "§1.2",
  "Default ACL and custom ACL",
  "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html",
);

/** What later steps attach or associate: a resource unused now may be used by the scenario's timeline. */
export function laterUses(changes: readonly WorldChange[]): Set<string> {
  const used = new Set<string>();
  for (const c of changes) {
    if (c.kind === "attach-security-group") used.add(`group:${c.group}`);
    if (c.kind === "associate-network-acl") used.add(`acl:${c.acl}`);
  }
  return used;
}

export function deadRules(index: WorldIndex, later: ReadonlySet<string>): Draft[] {
  return [
    ...shadowedAclRules(index),
    ...coveredGroupRules(index),
    ...emptyReferences(index, later),
    ...absentFamilies(index),
    ...unused(index, later),
  ];
}

function shadowedAclRules(index: WorldIndex): Draft[] {
  const out: Draft[] = [];
  for (const acl of Object.keys(index.world.networkAcls)) {
    for (const direction of DIRECTIONS) {
      for (const family of [4, 6] as Family[]) {
        const rules = index
          .aclRules(acl, direction)
          .filter((r) => r.rule.cidr.family === family)
          .sort((a, b) => a.rule.number - b.rule.number);
        const boxes = rules.map((r) => ruleBox(r.rule.protocol, r.rule.ports, r.rule.icmp, r.rule.cidr));
        rules.forEach((r, i) => {
          const firsts = boxes.slice(0, i).flatMap((box, j) => (overlaps(box, boxes[i]!) ? [j] : []));
          if (
            firsts.length === 0 ||
            !covered(
              boxes[i]!,
              firsts.map((j) => boxes[j]!),
            )
          )
            return;
          const earlier = firsts.map((j) => rules[j]!);
          const clash = earlier.some((e) => e.rule.action !== r.rule.action);
          const names = earlier.map((e) => naclRuleText(e.rule, direction)).join("; ");
          out.push({
            code: "nacl/shadowed-rule",
            severity: clash ? "warning" : "note",
            message: `network ACL ${acl} ${direction} rule ${naclRuleText(r.rule, direction)} never decides: ${earlier.length === 1 ? "rule" : "rules"} ${names} ${earlier.length === 1 ? "matches" : "match"} everything it matches first${clash ? `, so its ${r.rule.action} never applies` : ""}`,
            basis: ACL_ORDER,
            fix: clash
              ? `renumber rule ${r.rule.number} below ${earlier.map((e) => e.rule.number).join(", ")} if its ${r.rule.action} is meant to win, or remove it`
              : `remove rule ${r.rule.number}`,
            path: r.path,
          });
        });
      }
    }
  }
  return out;
}

/** A rule's boxes, keyed by what its peer is: blocks compare by address, a group reference only with the same group. */
function groupRuleBoxes(index: WorldIndex, rule: SecurityGroupRule): { key: string; box: Box }[] {
  const peer = rule.peer;
  if (peer.kind === "security-group") {
    return ([4, 6] as Family[]).map((f) => ({
      key: `group:${peer.group}:${f}`,
      box: ruleBoxOf(rule.protocol, rule.ports, rule.icmp, f, [0n, 0n]),
    }));
  }
  const cidrs = peer.kind === "cidr" ? [peer.cidr] : (index.world.prefixLists[peer.list]?.cidrs ?? []);
  return cidrs.map((c) => ({ key: `cidr:${c.family}`, box: ruleBox(rule.protocol, rule.ports, rule.icmp, c) }));
}

function coveredBy(target: { key: string; box: Box }[], others: { key: string; box: Box }[]): boolean {
  return (
    target.length > 0 &&
    target.every((t) =>
      covered(
        t.box,
        others.filter((o) => o.key === t.key && overlaps(o.box, t.box)).map((o) => o.box),
      ),
    )
  );
}

function coveredGroupRules(index: WorldIndex): Draft[] {
  const out: Draft[] = [];
  for (const group of Object.keys(index.world.securityGroups)) {
    for (const direction of DIRECTIONS) {
      const rules = index.groupRules(group, direction);
      const boxes = rules.map((r) => groupRuleBoxes(index, r.rule));
      rules.forEach((r, i) => {
        const mine = boxes[i]!;
        // Of two rules that cover each other, the later one is reported.
        const wider = boxes.flatMap((theirs, j) =>
          j !== i && !(j > i && coveredBy(theirs, mine)) && theirs.some((b) => mine.some((t) => t.key === b.key && overlaps(t.box, b.box)))
            ? [j]
            : [],
        );
        if (
          wider.length === 0 ||
          !coveredBy(
            mine,
            wider.flatMap((j) => boxes[j]!),
          )
        )
          return;
        const overlapping = wider.map((j) => rules[j]!);
        out.push({
          code: "sg/covered-rule",
          severity: "note",
          message: `group ${group} ${direction} rule ${sgRuleText(r.rule, direction)} allows nothing more than ${ruleList(overlapping, direction)} of the same group`,
          basis: SG_UNION,
          fix: "remove the rule: a group's rules are a union, so the wider rule already allows this traffic",
          path: r.path,
        });
      });
    }
  }
  return out;
}

function ruleList(rules: readonly GroupRuleAt[], direction: "inbound" | "outbound"): string {
  return rules.map((r) => `rule ${r.index + 1} (${sgRuleText(r.rule, direction)})`).join(" and ");
}

function emptyReferences(index: WorldIndex, later: ReadonlySet<string>): Draft[] {
  return DIRECTIONS.flatMap((direction) =>
    index.allGroupRules(direction).flatMap((r) => {
      const peer = r.rule.peer;
      if (peer.kind !== "security-group" || (index.interfacesOfGroup.get(peer.group)?.length ?? 0) > 0) return [];
      if (later.has(`group:${peer.group}`)) return [];
      return [
        {
          code: "sg/reference-without-members",
          severity: "warning" as const,
          message: `group ${r.group} ${direction} rule ${sgRuleText(r.rule, direction)} matches no one: no interface carries group ${peer.group}`,
          basis: SG_REFERENCE,
          fix: `attach group ${peer.group} to the instances this rule is meant for, or remove the rule`,
          path: r.path,
        },
      ];
    }),
  );
}

/** IPv6 rules where nothing filtered has IPv6: every subnet has an IPv4 block, so only IPv6 can be absent. */
function absentFamilies(index: WorldIndex): Draft[] {
  const out: Draft[] = [];
  for (const acl of Object.keys(index.world.networkAcls)) {
    const subnets = index.subnetsOfAcl.get(acl) ?? [];
    if (subnets.length === 0 || subnets.some((s) => s.ipv6Cidr)) continue;
    for (const direction of DIRECTIONS) {
      for (const r of index.aclRules(acl, direction).filter((x) => x.rule.cidr.family === 6)) {
        out.push({
          code: "rule/family-absent",
          severity: "note",
          message: `network ACL ${acl} ${direction} rule ${naclRuleText(r.rule, direction)} is for IPv6, but ${subnets.map((s) => s.name).join(", ")} ${subnets.length === 1 ? "has" : "have"} no IPv6 block`,
          basis: ACL_FAMILY,
          fix: "remove the rule, or give the subnet an IPv6 block if IPv6 traffic is meant",
          path: r.path,
        });
      }
    }
  }
  for (const group of Object.keys(index.world.securityGroups)) {
    const members = index.interfacesOfGroup.get(group) ?? [];
    if (members.length === 0 || members.some((n) => n.ipv6s.length > 0)) continue;
    for (const direction of DIRECTIONS) {
      for (const r of index.groupRules(group, direction)) {
        const families = groupRuleBoxes(index, r.rule).map((b) => b.key);
        if (families.length === 0 || !families.every((k) => k === "cidr:6")) continue;
        out.push({
          code: "rule/family-absent",
          severity: "note",
          message: `group ${group} ${direction} rule ${sgRuleText(r.rule, direction)} is for IPv6, but no interface in the group has an IPv6 address`,
          basis: ACL_FAMILY,
          fix: "remove the rule, or give the instances IPv6 addresses if IPv6 traffic is meant",
          path: r.path,
        });
      }
    }
  }
  return out;
}

function unused(index: WorldIndex, later: ReadonlySet<string>): Draft[] {
  const { world } = index;
  const acls = Object.keys(world.networkAcls)
    .filter((a) => a !== world.vpc.defaultNetworkAcl && !index.subnetsOfAcl.has(a) && !later.has(`acl:${a}`))
    .map((a) => ({
      code: "nacl/unused",
      severity: "note" as const,
      message: `network ACL ${a} is associated with no subnet: its rules filter nothing`,
      basis: ACL_ASSOCIATION,
      fix: `associate it with a subnet (network-acl: ${a}) or remove it`,
      path: index.resourcePath("network-acls", a),
    }));
  const groups = Object.keys(world.securityGroups)
    .filter((g) => g !== world.vpc.defaultSecurityGroup && !index.interfacesOfGroup.has(g) && !later.has(`group:${g}`))
    .map((g) => ({
      code: "sg/unused",
      severity: "note" as const,
      message: `security group ${g} is attached to no interface: its rules allow nothing`,
      basis: SG_UNION,
      fix: `attach it to an instance (security-groups: [${g}]) or remove it`,
      path: index.resourcePath("security-groups", g),
    }));
  return [...acls, ...groups];
}
