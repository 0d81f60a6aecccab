// A world change recompiles only what changed: every security group, network ACL, route table,
// subnet and interface whose model object is the same object as before keeps its compiled form
// (checked by identity), and a rule change costs about the same in a world ten times larger.
import { describe, expect, it } from "vitest";
import { buildWorld, ruleChangeSteps, scenarioOf, W1 } from "../../bench/workloads.js";
import type { CompiledWorld } from "../../src/compile/world.js";
import { compileWorld } from "../../src/compile/world.js";
import type { World, WorldChange } from "../../src/index.js";
import { ANY_V4, applyChange, Engine, parseCidr, runScenario } from "../../src/index.js";
import { medianMs } from "./timing.js";

const SMALL = { ...W1, subnets: 6, groups: 20, instances: 200, internetHosts: 10, sgRules: 20 };

function ids(): (name: string) => number {
  const m = new Map<string, number>();
  return (name) => {
    let id = m.get(name);
    if (id === undefined) {
      id = m.size;
      m.set(name, id);
    }
    return id;
  };
}

function changed(w: World, change: WorldChange): World {
  const r = applyChange(w, change);
  if (!r.ok) throw new Error(r.message);
  return r.world;
}

const block = (() => {
  const c = parseCidr("198.18.0.0/16");
  if (!c.ok) throw new Error(c.message);
  return c.value;
})();

/** The compiled group objects of every interface, by group name and direction. */
function compiledGroups(c: CompiledWorld): Map<string, object> {
  const out = new Map<string, object>();
  for (const eni of c.enis) {
    for (const g of eni.inbound.groups) out.set(`inbound ${g.name}`, g);
    for (const g of eni.outbound.groups) out.set(`outbound ${g.name}`, g);
  }
  return out;
}

describe("compileWorld with the previous version", () => {
  const world = buildWorld(SMALL);
  const id = ids();
  const before = compileWorld(world, id);

  it("a rule added to one group: every other group, every ACL and route table, and the address tables stay the same objects", () => {
    const target = before.enis[0]!.iface.securityGroups[0]!;
    const after = compileWorld(
      changed(world, {
        kind: "add-sg-rule",
        group: target,
        direction: "inbound",
        rule: { protocol: 6, peer: { kind: "cidr", cidr: block } },
      }),
      id,
      before,
    );
    const was = compiledGroups(before);
    const now = compiledGroups(after);
    expect(now.size).toBe(was.size);
    for (const [key, g] of now) {
      // the changed group's other direction has the same rules: it is kept too
      if (key === `inbound ${target}`) expect(g).not.toBe(was.get(key));
      else expect(g, key).toBe(was.get(key));
    }
    after.subnets.forEach((s, i) => {
      expect(s).toBe(before.subnets[i]);
      expect(s.acl).toBe(before.subnets[i]!.acl);
      expect(s.routes).toBe(before.subnets[i]!.routes);
    });
    expect(after.private4).toBe(before.private4);
    expect(after.public4).toBe(before.public4);
    // interfaces that do not carry the group keep their compiled form; those that do get the new rules
    after.enis.forEach((eni, i) => {
      if (eni.iface.securityGroups.includes(target)) {
        expect(eni).not.toBe(before.enis[i]);
        expect(eni.id).toBe(before.enis[i]!.id);
      } else expect(eni).toBe(before.enis[i]);
    });
  });

  it("a rule added to one network ACL: the other ACLs, and the ACL's other direction, stay the same objects", () => {
    const subnet = before.subnets[0]!;
    const acl = subnet.acl.name;
    const after = compileWorld(
      changed(world, { kind: "add-nacl-rule", acl, direction: "inbound", rule: { number: 5, action: "deny", protocol: -1, cidr: block } }),
      id,
      before,
    );
    for (const [i, s] of after.subnets.entries()) {
      if (s.acl.name === acl) {
        expect(s.acl).not.toBe(before.subnets[i]!.acl);
        expect(s.acl.outbound4).toBe(before.subnets[i]!.acl.outbound4);
        expect(s.acl.inbound4).not.toBe(before.subnets[i]!.acl.inbound4);
      } else {
        expect(s).toBe(before.subnets[i]);
      }
    }
    expect(compiledGroups(after)).toEqual(compiledGroups(before));
    for (const [key, g] of compiledGroups(after)) expect(g, key).toBe(compiledGroups(before).get(key));
  });

  it("a group attached to an interface: only that interface is compiled again, and the groups are kept", () => {
    const eni = before.enis[3]!;
    const group = Object.keys(world.securityGroups).find((g) => !eni.iface.securityGroups.includes(g))!;
    const after = compileWorld(
      changed(world, { kind: "attach-security-group", instance: eni.iface.instance, interface: 0, group }),
      id,
      before,
    );
    for (const [i, e] of after.enis.entries()) {
      if (i === 3) expect(e).not.toBe(before.enis[i]);
      else expect(e).toBe(before.enis[i]);
    }
    expect(after.private4).toBe(before.private4);
    const was = compiledGroups(before);
    for (const [key, g] of compiledGroups(after)) if (was.has(key)) expect(g, key).toBe(was.get(key));
  });

  it("compiles the same tables as a fresh compile", () => {
    let w = world;
    let c = before;
    for (const step of ruleChangeSteps(world, 40)) {
      if (step.kind !== "change") continue;
      w = changed(w, step.change);
      c = compileWorld(w, id, c);
    }
    const fresh = compileWorld(w, id);
    const shape = (x: CompiledWorld) =>
      x.enis.map((e) => ({
        id: e.id,
        inbound: e.inbound.groups.map((g) => [g.name, g.rules, g.v4.byProtocol.map((d) => [...d])]),
        outbound: e.outbound.groups.map((g) => [g.name, g.rules, g.v4.byProtocol.map((d) => [...d])]),
        acl: [e.subnet.acl.inbound4.index.byProtocol.map((d) => [...d]), e.subnet.acl.outbound4.rules],
        groupIds: [...e.groupIds],
      }));
    expect(shape(c)).toEqual(shape(fresh));
  });
});

describe("the engine recompiles only what changed", () => {
  /** Milliseconds per rule change, run as scenario steps, on a world of the given scale. */
  const perChange = (scale: number) => {
    const world = buildWorld({
      ...SMALL,
      groups: SMALL.groups * scale,
      instances: SMALL.instances * scale,
      subnets: SMALL.subnets * scale,
    });
    const steps = ruleChangeSteps(world, 200);
    return medianMs(
      () => new Engine(world),
      (e) => runScenario(scenarioOf(world, steps, "changes"), e),
    );
  };

  it("a rule change on a world ten times larger costs about the same, not ten times more", () => {
    perChange(1); // warm up
    const small = perChange(1);
    const large = perChange(10);
    // a full recompile per change made this about 10
    expect(large / small).toBeLessThan(4);
  });

  it("setWorld with the world it holds does nothing", () => {
    const world = buildWorld(SMALL);
    const e = new Engine(world);
    e.setWorld(world);
    const acl: WorldChange = {
      kind: "add-nacl-rule",
      acl: "acl-0",
      direction: "inbound",
      rule: { number: 1, action: "allow", protocol: -1, cidr: ANY_V4 },
    };
    e.setWorld(changed(world, acl));
    expect(e.world.networkAcls["acl-0"]!.inbound.length).toBe(world.networkAcls["acl-0"]!.inbound.length + 1);
  });
});
