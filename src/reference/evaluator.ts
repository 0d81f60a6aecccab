// The reference evaluator: the rule book of docs/aws-rules.md as a plain walk of one packet through
// the VPC, in the order of aws-rules §4.7. From interface A to B a packet meets A's security groups
// outbound, A's subnet ACL outbound, A's route table, the gateway or appliance the route names (with
// its own subnet's ACLs and route table), B's subnet ACL inbound and B's security groups inbound;
// the first drop ends the packet with its code (§5). Every step reads the model directly: no
// indexes, no caches, no packed integers. It keeps the state AWS keeps (tracked flows at each
// interface, flows remembered at NAT and egress-only gateways and NAT instances) and a clock, and
// both survive changes to the world.
import type { Address } from "../model/address.js";
import type { Direction, NatGateway, NetworkInterface, Subnet, World } from "../model/model.js";
import type { Packet } from "../model/packet.js";
import { RST, SYN } from "../model/packet.js";
import { TCP } from "../model/protocol.js";
import { masqueradeAddress, masquerades, mayBeNatReply, sourceDestCheck } from "./appliances.js";
import { ConnectionTable, flowName, idleTimeout, statefulSecurityGroups } from "./connection-tracking.js";
import type { RememberedFlow } from "./gateways.js";
import { backToInside, FlowMemory, internetGatewayRefuses, natGatewayCarries, withDestination, withSource } from "./gateways.js";
import { subnetAcl } from "./network-acl.js";
import {
  insideVpc,
  interfaceOwning,
  interfaceWithPublicIp,
  internetHostAt,
  natGatewayWithPrivateIp,
  natGatewayWithPublicIp,
  primaryInterface,
  subnetContaining,
  subnetOf,
} from "./places.js";
import type { RouteChoice } from "./routes.js";
import { routeFor, someRouteTargets } from "./routes.js";
import { amazonServiceAt } from "./services.js";
import type { StepResult, Verdict } from "./verdict.js";

export type { DropCode, Verdict } from "./verdict.js";

/**
 * aws-rules §4.1 (vpcsim's choice): a packet that has passed this many gateways and appliances on
 * its way is in a routing loop.
 */
export const MAX_GATEWAYS = 8;

/** What the packet has been through so far. */
interface Via {
  /** a NAT gateway or egress-only gateway carries the flow, so it is always tracked (§3.3) */
  readonly autoTracked: boolean;
  /** it left the VPC through a gateway, so any internet address may receive it (§4.3) */
  readonly fromVpc: boolean;
  /** an appliance forwarded it, discarding its sender's group membership (§2.3) */
  readonly forwarded: boolean;
}

const FROM_NOWHERE: Via = { autoTracked: false, fromVpc: false, forwarded: false };

export class ReferenceEvaluator {
  #world: World;
  #now = 0;
  /** tracked flows of every interface (aws-rules §3) */
  readonly #connections = new ConnectionTable();
  /** flows remembered by each NAT gateway and NAT instance, by name (§4.4, §4.6) */
  readonly #natGateways = new Map<string, FlowMemory>();
  readonly #natInstances = new Map<string, FlowMemory>();
  /** the VPC's egress-only internet gateway (§4.5) */
  readonly #egressOnly = new FlowMemory(false);

  constructor(world: World) {
    this.#world = world;
  }

  get world(): World {
    return this.#world;
  }

  /** Simulation time in seconds. */
  get now(): number {
    return this.#now;
  }

  advance(seconds: number): void {
    if (!(seconds >= 0) || seconds === Infinity) throw new Error(`advance: ${seconds} is not a duration in seconds`);
    this.#now += seconds;
  }

  /** Forgets tracked flows idle for longer than their timeout now rather than at their next packet. */
  expireConnections(): number {
    return this.#connections.forgetIdle(this.#now);
  }

  /**
   * A new version of the world. Tracked flows and gateways' flows are kept (aws-rules §3.1: changing
   * a rule does not stop a tracked flow); every packet from now on meets the new rules.
   */
  setWorld(world: World): void {
    this.#world = world;
  }

  /** One packet: `"delivered"`, or the code of the first drop (aws-rules §4.7, §5). */
  verdict(p: Packet): Verdict {
    const world = this.#world;
    const sender = interfaceOwning(world, p.src);
    if (sender) return this.#fromInterface(sender, p);
    // §1.6: Amazon's services answer instances unfiltered.
    if (amazonServiceAt(world, p.src) !== undefined && interfaceOwning(world, p.dst)) return "delivered";
    // A VPC address no interface owns sends nothing.
    if (insideVpc(world, p.src)) return "NO_PATH";
    return this.#acrossInternet(p, FROM_NOWHERE);
  }

