// Results display themselves: a MIME bundle for Deno's Jupyter kernel, text for Node's REPL and
// tslab (util.inspect), stable JSON, and a DOM node where a page has a document.
import { readFileSync } from "node:fs";
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { Displayable } from "../src/index.js";
import { ConnectionOutcome, PacketOutcome, run, ScenarioOutcome, StepOutcome, simulate, VpcsimError } from "../src/index.js";

const lesson = parse(readFileSync("scenarios/ephemeral-ports.yaml", "utf8")) as Record<string, unknown>;
const { steps: _steps, ...world } = lesson;

function kinds(): [string, Displayable, new (...a: never[]) => unknown][] {
  const sim = simulate(world);
  const connection = sim.connect("laptop", "web", { protocol: "tcp", port: 443 });
  const wait = sim.wait("30s");
  return [
    ["packet", connection.reply!, PacketOutcome],
    ["connection", connection, ConnectionOutcome],
    ["step", wait, StepOutcome],
    ["report", sim.report(), ScenarioOutcome],
    ["scenario", run(lesson), ScenarioOutcome],
  ];
}

describe("every result kind displays itself", () => {
  afterEach(() => {
    delete (globalThis as { document?: unknown }).document;
  });
  for (const [name, result, cls] of kinds()) {
    describe(name, () => {
      it("is its class", () => expect(result).toBeInstanceOf(cls));
      it("gives Deno's Jupyter kernel a MIME bundle", () => {
        const bundle = (result as unknown as Record<symbol, () => Record<string, unknown>>)[Symbol.for("Jupyter.display")]!();
        expect(Object.keys(bundle).sort()).toEqual(["application/json", "text/html", "text/markdown", "text/plain"]);
        expect(bundle["text/plain"]).toBe(String(result));
        expect(bundle["text/html"]).toMatch(/^<div class="vpcsim"><style>/);
        expect(bundle["application/json"]).toEqual(JSON.parse(JSON.stringify(result)));
        expect(typeof bundle["text/markdown"]).toBe("string");
        if (name !== "step") expect(bundle["text/html"]).toContain("<svg ");
      });
      it("prints as text in Node's REPL and tslab, never [Object]", () => {
        expect(inspect(result)).toBe(result.toString());
        expect(inspect({ nested: [result] }, { depth: 0 })).not.toContain("[Object]");
        expect(result.toString()).not.toMatch(/\[object|\[Object/);
      });
      it("gives stable JSON: plain data, the same on every call", () => {
        expect(JSON.stringify(result)).toBe(JSON.stringify(result.toJSON()));
        expect(JSON.stringify(kinds().find(([n]) => n === name)![1])).toBe(JSON.stringify(result));
      });
      it("gives a DOM node built from its HTML where there is a document", () => {
        const made: string[] = [];
        (globalThis as { document?: unknown }).document = {
          createElement: (tag: string) => {
            const template = { innerHTML: "", content: { firstElementChild: null as unknown } };
            return new Proxy(template, {
              set(t, key, value) {
                if (key === "innerHTML") {
                  made.push(`${tag}:${value}`);
                  t.content.firstElementChild = { outerHTML: value };
                }
                return true;
              },
            });
          },
        };
        expect(result.toElement().outerHTML).toBe(result.toHTML());
        expect(made).toEqual([`template:${result.toHTML()}`]);
      });
      it("refuses toElement with a VpcsimError where there is no document", () => {
        expect(() => result.toElement()).toThrow(VpcsimError);
        try {
          result.toElement();
        } catch (e) {
          expect((e as VpcsimError).code).toBe("environment/document");
        }
      });
    });
  }
  it("a connection's Markdown carries its Mermaid sequence diagram", () => {
    const [, connection] = kinds()[1]!;
    expect(connection.toMarkdown()).toContain("```mermaid\nsequenceDiagram\n");
  });
});
