import type { Observation } from './observation';

/**
 * Where the engines may differ, each listed once with its reason, and what a scenario leaves to a
 * race by design (docs/ARCHITECTURE.md, "Where
 * the local runtime differs from the Durable extension"). Everything else must be equal between
 * the engines, scenario by scenario. An accepted difference is applied to both observations
 * before they are compared; it must stay narrow, or it hides the next real difference.
 */
export interface AcceptedDifference {
  /** What differs and why it is accepted. */
  reason: string;
  /** Which scenarios it concerns (names from scenarios.ts); all when absent. */
  scenarios?: readonly string[];
  /** Takes the difference out of an observation (returns a new one). */
  apply(observation: Observation): Observation;
}

/**
 * None at present. What earlier runs on the extension showed was either the local runtime
 * recording history differently from DTFx (fixed in host/durable/: a cancelled timer still fires
 * and is recorded; a terminate records ExecutionCompleted Terminated), our orchestration reading
 * the clock where Azure Storage fires timers early (fixed in functions/exportWorkflow.ts), or a
 * scenario that did not hold what it meant to (the cancel held the Cosmos query plan, not the
 * batch's query). The review-window edit no longer races the second timer: with timers of 4 s
 * the edit goes out within a poll of the first one firing, seconds before the next could.
 * docs/ARCHITECTURE.md lists what still differs outside what the suite compares.
 */
export const acceptedDifferences: readonly AcceptedDifference[] = [];

/** The observation with every difference accepted for this scenario taken out. */
export function withoutAcceptedDifferences(scenario: string, observation: Observation): Observation {
  return acceptedDifferences
    .filter((d) => !d.scenarios || d.scenarios.includes(scenario))
    .reduce((current, d) => d.apply(current), observation);
}
