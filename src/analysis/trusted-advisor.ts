// Trusted Advisor's two security group checks, on the inbound rules the file writes. Each port
// falls in one check: the red list in "Specific Ports Unrestricted", any other port but the four
// mail and web ones in "Unrestricted Access".
import { protocolName } from "../model/protocol.js";
import type { Basis, Draft } from "./finding.js";
import type { Interval } from "./intervals.js";
import { intersect, intervalsText, normalize, subtract } from "./intervals.js";
import { openPorts } from "./open-ports.js";
import type { WorldIndex } from "./world-index.js";

const URL = "https://docs.aws.amazon.com/awssupport/latest/user/security-checks.html";

/** Red: databases, remote desktop and FTP open to everyone. */
export const RED_PORTS: readonly Interval[] = normalize([20, 21, 1433, 1434, 3306, 3389, 4333, 5432, 5500].map((p) => [p, p]));
/** Green: mail and web, meant to be public. */
export const GREEN_PORTS: readonly Interval[] = normalize([25, 80, 443, 465].map((p) => [p, p]));

const SPECIFIC: Basis = { source: "trusted-advisor", name: "Security Groups - Specific Ports Unrestricted", url: URL };
const UNRESTRICTED: Basis = { source: "trusted-advisor", name: "Security Groups - Unrestricted Access", url: URL };

export function trustedAdvisorChecks(index: WorldIndex): Draft[] {
  const out: Draft[] = [];
  for (const r of index.allGroupRules("inbound")) {
    for (const open of openPorts(r.rule, index.world)) {
      const to = `${open.blocks.join(" and ")}`;
      const proto = protocolName(open.protocol);
      const red = intersect(open.ports, RED_PORTS);
      if (red.length > 0) {
        out.push({
          code: "sg/specific-ports-unrestricted",
          severity: "error",
          message: `group ${r.group} opens ${proto} ${intervalsText(red)} to ${to}: databases, remote desktop and FTP open to anyone`,
          basis: SPECIFIC,
          fix: `allow ${proto} ${intervalsText(red)} from the addresses or security groups that need it only`,
          path: r.path,
        });
      }
      const other = subtract(subtract(open.ports, RED_PORTS), GREEN_PORTS);
      if (other.length > 0) {
        out.push({
          code: "sg/unrestricted-access",
          severity: "warning",
          message: `group ${r.group} opens ${proto} ${intervalsText(other)} to ${to}: only 25, 80, 443 and 465 are meant for anyone`,
          basis: UNRESTRICTED,
          fix: `narrow the source of this rule to the clients that need ${proto} ${intervalsText(other)}`,
          path: r.path,
        });
      }
    }
  }
  return out;
}
