// The reference evaluator (issue 4): the straightforward implementation a newcomer would write,
// reading the model directly, asking ip-num `contains` for every rule and building new objects per
// packet. It models what W1 holds (instances, security groups with CIDR and group peers, network
// ACLs, local and internet-gateway routes, public IPs, internet hosts, TCP and UDP, a clock that
// never moves) and nothing more. It is the engine's speed baseline and its oracle: on a W1 sample
// both must give the same verdicts.
import { IPv4, IPv4CidrRange, IPv6, IPv6CidrRange } from "ip-num";
import type { Address, Cidr, NetworkAclRule, NetworkInterface, Packet, SecurityGroupRule, World } from "../src/index.js";

type Direction = "inbound" | "outbound";

const TCP = 6;
const UDP = 17;
const FIN = 1;
const RST = 4;

interface Entry {
  finOut: boolean;
  finIn: boolean;
}

function contains(cidr: Cidr, a: Address): boolean {
  if (cidr.family !== a.family) return false;
  return cidr.family === 4
    ? IPv4CidrRange.fromCidr(cidr.text).contains(IPv4.fromString(a.text))
    : IPv6CidrRange.fromCidr(cidr.text).contains(IPv6.fromString(a.text));
}

export class ReferenceEvaluator {
  readonly #world: World;
  readonly #byPrivate = new Map<string, NetworkInterface>();
  readonly #byPublic = new Map<string, NetworkInterface>();
  readonly #hosts = new Set<string>();
  readonly #connections = new Map<string, Entry>();

  constructor(world: World) {
    this.#world = world;
    for (const instance of Object.values(world.instances)) {
      for (const eni of instance.interfaces) {
        for (const a of [...eni.privateIps, ...eni.ipv6s]) this.#byPrivate.set(a.text, eni);
        if (eni.publicIp) this.#byPublic.set(eni.publicIp.text, eni);
      }
    }
    for (const h of Object.values(world.internetHosts)) this.#hosts.add(h.address.text);
  }

  verdict(p: Packet): boolean {
    if (p.protocol !== TCP && p.protocol !== UDP) throw new Error("the reference evaluator models TCP and UDP only");
    const eni = this.#byPrivate.get(p.src.text);
    if (eni) return this.#fromInstance(eni, p);
    if (this.#hosts.has(p.src.text)) return this.#acrossInternet(p);
    return false;
  }

  #fromInstance(eni: NetworkInterface, p: Packet): boolean {
    if (!this.#securityGroups(eni, "outbound", p)) return false;
    const subnet = this.#world.subnets[eni.subnet]!;
    const target = this.#byPrivate.get(p.dst.text);
    if (target && target.subnet === eni.subnet) return this.#securityGroups(target, "inbound", p);
    if (!this.#acl(subnet.networkAcl, "outbound", p)) return false;
    const route = this.#route(subnet.routeTable, p.dst);
    if (route === "local") {
      if (!target) return false;
      return this.#acl(this.#world.subnets[target.subnet]!.networkAcl, "inbound", p) && this.#securityGroups(target, "inbound", p);
    }
    if (route === "internet-gateway") {
      if (!eni.publicIp) return false;
      return this.#acrossInternet({ ...p, src: eni.publicIp });
    }
    if (route === undefined) return false;
    throw new Error(`the reference evaluator does not model ${route} routes`);
  }

  #acrossInternet(p: Packet): boolean {
    if (this.#hosts.has(p.dst.text)) return true;
    const eni = this.#byPublic.get(p.dst.text);
    if (!eni) return false;
    const inside = { ...p, dst: eni.privateIps[0]! };
    return this.#acl(this.#world.subnets[eni.subnet]!.networkAcl, "inbound", inside) && this.#securityGroups(eni, "inbound", inside);
  }

  #route(tableName: string, dst: Address): string | undefined {
    const table = this.#world.routeTables[tableName]!;
    const routes = [
      ...this.#world.vpc.cidrs.map((destination) => ({ destination, target: "local" })),
      ...table.routes.map((r) => ({ destination: r.destination, target: r.target.kind })),
    ].filter((r) => contains(r.destination, dst));
    routes.sort((a, b) => b.destination.prefix - a.destination.prefix);
    return routes[0]?.target;
  }

  #acl(name: string, direction: Direction, p: Packet): boolean {
    const acl = this.#world.networkAcls[name]!;
    const peer = direction === "inbound" ? p.src : p.dst;
    const rules = [...(direction === "inbound" ? acl.inbound : acl.outbound)].sort((a, b) => a.number - b.number);
    for (const r of rules) {
      if (r.cidr.family === peer.family && this.#naclRuleMatches(r, p, peer)) return r.action === "allow";
    }
    return false;
  }

  #naclRuleMatches(r: NetworkAclRule, p: Packet, peer: Address): boolean {
    if (r.protocol !== -1 && r.protocol !== p.protocol) return false;
    if (r.ports && (p.dstPort < r.ports.from || p.dstPort > r.ports.to)) return false;
    return contains(r.cidr, peer);
  }

