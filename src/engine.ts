// The packet-flow engine: one packet at a time through the VPC, in AWS's order (aws-semantics
// §0, §4): source security groups outbound, source subnet ACL outbound, route, gateway
// translation, destination subnet ACL inbound, destination security groups inbound. A reply is
// just another packet; the connection table and the gateways' flow state make it a reply.
import type { Draft } from "immer";
import type { Address } from "./address.js";
import { produce } from "immer";
import type { CompiledEni, CompiledNat, CompiledSubnet, CompiledWorld } from "./compile.js";
import { compileWorld, interfaceAt, inVpc, serviceAt, subnetContaining } from "./compile.js";
import { FIN_IN, FIN_OUT, OUTBOUND, REPLIED, STREAM, ConnectionTable } from "./conntrack.js";
import type { DropReason, Role } from "./explain.js";
import { explainDrop } from "./explain.js";
import type { World } from "./model.js";
import { MISS, MatchCache } from "./match-cache.js";
import { packetKey } from "./match-index.js";
import { evaluateNacl, naclList } from "./nacl.js";
import type { Packet } from "./packet.js";
import { FIN, RST, flagText, withAddresses } from "./packet.js";
import { ICMP, ICMPV6, TCP, UDP, icmpReplyType, isIcmp, protocolName } from "./protocol.js";
import type { CompiledRoute } from "./route-table.js";
import { lookupRoute, targetText } from "./route-table.js";
import { naclRuleText, sgRuleText } from "./rule-text.js";
import type { CompiledSgRules, Direction } from "./security-group.js";
import { matchSecurityGroups, matchedRule, opensAllPorts, wideAllows } from "./security-group.js";
import type { Component, DropCode, Hop, PacketResult, PacketView } from "./trace.js";
import type { Translation } from "./translation.js";
import { TranslationTable } from "./translation.js";

export interface SendOptions {
  /** build the hop-by-hop trace and explanations (default true); off is the verdict-only mode */
  readonly trace?: boolean;
  /** request or reply of a connection, for the explanation's words */
  readonly role?: Role;
}

/** Set on a packet that came through a gateway whose connections AWS always tracks (§3.3). */
const AUTO_TRACKED = 1;
/** Set on a packet that left the VPC, so it may be delivered to any internet address. */
const FROM_VPC = 2;
const MAX_DEPTH = 8;
const EIGW = "egress-only-internet-gateway";
const IGW: Component = { kind: "internet-gateway" };
const EIGW_COMPONENT: Component = { kind: "egress-only-internet-gateway" };
const VPC: Component = { kind: "vpc" };
const INTERNET: Component = { kind: "internet" };

export class Engine {
  #world: World;
  #compiled: CompiledWorld;
  #ids = new Map<string, number>();
  #now = 0;
  readonly connections = new ConnectionTable();
  readonly translations = new TranslationTable();
  readonly #matches = new MatchCache();

  // State of the packet in flight, so the verdict-only path allocates no result.
  #hops: Hop[] | null = null;
  #role: Role = "packet";
  #explain = false;
  #drop: { code: DropCode; component: Component; explanation: string; fix?: string } | undefined;
  #dropCode: DropCode | undefined;
  #received: Packet | undefined;
  #trackedAtDestination: boolean | undefined;

  constructor(world: World) {
    this.#world = world;
    this.#compiled = this.#compile(world);
  }

  get world(): World {
    return this.#world;
  }

  get compiled(): CompiledWorld {
    return this.#compiled;
  }

  /** Simulation time in seconds. */
  get now(): number {
    return this.#now;
  }

  advance(seconds: number): void {
    if (!(seconds >= 0)) throw new Error(`advance: ${seconds} is not a duration`);
    this.#now += seconds;
  }

