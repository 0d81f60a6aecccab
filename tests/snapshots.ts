// The Batfish snapshots (tests/fixtures/batfish-aws/), read from disk and imported as they are, and
// connections through an imported world, for the importer's tests.
import { join } from "node:path";
import type { ImportOptions } from "../src/import/aws.js";
import type { ImportLoadResult } from "../src/import/load.js";
import { loadAwsImport } from "../src/import/load.js";
import type { PacketResult, Scenario, World } from "../src/index.js";
import { readAwsDocuments } from "../src/node/import-files.js";
import { diagnosticsText } from "../src/render/diagnostics-text.js";
import { flowFromOptions } from "../src/scenario/flow.js";
import { runConnection } from "../src/scenario/run.js";

export const SNAPSHOTS = "tests/fixtures/batfish-aws";
export const ONE_VPC = ["test-subnet", "test-public-subnet", "test-public-private-subnet", "test-nat-gateway"] as const;

export async function importSnapshotResult(name: string, options: ImportOptions = {}): Promise<ImportLoadResult> {
  const path = join(SNAPSHOTS, name);
  const read = await readAwsDocuments(path);
  if (read.diagnostics.length > 0) throw new Error(diagnosticsText(read.diagnostics));
  return loadAwsImport(read.documents, options, path);
}

/** The snapshot's scenario; its import must succeed. */
export async function importSnapshot(name: string, options: ImportOptions = {}): Promise<Scenario> {
  const r = await importSnapshotResult(name, options);
  if (!r.ok) throw new Error(diagnosticsText(r.diagnostics));
  return r.scenario;
}

export interface Connection {
  readonly request: PacketResult;
  readonly reply: PacketResult | undefined;
  readonly delivered: boolean;
}

/** One connection as `vpcsim trace` makes it: the request and, if it arrives, the reply. */
export function connect(world: World, from: string, to: string, protocol: string, port?: number): Connection {
  const flow = flowFromOptions(world, { from, to, protocol, port });
  if (!flow.ok) throw new Error(JSON.stringify(flow.problems));
  const step = runConnection(world, flow.flow);
  const request = step.packets.find((p) => p.role === "request")!.result;
  const reply = step.packets.find((p) => p.role === "reply")?.result;
  return { request, reply, delivered: step.packets.every((p) => p.result.delivered) };
}

/** A drop as `CODE kind name direction`, for short assertions. */
export function dropOf(r: PacketResult): string {
  if (!r.drop) return "delivered";
  const c = r.drop.component as { kind: string; name?: string; instance?: string; direction?: string };
  return [r.drop.code, c.kind, c.instance ?? c.name, c.direction].filter((x) => x !== undefined).join(" ");
}

/** The hops as `kind:action`. */
export function hopsOf(r: PacketResult): string[] {
  return r.hops.map((h) => `${h.component.kind}:${h.action}`);
}