  #rules(eni: NetworkInterface, direction: Direction): SecurityGroupRule[] {
    return eni.securityGroups.flatMap((g) => {
      const group = this.#world.securityGroups[g]!;
      return direction === "inbound" ? group.inbound : group.outbound;
    });
  }

  #securityGroups(eni: NetworkInterface, direction: Direction, p: Packet): boolean {
    const out = direction === "outbound";
    const local = out ? p.src : p.dst;
    const remote = out ? p.dst : p.src;
    const key = [eni.name, p.protocol, local.text, out ? p.srcPort : p.dstPort, remote.text, out ? p.dstPort : p.srcPort].join("|");
    const entry = this.#connections.get(key);
    const tcp = p.protocol === TCP;
    if (entry) {
      // A tracked flow passes; an RST, or a FIN from each side, ends it.
      if (tcp && p.flags & FIN) {
        if (out) entry.finOut = true;
        else entry.finIn = true;
      }
      if (tcp && (p.flags & RST || (entry.finOut && entry.finIn))) this.#connections.delete(key);
      return true;
    }
    const allowing = this.#rules(eni, direction).filter((r) => this.#sgRuleMatches(r, p, remote));
    if (allowing.length === 0) return false;
    const closing = tcp && (p.flags & (FIN | RST)) !== 0;
    if (!closing && !this.#untracked(eni, direction, p, allowing)) this.#connections.set(key, { finOut: false, finIn: false });
    return true;
  }

  #sgRuleMatches(r: SecurityGroupRule, p: Packet, peer: Address): boolean {
    if (r.protocol !== -1 && r.protocol !== p.protocol) return false;
    if (r.ports && (p.dstPort < r.ports.from || p.dstPort > r.ports.to)) return false;
    switch (r.peer.kind) {
      case "cidr":
        return contains(r.peer.cidr, peer);
      case "prefix-list":
        return (this.#world.prefixLists[r.peer.list]?.cidrs ?? []).some((c) => contains(c, peer));
      case "security-group": {
        const group = r.peer.group;
        return Object.values(this.#world.instances).some((i) => i.interfaces.some((e) =>
          e.securityGroups.includes(group) && [...e.privateIps, ...e.ipv6s].some((a) => a.text === peer.text)));
      }
    }
  }

  /** aws-rules §3.2, read literally. */
  #untracked(eni: NetworkInterface, direction: Direction, p: Packet, allowing: SecurityGroupRule[]): boolean {
    if (!this.#world.settings.untrackedFlows) return false;
    const other = this.#rules(eni, direction === "inbound" ? "outbound" : "inbound");
    const wide = (r: SecurityGroupRule) => r.peer.kind === "cidr" && r.peer.cidr.prefix === 0 && r.peer.cidr.family === p.src.family;
    const allPorts = (rs: SecurityGroupRule[]) => rs.some((r) => wide(r) && (r.protocol === -1 ||
      (r.protocol === p.protocol && (!r.ports || (r.ports.from === 0 && r.ports.to === 65535)))));
    if (allowing.some(wide) && allPorts(other)) return true;
    if (!allPorts(this.#rules(eni, direction))) return false;
    const reversed = { ...p, srcPort: p.dstPort, dstPort: p.srcPort };
    return other.some((r) => wide(r) && this.#sgRuleMatches(r, reversed, direction === "inbound" ? p.src : p.dst));
  }
}
