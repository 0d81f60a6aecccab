// A finding of `vpcsim lint`: data, so that text, JSON and SARIF are renderings of one list.

/** Trusted Advisor's red is an error, its yellow a warning; a note is worth knowing, not fixing. */
export type Severity = "error" | "warning" | "note";

export const SEVERITIES: readonly Severity[] = ["error", "warning", "note"];

/** Higher is worse. */
export function severityRank(s: Severity): number {
  switch (s) {
    case "error":
      return 2;
    case "warning":
      return 1;
    case "note":
      return 0;
  }
}

/** The published rule a finding applies: a Trusted Advisor check, an AWS Config rule, or AWS's own rule (aws-rules §). */
export interface Basis {
  readonly source: "trusted-advisor" | "aws-config" | "aws-rules";
  /** the check's or rule's name as AWS writes it, or the aws-rules section (`§1.4`) */
  readonly name: string;
  readonly url: string;
}

/** Keys and indexes from the scenario file's root to the resource or rule, as the loader's paths. */
export type ResourcePath = readonly (string | number)[];

export interface Finding {
  /** stable: `sg/specific-ports-unrestricted` */
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly basis: Basis;
  readonly fix: string;
  /** where in the scenario file the rule or resource is written */
  readonly path: ResourcePath;
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** A finding before it is placed in its file. */
export type Draft = Omit<Finding, "file" | "line" | "column">;

/** Where the checks' paths are in the file; the loader's Positions is one. */
export interface Source {
  readonly file: string;
  at(path: ResourcePath): { line: number; column: number };
  /** whether the file writes the node at `path` (a rule AWS creates has no line of its own) */
  has(path: ResourcePath): boolean;
}
