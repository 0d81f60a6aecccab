// Gateways and appliances: the internet gateway's 1:1 translation (aws-rules §4.3), the NAT
// gateway's source translation and its flow state (§4.4), the egress-only internet gateway (§4.5),
// and instances that routes send traffic through, NAT instances among them (§4.6).
import type { CompiledEni, CompiledNat, CompiledSubnet } from "../compile/world.js";
import { interfaceAt } from "../compile/world.js";
import type { Address } from "../model/address.js";
import type { Component } from "../model/component.js";
import type { Packet } from "../model/packet.js";
import { RST, SYN, withAddresses } from "../model/packet.js";
import { ICMP, isIcmp, TCP, UDP } from "../model/protocol.js";
import { CLOSED_BY_RST } from "./connection-table.js";
import type { WalkContext } from "./context.js";
import { AUTO_TRACKED, EGRESS_ONLY, EGRESS_ONLY_GATEWAY, FORWARDED, FROM_VPC, INTERNET_GATEWAY, MAX_DEPTH } from "./context.js";
import { nacl, securityGroups, timeout } from "./filters.js";
import { acrossInternet, loop, routeOut } from "./path.js";
import type { Translation } from "./translation-table.js";

/**
 * Which address space the internet gateway refuses an IPv4 address for (aws-rules §4.3): 1918
 * for RFC 1918's private blocks (10/8, 172.16/12, 192.168/16), 6598 for the shared 100.64/10,
 * else 0. Integer tests on the uint32 address.
 */
function unroutable(a: Address): 0 | 1918 | 6598 {
  if (a.family !== 4) return 0;
  const v = a.v4;
  if (v >>> 24 === 10 || v >>> 20 === 0xac1 || v >>> 16 === 0xc0a8) return 1918;
  return v >>> 22 === 0x191 ? 6598 : 0;
}

/** The internet gateway drops a packet for, or (`inbound`) from, a private or shared address (§4.3); true when it did. */
export function refusedByInternetGateway(c: WalkContext, a: Address, inbound: boolean): boolean {
  const space = unroutable(a);
  if (space === 0) return false;
  const code = inbound
    ? space === 1918
      ? "IGW_SOURCE_ADDRESS_NOT_IN_RFC1918_INGRESS"
      : "IGW_SOURCE_ADDRESS_NOT_IN_RFC6598_INGRESS"
    : space === 1918
      ? "IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS"
      : "IGW_DESTINATION_ADDRESS_NOT_IN_RFC6598_EGRESS";
  c.scope.fail(code, INTERNET_GATEWAY, { kind: "igw-unroutable", address: a, space, inbound });
  return true;
}

export function internetGatewayOut(c: WalkContext, p: Packet, via: number): boolean {
  if (refusedByInternetGateway(c, p.dst, false)) return false;
  let out = p;
  if (p.src.family === 4) {
    // 1:1 translation of the private address to its public one (§4.3)
    const w = c.compiled;
    const eni = interfaceAt(w, p.src);
    const nat = w.natPrivate4.get(p.src.v4);
    const pub = eni ? eni.iface.publicIp : nat?.nat.publicIp;
    if (!pub) {
      return c.scope.fail("IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS", INTERNET_GATEWAY, {
        kind: "no-public-ip",
        source: p.src,
        instance: eni?.iface.instance,
      });
    }
    out = withAddresses(p, pub, p.srcPort, p.dst, p.dstPort);
    c.scope.hops?.push({
      component: INTERNET_GATEWAY,
      action: "translate",
      translation: { field: "source", from: p.src.text, to: pub.text },
    });
  } else {
    c.scope.hops?.push({ component: INTERNET_GATEWAY, action: "forward" });
  }
  return acrossInternet(c, out, via | FROM_VPC, 0);
}

export function egressOnlyOut(c: WalkContext, p: Packet, via: number): boolean {
  remember(c, EGRESS_ONLY, p, false, c.compiled.world.settings.egressOnlyIdleTimeout);
  c.scope.hops?.push({ component: EGRESS_ONLY_GATEWAY, action: "forward", note: "outbound flow remembered: replies may come back in" });
  return acrossInternet(c, p, via | FROM_VPC | AUTO_TRACKED, 0);
}

