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

const mapHistories = (observation: Observation, map: (history: string[]) => string[]): Observation => ({
  ...observation,
  instances: Object.fromEntries(
    Object.entries(observation.instances).map(([id, instance]) => [
      id,
      { ...instance, history: map(instance.history) },
    ]),
  ),
});

export const acceptedDifferences: readonly AcceptedDifference[] = [
  {
    reason:
      'Review-window timers: how many of the review timers fire before the edit arrives depends on ' +
      "when the test sees the first one fire and on the engine's polling delay (Azure Storage queues), " +
      "not on the engine's rules. The count is compared up to the edit; the scenario itself checks that " +
      'at least one fired and that the edit completed the workflow.',
    scenarios: ['workflow: edits after the first timer of the review window fired'],
    apply: (observation) =>
      mapHistories(observation, (history) =>
        history.filter((line, i) => !(line.startsWith('Timer') && history[i - 1]?.startsWith('Timer'))),
      ),
  },
  {
    reason:
      'A cancel races the batch that runs (the user against the job, by design): how many batches ' +
      'completed before it, and so the progress recorded and the custom status, depend on the moment ' +
      'and differ from run to run on any engine. The job being cancelled, its instance terminated and ' +
      'nothing left in storage are compared.',
    scenarios: ['bulk job: cancelled while a batch runs'],
    apply: (observation) => ({
      ...observation,
      outcome: {
        ...(observation.outcome as object),
        job: { status: (observation.outcome as { job: { status: string } }).job.status },
      },
      records: observation.records.map((r) =>
        (r as { container?: string }).container === 'export_jobs'
          ? { container: 'export_jobs', status: (r as { status?: string }).status }
          : r,
      ),
      instances: Object.fromEntries(
        Object.entries(observation.instances).map(([id, i]) => [
          id,
          { ...i, customStatus: '<race>', history: i.history.filter((l) => !l.includes('runBatch')) },
        ]),
      ),
    }),
  },
];

/** The observation with every difference accepted for this scenario taken out. */
export function withoutAcceptedDifferences(scenario: string, observation: Observation): Observation {
  return acceptedDifferences
    .filter((d) => !d.scenarios || d.scenarios.includes(scenario))
    .reduce((current, d) => d.apply(current), observation);
}
