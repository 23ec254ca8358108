import { appConfig } from '../../../shared/config';
import { bulkExport } from '../../../shared/workflows/bulkExportDefinition';
import '../../../functions/bulkExport';
import { actionType, History, replay, type Action } from '../../support/orchestratorReplay';

const { activities } = bulkExport;
const ref = { owner_email: 'ana@example.com', job_id: 'job-1' };
const last = (actions: Action[]) => actions.at(-1);

/** A job whose plan said `of` batches and whose first `done` batches completed. */
function afterBatches(done: number, of: number): History {
  const history = new History(bulkExport.name, new Date('2026-03-01T09:00:00.000Z'), ref);
  history.scheduled(0, activities.plan).nextEpisode().completed(0, { done: false, batch: 0, of });
  for (let batch = 1; batch <= done; batch++) {
    history
      .scheduled(batch, activities.runBatch)
      .nextEpisode()
      .completed(batch, { done: batch === of, batch, of });
  }
  return history;
}

describe('bulkExport orchestrator', () => {
  it('when it starts, then it plans the job with retries, passing only the job reference', async () => {
    const run = await replay(new History(bulkExport.name, new Date(), ref));
    expect(run.actions).toEqual([
      expect.objectContaining({
        actionType: actionType.CallActivityWithRetry,
        functionName: activities.plan,
        input: ref,
      }),
    ]);
  });

  it('when a batch completes, then it reports batch/of in the custom status and runs the next one', async () => {
    const run = await replay(afterBatches(2, 5));
    expect(run.customStatus).toEqual({ batch: 2, of: 5 });
    expect(last(run.actions)).toEqual(
      expect.objectContaining({ functionName: activities.runBatch, input: ref }),
    );
    expect(run.actions.filter((a) => a.functionName === activities.runBatch)).toHaveLength(3);
  });

  it('when the last batch is done, then it finalizes the file and completes', async () => {
    const history = afterBatches(3, 3);
    const finalizing = await replay(history);
    expect(last(finalizing.actions)).toEqual(
      expect.objectContaining({ functionName: activities.finalize, input: ref }),
    );
    history.scheduled(4, activities.finalize).nextEpisode().completed(4, { status: 'completed', rows: 30 });
    const done = await replay(history);
    expect(done.isDone).toBe(true);
    expect(done.output).toEqual({ status: 'completed' });
  });

  it('when a generation has run its batches, then it continues as new with the same reference', async () => {
    const { batchesPerGeneration } = appConfig().limits;
    expect(batchesPerGeneration).toBe(50); // BULK_BATCHES_PER_GENERATION's default
    const run = await replay(afterBatches(batchesPerGeneration, 500));
    expect(last(run.actions)).toEqual(
      expect.objectContaining({ actionType: actionType.ContinueAsNew, input: ref }),
    );
    expect(run.actions.filter((a) => a.functionName === activities.runBatch)).toHaveLength(
      batchesPerGeneration,
    );
  });

  it('when a batch fails on every attempt, then it marks the job failed with the reason', async () => {
    const history = afterBatches(1, 4);
    let id = 2;
    for (let attempt = 1; attempt <= 3; attempt++) {
      history.scheduled(id, activities.runBatch).nextEpisode().failed(id, `batch attempt ${attempt} failed`);
      id++;
      // The library counts a retry timer after every failed attempt, the last one included.
      const fireAt = new Date(history.now().getTime() + 2000);
      history.timerCreated(id, fireAt).nextEpisode(2000).timerFired(id, fireAt);
      id++;
    }
    const run = await replay(history);
    expect(last(run.actions)).toEqual(
      expect.objectContaining({
        functionName: activities.markFailed,
        input: { ref, message: expect.stringContaining('batch attempt 3 failed') },
      }),
    );
    expect(run.actions.some((a) => a.functionName === activities.finalize)).toBe(false);
  });
});
