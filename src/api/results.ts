// What the code API returns: the scenario runner's results, wrapped so that they print as the CLI
// prints them, display themselves in notebooks with their pictures (display.ts), and give back
// their plain data with `toJSON()`.
import type { Drop, Hop, PacketResult } from "../explain/trace.js";
import type { World } from "../model/model.js";
import { packetHtml } from "../render/packet-html.js";
import { packetMarkdown } from "../render/packet-markdown.js";
import { traceText } from "../render/packet-text.js";
import { scenarioHtml, stepHtml } from "../render/scenario-html.js";
import { scenarioMarkdown, stepMarkdown, summaryMarkdown } from "../render/scenario-markdown.js";
import { scenarioText, stepText, summaryText } from "../render/scenario-text.js";
import { sequenceMermaid } from "../render/sequence-mermaid.js";
import type { ExpectationCheck, PacketRecord, ScenarioResult, StepResult } from "../scenario/run.js";
import { Displayable } from "./display.js";

/** One packet a step sent: its role in the step and its trace. */
export class PacketOutcome extends Displayable {
  /** `request` or `reply` of a connection, or `packet` for a `send` */
  readonly role: PacketRecord["role"];
  readonly result: PacketResult;

  constructor(record: PacketRecord) {
    super();
    this.role = record.role;
    this.result = record.result;
  }

  /** whether the packet reached its destination */
  get delivered(): boolean {
    return this.result.delivered;
  }

  /** where and why it was dropped, and the fix */
  get drop(): Drop | undefined {
    return this.result.drop;
  }

  /** each component it met, in order */
  get hops(): readonly Hop[] {
    return this.result.hops;
  }

  toJSON(): PacketRecord {
    return { role: this.role, result: this.result };
  }

  toString(): string {
    return traceText(this.result, undefined, "", `${this.role}: `);
  }

  toMarkdown(): string {
    return packetMarkdown(this.result, this.role);
  }

  protected htmlBody(): string {
    return packetHtml(this.toJSON());
  }
}

/** One step's result: what happened in a line, its packets, and its expectation's check. */
export class StepOutcome extends Displayable {
  readonly index: number;
  readonly kind: StepResult["kind"];
  readonly title: string;
  /** what happened, in one line */
  readonly outcome: string;
  readonly packets: readonly PacketOutcome[];
  readonly check: ExpectationCheck | undefined;
  readonly result: StepResult;

  constructor(result: StepResult) {
    super();
    this.result = result;
    this.index = result.index;
    this.kind = result.kind;
    this.title = result.title;
    this.outcome = result.outcome;
    this.packets = result.packets.map((p) => new PacketOutcome(p));
    this.check = result.check;
  }

  /** whether the step sent packets and every one was delivered */
  get allowed(): boolean {
    return this.packets.length > 0 && this.packets.every((p) => p.delivered);
  }

  /** the request (or the one packet of a `send`) */
  get request(): PacketOutcome | undefined {
    return this.packets.find((p) => p.role !== "reply");
  }

  /** the reply, when the request arrived and the destination answered */
  get reply(): PacketOutcome | undefined {
    return this.packets.find((p) => p.role === "reply");
  }

  toJSON(): StepResult {
    return this.result;
  }

  toString(): string {
    return stepText(this.result, { verbose: true });
  }

  toMarkdown(): string {
    return stepMarkdown(this.result);
  }

  protected htmlBody(): string {
    return stepHtml(this.result);
  }
}

/** A `connect` step's result: a request, and the reply when the request arrived. */
export class ConnectionOutcome extends StepOutcome {
  /**
   * The connection as a Mermaid `sequenceDiagram`.
   * @example
   * const text = sim.connect("laptop", "web", { protocol: "tcp", port: 443 }).toMermaid();
   */
  toMermaid(): string {
    return sequenceMermaid(this.result.packets);
  }

  /** The step, then its sequence diagram in a `mermaid` block, which Markdown viewers draw. */
  override toMarkdown(): string {
    return this.packets.length === 0 ? super.toMarkdown() : `${super.toMarkdown()}\n\n\`\`\`mermaid\n${this.toMermaid()}\n\`\`\``;
  }
}

/** A whole scenario's result, or a simulation's history so far, with the world it ran in. */
export class ScenarioOutcome extends Displayable {
  readonly name: string;
  readonly steps: readonly StepOutcome[];
  /** expectations met */
  readonly passed: number;
  /** expectations not met */
  readonly failed: number;
  readonly result: ScenarioResult;
  /** the world the steps ended in */
  readonly world: World;

  constructor(result: ScenarioResult, world: World) {
    super();
    this.result = result;
    this.world = world;
    this.name = result.name;
    this.steps = result.steps.map(stepOutcome);
    this.passed = result.passed;
    this.failed = result.failed;
  }

  toJSON(): ScenarioResult {
    return this.result;
  }

  toString(): string {
    return `${scenarioText(this.result, { verbose: true })}\n${summaryText([this.result], 0)}`;
  }

  toMarkdown(): string {
    return `${scenarioMarkdown(this.result)}\n\n${summaryMarkdown([this.result], 0)}`;
  }

  protected htmlBody(): string {
    return scenarioHtml(this.result, this.world);
  }
}

/** The outcome class of a step's kind. */
export function stepOutcome(result: StepResult): StepOutcome {
  return result.kind === "connect" ? new ConnectionOutcome(result) : new StepOutcome(result);
}
