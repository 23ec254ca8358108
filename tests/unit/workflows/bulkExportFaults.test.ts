import { bulkExport } from '../../../shared/workflows/bulkExportDefinition';
import { permanentFailure } from '../../../shared/workflows/activityOutcome';
import '../../../functions/bulkExport';
import { History, replay } from '../../support/orchestratorReplay';

const { activities } = bulkExport;
const ref = { owner_email: 'ana@example.com', job_id: 'job-1' };

describe('bulkExport orchestrator, permanent faults', () => {
  it('when planning refuses the job for good, then it marks the job failed with that reason at once and runs no batch', async () => {
    const refused = permanentFailure('invalid_request', 'The job needs 60000 batches; raise batch_size.');
    const history = new History(bulkExport.name, new Date('2026-03-01T09:00:00.000Z'), ref);
    history.scheduled(0, activities.plan).nextEpisode().completed(0, refused);

    const run = await replay(history);

    expect(run.actions.map((a) => a.functionName)).toEqual([activities.plan, activities.markFailed]);
    expect(run.actions.at(-1)).toEqual(
      expect.objectContaining({
        input: { ref, code: 'invalid_request', message: expect.stringContaining('raise batch_size') },
      }),
    );
  });

  it('when a batch is refused for good, then the job is marked failed with that reason instead of running on', async () => {
    const refused = permanentFailure('invalid_request', 'The job needs more than 49000 batches.');
    const history = new History(bulkExport.name, new Date('2026-03-01T09:00:00.000Z'), ref);
    history.scheduled(0, activities.plan).nextEpisode().completed(0, { done: false, batch: 0, of: 3 });
    history.scheduled(1, activities.runBatch).nextEpisode().completed(1, refused);

    const run = await replay(history);

    expect(run.actions.map((a) => a.functionName)).toEqual([
      activities.plan,
      activities.runBatch,
      activities.markFailed,
    ]);
  });
});
