// A small typed builder of scenario worlds for tests, instead of YAML text edited with string
// replacements. Its types are the scenario format's own (the zod schema of src/scenario/schema.ts,
// as input), so keys are the format's words (`private-ip`, `network-acl`, ...) and a typo is a type
// error. Every call returns a new builder and leaves the old one as it was, so a variant of a world
// is the same world with one more call, and calling a section again with a name it already has
// replaces that entry:
//
//   const base = world().vpc("10.0.0.0/16").subnet("a", { cidr: "10.0.1.0/24" });
//   const locked = base.group("sg", { inbound: [] }).instance("x", { subnet: "a", "private-ip": "10.0.1.10", "security-groups": ["sg"] });
//   engine(locked.yaml());
import { stringify } from "yaml";
import type { z } from "zod";
import type { scenarioSchema, stepSchemas } from "../src/scenario/schema.js";

/** A whole scenario file, as the format reads it. */
export type ScenarioSpec = z.input<typeof scenarioSchema>;
export type SettingsSpec = NonNullable<ScenarioSpec["settings"]>;
export type SubnetSpec = ScenarioSpec["subnets"][string];
export type RouteTableSpec = NonNullable<ScenarioSpec["route-tables"]>[string];
export type RouteSpec = NonNullable<RouteTableSpec["routes"]>[number];
export type AclSpec = NonNullable<ScenarioSpec["network-acls"]>[string];
export type AclRule = NonNullable<AclSpec["inbound"]>[number];
export type GroupSpec = NonNullable<ScenarioSpec["security-groups"]>[string];
export type GroupRule = NonNullable<GroupSpec["inbound"]>[number];
export type InstanceSpec = NonNullable<ScenarioSpec["instances"]>[string];
export type NatGatewaySpec = NonNullable<ScenarioSpec["nat-gateways"]>[string];
export type InternetHostSpec = NonNullable<ScenarioSpec["internet-hosts"]>[string];
/** One step of the timeline, of any kind (`connect`, `send`, `wait`, `add-rule`, ...). */
export type StepSpec = { [K in keyof StepSchemas]: StepSchemas[K] extends z.ZodType ? z.input<StepSchemas[K]> : never }[keyof StepSchemas];
type StepSchemas = typeof stepSchemas;

/** The sections that hold named entries. */
type Named = {
  subnets: SubnetSpec;
  "route-tables": RouteTableSpec;
  "network-acls": AclSpec;
  "security-groups": GroupSpec;
  "prefix-lists": NonNullable<ScenarioSpec["prefix-lists"]>[string];
  instances: InstanceSpec;
  "nat-gateways": NatGatewaySpec;
  "internet-hosts": InternetHostSpec;
};
type Section = keyof Named;
const SECTIONS: readonly Section[] = [
  "subnets",
  "route-tables",
  "network-acls",
  "security-groups",
  "prefix-lists",
  "instances",
  "nat-gateways",
  "internet-hosts",
];

interface State {
  readonly name: string;
  readonly description?: string;
  readonly settings?: SettingsSpec;
  readonly vpc?: ScenarioSpec["vpc"];
  readonly sections: { readonly [S in Section]: Readonly<Record<string, Named[S]>> };
  readonly steps: readonly StepSpec[];
}

export class WorldBuilder {
  readonly #state: State;

  constructor(state: State) {
    this.#state = state;
  }

  #with(change: Partial<State>): WorldBuilder {
    return new WorldBuilder({ ...this.#state, ...change });
  }

  #entry<S extends Section>(section: S, name: string, spec: Named[S]): WorldBuilder {
    return this.#with({ sections: { ...this.#state.sections, [section]: { ...this.#state.sections[section], [name]: spec } } });
  }

  /** The VPC: one IPv4 block or a list, and optionally an IPv6 block. */
  vpc(cidr: string | string[], options: { ipv6?: string; name?: string } = {}): WorldBuilder {
    return this.#with({
      vpc: {
        cidr,
        ...(options.ipv6 !== undefined ? { "ipv6-cidr": options.ipv6 } : {}),
        ...(options.name !== undefined ? { name: options.name } : {}),
      },
    });
  }

  description(text: string): WorldBuilder {
    return this.#with({ description: text });
  }

  /** Settings, merged into those given before. */
  settings(settings: SettingsSpec): WorldBuilder {
    return this.#with({ settings: { ...this.#state.settings, ...settings } });
  }

  subnet(name: string, spec: SubnetSpec): WorldBuilder {
    return this.#entry("subnets", name, spec);
  }

  routeTable(name: string, spec: RouteTableSpec): WorldBuilder {
    return this.#entry("route-tables", name, spec);
  }

  acl(name: string, spec: AclSpec = {}): WorldBuilder {
    return this.#entry("network-acls", name, spec);
  }

  /** A security group; without `outbound` it allows all traffic out, as AWS creates groups. */
  group(name: string, spec: GroupSpec = {}): WorldBuilder {
    return this.#entry("security-groups", name, spec);
  }

  /** A prefix list of these blocks; with `maxEntries`, in the `{ entries, max-entries }` form. */
  prefixList(name: string, cidrs: string[], maxEntries?: number): WorldBuilder {
    return this.#entry("prefix-lists", name, maxEntries === undefined ? cidrs : { entries: cidrs, "max-entries": maxEntries });
  }

  instance(name: string, spec: InstanceSpec): WorldBuilder {
    return this.#entry("instances", name, spec);
  }

  natGateway(name: string, spec: NatGatewaySpec): WorldBuilder {
    return this.#entry("nat-gateways", name, spec);
  }

  internetHost(name: string, spec: InternetHostSpec): WorldBuilder {
    return this.#entry("internet-hosts", name, spec);
  }

  /** Removes a named entry (an instance, a group, ...); it must exist. */
  without(section: Section, name: string): WorldBuilder {
    const entries = { ...this.#state.sections[section] };
    if (!(name in entries)) throw new Error(`world-builder: no ${name} in ${section} to remove`);
    delete entries[name];
    return this.#with({ sections: { ...this.#state.sections, [section]: entries } });
  }

  /** Appends steps to the timeline. */
  steps(...steps: StepSpec[]): WorldBuilder {
    return this.#with({ steps: [...this.#state.steps, ...steps] });
  }

  /** The scenario as the plain object its YAML text holds (a fresh copy). */
  object(): ScenarioSpec {
    const s = this.#state;
    if (!s.vpc) throw new Error("world-builder: call .vpc(...) before building");
    const out: Record<string, unknown> = { name: s.name };
    if (s.description !== undefined) out.description = s.description;
    if (s.settings !== undefined) out.settings = s.settings;
    out.vpc = s.vpc;
    out.subnets = s.sections.subnets;
    for (const section of SECTIONS) {
      if (section !== "subnets" && Object.keys(s.sections[section]).length > 0) out[section] = s.sections[section];
    }
    if (s.steps.length > 0) out.steps = s.steps;
    return structuredClone(out) as ScenarioSpec;
  }

  /** The scenario file's text, for `engine(...)` and `scenario(...)` of tests/helpers.ts. */
  yaml(): string {
    return stringify(this.object());
  }
}

/** An empty world named `name`; give it a VPC and subnets. */
export function world(name = "test"): WorldBuilder {
  const sections = Object.fromEntries(SECTIONS.map((s) => [s, {}])) as State["sections"];
  return new WorldBuilder({ name, sections, steps: [] });
}
