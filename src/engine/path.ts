// The packet's path through the VPC, in AWS's order (aws-rules §4.7): source security groups
// outbound, source subnet ACL outbound, route, gateway, destination subnet ACL inbound,
// destination security groups inbound. A reply is just another packet; the connection table and
// the gateways' flow state make it a reply.
import type { CompiledRoute } from "../compile/route-table.js";
import { lookupRoute, targetText } from "../compile/route-table.js";
import type { CompiledEni, CompiledSubnet } from "../compile/world.js";
import { interfaceAt, inVpc, primaryInterface, publicInterfaceAt, serviceAt, subnetContaining } from "../compile/world.js";
import type { Component } from "../model/component.js";
import type { Packet } from "../model/packet.js";
import { withAddresses } from "../model/packet.js";
import type { WalkContext } from "./context.js";
import { AUTO_TRACKED, EGRESS_ONLY, EGRESS_ONLY_GATEWAY, FROM_VPC, INTERNET, INTERNET_GATEWAY, VPC } from "./context.js";
import { nacl, securityGroups } from "./filters.js";
import {
  egressOnlyOut,
  flowOf,
  internetGatewayOut,
  natInbound,
  natInstanceReturn,
  refusedByInternetGateway,
  throughAppliance,
  throughNat,
} from "./gateways.js";

/** Where a packet starts: an interface, an Amazon service, or the internet. */
export function walk(c: WalkContext, p: Packet): boolean {
  const w = c.compiled;
  const eni = interfaceAt(w, p.src);
  if (eni) return fromInterface(c, eni, p);
  const service = serviceAt(w, p.src);
  const target = service && interfaceAt(w, p.dst);
  if (target) {
    c.scope.hops?.push({
      component: { kind: "amazon-service", service },
      action: "forward",
      note: "security groups and network ACLs do not filter traffic from Amazon-provided services",
    });
    c.scope.hops?.push({ component: target.self, action: "deliver" });
    return c.scope.deliver(p);
  }
  if (inVpc(w, p.src)) {
    return c.scope.fail("NO_PATH", VPC, { kind: "unknown-source", source: p.src });
  }
  return acrossInternet(c, p, 0, 0);
}

function fromInterface(c: WalkContext, eni: CompiledEni, p: Packet): boolean {
  const service = serviceAt(c.compiled, p.dst);
  if (service) {
    // Amazon DNS, metadata, time sync and the VPC router are not filtered (aws-rules §1.6).
    c.scope.hops?.push({
      component: { kind: "amazon-service", service },
      action: "deliver",
      note: "security groups and network ACLs do not filter traffic to Amazon-provided services",
    });
    return c.scope.deliver(p);
  }
  const route = lookupRoute(eni.subnet.routes, p.dst);
  const kind = route?.target.kind;
  const auto = kind === "nat-gateway" || kind === "egress-only-internet-gateway" ? AUTO_TRACKED : 0;
  if (!securityGroups(c, eni, "outbound", p, auto)) return false;
  return leaveSubnet(c, eni.subnet, p, route, 0, auto);
}

/** A packet leaving `subnet` after a gateway or appliance: its route is looked up there. */
export function routeOut(c: WalkContext, subnet: CompiledSubnet, p: Packet, depth: number, via: number): boolean {
  return leaveSubnet(c, subnet, p, lookupRoute(subnet.routes, p.dst), depth, via);
}

