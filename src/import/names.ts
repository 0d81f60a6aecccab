// Scenario names for AWS resources: the `Name` tag (or a group's or list's own name) where it is a
// valid name that no other resource of the namespace claims, else the AWS ID, which always is one.

/** What scenario files accept as a name (src/scenario/schema.ts). */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** Words and forms a name must not take: routes read the words, from/to read addresses. */
const RESERVED = new Set(["internet-gateway", "egress-only-internet-gateway", "blackhole"]);
const ADDRESS_LIKE = /^\d+(\.\d+){3}$/;

export interface Named {
  readonly id: string;
  /** preferred first: the Name tag, then the resource's own name, if any */
  readonly candidates: readonly (string | undefined)[];
}

/** Whether a text can be a scenario name at all: AWS IDs (`sg-0abc`) always can. */
export function validName(text: string): boolean {
  return NAME.test(text);
}

export function usableName(text: string | undefined): text is string {
  return text !== undefined && NAME.test(text) && !RESERVED.has(text) && !ADDRESS_LIKE.test(text);
}

/**
 * ID → name for one namespace. A candidate is taken only when no other resource has it as a
 * candidate or an ID, so that a name never depends on the order of the export.
 */
export function chooseNames(resources: readonly Named[]): Map<string, string> {
  const claims = new Map<string, number>();
  const claim = (n: string) => claims.set(n, (claims.get(n) ?? 0) + 1);
  for (const r of resources) {
    claim(r.id);
    for (const c of new Set(r.candidates.filter(usableName))) if (c !== r.id) claim(c);
  }
  const out = new Map<string, string>();
  for (const r of resources) {
    const name = r.candidates.find((c) => usableName(c) && claims.get(c) === 1);
    out.set(r.id, name ?? r.id);
  }
  return out;
}
