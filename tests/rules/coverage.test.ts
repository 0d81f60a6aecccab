// Which rule ids of docs/aws-rules.md some test names. The book's `Rule ids:` lines are read, then the
// titles of every describe/it/test in tests/rules/*.test.ts and tests/*.test.ts, as text. A title
// naming an id the book does not have (a typo) fails; so does a rules describe that does not start
// with an id and its section, or gives the wrong section. UNTESTED lists, with a reason each, the
// ids no test names: the test asserts that list, so it must be kept exact when tests are added.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/** Ids no test names yet, and why. */
const UNTESTED: Readonly<Record<string, string>> = {};

/** Every id of the book's `Rule ids:` lines, with the section it belongs to: `acl.first-match` → `§1.1`. */
function bookIds(book: string): Map<string, string> {
  const ids = new Map<string, string>();
  let section = "";
  for (const line of book.split("\n")) {
    const heading = /^### (§\d+\.\d+) /.exec(line);
    if (heading) section = heading[1]!;
    if (!line.startsWith("Rule ids:")) continue;
    for (const m of line.matchAll(/`([^`]+)`/g)) {
      if (ids.has(m[1]!)) throw new Error(`${m[1]} is listed twice in the book`);
      ids.set(m[1]!, section);
    }
  }
  return ids;
}

/** The titles of describe, it and test calls (with .each, .skip, ...) in a test file's text. */
function titles(text: string): { kind: string; title: string }[] {
  const call = /\b(describe|it|test)(?:\.each\([\s\S]*?\))?(?:\.(?:skip|only|todo|concurrent))?\(\s*(["'`])((?:\\.|(?!\2)[^\\])*)\2/g;
  return [...text.matchAll(call)].map((m) => ({ kind: m[1]!, title: m[3]! }));
}

interface Findings {
  /** ids some title names */
  readonly named: Set<string>;
  /** `file: id` for each title naming an id with a known area that the book lacks */
  readonly unknown: string[];
  /** `file: title` for each describe of tests/rules/ not of the form `id (§x.y)` with the book's id and section */
  readonly misnamed: string[];
}

/** What the titles of `files` name, against the book's ids. */
function examine(ids: ReadonlyMap<string, string>, files: readonly { file: string; text: string; rules: boolean }[]): Findings {
  const areas = [...new Set([...ids.keys()].map((id) => id.split(".")[0]!))];
  const token = new RegExp(`(?<![\\w./-])((?:${areas.join("|")})\\.[a-z0-9]+(?:-[a-z0-9]+)*)(?![\\w/-]|\\.\\w)`, "g");
  const named = new Set<string>();
  const unknown: string[] = [];
  const misnamed: string[] = [];
  for (const { file, text, rules } of files) {
    for (const { kind, title } of titles(text)) {
      for (const m of title.matchAll(token)) {
        if (ids.has(m[1]!)) named.add(m[1]!);
        else unknown.push(`${file}: ${m[1]}`);
      }
      if (rules && kind === "describe") {
        const head = /^([a-z]+\.[a-z0-9-]+) \((§\d+\.\d+)\)/.exec(title);
        if (!head || ids.get(head[1]!) !== head[2]) misnamed.push(`${file}: ${title}`);
      }
    }
  }
  return { named, unknown, misnamed };
}

/** The test files; those of tests/rules/ but this one hold one describe per rule. */
function testFiles(): { file: string; text: string; rules: boolean }[] {
  const read = (dir: string, rules: boolean) =>
    readdirSync(dir)
      .filter((f) => f.endsWith(".test.ts"))
      .sort()
      .map((f) => ({ file: join(dir, f), text: readFileSync(join(dir, f), "utf8"), rules: rules && f !== "coverage.test.ts" }));
  return [...read("tests/rules", true), ...read("tests", false)];
}

const book = readFileSync("docs/aws-rules.md", "utf8");

describe("rule coverage of docs/aws-rules.md", () => {
  const ids = bookIds(book);
  const found = examine(ids, testFiles());

  it("every id a test title names exists in the book, and every rules describe is titled `id (§x.y)` with its own section", () => {
    expect(found.unknown).toEqual([]);
    expect(found.misnamed).toEqual([]);
  });

  it("the ids no test names are exactly UNTESTED, each with its reason", () => {
    const untested = [...ids.keys()].filter((id) => !found.named.has(id)).sort();
    expect(untested).toEqual(Object.keys(UNTESTED).sort());
    for (const reason of Object.values(UNTESTED)) expect(reason.length).toBeGreaterThan(10);
  });

  it("the book's table of where each rule lives lists the same ids as its sections", () => {
    const table = book.slice(book.indexOf("## Where each rule lives"));
    const rows = [...table.matchAll(/^\| (§\d+\.\d+) ([^|]+)\|/gm)].flatMap((m) =>
      [...m[2]!.matchAll(/`([^`]+)`/g)].map((id) => `${id[1]} ${m[1]}`),
    );
    expect(rows.sort()).toEqual([...ids].map(([id, section]) => `${id} ${section}`).sort());
  });
});

describe("the coverage check itself", () => {
  const ids = bookIds(book);
  // written with `${call}` so that this file's text holds no such titles itself
  const call = "describe";
  const sample = (title: string) => ({ file: "sample.test.ts", text: `${call}(${JSON.stringify(title)}, () => {});`, rules: true });

  it("reads the book's ids and their sections", () => {
    expect(ids.size).toBeGreaterThan(50);
    expect(ids.get("acl.first-match")).toBe("§1.1");
    expect(ids.get("conntrack.icmp-related")).toBe("§3.6");
    expect(ids.get("flowlog.tcp-flags")).toBe("§6.1");
  });

  it("finds the titles of describe, it, it.each and test calls, in any quotes", () => {
    const text = [
      `${call}("a (§1)", () => {`,
      `  it('b', () => {});`,
      "  it.each([{ x: 1 },\n { x: (2) }])(`c $x`, () => {});",
      `  test.skip("d \\" e", () => {});`,
      `});`,
    ].join("\n");
    expect(titles(text).map((t) => t.title)).toEqual(["a (§1)", "b", "c $x", 'd \\" e']);
  });

  it("counts an id a title names, and reports a typo, a wrong section and a describe without an id", () => {
    expect([...examine(ids, [sample("acl.first-match (§1.1)")]).named]).toEqual(["acl.first-match"]);
    expect(examine(ids, [sample("acl.frist-match (§1.1)")]).unknown).toEqual(["sample.test.ts: acl.frist-match"]);
    expect(examine(ids, [sample("acl.first-match (§1.2)")]).misnamed).toEqual(["sample.test.ts: acl.first-match (§1.2)"]);
    expect(examine(ids, [sample("network ACLs")]).misnamed).toEqual(["sample.test.ts: network ACLs"]);
    // file names and paths are not ids
    expect(examine(ids, [{ ...sample("reads route.test.ts and src/engine/path.ts"), rules: false }]).unknown).toEqual([]);
  });
});