/** `route` is the subnet's route for `p.dst`, which the caller has already looked up. */
function leaveSubnet(
  c: WalkContext,
  subnet: CompiledSubnet,
  p: Packet,
  route: CompiledRoute | undefined,
  depth: number,
  via: number,
): boolean {
  const w = c.compiled;
  const target = interfaceAt(w, p.dst);
  // Within one subnet no network ACL is evaluated (§1.1, §4.2).
  if (target && target.subnet === subnet) {
    c.scope.hops?.push({ component: subnet.routeRef, action: "forward", note: "same subnet: network ACLs are not evaluated" });
    return arrive(c, target, p, via);
  }
  if (!nacl(c, subnet, "outbound", p)) return false;
  if (!route) {
    // The trace shows the table consulted and what it holds, so the missing route is visible (§4.1).
    const hops = c.scope.hops;
    if (hops) {
      const held = p.dst.family === 4 ? subnet.routes.v4 : subnet.routes.v6;
      hops.push({
        component: subnet.routeRef,
        action: "deny",
        rule: `no route covers ${p.dst.text}`,
        note: `IPv${p.dst.family} routes of ${subnet.routes.name}: ${held.map((r) => `${r.destination.text} → ${targetText(r.target)}`).join(", ") || "none"}`,
      });
    }
    return c.scope.fail("NO_ROUTE_TO_DESTINATION", subnet.routeRef, {
      kind: "no-route",
      table: subnet.routes.name,
      subnet: subnet.subnet.name,
      destination: p.dst,
      target: c.scope.explain ? missingTarget(c, subnet, p) : "",
    });
  }
  const t = route.target;
  // A blackhole route is where the packet stops: the trace shows it as a drop at the route (§4.1).
  c.scope.hops?.push({
    component: subnet.routeRef,
    action: t.kind === "blackhole" ? "deny" : "forward",
    rule: `${route.destination.text} → ${targetText(t)}`,
    ...(t.kind === "blackhole" ? { note: "blackhole: the route's target no longer exists" } : {}),
  });
  switch (t.kind) {
    case "local":
      return inside(c, subnet, p, via, target);
    case "blackhole":
      return c.scope.fail("BAD_STATE_ROUTE", subnet.routeRef, {
        kind: "blackhole",
        table: subnet.routes.name,
        route: route.destination.text,
      });
    case "unmodelled":
      return c.scope.fail("UNMODELLED_TARGET", subnet.routeRef, {
        kind: "unmodelled-target",
        table: subnet.routes.name,
        route: route.destination.text,
        target: t.id,
      });
    case "internet-gateway":
      return internetGatewayOut(c, p, via);
    case "egress-only-internet-gateway":
      return egressOnlyOut(c, p, via);
    case "nat-gateway": {
      const nat = w.world.natGateways[t.name];
      const compiled = nat && w.natPrivate4.get(nat.privateIp.v4);
      if (!compiled) throw new Error(`route to unknown NAT gateway ${t.name} (the loader checks references)`);
      return throughNat(c, compiled, subnet, p, depth, via);
    }
    case "instance": {
      const eni = primaryInterface(w, t.name);
      if (!eni) throw new Error(`route to unknown instance ${t.name} (the loader checks references)`);
      return throughAppliance(c, eni, subnet, p, depth, via);
    }
  }
}

/**
 * The gateway a missing route should name, as a teacher would (§4.1, §4.3-§4.5): the internet
 * gateway for a sender with a public address (or any IPv6 one when the VPC has no egress-only
 * gateway), else a NAT gateway of another subnet, else the egress-only gateway for IPv6.
 */
function missingTarget(c: WalkContext, subnet: CompiledSubnet, p: Packet): string {
  const w = c.compiled;
  if (p.dst.family === 6) return w.hasEgressOnlyGateway ? "egress-only-internet-gateway" : "internet-gateway";
  if (interfaceAt(w, p.src)?.iface.publicIp) return "internet-gateway";
  for (const nat of w.natPrivate4.values()) if (nat.subnet !== subnet) return `nat-gateway ${nat.nat.name}`;
  return "internet-gateway";
}

/** A packet routed by the `local` route to an address of the VPC; `eni` owns `p.dst`, if any. */
function inside(c: WalkContext, from: CompiledSubnet, p: Packet, via: number, eni: CompiledEni | undefined): boolean {
  const w = c.compiled;
  if (eni) {
    if (eni.subnet !== from && !nacl(c, eni.subnet, "inbound", p)) return false;
    return arrive(c, eni, p, via);
  }
  const nat = p.dst.family === 4 ? w.natPrivate4.get(p.dst.v4) : undefined;
  if (nat) {
    if (nat.subnet !== from && !nacl(c, nat.subnet, "inbound", p)) return false;
    return c.scope.fail("NGW_NOT_A_DESTINATION", nat.ref, { kind: "nat-not-destination", nat: nat.nat.name });
  }
  const subnet = subnetContaining(w, p.dst);
  if (subnet && subnet !== from && !nacl(c, subnet, "inbound", p)) return false;
  return c.scope.fail("NO_INTERFACE_AT_DESTINATION", subnet ? { kind: "vpc", subnet: subnet.subnet.name } : VPC, {
    kind: "no-interface",
    destination: p.dst,
    subnet: subnet?.subnet.name,
  });
}

