// YAML that is not plain data, or not UTF-8 text, is one clear diagnostic with a position; and a
// map of 150,000 keys loads in linear time.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadScenarioFile } from "../../src/node/index.js";
import { loadScenario, MAX_SCENARIO_BYTES } from "../../src/scenario/load.js";
import { medianMs } from "./timing.js";

interface Found {
  readonly at: string;
  readonly code: string;
  readonly message: string;
}

function problems(text: string): Found[] {
  const r = loadScenario(text, "edge.yaml");
  return r.ok ? [] : r.diagnostics.map((d) => ({ at: `${d.line}:${d.column}`, code: d.code, message: d.message }));
}

/** The only problem of `text`: its line:column, code, and a word of its message. */
function expectOne(text: string, at: string, code: string, says: RegExp): void {
  const found = problems(text);
  expect(
    found.map((f) => `${f.at} ${f.code}`),
    JSON.stringify(text),
  ).toEqual([`${at} ${code}`]);
  expect(found[0]!.message).toMatch(says);
}

const world = (body: string) => `name: t
vpc: { cidr: 10.0.0.0/16 }
subnets:
  a: { cidr: 10.0.1.0/24 }
${body}`;

/** Bytes as the file reader decodes them (UTF-8, with U+FFFD for what is not). */
const decoded = (bytes: Uint8Array) => new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);

