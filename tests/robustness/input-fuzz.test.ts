// loadScenario and runScenario under fuzzing: every lesson and contract fixture, mutated (keys
// deleted, duplicated and renamed, values swapped between fields, scalars replaced by hostile
// strings and numbers, deep nesting, broken text), and random documents. Loading returns a
// scenario or diagnostics and never throws; a scenario that loads runs and renders without
// throwing. A seeded run by default; VPCSIM_FUZZ_SEED and VPCSIM_FUZZ_RUNS (a multiplier) explore more.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { DIAGNOSTIC_CODE_FAMILIES, DIAGNOSTIC_CODES } from "../../src/model/diagnostic.js";
import { diagnosticsText } from "../../src/render/diagnostics-text.js";
import { jsonText } from "../../src/render/escape.js";
import { resultsJson } from "../../src/render/results-json.js";
import { scenarioMarkdown } from "../../src/render/scenario-markdown.js";
import { scenarioText } from "../../src/render/scenario-text.js";
import { loadScenario } from "../../src/scenario/load.js";
import { runScenario } from "../../src/scenario/run.js";

const SEED = Number(process.env.VPCSIM_FUZZ_SEED ?? 20_240_611);
const RUNS = Number(process.env.VPCSIM_FUZZ_RUNS ?? 1);
const runs = (n: number) => ({ seed: SEED, numRuns: Math.round(n * RUNS), endOnFailure: true });

/** A case that takes longer than this is a hang in the making (all cases: ~10 s on 2 cores). */
const CASE_LIMIT_MS = 5000;

const SEED_FILES = ["scenarios", "tests/fixtures/contract"].flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => join(dir, f)),
);
const SEED_TEXTS = SEED_FILES.map((f) => readFileSync(f, "utf8"));
const SEED_DATA: unknown[] = SEED_TEXTS.map((t) => parse(t));

type Data = null | boolean | number | string | Data[] | { [key: string]: Data };

function keysOf(v: unknown): string[] {
  if (Array.isArray(v)) return v.flatMap(keysOf);
  if (v && typeof v === "object") return Object.entries(v).flatMap(([k, x]) => [k, ...keysOf(x)]);
  return [];
}

/** Every key the seeds use, and keys that are hostile as names or as JavaScript properties. */
const KEYS = [
  ...new Set(SEED_DATA.flatMap(keysOf)),
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
  "valueOf",
  "1",
  "",
  "blackhole",
  "internet-gateway",
  "10.0.1.10",
  "a\u001bb",
];

function scalarsOf(v: unknown): Data[] {
  if (Array.isArray(v)) return v.flatMap(scalarsOf);
  if (v && typeof v === "object") return Object.values(v).flatMap(scalarsOf);
  return [v as Data];
}

/** Every scalar the seeds hold, by type: a name, address or port from one lesson put in another. */
const SCALARS = new Map<string, Data[]>();
for (const v of new Set(SEED_DATA.flatMap(scalarsOf))) SCALARS.set(typeof v, [...(SCALARS.get(typeof v) ?? []), v]);

const HOSTILE: readonly Data[] = [
  -1,
  0,
  -0,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  Number.NaN,
  "NaN",
  "Infinity",
  "-0",
  65535,
  65536,
  4294967296,
  2 ** 53 + 2,
  1.5,
  -1.5,
  1e-320,
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
  "valueOf",
  "",
  " ",
  "\u001b[31m",
  "\u0000",
  "\u009b",
  "\u202e",
  "\uFFFD",
  "x".repeat(300),
  "10.0.0.0/8",
  "0.0.0.0/0",
  "::/0",
  "::ffff:10.0.0.1",
  "::ffff:10.0.0.0/104",
  "fe80::1%eth0",
  "10.0.1.1",
  "10.0.1.255",
  "2600:1f18:aaaa:bb01::1",
  "internet-gateway",
  "egress-only-internet-gateway",
  "blackhole",
  "default",
  "all",
  "-1",
  "tcp",
  "icmpv6",
  "0-65535",
  "65535-0",
  "1e3",
  `${"9".repeat(400)}s`,
  "0.5ms",
  true,
  false,
  null,
  [],
  {},
];

/** Paths to every node of a document, the root first. */
function paths(v: Data, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(v)) for (const [i, x] of v.entries()) paths(x, [...at, i], out);
  else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}

function get(v: Data, path: readonly (string | number)[]): Data {
  return path.reduce<Data>((node, k) => (node as Record<string | number, Data>)[k]!, v);
}

/** Sets an own property, also for `__proto__` (an assignment would change the prototype instead). */
function setOwn(o: Record<string, Data>, key: string, value: Data): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A copy of `value` with the node at `path` replaced (or, given undefined, removed). */
function replaced(value: Data, path: readonly (string | number)[], next: Data | undefined): Data {
  if (path.length === 0) return next ?? null;
  const [k, ...rest] = path;
  if (Array.isArray(value)) {
    const copy = [...value];
    const child = rest.length === 0 ? next : replaced(copy[k as number]!, rest, next);
    if (child === undefined) copy.splice(k as number, 1);
    else copy[k as number] = child;
    return copy;
  }
  const copy: Record<string, Data> = {};
  for (const [key, x] of Object.entries(value as Record<string, Data>)) {
    if (key !== k) setOwn(copy, key, x);
    else {
      const child = rest.length === 0 ? next : replaced(x, rest, next);
      if (child !== undefined) setOwn(copy, key, child);
    }
  }
  return copy;
}