  /** Drops idle connection-table entries now rather than when next looked up. */
  expireConnections(): number {
    return this.connections.expire(this.#now);
  }

  /**
   * Changes the world. Tracked connections survive rule changes; untracked flows have no entry,
   * so their next packet meets the new rules at once (§3.2); ACL changes apply to the next packet.
   */
  update(recipe: (draft: Draft<World>) => void): void {
    this.setWorld(produce(this.#world, recipe));
  }

  setWorld(world: World): void {
    this.#world = world;
    this.#compiled = this.#compile(world);
    this.#matches.clear();
  }

  #compile(world: World): CompiledWorld {
    return compileWorld(world, (name) => {
      let id = this.#ids.get(name);
      if (id === undefined) {
        id = this.#ids.size;
        this.#ids.set(name, id);
      }
      return id;
    });
  }

  /** One packet with its full trace. */
  send(p: Packet, options: SendOptions = {}): PacketResult {
    const trace = options.trace ?? true;
    this.#hops = trace ? [] : null;
    this.#role = options.role ?? "packet";
    this.#explain = true;
    this.#drop = undefined;
    this.#dropCode = undefined;
    this.#received = undefined;
    this.#trackedAtDestination = undefined;
    const delivered = this.#process(p);
    const result: PacketResult = {
      delivered,
      packet: packetView(p),
      ...(this.#received ? { received: packetView(this.#received) } : {}),
      hops: this.#hops ?? [],
      ...(this.#drop ? { drop: this.#drop } : {}),
      ...(this.#trackedAtDestination !== undefined ? { trackedAtDestination: this.#trackedAtDestination } : {}),
      time: this.#now,
    };
    this.#hops = null;
    return result;
  }

  /** Verdict only: true when delivered. Allocates no trace; `lastDropCode` tells why not. */
  verdict(p: Packet): boolean {
    this.#hops = null;
    this.#role = "packet";
    this.#explain = false;
    this.#drop = undefined;
    this.#dropCode = undefined;
    this.#received = undefined;
    return this.#process(p);
  }

  get lastDropCode(): DropCode | undefined {
    return this.#dropCode;
  }

  /** The packet as the destination saw it, after the last `send` or `verdict`. */
  get lastReceived(): Packet | undefined {
    return this.#received;
  }

  // ---------------------------------------------------------------------------------------------

  #process(p: Packet): boolean {
    const c = this.#compiled;
    const eni = interfaceAt(c, p.src);
    if (eni) return this.#fromInterface(eni, p);
    const service = serviceAt(c, p.src);
    const target = service && interfaceAt(c, p.dst);
    if (target) {
      this.#hops?.push({ component: { kind: "amazon-service", service }, action: "forward",
        note: "security groups and network ACLs do not filter traffic from Amazon-provided services" });
      this.#hops?.push({ component: target.self, action: "deliver" });
      this.#received = p;
      return true;
    }
    if (inVpc(c, p.src)) {
      return this.#fail("NO_PATH", VPC, { kind: "unknown-source", source: p.src });
    }
    return this.#acrossInternet(p, 0, 0);
  }

  #fromInterface(eni: CompiledEni, p: Packet): boolean {
    const service = serviceAt(this.#compiled, p.dst);
    if (service) return this.#reachService(service, p);
    const route = lookupRoute(eni.subnet.routes, p.dst);
    const kind = route?.target.kind;
    const auto = kind === "nat-gateway" || kind === "egress-only-internet-gateway" ? AUTO_TRACKED : 0;
    if (!this.#securityGroups(eni, "outbound", p, auto)) return false;
    return this.#leaveSubnet(eni.subnet, p, route, 0, auto);
  }

  /** Amazon DNS, metadata, time sync and the VPC router are not filtered (aws-semantics §1.6). */
  #reachService(service: string, p: Packet): boolean {
    this.#hops?.push({ component: { kind: "amazon-service", service }, action: "deliver",
      note: "security groups and network ACLs do not filter traffic to Amazon-provided services" });
    this.#received = p;
    return true;
  }

