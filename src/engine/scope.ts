// What the walk of one packet records: the hops of its trace (when one is wanted), the verdict,
// the packet as it arrived, and whether the destination tracks the flow. One object per walk, so
// that nothing is reset by hand; the verdict-only path reuses one and builds no words.
import type { DropReason, Role } from "../explain/drop.js";
import { explainDrop } from "../explain/drop.js";
import type { Drop, Hop } from "../explain/trace.js";
import type { Component } from "../model/component.js";
import type { Packet } from "../model/packet.js";
import type { DropCode, Verdict } from "../model/verdict.js";

export class Scope {
  /** the trace's hops; null in verdict-only mode, so hops cost nothing there */
  hops: Hop[] | null = null;
  role: Role = "packet";
  /** whether a drop is put in words (not in verdict-only mode) */
  explain = false;
  verdict: Verdict = "delivered";
  drop: Drop | undefined;
  /** the packet as the destination saw it, after translation */
  received: Packet | undefined;
  /** whether the destination's security groups track the flow after this packet */
  trackedAtDestination: boolean | undefined;
  /** the last appliance that forwarded the packet, for the words of SG_REFERENCES_NOT_PRESERVED */
  forwardedBy: string | undefined;

  /** Starts a new packet. */
  begin(trace: boolean, explain: boolean, role: Role): void {
    this.hops = trace ? [] : null;
    this.explain = explain;
    this.role = role;
    this.verdict = "delivered";
    this.drop = undefined;
    this.received = undefined;
    this.trackedAtDestination = undefined;
    this.forwardedBy = undefined;
  }

  deliver(p: Packet): true {
    this.received = p;
    return true;
  }

  /** Records a drop; the words are only written when someone will read them. */
  fail(code: DropCode, component: Component, reason: DropReason): false {
    this.verdict = code;
    // An appliance on the way may have tracked the flow; the destination never saw the packet.
    this.trackedAtDestination = undefined;
    if (this.explain) {
      const { explanation, fix, narrower } = explainDrop(reason);
      this.drop = { code, component, explanation, ...(fix ? { fix } : {}), ...(narrower ? { narrower } : {}) };
    }
    return false;
  }
}