type Mutation = {
  readonly kind: "delete" | "duplicate" | "rename" | "swap" | "transplant" | "scalar" | "local" | "replace" | "nest";
  readonly a: number;
  readonly b: number;
  readonly pick: number;
};

/** `doc` with one mutation at a node under `within` (the whole document by default). */
function mutate(doc: Data, m: Mutation, within: readonly string[] = []): Data {
  const all = paths(doc).filter((p) => within.every((k, i) => p[i] === k));
  if (all.length === 0) return doc;
  const path = all[m.a % all.length]!;
  const parent = path.slice(0, -1);
  const last = path[path.length - 1];
  const node = get(doc, path);
  switch (m.kind) {
    case "delete":
      return replaced(doc, path, undefined);
    case "replace":
      return replaced(doc, path, HOSTILE[m.pick % HOSTILE.length]!);
    case "local": {
      // a scalar of the same document and type: its own names, addresses and ports, elsewhere
      const pool = scalarsOf(doc).filter((v) => typeof v === typeof node);
      return pool.length === 0 ? doc : replaced(doc, path, pool[m.pick % pool.length]!);
    }
    case "scalar": {
      // another lesson's scalar of the same type: a shape that still passes, a meaning that may not
      const pool = SCALARS.get(typeof node) ?? HOSTILE;
      return replaced(doc, path, pool[m.pick % pool.length]!);
    }
    case "transplant": {
      // a node of some lesson, often of the right kind for its new place: worlds that still load
      const donor = SEED_DATA[m.pick % SEED_DATA.length] as Data;
      const from = paths(donor);
      return replaced(doc, path, get(donor, from[m.b % from.length]!));
    }
    case "nest": {
      let deep: Data = node;
      for (let i = 0; i < 1 + (m.pick % 300); i++) deep = i % 2 ? [deep] : { [KEYS[m.pick % KEYS.length]!]: deep };
      return replaced(doc, path, deep);
    }
    case "swap": {
      const other = all[m.b % all.length]!;
      const related = (p: (string | number)[], q: (string | number)[]) => p.length <= q.length && p.every((k, i) => q[i] === k);
      if (related(path, other) || related(other, path)) return doc;
      return replaced(replaced(doc, path, get(doc, other)), other, node);
    }
    case "duplicate":
    case "rename": {
      if (last === undefined) return doc;
      const container = get(doc, parent);
      if (Array.isArray(container)) {
        // a list item has no key to rename: it moves to the end instead
        const copy = [...container];
        if (m.kind === "rename") copy.splice(last as number, 1);
        copy.splice(m.kind === "rename" ? copy.length : (last as number), 0, node);
        return replaced(doc, parent, copy);
      }
      const copy: Record<string, Data> = {};
      const key = KEYS[m.pick % KEYS.length]!;
      for (const [k, x] of Object.entries(container as Record<string, Data>)) if (m.kind === "duplicate" || k !== last) setOwn(copy, k, x);
      setOwn(copy, key, node);
      return replaced(doc, parent, copy);
    }
  }
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom(
    "delete",
    "duplicate",
    "rename",
    "swap",
    "transplant",
    "scalar",
    "scalar",
    "scalar",
    "scalar",
    "replace",
    "replace",
    "nest",
  ),
  a: fc.nat(),
  b: fc.nat(),
  pick: fc.nat(),
});

/** Text-level damage: what a YAML writer never emits. */
const SNIPPETS = [
  "---\n",
  "!!binary ",
  "!custom ",
  "? [a, b]\n: 1\n",
  "\u0000",
  "\uFFFD",
  "\t",
  "&a ",
  "*a ",
  "{",
  "]",
  "'",
  '"',
  "\u001b",
  "%YAML 1.1\n",
  "<<: *a\n",
  "0x10: 1\n",
  "~: 1\n",
  " 1e309",
  " -.inf",
  "[".repeat(5000),
  `\ndeep: ${"[".repeat(3000)}${"]".repeat(3000)}\n`,
  `\ndeep: ${"{a: ".repeat(2000)}1${"}".repeat(2000)}\n`,
];
const textEdit = fc.record({ kind: fc.constantFrom("insert", "delete", "double-line", "truncate"), at: fc.nat(), pick: fc.nat() });

function editText(text: string, e: { kind: string; at: number; pick: number }): string {
  const i = text.length === 0 ? 0 : e.at % text.length;
  switch (e.kind) {
    case "insert":
      return text.slice(0, i) + SNIPPETS[e.pick % SNIPPETS.length] + text.slice(i);
    case "delete":
      return text.slice(0, i) + text.slice(i + 1 + (e.pick % 20));
    case "truncate":
      return text.slice(0, i);
    default: {
      const lines = text.split("\n");
      const l = e.pick % lines.length;
      lines.splice(l, 0, lines[l]!);
      return lines.join("\n");
    }
  }
}

