// Terminal control characters in user text (a scenario's name and description, expectation words,
// file names, input that a diagnostic quotes) are shown as escapes in text and Markdown output,
// never written raw for a terminal to obey; JSON carries them as JSON escapes.
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../src/model/diagnostic.js";
import { diagnosticsText } from "../../src/render/diagnostics-text.js";
import { jsonText, oneLine, visible } from "../../src/render/escape.js";
import { traceText } from "../../src/render/packet-text.js";
import { resultsJson } from "../../src/render/results-json.js";
import { scenarioMarkdown } from "../../src/render/scenario-markdown.js";
import { scenarioText } from "../../src/render/scenario-text.js";
import type { Style } from "../../src/render/style.js";
import { loadScenario } from "../../src/scenario/load.js";
import { runScenario } from "../../src/scenario/run.js";

/** ESC (with a colour and a window title), BEL, NUL, DEL, CSI as one C1 character, a bidi override. */
const HOSTILE = "\u001b[31mred\u001b]0;pwned\u0007 nul\u0000 del\u007f csi\u009b2J rlo\u202eevil";
/** The same, as a YAML double-quoted string writes it. */
const HOSTILE_YAML = '"\\e[31mred\\e]0;pwned\\a nul\\0 del\\x7f csi\\x9b2J rlo\\u202eevil"';

const ESC = "\u001b";

/** A character a terminal could obey: C0 but tab and newline, DEL, C1, bidi controls. */
function isControl(c: string): boolean {
  const n = c.codePointAt(0)!;
  return (n < 0x20 && n !== 0x09 && n !== 0x0a) || (n >= 0x7f && n <= 0x9f) || (n >= 0x202a && n <= 0x202e) || (n >= 0x2066 && n <= 0x2069);
}

/** `out` without the colour codes of ANSI below. */
function uncoloured(out: string): string {
  return ["0", "1", "2", "31", "32"].reduce((s, c) => s.replaceAll(`${ESC}[${c}m`, ""), out);
}

/** The CLI's colours, to show that escaping leaves the renderer's own escape codes alone. */
const ANSI: Style = {
  pass: (s) => `${ESC}[32m${s}${ESC}[0m`,
  fail: (s) => `${ESC}[31m${s}${ESC}[0m`,
  dim: (s) => `${ESC}[2m${s}${ESC}[0m`,
  bold: (s) => `${ESC}[1m${s}${ESC}[0m`,
};

const SCENARIO = `name: ${HOSTILE_YAML}
description: ${HOSTILE_YAML}
vpc: { cidr: 10.0.0.0/16 }
subnets:
  a: { cidr: 10.0.1.0/24 }
security-groups:
  locked: {}
instances:
  x: { subnet: a, private-ip: 10.0.1.10 }
  y: { subnet: a, private-ip: 10.0.1.11, security-groups: [locked] }
steps:
  - connect: { from: x, to: y, protocol: tcp, port: 22 }
    expect: { request: allowed, blocked-by: security-groups y inbound, code: ${HOSTILE_YAML} }
`;
// blocked-by must name a part of the world, so hostile text there is a diagnostic (escaped as the one below is)

function noRawControls(out: string, where: string): void {
  const raw = [...out].find(isControl);
  expect(
    raw,
    `${where}: raw U+${raw?.charCodeAt(0).toString(16).padStart(4, "0")} in ${JSON.stringify(out.slice(0, 400))}`,
  ).toBeUndefined();
}

describe("control characters in user text", () => {
  const file = `evil${HOSTILE}\n.yaml`;
  const loaded = loadScenario(SCENARIO, file);
  if (!loaded.ok) throw new Error(loaded.diagnostics.map((d) => d.message).join("\n"));
  const result = runScenario(loaded.scenario);

  it("text and Markdown results escape them in names, descriptions, file names and expectations", () => {
    expect(result.name).toBe(HOSTILE);
    expect(result.failed).toBe(1);
    const outputs: [string, string][] = [
      ["text", scenarioText(result, { verbose: true })],
      ["Markdown", scenarioMarkdown(result)],
      ["trace", result.steps.flatMap((s) => s.packets.map((p) => traceText(p.result))).join("\n")],
    ];
    for (const [where, out] of outputs) {
      noRawControls(out, where);
      expect(out, where).not.toContain("\u001b");
    }
    const text = outputs[0]![1];
    expect(text).toContain("\\u001b[31mred\\u001b]0;pwned\\u0007 nul\\u0000 del\\u007f csi\\u009b2J rlo\\u202eevil");
    expect(text.split("\n")[0]).toBe(`evil${oneLine(HOSTILE)}\\n.yaml — ${oneLine(HOSTILE)}`);
    expect(scenarioMarkdown(result)).toContain(`## ${oneLine(HOSTILE)}`);
  });

  it("with colours on, only the renderer's own escape codes reach the terminal", () => {
    const coloured = scenarioText(result, { verbose: true, style: ANSI });
    noRawControls(uncoloured(coloured), "coloured text");
  });

  it("diagnostics quoting input and naming files escape them, one line each", () => {
    const bad = loadScenario(
      `name: t\nvpc: { cidr: 10.0.0.0/16 }\nsubnets:\n  a: { cidr: 10.0.1.0/24 }\nprefix-lists:\n  p: [${HOSTILE_YAML}, "10.0.0.1\\n/8"]\n`,
      file,
    );
    const diagnostics: Diagnostic[] = bad.ok ? [] : bad.diagnostics;
    expect(diagnostics.map((d) => d.code)).toEqual(["cidr/invalid", "cidr/invalid"]);
    expect(diagnostics[0]!.message).toContain(HOSTILE); // the data keeps the input as it was
    for (const style of [undefined, ANSI]) {
      const out = diagnosticsText(diagnostics, style);
      noRawControls(uncoloured(out), "diagnostics");
      expect(out.split("\n")).toHaveLength(2);
      expect(out).toContain(`evil${oneLine(HOSTILE)}\\n.yaml:6:7`);
    }
  });

  it("JSON keeps them as JSON escapes and reads back the same", () => {
    const doc = resultsJson([result], [{ file, line: 1, column: 1, code: "cidr/invalid", message: HOSTILE }]);
    const plain = JSON.stringify(doc, null, 2);
    // JSON.stringify escapes C0 (ESC, BEL, NUL); DEL, C1 and bidi controls it leaves raw
    expect(plain).toContain("\\u001b[31mred");
    expect(plain).toContain("\\u0007");
    expect(plain).toContain("\\u0000");
    expect(JSON.parse(plain)).toEqual(JSON.parse(JSON.stringify(doc)));
    const safe = jsonText(doc, 2);
    noRawControls(safe, "jsonText");
    expect(safe).toContain("\\u009b2J");
    expect(JSON.parse(safe)).toEqual(JSON.parse(plain));
  });

  it("visible keeps tabs and line breaks for layout; oneLine escapes them too", () => {
    expect(visible("a\tb\nc\u001bd\re")).toBe("a\tb\nc\\u001bd\\re");
    expect(oneLine("a\tb\nc\u001bd\u2028e")).toBe("a\\tb\\nc\\u001bd\\u2028e");
  });
});
