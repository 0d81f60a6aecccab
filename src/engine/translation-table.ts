// Flow state of the gateways that only let replies in: the NAT gateway's source translations
// (aws-rules §4.4: source port remapped into 1024-65535, idle timeout 350 s) and the
// egress-only internet gateway's outbound-initiated flows (§4.5, no translation).
import type { Address } from "../model/address.js";
import { NAT_GATEWAY_PORTS } from "../model/defaults.js";

export interface Translation {
  readonly inside: Address;
  readonly insidePort: number;
  readonly outsidePort: number;
  lastSeen: number;
  readonly timeout: number;
}

function outKey(gateway: string, protocol: number, inside: Address, insidePort: number, remote: Address, remotePort: number): string {
  return `${gateway}|${protocol}|${inside.text}|${insidePort}|${remote.text}|${remotePort}`;
}

const FIRST_PORT = NAT_GATEWAY_PORTS.from;
const LAST_PORT = NAT_GATEWAY_PORTS.to;

export class TranslationTable {
  #out = new Map<string, Translation>();
  #in = new Map<string, Translation>();
  #next = new Map<string, number>();

  /** The outside port of a flow leaving `gateway`, allocating one on first use. */
  outbound(
    gateway: string,
    protocol: number,
    inside: Address,
    insidePort: number,
    remote: Address,
    remotePort: number,
    now: number,
    timeout: number,
    translatePort: boolean,
  ): Translation | undefined {
    const key = outKey(gateway, protocol, inside, insidePort, remote, remotePort);
    const found = this.#out.get(key);
    if (found && now - found.lastSeen <= found.timeout) {
      found.lastSeen = now;
      return found;
    }
    const outsidePort = translatePort ? this.#allocate(gateway, protocol, remote, remotePort, now) : insidePort;
    if (outsidePort === undefined) return undefined;
    const t: Translation = { inside, insidePort, outsidePort, lastSeen: now, timeout };
    this.#out.set(key, t);
    this.#in.set(`${gateway}|${protocol}|${outsidePort}|${remote.text}|${remotePort}`, t);
    return t;
  }

  /**
   * The flow a packet leaving through `gateway` belongs to, alive or not (`lastSeen` and `timeout`
   * tell), without refreshing it; undefined when the gateway never saw it or has forgotten it.
   */
  find(
    gateway: string,
    protocol: number,
    inside: Address,
    insidePort: number,
    remote: Address,
    remotePort: number,
  ): Translation | undefined {
    return this.#out.get(outKey(gateway, protocol, inside, insidePort, remote, remotePort));
  }

  /** Forgets a flow at once, as a NAT gateway does when it resets it (aws-rules §4.4). */
  forget(gateway: string, protocol: number, t: Translation, remote: Address, remotePort: number): void {
    this.#out.delete(outKey(gateway, protocol, t.inside, t.insidePort, remote, remotePort));
    const inKey = `${gateway}|${protocol}|${t.outsidePort}|${remote.text}|${remotePort}`;
    if (this.#in.get(inKey) === t) this.#in.delete(inKey);
  }

  /** The flow the last `inbound` call found idle past its timeout, for the words of its drop. */
  stale: Translation | undefined;

  /** The flow a packet arriving from outside belongs to, if it is still alive. */
  inbound(
    gateway: string,
    protocol: number,
    outsidePort: number,
    remote: Address,
    remotePort: number,
    now: number,
  ): Translation | undefined {
    const t = this.#in.get(`${gateway}|${protocol}|${outsidePort}|${remote.text}|${remotePort}`);
    this.stale = t;
    if (!t || now - t.lastSeen > t.timeout) return undefined;
    this.stale = undefined;
    t.lastSeen = now;
    return t;
  }

  /**
   * A free outside port, or undefined when all are taken (AWS counts these in ErrorPortAllocation).
   * A port is free again once its flow has been idle past its timeout (aws-rules §4.4).
   */
  #allocate(gateway: string, protocol: number, remote: Address, remotePort: number, now: number): number | undefined {
    let port = this.#next.get(gateway) ?? FIRST_PORT;
    for (let tries = 0; tries <= LAST_PORT - FIRST_PORT; tries++) {
      const candidate = port;
      port = port >= LAST_PORT ? FIRST_PORT : port + 1;
      const held = this.#in.get(`${gateway}|${protocol}|${candidate}|${remote.text}|${remotePort}`);
      if (!held || now - held.lastSeen > held.timeout) {
        this.#next.set(gateway, port);
        return candidate;
      }
    }
    return undefined;
  }
}
