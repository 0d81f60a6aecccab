// Console-style text of rules, as learners see them in the AWS console and in our traces.
import type { IcmpMatch, NetworkAclRule, Peer, PortRange, SecurityGroupRule } from "../model/model.js";
import { hasPorts, isIcmp, protocolName } from "../model/protocol.js";

export function portsText(ports: PortRange | undefined): string {
  if (!ports || (ports.from === 0 && ports.to === 65535)) return "all ports";
  return ports.from === ports.to ? `port ${ports.from}` : `ports ${ports.from}-${ports.to}`;
}

export function icmpText(icmp: IcmpMatch | undefined): string {
  if (!icmp || icmp.type === -1) return "all types";
  return icmp.code === -1 ? `type ${icmp.type}` : `type ${icmp.type} code ${icmp.code}`;
}

function matchText(protocol: number, ports: PortRange | undefined, icmp: IcmpMatch | undefined): string {
  const name = protocolName(protocol);
  if (hasPorts(protocol)) return `${name} ${portsText(ports)}`;
  if (isIcmp(protocol)) return `${name} ${icmpText(icmp)}`;
  return protocol === -1 ? "all traffic" : `protocol ${name}`;
}

export function peerText(peer: Peer): string {
  switch (peer.kind) {
    case "cidr":
      return peer.cidr.text;
    case "security-group":
      return `security group ${peer.group}`;
    case "prefix-list":
      return `prefix list ${peer.list}`;
  }
}

export function sgRuleText(rule: SecurityGroupRule, direction: "inbound" | "outbound"): string {
  const what = matchText(rule.protocol, rule.ports, rule.icmp);
  return `${what} ${direction === "inbound" ? "from" : "to"} ${peerText(rule.peer)}`;
}

export function naclRuleText(rule: NetworkAclRule, direction: "inbound" | "outbound"): string {
  const what = matchText(rule.protocol, rule.ports, rule.icmp);
  return `${rule.number} ${rule.action} ${what} ${direction === "inbound" ? "from" : "to"} ${rule.cidr.text}`;
}