/** The packet reaches its interface: a NAT instance's reply goes back inside, anything else meets the inbound groups. */
export function arrive(c: WalkContext, eni: CompiledEni, p: Packet, via: number): boolean {
  if (eni.iface.nat && p.dst.family === 4) {
    const t = flowOf(c, eni.iface.name, p);
    if (t) return natInstanceReturn(c, eni, p, t, via);
  }
  if (!securityGroups(c, eni, "inbound", p, via)) return false;
  c.scope.hops?.push({ component: eni.self, action: "deliver" });
  return c.scope.deliver(p);
}

/** The packet is on the internet, heading for `p.dst`. */
export function acrossInternet(c: WalkContext, p: Packet, via: number, depth: number): boolean {
  const w = c.compiled;
  const dst = p.dst;
  if (dst.family === 4) {
    const eni = publicInterfaceAt(w, dst.v4);
    const nat = eni ? undefined : w.natPublic4.get(dst.v4);
    if ((eni || nat) && w.hasInternetGateway) {
      if (refusedByInternetGateway(c, p.src, true)) return false;
      // 1:1 translation of the public address back to the private one (§4.3)
      const priv = eni ? eni.iface.privateIps[0]! : nat!.nat.privateIp;
      const toPrivate = withAddresses(p, p.src, p.srcPort, priv, p.dstPort);
      c.scope.hops?.push({
        component: INTERNET_GATEWAY,
        action: "translate",
        translation: { field: "destination", from: dst.text, to: priv.text },
      });
      if (eni) {
        if (!nacl(c, eni.subnet, "inbound", toPrivate)) return false;
        return arrive(c, eni, toPrivate, via);
      }
      return natInbound(c, nat!, toPrivate, via, depth);
    }
    if (inVpc(w, dst)) {
      return c.scope.fail("IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS", INTERNET_GATEWAY, { kind: "private-from-internet", destination: dst });
    }
  } else if (inVpc(w, dst)) {
    return ipv6Inbound(c, p, via);
  }
  const host = dst.family === 4 ? w.hosts4.get(dst.v4) : w.hosts6.get(dst.v6);
  if (host === undefined && !(via & FROM_VPC)) {
    return c.scope.fail("NO_PATH", INTERNET, { kind: "nothing-owns", destination: dst });
  }
  c.scope.hops?.push({ component: host === undefined ? INTERNET : { kind: "internet", host }, action: "deliver" });
  return c.scope.deliver(p);
}

/** IPv6 from the internet: through the internet gateway, or as the reply of an egress-only flow (§4.5). */
function ipv6Inbound(c: WalkContext, p: Packet, via: number): boolean {
  const w = c.compiled;
  if (flowOf(c, EGRESS_ONLY, p)) {
    c.scope.hops?.push({ component: EGRESS_ONLY_GATEWAY, action: "forward", note: "reply of an outbound flow" });
    via |= AUTO_TRACKED;
  } else if (w.hasInternetGateway) {
    c.scope.hops?.push({ component: INTERNET_GATEWAY, action: "forward" });
  } else {
    if (w.hasEgressOnlyGateway) {
      return c.scope.fail("EIGW_UNSOLICITED_INBOUND", EGRESS_ONLY_GATEWAY, { kind: "egress-only-unsolicited" });
    }
    return c.scope.fail("NO_PATH", INTERNET, { kind: "no-internet-gateway", destination: p.dst });
  }
  const eni = interfaceAt(w, p.dst);
  const subnet = eni ? eni.subnet : subnetContaining(w, p.dst);
  if (subnet && !nacl(c, subnet, "inbound", p)) return false;
  if (!eni) {
    return c.scope.fail("NO_INTERFACE_AT_DESTINATION", VPC, { kind: "no-interface", destination: p.dst, subnet: undefined });
  }
  return arrive(c, eni, p, via);
}

/** Too many gateways and appliances on one path: the routes loop. */
export function loop(c: WalkContext, at: Component, subnet: CompiledSubnet): false {
  return c.scope.fail("ROUTING_LOOP", at, { kind: "routing-loop", table: subnet.routes.name, subnet: subnet.subnet.name });
}
