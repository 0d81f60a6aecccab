// The documents hold: the format document's world loads and its step examples run (docs/
// scenario-format.md), and every `§` that code, tests, lessons and docs cite is a section of the
// rule book (docs/aws-rules.md), which is in the repository.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadScenario, runScenario } from "../src/index.js";

const doc = readFileSync("docs/scenario-format.md", "utf8");
const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe("docs/scenario-format.md", () => {
  it("has a world example and step examples", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
  });
  it("its world loads, and each example of steps runs against it with its expectations holding", () => {
    const world = blocks.find((b) => b.includes("\nvpc:"))!;
    const examples = blocks.filter((b) => b.trimStart().startsWith("- "));
    let passed = 0;
    for (const steps of examples) {
      const text = `${world}steps:\n${steps.trimEnd().replace(/^/gm, "  ")}\n`;
      const loaded = loadScenario(text, "doc.yaml");
      if (!loaded.ok) throw new Error(loaded.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`).join("\n"));
      const result = runScenario(loaded.scenario);
      expect(result.failed).toBe(0);
      passed += result.passed;
    }
    expect(passed).toBeGreaterThan(0);
  });
});

function textFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return f === "fixtures" ? [] : textFiles(p);
    return /\.(ts|ya?ml|md|json)$/.test(f) ? [p] : [];
  });
}

describe("docs/aws-rules.md", () => {
  const book = readFileSync("docs/aws-rules.md", "utf8");
  const sections = new Set([...book.matchAll(/^#{2,3} §(\d+(?:\.\d+)?) /gm)].map((m) => m[1]!));
  const citing = [...["src", "tests", "scenarios", "docs", "bench", "scripts"].flatMap(textFiles), "README.md"];

  it("has the sections of the rule book, each rule with its ids and source", () => {
    for (const s of ["1", "1.1", "2.1", "3.2", "4.6", "4.7", "5", "6.1", "7"]) expect(sections, s).toContain(s);
    const rules = book.split(/^### /m).slice(1);
    for (const rule of rules.filter((r) => r.startsWith("§"))) {
      expect(rule, rule.split("\n")[0]).toMatch(/^Rule ids: `[a-z]+\.[a-z0-9-]+`/m);
      expect(rule, rule.split("\n")[0]).toMatch(/^Source: .*https:\/\/docs\.aws\.amazon\.com\//m);
    }
  });

  it("every § cited in the repository is a section of it", () => {
    const unresolved: string[] = [];
    for (const file of citing) {
      for (const m of readFileSync(file, "utf8").matchAll(/§(\d+(?:\.\d+)?)/g)) {
        if (!sections.has(m[1]!)) unresolved.push(`${file}: §${m[1]}`);
      }
    }
    expect(citing.length).toBeGreaterThan(40);
    expect(unresolved).toEqual([]);
  });

  it("nothing refers to a document outside the repository", () => {
    // the pattern is built from parts so that this file does not match itself
    const pattern = new RegExp(`${"aws"}-semantics|\\.\\./${"shared"}/`);
    const outside = citing.filter((f) => pattern.test(readFileSync(f, "utf8")));
    expect(outside).toEqual([]);
  });

  it("every file a document names exists", () => {
    const documents = citing.filter((f) => f.endsWith(".md"));
    const missing: string[] = [];
    for (const doc of documents) {
      for (const m of readFileSync(doc, "utf8").matchAll(/`((?:src|tests|bench|docs|scenarios)\/[\w./-]+\.(?:ts|md|yaml|json))`/g)) {
        if (!existsSync(m[1]!)) missing.push(`${doc}: ${m[1]}`);
      }
    }
    expect(documents.length).toBeGreaterThan(5);
    expect(missing).toEqual([]);
  });
});
