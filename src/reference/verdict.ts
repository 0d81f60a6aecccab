// What happens to a packet: it is delivered, or the first part of the VPC that stops it names the
// reason with a drop code (aws-rules §5).
import type { DropCode } from "../model/verdict.js";

export type { DropCode, Verdict } from "../model/verdict.js";

/**
 * One step of a packet's walk either lets it go on (`undefined`) or stops it with a drop code; so
 * `step() ?? nextStep()` reads "the first drop ends the packet" (aws-rules §4.7).
 */
export type StepResult = DropCode | undefined;
