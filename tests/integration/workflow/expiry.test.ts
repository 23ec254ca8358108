import '../../../functions/exportWorkflow';
import { orchestrationControl } from '../../../shared/adapters/durable';
import { readyServices } from '../../../shared/app/compositionRoot';
import { ExportRequests } from '../../../shared/services/exportRequests';
import { startHarness, type DurableHarness } from '../durable/harness';
import { newUser } from '../../support/invoke';

/**
 * The review window, on the real orchestration and activities (emulators behind them) with the
 * local Durable runtime's manual clock: 30 days pass in a moment.
 */
let harness: DurableHarness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());

/** The export endpoints' service on this harness; a short wait, since the test drives the runtime. */
async function exportRequests() {
  const services = await readyServices();
  const requests = new ExportRequests({
    documents: services.documents,
    tracking: services.exportTracking,
    waitLimitMs: 50,
  });
  return { services, requests, control: orchestrationControl(harness.client) };
}

describe('exportWorkflow review window', () => {
  it('when 30 days pass without edits, then the workflow is recorded expired and later edits are refused with 409', async () => {
    const { services, requests, control } = await exportRequests();
    const caller = { email: newUser('ivy') };
    const document = await services.documents.createFromData(caller, {
      file_name: 'po.json',
      document_type: 'purchase_order',
      extracted_data: { po: 'PO-1', total: 5 },
    });
    const review = await requests.startReview(control, caller, document.document_id, {});
    const workflowId = review.workflow_id;
    await harness.settle();
    expect((await services.exportTracking.header(caller.email, workflowId))?.status).toBe(
      'awaiting_user_review',
    );
    const windowEnds = harness.clock.now().getTime() + 30 * 86_400_000;
    expect(harness.runtime.pendingTimers(workflowId)).toHaveLength(1);

    await harness.fireAllTimers(); // the long timer fires in segments, the last one at day 30
    expect(harness.clock.now().getTime()).toBe(windowEnds);

    expect((await services.exportTracking.header(caller.email, workflowId))?.status).toBe('expired');
    const status = await harness.client.getStatus(workflowId);
    expect(status.runtimeStatus).toBe('Completed');
    expect(status.output).toEqual({ status: 'expired' });

    const late = requests.submitEdits(
      control,
      caller,
      document.document_id,
      {
        export_workflow_id: workflowId,
        format: 'csv',
        data: { po: 'PO-1', total: 6 },
        document_template: 'standard',
      },
      new Date(),
    );
    await expect(late).rejects.toMatchObject({ status: 409, message: expect.stringContaining('expired') });
  });

  it('when edits arrive within the window, then the timer is cancelled and the workflow completes', async () => {
    const { services, requests, control } = await exportRequests();
    const caller = { email: newUser('jon') };
    const document = await services.documents.createFromData(caller, {
      file_name: 'r.json',
      document_type: 'receipt',
      extracted_data: { total: 9 },
    });
    const review = await requests.startReview(control, caller, document.document_id, {});
    const workflowId = review.workflow_id;
    await harness.settle();
    const submitted = await requests.submitEdits(
      control,
      caller,
      document.document_id,
      { export_workflow_id: workflowId, format: 'json', data: { total: 10 }, document_template: 'standard' },
      new Date(),
    );
    // Answered within its 50 ms wait limit (the file) or after it (pending): either way the edits are taken.
    expect(submitted).toMatchObject({
      workflow_id: workflowId,
      kind: expect.stringMatching(/^(pending|file)$/),
    });
    await harness.settle();
    expect(harness.runtime.pendingTimers(workflowId)).toEqual([]);
    expect((await harness.client.getStatus(workflowId)).runtimeStatus).toBe('Completed');
    expect((await services.exportTracking.header(caller.email, workflowId))?.deliverable?.format).toBe(
      'json',
    );
  });
});
