// `vpcsim lint --format sarif`: SARIF 2.1.0, which GitHub code scanning and editors show on the
// lines of the scenario. One rule per finding code; each result carries its own level, as a code
// can be a warning in one place and a note in another (a shadowed rule that clashes or not).
import type { Finding } from "../analysis/finding.js";

const SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/** A relative file path as a URI reference; an absolute one as a `file://` URI. */
export function fileUri(file: string): string {
  const path = file.replaceAll("\\", "/");
  const encoded = path
    .split("/")
    .map((part) => encodeURIComponent(part))
    .join("/");
  return path.startsWith("/") ? `file://${encoded}` : encoded;
}

export function findingsSarif(findings: readonly Finding[], toolVersion: string): string {
  const codes = [...new Set(findings.map((f) => f.code))].sort();
  const rules = codes.map((code) => {
    const f = findings.find((x) => x.code === code)!;
    return {
      id: code,
      shortDescription: { text: f.basis.name },
      helpUri: f.basis.url,
      properties: { source: f.basis.source },
    };
  });
  const results = findings.map((f) => ({
    ruleId: f.code,
    ruleIndex: codes.indexOf(f.code),
    // SARIF's levels are ours by name
    level: f.severity,
    message: { text: `${f.message}. Fix: ${f.fix}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: fileUri(f.file) },
          region: { startLine: f.line, startColumn: f.column },
        },
      },
    ],
  }));
  const run = {
    tool: { driver: { name: "vpcsim", version: toolVersion, rules } },
    results,
  };
  return JSON.stringify({ $schema: SCHEMA, version: "2.1.0", runs: [run] }, null, 2);
}
