// AWS's default quotas, as warnings: a world over one still loads and runs (a quota can be raised),
// but the warning names the quota so that the user knows AWS would refuse it as it stands.
import type { Family } from "../model/address.js";
import type { NetworkAclRule, PrefixList, SecurityGroupRule } from "../model/model.js";
import type { Path, Problems } from "./diagnostics.js";

/** aws-rules §1.5: rules per network ACL, per direction and family, the `*` rule included. */
export const ACL_RULES = 20;
/** aws-rules §2.5: inbound or outbound rules per security group, per family. */
export const GROUP_RULES = 60;
/** aws-rules §2.5: security groups per network interface. */
export const GROUPS_PER_INTERFACE = 5;
/** aws-rules §4.8: IPv4 blocks of a VPC (primary and secondary), by default; 50 with a raised quota. */
export const VPC_IPV4_BLOCKS = 5;
/** aws-rules §2.5: entries of a customer-managed prefix list. */
export const PREFIX_LIST_ENTRIES = 1000;

const FAMILIES: readonly Family[] = [4, 6];

/** One direction of a network ACL: IPv4 and IPv6 rules are counted apart, each with its `*` rule. */
export function checkAclQuota(rules: readonly NetworkAclRule[], path: Path, problems: Problems): void {
  for (const family of FAMILIES) {
    const count = rules.filter((r) => r.cidr.family === family).length;
    if (count === 0 || count + 1 <= ACL_RULES) continue;
    problems.warn?.(
      path,
      "quota/acl-rules",
      `${count} IPv${family} rules and the * rule make ${count + 1}; AWS's quota "rules per network ACL" is ${ACL_RULES} per direction and family by default (aws-rules §1.5)`,
      "key",
    );
  }
}

/**
 * One direction of a security group. A rule naming a group counts once for each family; one naming
 * a prefix list counts as its maximum number of entries (its entries when none is given), in the
 * list's family (aws-rules §2.5).
 */
export function checkGroupQuota(
  rules: readonly SecurityGroupRule[],
  lists: Readonly<Record<string, PrefixList>>,
  path: Path,
  problems: Problems,
): void {
  const counts = { 4: 0, 6: 0 };
  for (const r of rules) {
    if (r.peer.kind === "cidr") counts[r.peer.cidr.family]++;
    else if (r.peer.kind === "security-group") {
      counts[4]++;
      counts[6]++;
    } else {
      const list = Object.hasOwn(lists, r.peer.list) ? lists[r.peer.list]! : undefined;
      const family = list?.cidrs[0]?.family;
      if (list && family) counts[family] += list.maxEntries ?? list.cidrs.length;
    }
  }
  for (const family of FAMILIES) {
    if (counts[family] <= GROUP_RULES) continue;
    problems.warn?.(
      path,
      "quota/group-rules",
      `${counts[family]} IPv${family} rules (a prefix list counts as its entries); AWS's quota "inbound or outbound rules per security group" is ${GROUP_RULES} by default (aws-rules §2.5)`,
      "key",
    );
  }
}

/** An interface's groups: 16 at most (the schema refuses more), 5 by default. */
export function checkGroupsPerInterface(groups: readonly string[], path: Path, problems: Problems): void {
  if (groups.length <= GROUPS_PER_INTERFACE) return;
  problems.warn?.(
    path,
    "quota/groups-per-interface",
    `${groups.length} security groups; AWS's quota "security groups per network interface" is ${GROUPS_PER_INTERFACE} by default, 16 at most (aws-rules §2.5)`,
  );
}

/** A VPC's IPv4 blocks over the default quota (the schema refuses more than 50, the raised maximum). */
export function checkVpcBlocksQuota(count: number, path: Path, problems: Problems): void {
  if (count <= VPC_IPV4_BLOCKS) return;
  problems.warn?.(
    path,
    "quota/vpc-blocks",
    `the VPC has ${count} IPv4 blocks; AWS's quota "IPv4 CIDR blocks per VPC" is ${VPC_IPV4_BLOCKS} by default, 50 at most (aws-rules §4.8)`,
  );
}