/** Records an outbound flow at a gateway (or NAT instance); returns its outside port. */
function remember(c: WalkContext, gateway: string, p: Packet, translate: boolean, idle: number): number | undefined {
  const id = isIcmp(p.protocol);
  return c.translations.outbound(gateway, p.protocol, p.src, p.srcPort, p.dst, id ? 0 : p.dstPort, c.now, idle, translate)?.outsidePort;
}

/** The flow remembered at a gateway that a packet from outside answers, if it is still alive. */
export function flowOf(c: WalkContext, gateway: string, p: Packet): Translation | undefined {
  const icmp = isIcmp(p.protocol);
  return c.translations.inbound(gateway, p.protocol, icmp ? p.srcPort : p.dstPort, p.src, icmp ? 0 : p.srcPort, c.now);
}

/** The packet as it leaves a translating gateway: its source becomes `address:port`. */
function translatedOut(c: WalkContext, at: Component, p: Packet, address: Address, port: number): Packet {
  const out = withAddresses(p, address, port, p.dst, p.dstPort);
  c.scope.hops?.push({
    component: at,
    action: "translate",
    translation: { field: "source", from: `${p.src.text}:${p.srcPort}`, to: `${address.text}:${port}` },
  });
  return out;
}

/** A reply translated back to the inside address and port of its flow (an ICMP echo id is the port). */
function translatedBack(c: WalkContext, at: Component, p: Packet, t: Translation): Packet {
  const icmp = isIcmp(p.protocol);
  const back = icmp
    ? withAddresses(p, p.src, t.insidePort, t.inside, p.dstPort)
    : withAddresses(p, p.src, p.srcPort, t.inside, t.insidePort);
  c.scope.hops?.push({
    component: at,
    action: "translate",
    translation: { field: "destination", from: `${p.dst.text}:${icmp ? p.srcPort : p.dstPort}`, to: `${t.inside.text}:${t.insidePort}` },
  });
  return back;
}

export function throughNat(c: WalkContext, nat: CompiledNat, from: CompiledSubnet, p: Packet, depth: number, via: number): boolean {
  if (nat.subnet !== from && !nacl(c, nat.subnet, "inbound", p)) return false;
  // TCP, UDP and ICMP only (§4.4)
  if (p.protocol !== TCP && p.protocol !== UDP && p.protocol !== ICMP) {
    return c.scope.fail("PROTOCOL_RESTRICTION", nat.ref, { kind: "nat-protocol", protocol: p.protocol });
  }
  const idle = c.compiled.world.settings.natIdleTimeout;
  if (p.protocol === TCP && (p.flags & SYN) === 0) {
    // Only a SYN opens a translation: a segment of a connection the gateway no longer knows (idle
    // past the timeout, or never seen) is answered with an RST, and the connection is gone (§4.4).
    const known = c.translations.find(nat.nat.name, TCP, p.src, p.srcPort, p.dst, p.dstPort);
    if (!known || c.now - known.lastSeen > known.timeout) return natReset(c, nat, p, known);
  }
  const port = remember(c, nat.nat.name, p, true, idle);
  if (port === undefined) {
    return c.scope.fail("NGW_PORT_ALLOCATION_ERROR", nat.ref, {
      kind: "nat-ports",
      nat: nat.nat.name,
      destination: p.dst,
      port: p.dstPort,
      idleTimeout: idle,
    });
  }
  const out = translatedOut(c, nat.ref, p, nat.nat.privateIp, port);
  if (depth >= MAX_DEPTH) return loop(c, nat.ref, nat.subnet);
  return routeOut(c, nat.subnet, out, depth + 1, via | AUTO_TRACKED);
}

/**
 * aws-rules §4.4: the NAT gateway resets a TCP connection it has no live translation for. Its RST
 * goes back to the sender, whose tracked entry it closes (§3.5); an RST is not answered.
 */
function natReset(c: WalkContext, nat: CompiledNat, p: Packet, known: Translation | undefined): false {
  const name = nat.nat.name;
  const rst = (p.flags & RST) === 0;
  if (known) c.translations.forget(name, TCP, known, p.dst, p.dstPort);
  if (rst) {
    const sender = interfaceAt(c.compiled, p.src);
    const e = sender && c.connections.findLive(sender.id, TCP, p.src, p.srcPort, p.dst, p.dstPort, c.now);
    if (e !== undefined) c.connections.close(e, CLOSED_BY_RST, c.now);
  }
  c.scope.hops?.push({
    component: nat.ref,
    action: rst ? "reset" : "deny",
    note: rst ? `answers ${p.src.text}:${p.srcPort} with an RST: the connection is gone` : "an RST is not answered",
  });
  return c.scope.fail("NGW_CONNECTION_RESET", nat.ref, {
    kind: "nat-reset",
    nat: name,
    idleTimeout: c.compiled.world.settings.natIdleTimeout,
    idleFor: known ? c.now - known.lastSeen : undefined,
    lastSeen: known?.lastSeen,
  });
}

