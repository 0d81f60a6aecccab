// The benchmark's fair naive evaluator: what a careful first implementation would do. Every rule
// is checked, one after the other, for every packet that needs a rule, but everything that can be
// prepared is prepared once: ranges and blocks parsed to integers, ACL rules sorted by number,
// interfaces found by address in a Map, tracked flows in a Map. It covers what the benchmark's
// worlds hold (IPv4, TCP and UDP traffic, interfaces, internet hosts, local and internet gateway
// routes) and refuses worlds with anything else; the engine must agree with it on every timed
// packet. Not the reference evaluator (src/reference/), which reads the model as written (ip-num
// for every block, the ACL sorted for every packet) so as to share nothing with the engine.

import { FIN_IN, FIN_OUT, OUTBOUND, REPLIED, STREAM } from "../src/engine/connection-table.js";
import type { NetworkAclRule, NetworkInterface, Packet, SecurityGroupRule, World } from "../src/index.js";
import { FIN, RST } from "../src/model/packet.js";
import { TCP, UDP } from "../src/model/protocol.js";

/** A rule with its ranges as integers; `group` is -1 for a block, else the group it names. */
interface Rule {
  readonly protocol: number;
  readonly from: number;
  readonly to: number;
  readonly lo: number;
  readonly hi: number;
  readonly group: number;
  readonly wide: boolean;
}

interface AclRule {
  readonly allow: boolean;
  readonly protocol: number;
  readonly from: number;
  readonly to: number;
  readonly lo: number;
  readonly hi: number;
}

interface Iface {
  readonly id: number;
  readonly iface: NetworkInterface;
  readonly subnet: number;
  /** each group's rules, by direction */
  readonly inbound: readonly (readonly Rule[])[];
  readonly outbound: readonly (readonly Rule[])[];
  readonly groups: readonly number[];
  readonly publicIp: number;
}

interface SubnetInfo {
  readonly lo: number;
  readonly hi: number;
  readonly aclIn: readonly AclRule[];
  readonly aclOut: readonly AclRule[];
  readonly internet: boolean;
}

interface Flow {
  flags: number;
  expires: number;
}

export class NaiveEvaluator {
  readonly #world: World;
  readonly #byPrivate = new Map<number, Iface>();
  readonly #byPublic = new Map<number, Iface>();
  readonly #hosts = new Set<number>();
  readonly #subnets: SubnetInfo[] = [];
  readonly #flows = new Map<string, Flow>();
  readonly #vpc: readonly (readonly [number, number])[];
  readonly #hasInternetGateway: boolean;
  #now = 0;

