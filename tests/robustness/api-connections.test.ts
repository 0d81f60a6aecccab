// A named connection that never opened (its request was dropped, or an endpoint has no address
// of the flow's IP version), then used by `send … connection:` or `close`: each such step is an
// outcome saying so, and an expectation on it fails with that outcome as the reason, instead of
// the runner throwing.
import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/index.js";
import { scenario } from "../helpers.js";

const WORLD = `
name: t
vpc: { cidr: 10.0.0.0/16, ipv6-cidr: "2600:1f18:aaaa:bb00::/56" }
subnets:
  a: { cidr: 10.0.1.0/24, ipv6-cidr: "2600:1f18:aaaa:bb01::/64" }
  b: { cidr: 10.0.2.0/24 }
security-groups:
  closed: {}
  open: { inbound: [ { protocol: -1, source: 10.0.0.0/16 } ] }
instances:
  client: { subnet: a, private-ip: 10.0.1.10, ipv6: "2600:1f18:aaaa:bb01::10", security-groups: [open] }
  server: { subnet: b, private-ip: 10.0.2.20, security-groups: [closed] }
`;

describe("a named connection that never opened", () => {
  it("because its request was dropped: send and close are outcomes, and their expectations fail", () => {
    const r = runScenario(
      scenario(`${WORLD}
steps:
  - connect: { from: client, to: server, protocol: tcp, port: 443, name: web }
    expect: denied
  - send: { connection: web, direction: request }
    expect: allowed
  - send: { connection: web, direction: reply }
  - close: web
    expect: { request: allowed }
`),
    );
    const [connect, request, reply, close] = r.steps;
    expect(connect!.check!.pass).toBe(true);
    for (const step of [request!, reply!, close!]) {
      expect(step.outcome).toBe("connection web was never opened: its request was not delivered");
      expect(step.packets).toEqual([]);
    }
    expect(request!.check).toMatchObject({ pass: false, actual: "no packet sent" });
    expect(request!.check!.failures).toEqual([
      "connection web was never opened: its request was not delivered",
      "expected allowed, was denied",
    ]);
    expect(reply!.check).toBeUndefined();
    expect(close!.kind).toBe("close");
    expect(close!.check!.failures).toEqual(["connection web was never opened: its request was not delivered"]);
    expect(r.failed).toBe(2);
    expect(r.passed).toBe(1);
  });

  it("because an endpoint has no address of its IP version: the step says which", () => {
    const r = runScenario(
      scenario(`${WORLD}
steps:
  - connect: { from: client, to: server, protocol: tcp, port: 443, ip-version: 6, name: v6 }
  - send: { connection: v6, direction: request }
    expect: denied
  - close: v6
`),
    );
    const [connect, send, close] = r.steps;
    expect(connect!.outcome).toBe("server has no IPv6 address");
    expect(send!.outcome).toBe("connection v6 was never opened: server has no IPv6 address");
    expect(send!.check!.pass).toBe(false);
    expect(close!.outcome).toBe("connection v6 was never opened: server has no IPv6 address");
  });

  it("a connection that opened still sends and closes", () => {
    const r = runScenario(
      scenario(`${WORLD}
steps:
  - connect: { from: server, to: client, protocol: tcp, port: 443, name: out }
    expect: allowed
  - send: { connection: out, direction: reply }
    expect: allowed
  - close: out
    expect: allowed
`),
    );
    expect(r.failed).toBe(0);
    expect(r.steps.map((s) => s.packets.length)).toEqual([2, 1, 2]);
  });
});