  // --- the walk, in the order of aws-rules §4.7 ----------------------------------------------------

  /** A packet sent by an interface. */
  #fromInterface(sender: NetworkInterface, p: Packet): Verdict {
    const world = this.#world;
    // §1.6: nothing filters traffic to Amazon's services.
    if (amazonServiceAt(world, p.dst) !== undefined) return "delivered";
    const subnet = subnetOf(world, sender);
    // §3.3: a flow sent to a NAT gateway or an egress-only gateway is tracked whatever the rules.
    const target = routeFor(world, subnet, p.dst)?.target.kind;
    const via: Via = { ...FROM_NOWHERE, autoTracked: target === "nat-gateway" || target === "egress-only-internet-gateway" };
    return this.#securityGroups(sender, "outbound", p, via) ?? this.#leaveSubnet(subnet, p, 0, via);
  }

  /**
   * A packet leaving `subnet`, from an interface or after a gateway or appliance of that subnet.
   * `hops` counts the gateways and appliances passed so far.
   */
  #leaveSubnet(subnet: Subnet, p: Packet, hops: number, via: Via): Verdict {
    const world = this.#world;
    const receiver = interfaceOwning(world, p.dst);
    // §4.2: within one subnet no network ACL is read, and no route.
    if (receiver && receiver.subnet === subnet.name) return this.#arrive(receiver, p, via);
    const denied = subnetAcl(world, subnet, "outbound", p);
    if (denied) return denied;
    const route = routeFor(world, subnet, p.dst);
    if (!route) return "NO_ROUTE_TO_DESTINATION"; // §4.1
    return this.#follow(route, subnet, p, hops, via, receiver);
  }

  /** §4.1: the route's target takes the packet. */
  #follow(route: RouteChoice, subnet: Subnet, p: Packet, hops: number, via: Via, receiver: NetworkInterface | undefined): Verdict {
    const world = this.#world;
    const target = route.target;
    switch (target.kind) {
      case "local":
        return this.#withinVpc(subnet, p, via, receiver);
      case "blackhole":
        return "BAD_STATE_ROUTE";
      case "unmodelled":
        return "UNMODELLED_TARGET";
      case "internet-gateway":
        return this.#internetGatewayOut(p, via);
      case "egress-only-internet-gateway":
        return this.#egressOnlyOut(p, via);
      case "nat-gateway": {
        const nat = world.natGateways[target.name];
        if (!nat) throw new Error(`route to unknown NAT gateway ${target.name} (the loader checks references)`);
        return this.#throughNatGateway(nat, subnet, p, hops, via);
      }
      case "instance": {
        const appliance = primaryInterface(world, target.name);
        if (!appliance) throw new Error(`route to unknown instance ${target.name} (the loader checks references)`);
        return this.#throughAppliance(appliance, subnet, p, hops, via);
      }
    }
  }

  /** §4.1: the local route, to an address of the VPC in another subnet. */
  #withinVpc(from: Subnet, p: Packet, via: Via, receiver: NetworkInterface | undefined): Verdict {
    const world = this.#world;
    if (receiver) return this.#enterSubnet(subnetOf(world, receiver), from, p) ?? this.#arrive(receiver, p, via);
    // §4.4: a NAT gateway forwards traffic; it is never a destination.
    const nat = natGatewayWithPrivateIp(world, p.dst);
    if (nat) return this.#enterSubnet(world.subnets[nat.subnet]!, from, p) ?? "NGW_NOT_A_DESTINATION";
    // §4.1: an address of the VPC that no interface owns.
    const subnet = subnetContaining(world, p.dst);
    const denied = subnet && this.#enterSubnet(subnet, from, p);
    return denied ?? "NO_INTERFACE_AT_DESTINATION";
  }

  /** §1.1, §4.2: the inbound ACL of the subnet entered, unless the packet never left it. */
  #enterSubnet(subnet: Subnet, from: Subnet | undefined, p: Packet): StepResult {
    if (from && subnet.name === from.name) return undefined;
    return subnetAcl(this.#world, subnet, "inbound", p);
  }

  /** The packet reaches its interface: the inbound security groups, last of the walk (§4.7). */
  #arrive(receiver: NetworkInterface, p: Packet, via: Via): Verdict {
    // §4.6: a NAT instance sends the replies of flows it translated back inside.
    if (mayBeNatReply(receiver, p)) {
      const flow = this.#natInstance(receiver).answering(p, this.#now);
      if (flow) return this.#natInstanceReturn(receiver, p, flow, via);
    }
    return this.#securityGroups(receiver, "inbound", p, via) ?? "delivered";
  }

  /** §2, §3: security groups with connection tracking. */
  #securityGroups(iface: NetworkInterface, direction: Direction, p: Packet, via: Via): StepResult {
    return statefulSecurityGroups(this.#world, this.#connections, this.#now, iface, direction, p, via.autoTracked, via.forwarded);
  }

  // --- the internet and its gateways (§4.3-§4.5) -------------------------------------------------

  /** A packet on the internet, heading for its destination. */
  #acrossInternet(p: Packet, via: Via): Verdict {
    const world = this.#world;
    if (p.dst.family === 4) {
      // §4.3: a public IPv4 address enters through the internet gateway, mapped to its private one.
      const owner = interfaceWithPublicIp(world, p.dst);
      const nat = owner ? undefined : natGatewayWithPublicIp(world, p.dst);
      if ((owner || nat) && someRouteTargets(world, "internet-gateway")) {
        const refused = internetGatewayRefuses(p.src, false);
        if (refused) return refused;
        if (owner) {
          const inside = withDestination(p, owner.privateIps[0]!);
          return this.#enterSubnet(subnetOf(world, owner), undefined, inside) ?? this.#arrive(owner, inside, via);
        }
        return this.#natGatewayInbound(nat!, withDestination(p, nat!.privateIp), via);
      }
      // §4.3: a private address cannot be reached from the internet.
      if (insideVpc(world, p.dst)) return "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS";
    } else if (insideVpc(world, p.dst)) {
      return this.#ipv6FromInternet(p, via);
    }
    // A packet that left the VPC may go to any internet address; one from outside needs a host.
    if (!internetHostAt(world, p.dst) && !via.fromVpc) return "NO_PATH";
    return "delivered";
  }

  /**
   * §4.3, §4.5: IPv6 is not translated. It comes in as the reply of a flow that went out through the
   * egress-only gateway, else through the internet gateway if some route targets one (vpcsim's
   * choice); else the egress-only gateway refuses it.
   */
  #ipv6FromInternet(p: Packet, via: Via): Verdict {
    const world = this.#world;
    const replyOfEgressFlow = this.#egressOnly.answering(p, this.#now) !== undefined;
    if (!replyOfEgressFlow && !someRouteTargets(world, "internet-gateway")) {
      return someRouteTargets(world, "egress-only-internet-gateway") ? "EIGW_UNSOLICITED_INBOUND" : "NO_PATH";
    }
    // §3.3: a flow through the egress-only gateway is always tracked.
    const entering: Via = replyOfEgressFlow ? { ...via, autoTracked: true } : via;
    const receiver = interfaceOwning(world, p.dst);
    const subnet = receiver ? subnetOf(world, receiver) : subnetContaining(world, p.dst);
    const denied = subnet && this.#enterSubnet(subnet, undefined, p);
    if (denied) return denied;
    if (!receiver) return "NO_INTERFACE_AT_DESTINATION";
    return this.#arrive(receiver, p, entering);
  }

  /**
   * §4.3: leaving through the internet gateway, an IPv4 source becomes its interface's (or NAT
   * gateway's) public address; without one the packet cannot use the gateway. Nor can a packet
   * for a private or shared address.
   */
  #internetGatewayOut(p: Packet, via: Via): Verdict {
    const world = this.#world;
    const refused = internetGatewayRefuses(p.dst, true);
    if (refused) return refused;
    let out = p;
    if (p.src.family === 4) {
      const sender = interfaceOwning(world, p.src);
      const publicIp: Address | undefined = sender ? sender.publicIp : natGatewayWithPrivateIp(world, p.src)?.publicIp;
      if (!publicIp) return "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS";
      out = withSource(p, publicIp, p.srcPort);
    }
    return this.#acrossInternet(out, { ...via, fromVpc: true });
  }

  /** §4.5: the egress-only gateway remembers the flow so that its replies may come back in. */
  #egressOnlyOut(p: Packet, via: Via): Verdict {
    this.#egressOnly.leaving(p, this.#now, this.#world.settings.egressOnlyIdleTimeout);
    return this.#acrossInternet(p, { ...via, autoTracked: true, fromVpc: true });
  }

  /**
   * §4.4: into a NAT gateway from a private subnet (through its subnet's inbound ACL), out with its
   * address and a port of its own, on through its subnet's route table.
   */
  #throughNatGateway(nat: NatGateway, from: Subnet, p: Packet, hops: number, via: Via): Verdict {
    const subnet = this.#world.subnets[nat.subnet]!;
    const denied = this.#enterSubnet(subnet, from, p);
    if (denied) return denied;
    if (!natGatewayCarries(p.protocol)) return "PROTOCOL_RESTRICTION";
    if (opensNoTranslation(p) && !this.#natGateway(nat).remembers(p, this.#now)) return this.#natReset(nat, p);
    const flow = this.#natGateway(nat).leaving(p, this.#now, this.#world.settings.natIdleTimeout);
    if (!flow) return "NGW_PORT_ALLOCATION_ERROR";
    if (hops >= MAX_GATEWAYS) return "ROUTING_LOOP";
    const out = withSource(p, nat.privateIp, flow.outsidePort);
    return this.#leaveSubnet(subnet, out, hops + 1, { ...via, autoTracked: true });
  }

  /**
   * §4.4: a TCP segment of a connection the NAT gateway does not remember (idle past its timeout,
   * or never seen) is answered with an RST and the connection is gone: the gateway forgets it, and
   * the RST closes the sender's tracked flow (§3.5). An RST is not answered.
   */
  #natReset(nat: NatGateway, p: Packet): Verdict {
    this.#natGateway(nat).forget(p);
    const sender = interfaceOwning(this.#world, p.src);
    if (sender && !(p.flags & RST)) {
      const name = flowName(sender, "outbound", p);
      const flow = this.#connections.find(name, this.#now);
      if (flow) this.#connections.close(name, flow);
    }
    return "NGW_CONNECTION_RESET";
  }

  /** §4.4: a packet from the internet to a NAT gateway's public address: only replies get in. */
  #natGatewayInbound(nat: NatGateway, p: Packet, via: Via): Verdict {
    const subnet = this.#world.subnets[nat.subnet]!;
    const denied = this.#enterSubnet(subnet, undefined, p);
    if (denied) return denied;
    const flow = this.#natGateway(nat).answering(p, this.#now);
    if (!flow) return "NGW_UNSOLICITED_INBOUND";
    return this.#leaveSubnet(subnet, backToInside(p, flow), 1, { ...via, autoTracked: true });
  }

  #natGateway(nat: NatGateway): FlowMemory {
    return translationsOf(this.#natGateways, nat.name);
  }

  // --- appliances and NAT instances (§4.6) --------------------------------------------------------

  /**
   * §4.6: a route to an instance. The packet enters its interface through its subnet's ACL and its
   * inbound security groups, then meets the source/destination check; a NAT instance masquerades
   * it; it leaves through the outbound security groups and the instance's subnet's route table.
   */
  #throughAppliance(appliance: NetworkInterface, from: Subnet, p: Packet, hops: number, via: Via): Verdict {
    const world = this.#world;
    const subnet = subnetOf(world, appliance);
    const stopped = this.#enterSubnet(subnet, from, p) ?? this.#securityGroups(appliance, "inbound", p, via) ?? sourceDestCheck(appliance);
    if (stopped) return stopped;
    let out = p;
    if (masquerades(appliance, p)) {
      const timeout = idleTimeout(world, appliance, p.protocol); // the interface's tracking timeout
      const flow = this.#natInstance(appliance).leaving(p, this.#now, timeout);
      if (!flow) return "NAT_INSTANCE_PORT_ALLOCATION_ERROR";
      out = withSource(p, masqueradeAddress(appliance), flow.outsidePort);
    }
    if (hops >= MAX_GATEWAYS) return "ROUTING_LOOP";
    return this.#securityGroups(appliance, "outbound", out, via) ?? this.#leaveSubnet(subnet, out, hops + 1, { ...via, forwarded: true });
  }

  /**
   * §4.6: a reply reaching a NAT instance for a flow it translated: in through its security groups,
   * back to the inside address and port, through the source/destination check and its outbound
   * security groups, and out through its subnet's route table.
   */
  #natInstanceReturn(natInstance: NetworkInterface, p: Packet, flow: RememberedFlow, via: Via): Verdict {
    const stopped = this.#securityGroups(natInstance, "inbound", p, via);
    if (stopped) return stopped;
    const back = backToInside(p, flow);
    return (
      sourceDestCheck(natInstance) ??
      this.#securityGroups(natInstance, "outbound", back, via) ??
      this.#leaveSubnet(subnetOf(this.#world, natInstance), back, 1, { ...via, forwarded: true })
    );
  }

  #natInstance(iface: NetworkInterface): FlowMemory {
    return translationsOf(this.#natInstances, iface.name);
  }
}

/** aws-rules §4.4: only a SYN opens a NAT gateway's TCP translation. */
function opensNoTranslation(p: Packet): boolean {
  return p.protocol === TCP && (p.flags & SYN) === 0;
}

/** The flows a translating gateway or NAT instance remembers, made on first use. */
function translationsOf(memories: Map<string, FlowMemory>, name: string): FlowMemory {
  let memory = memories.get(name);
  if (!memory) {
    memory = new FlowMemory(true);
    memories.set(name, memory);
  }
  return memory;
}