  constructor(world: World) {
    this.#world = world;
    if (Object.keys(world.natGateways).length > 0 || Object.keys(world.prefixLists).length > 0 || world.vpc.ipv6Cidr) {
      throw new Error("the naive evaluator covers IPv4 worlds without NAT gateways or prefix lists");
    }
    this.#vpc = world.vpc.cidrs.map((c) => [c.lo4, c.hi4] as const);
    this.#hasInternetGateway = Object.values(world.routeTables).some((t) => t.routes.some((r) => r.target.kind === "internet-gateway"));
    const groupIds = new Map(Object.keys(world.securityGroups).map((g, i) => [g, i]));
    const rules = (list: readonly SecurityGroupRule[]): Rule[] =>
      list.map((r) => {
        if (r.peer.kind === "prefix-list" || (r.peer.kind === "cidr" && r.peer.cidr.family !== 4)) {
          throw new Error("the naive evaluator covers IPv4 blocks and group references");
        }
        const [from, to] = keys(r.protocol, r.ports);
        if (r.peer.kind === "security-group")
          return { protocol: r.protocol, from, to, lo: 0, hi: -1, group: groupIds.get(r.peer.group)!, wide: false };
        const c = r.peer.cidr;
        return { protocol: r.protocol, from, to, lo: c.lo4, hi: c.hi4, group: -1, wide: c.prefix === 0 };
      });
    const groupRules = new Map(
      Object.values(world.securityGroups).map((g) => [g.name, { inbound: rules(g.inbound), outbound: rules(g.outbound) }]),
    );
    const acl = (list: readonly NetworkAclRule[]): AclRule[] =>
      list
        .filter((r) => r.cidr.family === 4)
        .sort((a, b) => a.number - b.number)
        .map((r) => {
          const [from, to] = keys(r.protocol, r.ports);
          return { allow: r.action === "allow", protocol: r.protocol, from, to, lo: r.cidr.lo4, hi: r.cidr.hi4 };
        });
    const subnetIndex = new Map<string, number>();
    for (const s of Object.values(world.subnets)) {
      const a = world.networkAcls[s.networkAcl]!;
      const routes = world.routeTables[s.routeTable]!.routes;
      if (routes.some((r) => r.target.kind !== "internet-gateway" || r.destination.prefix !== 0)) {
        throw new Error("the naive evaluator covers local routes and 0.0.0.0/0 to the internet gateway");
      }
      subnetIndex.set(s.name, this.#subnets.length);
      this.#subnets.push({ lo: s.cidr.lo4, hi: s.cidr.hi4, aclIn: acl(a.inbound), aclOut: acl(a.outbound), internet: routes.length > 0 });
    }
    let id = 0;
    for (const instance of Object.values(world.instances)) {
      for (const iface of instance.interfaces) {
        if (iface.ipv6s.length > 0 || iface.nat) throw new Error("the naive evaluator covers IPv4 interfaces that are not NAT instances");
        const groups = iface.securityGroups.map((g) => groupRules.get(g)!);
        const info: Iface = {
          id: id++,
          iface,
          subnet: subnetIndex.get(iface.subnet)!,
          inbound: groups.map((g) => g.inbound),
          outbound: groups.map((g) => g.outbound),
          groups: iface.securityGroups.map((g) => groupIds.get(g)!),
          publicIp: iface.publicIp ? iface.publicIp.v4 : -1,
        };
        for (const a of iface.privateIps) this.#byPrivate.set(a.v4, info);
        if (iface.publicIp) this.#byPublic.set(iface.publicIp.v4, info);
      }
    }
    for (const h of Object.values(world.internetHosts)) if (h.address.family === 4) this.#hosts.add(h.address.v4);
  }

  /** `"delivered"` or the drop code, as the engine's `verdict`. */
  verdict(p: Packet): string {
    if (p.src.family !== 4 || (p.protocol !== TCP && p.protocol !== UDP)) throw new Error("the naive evaluator covers IPv4 TCP and UDP");
    const from = this.#byPrivate.get(p.src.v4);
    if (!from) {
      if (this.#inVpc(p.src.v4)) return "NO_PATH";
      return this.#fromInternet(p.src.v4, p.dst.v4, p, false);
    }
    const dst = p.dst.v4;
    const local = this.#inVpc(dst);
    const subnet = this.#subnets[from.subnet]!;
    if (!this.#securityGroups(from, true, p.src.v4, p.srcPort, dst, p.dstPort, p)) return "ENI_SG_RULES_MISMATCH";
    const to = this.#byPrivate.get(dst);
    if (to && to.subnet === from.subnet) return this.#arrive(to, p.src.v4, p.srcPort, dst, p.dstPort, p);
    if (!aclAllows(subnet.aclOut, p.protocol, p.dstPort, dst)) return "SUBNET_ACL_RESTRICTION";
    if (local) {
      if (!to) return this.#noInterface(dst, from.subnet, p);
      if (!aclAllows(this.#subnets[to.subnet]!.aclIn, p.protocol, p.dstPort, p.src.v4)) return "SUBNET_ACL_RESTRICTION";
      return this.#arrive(to, p.src.v4, p.srcPort, dst, p.dstPort, p);
    }
    if (!subnet.internet) return "NO_ROUTE_TO_DESTINATION";
    // the internet gateway translates the private address to the public one (aws-rules §4.3)
    if (from.publicIp < 0) return "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS";
    return this.#fromInternet(from.publicIp >>> 0, dst, p, true);
  }

  #fromInternet(src: number, dst: number, p: Packet, fromVpc: boolean): string {
    const to = this.#byPublic.get(dst);
    if (to && this.#hasInternetGateway) {
      const priv = to.iface.privateIps[0]!.v4;
      if (!aclAllows(this.#subnets[to.subnet]!.aclIn, p.protocol, p.dstPort, src)) return "SUBNET_ACL_RESTRICTION";
      return this.#arrive(to, src, p.srcPort, priv, p.dstPort, p);
    }
    if (this.#inVpc(dst)) return "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS";
    return this.#hosts.has(dst) || fromVpc ? "delivered" : "NO_PATH";
  }

  #arrive(to: Iface, src: number, sport: number, dst: number, dport: number, p: Packet): string {
    return this.#securityGroups(to, false, src, sport, dst, dport, p) ? "delivered" : "ENI_SG_RULES_MISMATCH";
  }

  #noInterface(dst: number, from: number, p: Packet): string {
    const s = this.#subnets.findIndex((x) => dst >= x.lo && dst <= x.hi);
    if (s >= 0 && s !== from && !aclAllows(this.#subnets[s]!.aclIn, p.protocol, p.dstPort, p.src.v4)) return "SUBNET_ACL_RESTRICTION";
    return "NO_INTERFACE_AT_DESTINATION";
  }

  #inVpc(a: number): boolean {
    for (const [lo, hi] of this.#vpc) if (a >= lo && a <= hi) return true;
    return false;
  }

  /** Security groups with connection tracking (aws-rules §2, §3), every rule checked. */
  #securityGroups(eni: Iface, out: boolean, src: number, sport: number, dst: number, dport: number, p: Packet): boolean {
    const proto = p.protocol;
    const remote = out ? dst : src;
    const key = out ? `${eni.id},${proto},${src},${sport},${dst},${dport}` : `${eni.id},${proto},${dst},${dport},${src},${sport}`;
    const flow = this.#flows.get(key);
    const settings = this.#world.settings;
    if (flow && this.#now <= flow.expires) {
      const reply = ((flow.flags & OUTBOUND) !== 0) !== out;
      let next = flow.flags;
      if (proto === UDP) next = reply ? next | REPLIED : next & REPLIED ? next | STREAM : next;
      if (proto === TCP && p.flags & FIN) next |= out ? FIN_OUT : FIN_IN;
      if (proto === TCP && ((p.flags & RST) !== 0 || (next & (FIN_OUT | FIN_IN)) === (FIN_OUT | FIN_IN))) this.#flows.delete(key);
      else {
        flow.flags = next;
        flow.expires = this.#now + this.#timeout(eni, proto, next);
      }
      return true;
    }
    const rules = out ? eni.outbound : eni.inbound;
    if (!anyRule(rules, proto, dport, remote, (g) => this.#carries(remote, g))) return false;
    const closing = proto === TCP && (p.flags & (FIN | RST)) !== 0;
    if (closing) return true;
    // untracked flows (aws-rules §3.2): a wide rule lets the packet through and the other
    // direction is open to all ports, for this packet as opener or as reply
    const other = out ? eni.inbound : eni.outbound;
    const untracked =
      settings.untrackedFlows &&
      ((allPorts(other, proto) && wideCovers(rules, proto, dport)) || (allPorts(rules, proto) && wideCovers(other, proto, sport)));
    if (!untracked) this.#flows.set(key, { flags: out ? OUTBOUND : 0, expires: this.#now + this.#timeout(eni, proto, 0) });
    return true;
  }

  #carries(address: number, group: number): boolean {
    return this.#byPrivate.get(address)?.groups.includes(group) === true;
  }

  #timeout(eni: Iface, proto: number, flags: number): number {
    const t = eni.iface.timeouts;
    if (proto === TCP) return flags & (FIN_OUT | FIN_IN) ? this.#world.settings.tcpClosingTimeout : t.tcpEstablished;
    return flags & STREAM ? t.udpStream : t.udp;
  }
}

function keys(protocol: number, ports: { from: number; to: number } | undefined): [number, number] {
  return protocol === TCP || protocol === UDP ? [ports?.from ?? 0, ports?.to ?? 65535] : [0, 65535];
}

function covers(r: { protocol: number; from: number; to: number }, proto: number, port: number): boolean {
  // a rule of another protocol than TCP and UDP (ICMP) never covers TCP or UDP traffic
  return (r.protocol === -1 || r.protocol === proto) && port >= r.from && port <= r.to;
}

function aclAllows(rules: readonly AclRule[], proto: number, port: number, peer: number): boolean {
  for (const r of rules) if (covers(r, proto, port) && peer >= r.lo && peer <= r.hi) return r.allow;
  return false;
}

function anyRule(
  groups: readonly (readonly Rule[])[],
  proto: number,
  port: number,
  remote: number,
  carries: (g: number) => boolean,
): boolean {
  for (const rules of groups) {
    for (const r of rules) {
      if (!covers(r, proto, port)) continue;
      if (r.group < 0 ? remote >= r.lo && remote <= r.hi : carries(r.group)) return true;
    }
  }
  return false;
}

function wideCovers(groups: readonly (readonly Rule[])[], proto: number, port: number): boolean {
  return groups.some((rules) => rules.some((r) => r.wide && covers(r, proto, port)));
}

function allPorts(groups: readonly (readonly Rule[])[], proto: number): boolean {
  return groups.some((rules) => rules.some((r) => r.wide && (r.protocol === -1 || r.protocol === proto) && r.from === 0 && r.to === 65535));
}