  /** A packet leaving `subnet` after a gateway or appliance: its route is looked up there. */
  #routeOut(subnet: CompiledSubnet, p: Packet, depth: number, via: number): boolean {
    return this.#leaveSubnet(subnet, p, lookupRoute(subnet.routes, p.dst), depth, via);
  }

  /** `route` is the subnet's route for `p.dst`, which the caller has already looked up. */
  #leaveSubnet(subnet: CompiledSubnet, p: Packet, route: CompiledRoute | undefined, depth: number, via: number): boolean {
    const c = this.#compiled;
    const target = interfaceAt(c, p.dst);
    // Within one subnet no network ACL is evaluated (§1.1, §4.2).
    if (target && target.subnet === subnet) {
      this.#hops?.push({ component: subnet.routeRef, action: "forward", note: "same subnet: network ACLs are not evaluated" });
      return this.#arrive(target, p, via);
    }
    if (!this.#nacl(subnet, "outbound", p)) return false;
    if (!route) {
      return this.#fail("NO_ROUTE_TO_DESTINATION", subnet.routeRef, {
        kind: "no-route", table: subnet.routes.name, subnet: subnet.subnet.name, destination: p.dst,
      });
    }
    this.#hops?.push({ component: subnet.routeRef, action: "forward", rule: `${route.destination.text} → ${targetText(route.target)}` });
    const t = route.target;
    switch (t.kind) {
      case "local": return this.#inside(subnet, p, via, target);
      case "blackhole":
        return this.#fail("BAD_STATE_ROUTE", subnet.routeRef, {
          kind: "blackhole", table: subnet.routes.name, route: route.destination.text,
        });
      case "internet-gateway": return this.#internetGatewayOut(p, via);
      case "egress-only-internet-gateway": return this.#egressOnlyOut(p, via);
      case "nat-gateway": {
        const nat = c.world.natGateways[t.name];
        const compiled = nat && c.natPrivate4.get(nat.privateIp.v4);
        if (!compiled) throw new Error(`route to unknown NAT gateway ${t.name} (the loader checks references)`);
        return this.#throughNat(compiled, subnet, p, depth, via);
      }
      case "instance": {
        const eni = c.primary.get(t.name);
        if (!eni) throw new Error(`route to unknown instance ${t.name} (the loader checks references)`);
        return this.#throughAppliance(eni, subnet, p, depth, via);
      }
    }
  }

  /** A packet routed by the `local` route to an address of the VPC; `eni` owns `p.dst`, if any. */
  #inside(from: CompiledSubnet, p: Packet, via: number, eni: CompiledEni | undefined): boolean {
    const c = this.#compiled;
    if (eni) {
      if (eni.subnet !== from && !this.#nacl(eni.subnet, "inbound", p)) return false;
      return this.#arrive(eni, p, via);
    }
    const nat = p.dst.family === 4 ? c.natPrivate4.get(p.dst.v4) : undefined;
    if (nat) {
      if (nat.subnet !== from && !this.#nacl(nat.subnet, "inbound", p)) return false;
      return this.#fail("NGW_NOT_A_DESTINATION", nat.ref, { kind: "nat-not-destination", nat: nat.nat.name });
    }
    const subnet = subnetContaining(c, p.dst);
    if (subnet && subnet !== from && !this.#nacl(subnet, "inbound", p)) return false;
    return this.#fail("NO_INTERFACE_AT_DESTINATION", subnet ? { kind: "vpc", subnet: subnet.subnet.name } : VPC, {
      kind: "no-interface", destination: p.dst, subnet: subnet?.subnet.name,
    });
  }

  #arrive(eni: CompiledEni, p: Packet, via: number): boolean {
    if (eni.iface.nat && p.dst.family === 4) {
      const t = this.#flowOf(eni.iface.name, p);
      if (t) return this.#natInstanceReturn(eni, p, t, via);
    }
    if (!this.#securityGroups(eni, "inbound", p, via)) return false;
    this.#hops?.push({ component: eni.self, action: "deliver" });
    this.#received = p;
    return true;
  }

  #internetGatewayOut(p: Packet, via: number): boolean {
    const c = this.#compiled;
    let out = p;
    if (p.src.family === 4) {
      // 1:1 translation of the private address to its public one (§4.3)
      const eni = interfaceAt(c, p.src);
      const nat = c.natPrivate4.get(p.src.v4);
      const pub = eni ? eni.iface.publicIp : nat?.nat.publicIp;
      if (!pub) {
        return this.#fail("IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS", IGW, {
          kind: "no-public-ip", source: p.src, instance: eni?.iface.instance,
        });
      }
      out = withAddresses(p, pub, p.srcPort, p.dst, p.dstPort);
      this.#hops?.push({ component: IGW, action: "translate", translation: { field: "source", from: p.src.text, to: pub.text } });
    } else {
      this.#hops?.push({ component: IGW, action: "forward" });
    }
    return this.#acrossInternet(out, via | FROM_VPC, 0);
  }

  #egressOnlyOut(p: Packet, via: number): boolean {
    this.#remember(EIGW, p, false, this.#world.settings.egressOnlyIdleTimeout);
    this.#hops?.push({ component: EIGW_COMPONENT, action: "forward",
      note: "outbound flow remembered: replies may come back in" });
    return this.#acrossInternet(p, via | FROM_VPC | AUTO_TRACKED, 0);
  }

  /** Records an outbound flow at a gateway (or NAT instance); returns its outside port. */
  #remember(gateway: string, p: Packet, translate: boolean, timeout: number): number | undefined {
    const id = isIcmp(p.protocol);
    return this.translations.outbound(gateway, p.protocol, p.src, p.srcPort, p.dst, id ? 0 : p.dstPort, this.#now, timeout, translate)?.outsidePort;
  }

  /** The flow remembered at a gateway that a packet from outside answers, if it is still alive. */
  #flowOf(gateway: string, p: Packet): Translation | undefined {
    const icmp = isIcmp(p.protocol);
    return this.translations.inbound(gateway, p.protocol, icmp ? p.srcPort : p.dstPort, p.src, icmp ? 0 : p.srcPort, this.#now);
  }

  /** The packet as it leaves a translating gateway: its source becomes `address:port`. */
  #translatedOut(at: Component, p: Packet, address: Address, port: number): Packet {
    const out = withAddresses(p, address, port, p.dst, p.dstPort);
    this.#hops?.push({ component: at, action: "translate",
      translation: { field: "source", from: `${p.src.text}:${p.srcPort}`, to: `${address.text}:${port}` } });
    return out;
  }

  /** A reply translated back to the inside address and port of its flow (an ICMP echo id is the port). */
  #translatedBack(at: Component, p: Packet, t: Translation): Packet {
    const icmp = isIcmp(p.protocol);
    const back = icmp ? withAddresses(p, p.src, t.insidePort, t.inside, p.dstPort) : withAddresses(p, p.src, p.srcPort, t.inside, t.insidePort);
    this.#hops?.push({ component: at, action: "translate",
      translation: { field: "destination", from: `${p.dst.text}:${icmp ? p.srcPort : p.dstPort}`, to: `${t.inside.text}:${t.insidePort}` } });
    return back;
  }

  #throughNat(nat: CompiledNat, from: CompiledSubnet, p: Packet, depth: number, via: number): boolean {
    if (nat.subnet !== from && !this.#nacl(nat.subnet, "inbound", p)) return false;
    // TCP, UDP and ICMP only (§4.4)
    if (p.protocol !== TCP && p.protocol !== UDP && p.protocol !== ICMP) {
      return this.#fail("PROTOCOL_RESTRICTION", nat.ref, { kind: "nat-protocol", protocol: p.protocol });
    }
    const port = this.#remember(nat.nat.name, p, true, this.#world.settings.natIdleTimeout);
    if (port === undefined) {
      return this.#fail("NGW_PORT_ALLOCATION_ERROR", nat.ref, {
        kind: "nat-ports", nat: nat.nat.name, destination: p.dst, port: p.dstPort, idleTimeout: this.#world.settings.natIdleTimeout,
      });
    }
    const out = this.#translatedOut(nat.ref, p, nat.nat.privateIp, port);
    if (depth >= MAX_DEPTH) return this.#loop(nat.ref, nat.subnet);
    return this.#routeOut(nat.subnet, out, depth + 1, via | AUTO_TRACKED);
  }

  /**
   * A route to an instance: an appliance (aws-semantics §0 step 6). The packet enters its interface
   * through its subnet's ACL and its inbound security groups. With source/destination check on,
   * the interface drops a packet addressed to someone else; with it off, the instance forwards the
   * packet unchanged, through its outbound security groups and its subnet's route table.
   */
  #throughAppliance(eni: CompiledEni, from: CompiledSubnet, p: Packet, depth: number, via: number): boolean {
    if (eni.subnet !== from && !this.#nacl(eni.subnet, "inbound", p)) return false;
    if (!this.#securityGroups(eni, "inbound", p, via)) return false;
    const name = eni.iface.instance;
    if (eni.iface.sourceDestCheck) {
      return this.#fail("ENI_SOURCE_DEST_CHECK_RESTRICTION", eni.self, { kind: "source-dest-check", instance: name, destination: p.dst });
    }
    let out = p;
    if (eni.iface.nat && p.src.family === 4 && (p.protocol === TCP || p.protocol === UDP || p.protocol === ICMP)) {
      // A NAT instance masquerades: its own address, and a port of its choosing (aws-semantics §4.4
      // describes the NAT gateway; a NAT instance does the same in its operating system).
      const port = this.#remember(eni.iface.name, p, true, this.#timeout(eni, p.protocol, 0));
      if (port === undefined) {
        return this.#fail("NAT_INSTANCE_PORT_ALLOCATION_ERROR", eni.self, {
          kind: "nat-instance-ports", instance: name, destination: p.dst, port: p.dstPort,
        });
      }
      out = this.#translatedOut(eni.self, p, eni.iface.privateIps[0]!, port);
    } else {
      this.#hops?.push({ component: eni.self, action: "forward", note: "source/destination check is off: the instance forwards the packet" });
    }
    if (depth >= MAX_DEPTH) return this.#loop(eni.self, eni.subnet);
    if (!this.#securityGroups(eni, "outbound", out, via)) return false;
    return this.#routeOut(eni.subnet, out, depth + 1, via);
  }

  /**
   * A reply reaching a NAT instance for a flow it translated: in through its security groups,
   * back to the inside address and port, and out again (§0 step 6 applies on the way back too).
   */
  #natInstanceReturn(eni: CompiledEni, p: Packet, t: Translation, via: number): boolean {
    if (!this.#securityGroups(eni, "inbound", p, via)) return false;
    const back = this.#translatedBack(eni.self, p, t);
    if (eni.iface.sourceDestCheck) {
      return this.#fail("ENI_SOURCE_DEST_CHECK_RESTRICTION", eni.self, {
        kind: "source-dest-check-reply", instance: eni.iface.instance, inside: t.inside,
      });
    }
    if (!this.#securityGroups(eni, "outbound", back, via)) return false;
    return this.#routeOut(eni.subnet, back, 1, via);
  }

  /** The packet is on the internet, heading for `p.dst`. */
  #acrossInternet(p: Packet, via: number, depth: number): boolean {
    const c = this.#compiled;
    const dst = p.dst;
    if (dst.family === 4) {
      const eni = c.public4.get(dst.v4);
      const nat = eni ? undefined : c.natPublic4.get(dst.v4);
      if ((eni || nat) && c.hasInternetGateway) {
        const priv = eni ? eni.iface.privateIps[0]! : nat!.nat.privateIp;
        const inside = withAddresses(p, p.src, p.srcPort, priv, p.dstPort);
        this.#hops?.push({ component: IGW, action: "translate", translation: { field: "destination", from: dst.text, to: priv.text } });
        if (eni) {
          if (!this.#nacl(eni.subnet, "inbound", inside)) return false;
          return this.#arrive(eni, inside, via);
        }
        return this.#natInbound(nat!, inside, via, depth);
      }
      if (inVpc(c, dst)) {
        return this.#fail("IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS", IGW, { kind: "private-from-internet", destination: dst });
      }
    } else if (inVpc(c, dst)) {
      return this.#ipv6Inbound(p, via);
    }
    const host = dst.family === 4 ? c.hosts4.get(dst.v4) : c.hosts6.get(dst.v6);
    if (host === undefined && !(via & FROM_VPC)) {
      return this.#fail("NO_PATH", INTERNET, { kind: "nothing-owns", destination: dst });
    }
    this.#hops?.push({ component: host === undefined ? { kind: "internet" } : { kind: "internet", host }, action: "deliver" });
    this.#received = p;
    return true;
  }

  #natInbound(nat: CompiledNat, p: Packet, via: number, depth: number): boolean {
    if (!this.#nacl(nat.subnet, "inbound", p)) return false;
    const t = this.#flowOf(nat.nat.name, p);
    if (!t) {
      return this.#fail("NGW_UNSOLICITED_INBOUND", nat.ref, {
        kind: "nat-unsolicited", nat: nat.nat.name, idleTimeout: this.#world.settings.natIdleTimeout,
      });
    }
    const back = this.#translatedBack(nat.ref, p, t);
    if (depth >= MAX_DEPTH) return this.#loop(nat.ref, nat.subnet);
    return this.#routeOut(nat.subnet, back, depth + 1, via | AUTO_TRACKED);
  }

  #ipv6Inbound(p: Packet, via: number): boolean {
    const c = this.#compiled;
    if (this.#flowOf(EIGW, p)) {
      this.#hops?.push({ component: EIGW_COMPONENT, action: "forward", note: "reply of an outbound flow" });
      via |= AUTO_TRACKED;
    } else if (c.hasInternetGateway) {
      this.#hops?.push({ component: IGW, action: "forward" });
    } else {
      if (c.hasEgressOnlyGateway) {
        return this.#fail("EIGW_UNSOLICITED_INBOUND", EIGW_COMPONENT, { kind: "egress-only-unsolicited" });
      }
      return this.#fail("NO_PATH", INTERNET, { kind: "no-internet-gateway", destination: p.dst });
    }
    const eni = c.private6.get(p.dst.v6);
    const subnet = eni ? eni.subnet : subnetContaining(c, p.dst);
    if (subnet && !this.#nacl(subnet, "inbound", p)) return false;
    if (!eni) {
      return this.#fail("NO_INTERFACE_AT_DESTINATION", VPC, { kind: "no-interface", destination: p.dst, subnet: undefined });
    }
    return this.#arrive(eni, p, via);
  }

  // --- the filters -----------------------------------------------------------------------------

  #nacl(subnet: CompiledSubnet, direction: Direction, p: Packet): boolean {
    const peer = direction === "inbound" ? p.src : p.dst;
    const list = naclList(subnet.acl, direction, peer.family);
    const i = evaluateNacl(list, p.protocol, packetKey(p), peer);
    const allow = i >= 0 && list.allow[i] === 1;
    const component = direction === "inbound" ? subnet.aclIn : subnet.aclOut;
    if (this.#hops) {
      const rule = i >= 0 ? list.rules[i]! : undefined;
      this.#hops.push({
        component,
        action: allow ? "allow" : "deny",
        rule: rule ? naclRuleText(rule, direction) : `* deny all ${direction === "inbound" ? "from" : "to"} ${peer.family === 4 ? "0.0.0.0/0" : "::/0"}`,
        ruleNumber: rule ? rule.number : "*",
      });
    }
    if (allow) return true;
    return this.#fail("SUBNET_ACL_RESTRICTION", component, {
      kind: "network-acl", packet: p, direction, acl: this.#world.networkAcls[subnet.acl.name]!,
      denyingRule: i >= 0 ? list.rules[i]!.number : undefined, role: this.#role,
    });
  }

  /**
   * Security groups of one interface, in one direction, with connection tracking (§3): a packet
   * of a live tracked flow passes whatever the rules say; otherwise a rule must allow it, and an
   * allowed flow is tracked unless it is one of the untracked cases of §3.2.
   */
  #securityGroups(eni: CompiledEni, direction: Direction, p: Packet, via: number): boolean {
    const out = direction === "outbound";
    const local = out ? p.src : p.dst;
    const remote = out ? p.dst : p.src;
    const proto = p.protocol;
    const ports = proto === TCP || proto === UDP;
    const icmp = proto === ICMP || proto === ICMPV6;
    const lport = ports ? (out ? p.srcPort : p.dstPort) : icmp ? p.srcPort : 0;
    const rport = ports ? (out ? p.dstPort : p.srcPort) : 0;
    const table = this.connections;
    const now = this.#now;
    let e = table.find(eni.id, proto, local, lport, remote, rport);
    if (e >= 0 && !table.isLive(e, now)) {
      table.remove(e);
      e = -1;
    }
    if (e >= 0) {
      const flags = table.flags(e);
      const reply = ((flags & OUTBOUND) !== 0) !== out;
      if (icmp && p.icmpType !== (reply ? icmpReplyType(proto, table.aux(e)) : table.aux(e))) e = -1;
      else return this.#tracked(eni, direction, p, e, flags, reply);
    }
    const rules = out ? eni.outbound : eni.inbound;
    const key = packetKey(p);
    let line: number;
    if (this.#hops === null && remote.family === 4) {
      const side = eni.id * 2 + (out ? 1 : 0);
      const question = (proto << 16) | key;
      line = this.#matches.get(side, question, remote.v4);
      if (line === MISS) {
        line = matchSecurityGroups(rules, proto, key, remote, this.#compiled.groupsOf, false);
        this.#matches.set(side, question, remote.v4, line);
      }
    } else {
      // A trace reports a wide line when one matches, as that is the line that decides tracking (§3.2).
      line = matchSecurityGroups(rules, proto, key, remote, this.#compiled.groupsOf, this.#hops !== null);
    }
    const component = out ? eni.sgOut : eni.sgIn;
    if (line < 0) {
      if (this.#hops) this.#hops.push({ component, action: "deny", rule: "no rule matches" });
      return this.#fail("ENI_SG_RULES_MISMATCH", component, {
        kind: "security-groups", packet: p, direction, instance: eni.iface.instance, groups: eni.iface.securityGroups, role: this.#role,
      });
    }
    const closing = proto === TCP && (p.flags & (FIN | RST)) !== 0;
    const untracked = !closing && this.#untracked(eni, out, rules, key, p, via);
    if (!closing && !untracked) {
      table.insert(eni.id, proto, local, lport, remote, rport, now, this.#timeout(eni, proto, 0), out ? OUTBOUND : 0, icmp ? p.icmpType : 0);
    }
    if (!out) this.#trackedAtDestination = !closing && !untracked;
    if (this.#hops) {
      const src = matchedRule(rules, line);
      this.#hops.push({
        component,
        action: "allow",
        rule: `${src.group}: ${sgRuleText(src.rule, direction)}`,
        note: closing ? "closing packet: no connection is opened" : untracked
          ? "untracked flow: open to all addresses in both directions (aws-semantics §3.2), so replies are checked against the rules"
          : "connection tracked from here on",
      });
    }
    return true;
  }

  #tracked(eni: CompiledEni, direction: Direction, p: Packet, e: number, flags: number, reply: boolean): boolean {
    const table = this.connections;
    const info = this.#hops ? table.info(e) : undefined;
    let next = flags;
    if (p.protocol === UDP) next = reply ? flags | REPLIED : flags & REPLIED ? flags | STREAM : flags;
    if (p.protocol === TCP && p.flags & FIN) next |= direction === "outbound" ? FIN_OUT : FIN_IN;
    // An RST, or a FIN from each side, ends the connection (see Settings.tcpClosingTimeout).
    const closed = p.protocol === TCP && ((p.flags & RST) !== 0 || (next & (FIN_OUT | FIN_IN)) === (FIN_OUT | FIN_IN));
    if (closed) table.remove(e);
    else table.touch(e, this.#now, this.#timeout(eni, p.protocol, next), next);
    if (direction === "inbound") this.#trackedAtDestination = true;
    if (this.#hops && info) {
      this.#hops.push({
        component: direction === "inbound" ? eni.sgIn : eni.sgOut,
        action: "allow",
        rule: `${reply ? "reply of " : ""}tracked connection #${info.id} since t=${info.openedAt}s`,
        connection: info.id,
        ...(closed ? { note: `${flagText(p.flags & (FIN | RST))} closes the connection` }
          : p.protocol === TCP && p.flags & FIN ? { note: "FIN: the connection is closing; the other side's FIN may still pass" } : {}),
      });
    }
    return true;
  }

  /** The untracked-flow test of aws-semantics §3.2, for the packet as opener or as reply. */
  #untracked(eni: CompiledEni, out: boolean, rules: CompiledSgRules, key: number, p: Packet, via: number): boolean {
    if (!this.#world.settings.untrackedFlows || via & AUTO_TRACKED) return false;
    if (p.protocol !== TCP && p.protocol !== UDP) return false; // ICMP and others are always tracked
    const family = p.src.family;
    const other = out ? eni.inbound : eni.outbound;
    if (opensAllPorts(other, p.protocol, family) && wideAllows(rules, p.protocol, key, family)) return true;
    // As the reply of a flow opened the other way: that flow's opener was a wide rule of the
    // other direction (its destination port is this packet's source port), and this direction is
    // open to all ports.
    return opensAllPorts(rules, p.protocol, family) && wideAllows(other, p.protocol, p.srcPort, family);
  }

  #timeout(eni: CompiledEni, proto: number, flags: number): number {
    const t = eni.iface.timeouts;
    const s = this.#world.settings;
    if (proto === TCP) return flags & (FIN_OUT | FIN_IN) ? s.tcpClosingTimeout : t.tcpEstablished;
    if (proto === UDP) return flags & STREAM ? t.udpStream : t.udp;
    if (proto === ICMP || proto === ICMPV6) return s.icmpTimeout;
    return s.otherProtocolTimeout;
  }

  #loop(at: Component, subnet: CompiledSubnet): false {
    return this.#fail("ROUTING_LOOP", at, { kind: "routing-loop", table: subnet.routes.name, subnet: subnet.subnet.name });
  }

  /** Records a drop; the words are only written when someone will read them (not in `verdict`). */
  #fail(code: DropCode, component: Component, reason: DropReason): false {
    this.#dropCode = code;
    if (this.#explain) {
      const { explanation, fix } = explainDrop(reason);
      this.#drop = fix ? { code, component, explanation, fix } : { code, component, explanation };
    }
    return false;
  }
}

export function packetView(p: Packet): PacketView {
  const ports = p.protocol === TCP || p.protocol === UDP;
  return {
    protocol: protocolName(p.protocol),
    source: p.src.text,
    destination: p.dst.text,
    ...(ports ? { sourcePort: p.srcPort, destinationPort: p.dstPort } : {}),
    ...(p.icmpType >= 0 ? { icmpType: p.icmpType, icmpCode: p.icmpCode } : {}),
    ...(p.protocol === TCP && p.flags ? { flags: flagText(p.flags) } : {}),
  };
}
