// AWS Config's managed rules about security groups and network ACLs, on the rules the file writes.

import { ruleKeys } from "../compile/keys.js";
import { naclRuleText } from "../explain/rule-text.js";
import type { Family } from "../model/address.js";
import { ALL, protocolName, TCP, UDP } from "../model/protocol.js";
import type { Basis, Draft } from "./finding.js";
import type { Interval } from "./intervals.js";
import { intersect, intervalsText, subtract } from "./intervals.js";
import { openPorts } from "./open-ports.js";
import type { AclRuleAt, WorldIndex } from "./world-index.js";

const config = (name: string): Basis => ({
  source: "aws-config",
  name,
  url: `https://docs.aws.amazon.com/config/latest/developerguide/${name}.html`,
});

/** vpc-sg-open-only-to-authorized-ports's parameters; AWS sets no default, vpcsim's is web only. */
export interface AuthorizedPorts {
  readonly tcp: readonly Interval[];
  readonly udp: readonly Interval[];
}

export const DEFAULT_AUTHORIZED_PORTS: AuthorizedPorts = {
  tcp: [
    [80, 80],
    [443, 443],
  ],
  udp: [],
};

export function awsConfigChecks(index: WorldIndex, authorized: AuthorizedPorts): Draft[] {
  return [...restrictedSsh(index), ...authorizedPorts(index, authorized), ...defaultGroupClosed(index), ...naclSshRdp(index)];
}

function restrictedSsh(index: WorldIndex): Draft[] {
  return index.allGroupRules("inbound").flatMap((r) =>
    openPorts(r.rule, index.world)
      .filter((o) => o.protocol === TCP && intersect(o.ports, [[22, 22]]).length > 0)
      .map((o) => ({
        code: "sg/restricted-ssh",
        severity: "error" as const,
        message: `group ${r.group} lets anyone (${o.blocks.join(" and ")}) open SSH (tcp 22)`,
        basis: config("restricted-ssh"),
        fix: "allow tcp 22 from your administrators' addresses, a bastion's group, or use Session Manager and no SSH rule",
        path: r.path,
      })),
  );
}

function authorizedPorts(index: WorldIndex, authorized: AuthorizedPorts): Draft[] {
  return index.allGroupRules("inbound").flatMap((r) =>
    openPorts(r.rule, index.world).flatMap((o) => {
      const extra = subtract(o.ports, o.protocol === TCP ? authorized.tcp : authorized.udp);
      if (extra.length === 0) return [];
      const proto = protocolName(o.protocol);
      const allowed = intervalsText(o.protocol === TCP ? authorized.tcp : authorized.udp) || "none";
      return [
        {
          code: "sg/open-to-unauthorized-ports",
          severity: "warning" as const,
          message: `group ${r.group} opens ${proto} ${intervalsText(extra)} to ${o.blocks.join(" and ")}; the ${proto} ports authorized for everyone are ${allowed}`,
          basis: config("vpc-sg-open-only-to-authorized-ports"),
          fix: `narrow the source, or authorize ${proto} ${intervalsText(extra)} (vpcsim lint --authorized-${proto}-ports)`,
          path: r.path,
        },
      ];
    }),
  );
}

function defaultGroupClosed(index: WorldIndex): Draft[] {
  const name = index.world.vpc.defaultSecurityGroup;
  const group = index.world.securityGroups[name];
  if (!group || (group.inbound.length === 0 && group.outbound.length === 0)) return [];
  const users = index.interfacesOfGroup.get(name) ?? [];
  const who = users.length > 0 ? `; ${users.map((n) => n.name).join(", ")} ${users.length === 1 ? "is" : "are"} in it` : "";
  return [
    {
      code: "sg/default-group-not-closed",
      severity: users.length > 0 ? "warning" : "note",
      message: `the VPC's default security group has ${group.inbound.length} inbound and ${group.outbound.length} outbound rules${who}: an interface launched without a group gets them`,
      basis: config("vpc-default-security-group-closed"),
      fix: `declare security group ${name} with inbound: [] and outbound: [], and give each instance a group of its own`,
      path: index.resourcePath("security-groups", name),
    },
  ];
}

/** SSH and RDP over TCP and UDP, as nacl-no-unrestricted-ssh-rdp reads them. */
const SSH_RDP: readonly [protocol: number, port: number][] = [
  [TCP, 22],
  [UDP, 22],
  [TCP, 3389],
  [UDP, 3389],
];

/** The first rule, by number, for everyone (/0) that matches each of SSH and RDP: an allow is unrestricted access. */
function naclSshRdp(index: WorldIndex): Draft[] {
  const out: Draft[] = [];
  for (const acl of Object.keys(index.world.networkAcls)) {
    const rules = index.aclRules(acl, "inbound");
    const hits = new Map<AclRuleAt, string[]>();
    for (const family of [4, 6] as Family[]) {
      const wide = rules
        .filter((r) => r.rule.cidr.family === family && r.rule.cidr.prefix === 0)
        .sort((a, b) => a.rule.number - b.rule.number);
      for (const [protocol, port] of SSH_RDP) {
        const first = wide.find(({ rule }) => {
          if (rule.protocol !== ALL && rule.protocol !== protocol) return false;
          const [lo, hi] = ruleKeys(rule.protocol, rule.ports, rule.icmp, family);
          return lo <= port && port <= hi;
        });
        if (first?.rule.action !== "allow") continue;
        const what = `${protocolName(protocol)} ${port} (${port === 22 ? "SSH" : "RDP"})`;
        const list = hits.get(first) ?? [];
        if (!list.includes(what)) list.push(what);
        hits.set(first, list);
      }
    }
    for (const [r, what] of hits) {
      out.push({
        code: "nacl/unrestricted-ssh-rdp",
        severity: "warning",
        message: `network ACL ${acl} rule ${naclRuleText(r.rule, "inbound")} admits ${what.join(", ")} from anyone`,
        basis: config("nacl-no-unrestricted-ssh-rdp"),
        fix: `add a deny for tcp 22 and 3389 from ${r.rule.cidr.text} numbered below ${r.rule.number}, then allow them from your administrators' addresses`,
        path: r.path,
      });
    }
  }
  return out;
}
