// The house rules of src/: the core runs in a browser or notebook (no node: modules, no process,
// no top-level await), and each folder imports only the layers below it, so that a reader can
// learn the pipeline bottom up: model → compile → explain → engine → scenario → render.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/** What each folder of src/ may import from src/ besides itself. */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  model: [],
  compile: ["model"],
  explain: ["model"],
  engine: ["model", "compile", "explain"],
  reference: ["model"],
  scenario: ["model", "compile", "explain", "engine"],
  render: ["model", "explain", "scenario/run.ts", "scenario/load.ts", "analysis"],
  analysis: ["model", "compile", "explain", "scenario/load.ts", "scenario/run.ts"],
  api: ["model", "explain", "engine", "scenario", "render"],
  import: ["model", "explain", "scenario"],
  node: ["model", "scenario", "render", "import"],
  cli: ["model", "scenario", "render", "node", "analysis", "import"],
  ".": ["model", "compile", "explain", "engine", "reference", "scenario", "render", "analysis", "api", "import"],
};
const SHELLS = new Set(["node", "cli"]);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

const all = files("src");
const layerOf = (file: string) => {
  const parts = relative("src", file).split("/");
  return parts.length === 1 ? "." : parts[0]!;
};
/** Every module of src/ a file imports, as a path below src/. */
const importsOf = (file: string) =>
  [...readFileSync(file, "utf8").matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)].map((m) =>
    relative("src", resolve(file, "..", m[1]!)).replace(/\.js$/, ".ts"),
  );

describe("layers", () => {
  it("every folder of src/ has its rule", () => {
    expect([...new Set(all.map(layerOf))].sort()).toEqual(
      Object.keys(ALLOWED)
        .filter((l) => all.some((f) => layerOf(f) === l))
        .sort(),
    );
    for (const f of all) expect(ALLOWED[layerOf(f)], f).toBeDefined();
  });
  for (const f of all) {
    const layer = layerOf(f);
    it(`${f} imports only ${layer === "." ? "the core" : `${layer} and ${ALLOWED[layer]!.join(", ") || "nothing else"}`}`, () => {
      for (const target of importsOf(f)) {
        const to = layerOf(join("src", target));
        const ok = to === layer || ALLOWED[layer]!.some((a) => a === to || a === target);
        expect(ok, `${f} imports ${target}`).toBe(true);
      }
    });
    if (!SHELLS.has(layer)) {
      it(`${f} is browser-safe`, () => {
        const text = readFileSync(f, "utf8");
        expect(text).not.toMatch(/from\s+["']node:/);
        expect(text).not.toMatch(/\bprocess\./);
        expect(text).not.toMatch(/^await\s/m);
      });
    }
  }
  it("the layer check sees a forbidden import", () => {
    expect(importsOf("src/engine/path.ts")).toContain("compile/world.ts");
    expect(ALLOWED.compile!.includes("engine")).toBe(false);
  });
});