const KNOWN_CODES = new Set(Object.keys(DIAGNOSTIC_CODES));
const FAMILIES = Object.keys(DIAGNOSTIC_CODE_FAMILIES);

/** Loads, and when it loads runs and renders; any throw fails with the input that caused it. Whether it loaded. */
function survives(text: string): boolean {
  const start = performance.now();
  const where = (what: string, e: unknown) =>
    new Error(`${what} threw ${(e as Error)?.stack ?? String(e)}\n--- input (${text.length} characters):\n${text.slice(0, 3000)}`);
  let loaded: ReturnType<typeof loadScenario>;
  try {
    loaded = loadScenario(text, "fuzz.yaml");
  } catch (e) {
    throw where("loadScenario", e);
  }
  if (!loaded.ok) {
    expect(loaded.diagnostics.length).toBeGreaterThan(0);
    for (const d of loaded.diagnostics) {
      expect(KNOWN_CODES.has(d.code) || FAMILIES.some((f) => d.code.startsWith(f)), d.code).toBe(true);
      expect(Number.isInteger(d.line) && d.line >= 1 && Number.isInteger(d.column) && d.column >= 1, `${d.line}:${d.column}`).toBe(true);
      expect(typeof d.message === "string" && d.message.length > 0).toBe(true);
    }
    diagnosticsText(loaded.diagnostics);
  } else {
    try {
      const result = runScenario(loaded.scenario);
      scenarioText(result, { verbose: true });
      scenarioMarkdown(result);
      jsonText(resultsJson([result], []));
    } catch (e) {
      throw where("runScenario (or rendering its result)", e);
    }
  }
  const ms = performance.now() - start;
  if (ms > CASE_LIMIT_MS) throw new Error(`one case took ${ms.toFixed(0)} ms\n--- input:\n${text.slice(0, 3000)}`);
  return loaded.ok;
}

describe("loadScenario and runScenario under fuzzing", () => {
  it("finds every lesson and contract fixture, and each loads and runs as it is", () => {
    expect(SEED_FILES.length).toBeGreaterThanOrEqual(21);
    for (const text of SEED_TEXTS) survives(text);
  });

  it("lessons and fixtures with their data mutated: deleted, duplicated, renamed, swapped, hostile and deeply nested values", () => {
    let ran = 0;
    let cases = 0;
    fc.assert(
      fc.property(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 3, depthIdentifier: "mutations" }), (which, ms) => {
        const doc = ms.reduce<Data>((d, m) => mutate(d, m), SEED_DATA[which % SEED_DATA.length] as Data);
        cases++;
        if (survives(stringify(doc, { aliasDuplicateObjects: false }))) ran++;
      }),
      runs(1500),
    );
    // most mutants are refused; some still load, and runScenario meets odd worlds
    expect(ran / cases, `${ran} of ${cases} loaded`).toBeGreaterThan(0.02);
  }, 60_000);

  it("lessons and fixtures with their steps mutated: steps repeated, dropped and reordered, names and values exchanged", () => {
    const stepMutation = mutation.map((m) => ({
      ...m,
      kind: (["delete", "duplicate", "swap", "local", "local", "local"] as const)[m.pick % 6]!,
    }));
    let ran = 0;
    let cases = 0;
    fc.assert(
      fc.property(fc.nat(), fc.array(stepMutation, { minLength: 1, maxLength: 4 }), (which, ms) => {
        const doc = ms.reduce<Data>((d, m) => mutate(d, m, ["steps"]), SEED_DATA[which % SEED_DATA.length] as Data);
        cases++;
        if (survives(stringify(doc, { aliasDuplicateObjects: false }))) ran++;
      }),
      runs(800),
    );
    // these mostly load: runScenario gets steps in orders and with endpoints no lesson has
    expect(ran / cases, `${ran} of ${cases} loaded`).toBeGreaterThan(0.1);
  }, 60_000);

  it("lessons and fixtures with their text damaged: YAML a writer never emits", () => {
    fc.assert(
      fc.property(fc.nat(), fc.array(textEdit, { minLength: 1, maxLength: 3 }), (which, edits) => {
        survives(edits.reduce((t, e) => editText(t, e), SEED_TEXTS[which % SEED_TEXTS.length]!));
      }),
      runs(800),
    );
  }, 60_000);

  it("random documents and random text", () => {
    const names = fc.constantFrom(...KEYS);
    const scalar = fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 12 }), fc.integer(), fc.double());
    const doc = fc.letrec<{ node: Data }>((tie) => ({
      node: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        scalar,
        fc.array(tie("node"), { maxLength: 4 }),
        fc.dictionary(names, tie("node"), { maxKeys: 5 }),
      ),
    })).node;
    fc.assert(
      fc.property(fc.dictionary(names, doc, { maxKeys: 8 }), (d) => {
        survives(stringify(d, { aliasDuplicateObjects: false }));
      }),
      runs(400),
    );
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 300 }), (t) => {
        survives(t);
      }),
      runs(400),
    );
  }, 60_000);
});