describe("YAML edge cases", () => {
  it("bytes that are not UTF-8 (Latin-1 text) are 'not UTF-8', at the first of them", () => {
    const latin1 = Uint8Array.from([...world("description: caf"), 0xe9, 0x0a].map((c) => (typeof c === "string" ? c.charCodeAt(0) : c)));
    expectOne(decoded(latin1), "5:17", "input/not-utf8", /not UTF-8/);
  });

  it("a UTF-16 file, by its byte order mark or its NULs, is 'UTF-16'", () => {
    const text = world("");
    const le = new Uint8Array([0xff, 0xfe, ...new Uint8Array(Buffer.from(text, "utf16le"))]);
    const be = new Uint8Array([0xfe, 0xff, ...new Uint8Array(Buffer.from(text, "utf16le").swap16())]);
    expectOne(decoded(le), "1:1", "input/utf16", /UTF-16/);
    expectOne(decoded(be), "1:1", "input/utf16", /UTF-16/);
    expectOne(decoded(new Uint8Array(Buffer.from(text, "utf16le"))), "1:2", "input/utf16", /NUL bytes.*UTF-16/);
  });

  it("read from disk, UTF-16 and Latin-1 files get the same diagnostics", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vpcsim-yaml-"));
    const utf16 = join(dir, "utf16.yaml");
    const latin1 = join(dir, "latin1.yaml");
    writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(world(""), "utf16le")]));
    writeFileSync(latin1, Buffer.from(world("description: café\n"), "latin1"));
    for (const [file, code] of [
      [utf16, "input/utf16"],
      [latin1, "input/not-utf8"],
    ] as const) {
      const r = await loadScenarioFile(file);
      expect(r.ok ? [] : r.diagnostics.map((d) => d.code)).toEqual([code]);
    }
  });

  it("a UTF-8 byte order mark is no problem", () => {
    expect(problems(`\uFEFF${world("")}`)).toEqual([]);
  });

  it("an empty file, or one of comments only, is 'empty'", () => {
    for (const text of ["", "\n\n", "# a comment\n", "---\n", "# a\n---\n# b\n"]) expectOne(text, "1:1", "input/empty", /no YAML data/);
  });

  it("unknown tags (!!binary, !custom, !!set, !!timestamp) and values their tag cannot read are refused at the tag", () => {
    expectOne(world("description: !!binary aGk=\n"), "5:14", "yaml/unsupported-tag", /!!binary is not plain data/);
    expectOne(world("description: !custom hi\n"), "5:14", "yaml/unsupported-tag", /!custom/);
    expectOne(world("prefix-lists: !!set { a }\n"), "5:15", "yaml/unsupported-tag", /!!set/);
    expectOne(world("description: !!timestamp 2001-12-14\n"), "5:14", "yaml/unsupported-tag", /!!timestamp/);
    expectOne(world("prefix-lists:\n  p: [!!int ten]\n"), "6:7", "yaml/unsupported-tag", /"ten" cannot be read as !!int/);
    // the core schema's own tags are plain data
    expect(problems(world('description: !!str 10\nprefix-lists: !!map\n  p: !!seq [ !!str "10.0.0.0/8" ]\n'))).toEqual([]);
  });

  it("several documents in one file are refused at the second", () => {
    expectOne(`${world("")}---\nname: other\n`, "5:1", "yaml/multiple-documents", /second YAML document/);
    expectOne(`---\n${world("")}...\n---\n`, "7:1", "yaml/multiple-documents", /one document/);
  });

  it("collection keys (? [a, b]: 1) are refused at the key", () => {
    expectOne(world("prefix-lists:\n  ? [a, b]\n  : []\n"), "6:5", "yaml/collection-key", /list or a map/);
    expectOne(world("prefix-lists: { ? { a: 1 } : [] }\n"), "5:19", "yaml/collection-key", /list or a map/);
  });

  it("keys that are not strings (numbers, booleans, null) are refused, with the quoting that makes them names", () => {
    expectOne(world("prefix-lists:\n  0x10: []\n"), "6:3", "yaml/non-string-key", /0x10 is read as the number 16.*"0x10"/);
    expectOne(world("prefix-lists:\n  true: []\n"), "6:3", "yaml/non-string-key", /boolean true/);
    expectOne(world("prefix-lists:\n  ~: []\n"), "6:3", "yaml/non-string-key", /empty \(null\)/);
    expectOne(world("prefix-lists:\n  1.5: []\n"), "6:3", "yaml/non-string-key", /number 1.5/);
    // quoted, the same keys are names
    expect(problems(world('prefix-lists:\n  "0x10": []\n  "true": []\n'))).toEqual([]);
  });

  it("duplicate keys are refused at the second, in block and flow maps alike", () => {
    expectOne(world("prefix-lists:\n  p: []\n  p: []\n"), "7:3", "yaml/duplicate_key", /"p" appears twice/);
    expectOne(world("prefix-lists: { p: [], p: [] }\n"), "5:24", "yaml/duplicate_key", /"p" appears twice/);
  });

  it("a map of 150,000 keys, each with a problem, loads; time grows linearly with the keys", () => {
    const text = (keys: number) => world(`prefix-lists:\n${Array.from({ length: keys }, (_, i) => `  _${i}: []\n`).join("")}`);
    const big = text(150_000);
    expect(big.length).toBeLessThan(MAX_SCENARIO_BYTES);
    const found = loadScenario(big, "big.yaml");
    expect(found.ok ? [] : found.diagnostics.slice(0, 2).map((d) => `${d.line}:${d.column} ${d.code}`)).toEqual([
      "6:3 schema/invalid_key",
      "7:3 schema/invalid_key",
    ]);
    expect(found.ok ? 0 : found.diagnostics.length).toBe(150_000);
    // Linear: 10× the keys, about 10× the time (most of it the YAML parser). Before, each
    // diagnostic scanned its map (and the parser's duplicate check scanned it for each key): 2.5 s
    // for 10,000 keys, 7.4 s for 20,000, and 150,000 did not finish in 20 minutes. A ratio of two
    // sizes timed in the same run holds on a loaded machine, where an absolute limit would not.
    const small = text(2_000);
    const large = text(20_000);
    const ratio =
      medianMs(
        () => large,
        (t) => loadScenario(t, "big.yaml"),
      ) /
      medianMs(
        () => small,
        (t) => loadScenario(t, "big.yaml"),
      );
    expect(ratio, `10× the keys took ${ratio.toFixed(1)}× the time`).toBeLessThan(25);
  }, 120_000);
});