/** A packet from the internet reaching a NAT gateway's public address: only replies get in (§4.4). */
export function natInbound(c: WalkContext, nat: CompiledNat, p: Packet, via: number, depth: number): boolean {
  if (!nacl(c, nat.subnet, "inbound", p)) return false;
  const t = flowOf(c, nat.nat.name, p);
  if (!t) {
    const forgotten = c.translations.stale;
    return c.scope.fail("NGW_UNSOLICITED_INBOUND", nat.ref, {
      kind: "nat-unsolicited",
      nat: nat.nat.name,
      idleTimeout: c.compiled.world.settings.natIdleTimeout,
      ...(forgotten ? { idleFor: c.now - forgotten.lastSeen, lastSeen: forgotten.lastSeen } : {}),
    });
  }
  const back = translatedBack(c, nat.ref, p, t);
  if (depth >= MAX_DEPTH) return loop(c, nat.ref, nat.subnet);
  return routeOut(c, nat.subnet, back, depth + 1, via | AUTO_TRACKED);
}

/**
 * A route to an instance: an appliance (aws-rules §4.6). The packet enters its interface through
 * its subnet's ACL and its inbound security groups. With source/destination check on, the
 * interface drops a packet addressed to someone else; with it off, the instance forwards the
 * packet unchanged, through its outbound security groups and its subnet's route table.
 */
export function throughAppliance(c: WalkContext, eni: CompiledEni, from: CompiledSubnet, p: Packet, depth: number, via: number): boolean {
  if (eni.subnet !== from && !nacl(c, eni.subnet, "inbound", p)) return false;
  if (!securityGroups(c, eni, "inbound", p, via)) return false;
  const name = eni.iface.instance;
  if (eni.iface.sourceDestCheck) {
    return c.scope.fail("ENI_SOURCE_DEST_CHECK_RESTRICTION", eni.self, { kind: "source-dest-check", instance: name, destination: p.dst });
  }
  let out = p;
  if (eni.iface.nat && p.src.family === 4 && (p.protocol === TCP || p.protocol === UDP || p.protocol === ICMP)) {
    // A NAT instance masquerades: its own address, and a port of its choosing (§4.4 describes the
    // NAT gateway; a NAT instance does the same in its operating system).
    const port = remember(c, eni.iface.name, p, true, timeout(c, eni, p.protocol, 0));
    if (port === undefined) {
      return c.scope.fail("NAT_INSTANCE_PORT_ALLOCATION_ERROR", eni.self, {
        kind: "nat-instance-ports",
        instance: name,
        destination: p.dst,
        port: p.dstPort,
      });
    }
    out = translatedOut(c, eni.self, p, eni.iface.privateIps[0]!, port);
  } else {
    c.scope.hops?.push({
      component: eni.self,
      action: "forward",
      note: "source/destination check is off: the instance forwards the packet",
    });
  }
  if (depth >= MAX_DEPTH) return loop(c, eni.self, eni.subnet);
  if (!securityGroups(c, eni, "outbound", out, via)) return false;
  c.scope.forwardedBy = name;
  return routeOut(c, eni.subnet, out, depth + 1, via | FORWARDED);
}

/**
 * A reply reaching a NAT instance for a flow it translated: in through its security groups,
 * back to the inside address and port, and out again (§4.6 applies on the way back too).
 */
export function natInstanceReturn(c: WalkContext, eni: CompiledEni, p: Packet, t: Translation, via: number): boolean {
  if (!securityGroups(c, eni, "inbound", p, via)) return false;
  const back = translatedBack(c, eni.self, p, t);
  if (eni.iface.sourceDestCheck) {
    return c.scope.fail("ENI_SOURCE_DEST_CHECK_RESTRICTION", eni.self, {
      kind: "source-dest-check-reply",
      instance: eni.iface.instance,
      inside: t.inside,
    });
  }
  if (!securityGroups(c, eni, "outbound", back, via)) return false;
  c.scope.forwardedBy = eni.iface.instance;
  return routeOut(c, eni.subnet, back, 1, via | FORWARDED);
}
