// docs/api.md's examples run, in order, as the cells of one notebook; a ```text block right after
// an example is what it must print.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as vpcsim from "../src/index.js";

interface Example {
  readonly code: string;
  readonly line: number;
  readonly prints?: string;
}

/** The ```js blocks of a Markdown file, each with the ```text block that follows it, if any. */
function examples(markdown: string): Example[] {
  const blocks = [...markdown.matchAll(/^```(\w+)\n([\s\S]*?)^```\n(?:\s*\n)*/gm)];
  const out: Example[] = [];
  blocks.forEach((b, i) => {
    if (b[1] !== "js") return;
    const next = blocks[i + 1];
    const adjacent = next && next.index === b.index! + b[0].length && next[1] === "text";
    const line = markdown.slice(0, b.index).split("\n").length;
    out.push({ code: b[2]!, line, ...(adjacent ? { prints: next[2]!.trimEnd() } : {}) });
  });
  return out;
}

/** Runs the examples in one scope; what each printed, in order. `import { x } from "vpcsim"` names the package. */
function runAll(list: readonly Example[]): string[] {
  const printed: string[][] = list.map(() => []);
  let current = 0;
  const log = (...args: unknown[]) => printed[current]!.push(args.map((a) => (typeof a === "string" ? a : String(a))).join(" "));
  const body = list.map((e, i) => `__at(${i});\n${e.code.replace(/^import \{[^}]*\} from "vpcsim";$/gm, "")}`).join("\n");
  const names = Object.keys(vpcsim);
  const run = new Function("__at", "console", ...names, `"use strict";\n${body}`);
  run(
    (i: number) => {
      current = i;
    },
    { log },
    ...names.map((n) => (vpcsim as Record<string, unknown>)[n]),
  );
  return printed.map((p) => p.join("\n"));
}

describe("docs/api.md", () => {
  const doc = readFileSync("docs/api.md", "utf8");
  const list = examples(doc);
  it("has examples, most with what they print", () => {
    expect(list.length).toBeGreaterThan(10);
    expect(list.filter((e) => e.prints !== undefined).length).toBeGreaterThan(10);
  });
  it("imports only what vpcsim exports", () => {
    for (const e of list) {
      for (const m of e.code.matchAll(/^import \{([^}]*)\} from "vpcsim";$/gm)) {
        for (const name of m[1]!.split(",").map((s) => s.trim())) expect(Object.keys(vpcsim), `line ${e.line}`).toContain(name);
      }
    }
  });
  it("every example runs and prints what the doc says", () => {
    const printed = runAll(list);
    list.forEach((e, i) => {
      if (e.prints !== undefined) expect(printed[i], `the example at docs/api.md:${e.line}`).toBe(e.prints);
    });
  });
  it("every public function and method of the API has an example", () => {
    const methods = Object.getOwnPropertyNames(vpcsim.Simulation.prototype).filter((m) => m !== "constructor");
    const code = list.map((e) => e.code).join("\n");
    for (const m of [...methods.filter((m) => !["world", "now", "history"].includes(m)), "simulate", "run"]) {
      expect(code, m).toMatch(new RegExp(`\\b${m}\\(`));
    }
  });
});
