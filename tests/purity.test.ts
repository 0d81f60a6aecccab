// The core must run in a browser or notebook: no node: modules, no process, no top-level await.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return p === join("src", "node") || p === join("src", "cli") ? [] : files(p);
    return p.endsWith(".ts") ? [p] : [];
  });
}

describe("core purity", () => {
  const core = files("src");
  it("finds the core files", () => expect(core.length).toBeGreaterThan(10));
  for (const f of core) {
    it(f, () => {
      const text = readFileSync(f, "utf8");
      expect(text).not.toMatch(/from\s+["']node:/);
      expect(text).not.toMatch(/\bprocess\./);
      expect(text).not.toMatch(/^await\s/m);
      expect(text).not.toMatch(/from\s+["']\.\.?\/(node|cli)\//);
    });
  }
});
