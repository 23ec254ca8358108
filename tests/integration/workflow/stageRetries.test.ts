import { randomUUID } from 'node:crypto';
import { readyServices } from '../../../shared/app/compositionRoot';
import {
  editsId,
  pendingHeader,
  type EditsRecord,
  type WorkflowHeader,
} from '../../../shared/domain/exportRecords';
import type { WorkflowStart } from '../../../shared/workflows/exportWorkflowDefinition';
import { newUser } from '../../support/invoke';

/**
 * The stage activities on the Cosmos emulator, called again as a retried activity would be:
 * nothing is produced twice, and the header catches up.
 */
async function newWorkflow(name: string) {
  const services = await readyServices();
  const owner = { email: newUser(name) };
  const document = await services.documents.createFromData(owner, {
    file_name: 'invoice.json',
    document_type: 'invoice',
    extracted_data: { InvoiceId: 'INV-1', Total: 5 },
  });
  const workflowId = randomUUID();
  const now = new Date().toISOString();
  await services.exportTracking.createHeader(pendingHeader(owner, workflowId, document.document_id, now));
  const start: WorkflowStart = {
    export_workflow_id: workflowId,
    owner,
    document_id: document.document_id,
    started_at: now,
  };
  return { services, owner, start, workflowId };
}

function editsFor(start: WorkflowStart, total: number): EditsRecord {
  return {
    id: editsId(start.export_workflow_id, randomUUID()),
    type: 'edits',
    owner_email: start.owner.email,
    document_id: start.document_id,
    export_workflow_id: start.export_workflow_id,
    stage: 2,
    status: 'awaiting_final_processing',
    timestamp: new Date().toISOString(),
    modifications: {
      data: { InvoiceId: 'INV-1', Total: total },
      preferences: { format: 'csv', document_template: 'standard' },
      received_at: new Date().toISOString(),
    },
  };
}

describe('export stage activities run again', () => {
  it('when each activity runs again after its stage was written but not its header, then the stage is returned as recorded and the header catches up', async () => {
    const { services, owner, start, workflowId } = await newWorkflow('uma');
    const stages = services.exportStages;
    const tracking = services.exportTracking;
    const setStatus = (status: WorkflowHeader['status']) =>
      tracking.updateHeader(owner.email, workflowId, () => ({ status }));

    // The first run reports the AI call it made; a re-run makes none, so it reports none.
    const { ai, ...stage1 } = await stages.recordInitialSummary(start);
    expect(ai).toBeDefined();
    await setStatus('pending'); // as if the header write had been lost
    expect(await stages.recordInitialSummary(start)).toEqual(stage1);
    expect((await tracking.header(owner.email, workflowId))?.status).toBe('awaiting_user_review');

    const edits = editsFor(start, 7);
    await tracking.save(edits);
    await tracking.claimEdits((await tracking.header(owner.email, workflowId))!, edits.id);
    const stage2 = await stages.recordUserModifications(start, edits.id);
    expect(await tracking.edits(owner.email, edits.id)).toBeUndefined(); // stage 2 holds them now
    await setStatus('awaiting_user_review');
    expect(await stages.recordUserModifications(start, edits.id)).toEqual(stage2);
    expect((await tracking.header(owner.email, workflowId))?.status).toBe('awaiting_final_processing');

    const { deliverable } = await stages.produceDeliverable(start);
    await setStatus('awaiting_final_processing');
    expect((await stages.produceDeliverable(start)).deliverable).toEqual(deliverable);
    const header = await tracking.header(owner.email, workflowId);
    expect(header).toMatchObject({ status: 'completed', deliverable, edits_id: edits.id });
    expect((await tracking.stage(owner.email, workflowId, 2))?.modified_data).toEqual({
      InvoiceId: 'INV-1',
      Total: 7,
    });
    expect((await tracking.stage(owner.email, workflowId, 3))?.deliverable.sha256).toBe(deliverable.sha256);
  });

  it('when stage 2 is asked for edits of another workflow, then it is refused and nothing is recorded', async () => {
    const first = await newWorkflow('vic');
    const { services } = first;
    await services.exportStages.recordInitialSummary(first.start);
    const elsewhere = editsFor({ ...first.start, export_workflow_id: randomUUID() }, 3);
    await services.exportTracking.save(elsewhere);

    await expect(
      services.exportStages.recordUserModifications(first.start, elsewhere.id),
    ).rejects.toMatchObject({
      code: 'not_found',
    });
    expect(await services.exportTracking.stage(first.owner.email, first.workflowId, 2)).toBeUndefined();
    expect((await services.exportTracking.header(first.owner.email, first.workflowId))?.status).toBe(
      'awaiting_user_review',
    );
  });
});

describe('header writes seen by a waiting request', () => {
  it('when the stage activities move a workflow on in this process, then a watch on it sees the header as each step left it, and nothing of other workflows or after it closed', async () => {
    const { services, owner, start, workflowId } = await newWorkflow('wes');
    const other = await newWorkflow('xia');
    const tracking = services.exportTracking;
    const seen: string[] = [];
    const watch = tracking.watchHeader(workflowId);
    const collect = () => {
      for (let header = watch.take(); header; header = watch.take())
        seen.push(`${header.export_workflow_id === workflowId ? 'own' : 'other'}:${header.status}`);
    };

    await services.exportStages.recordInitialSummary(other.start);
    await services.exportStages.recordInitialSummary(start);
    collect();
    const edits = editsFor(start, 4);
    await tracking.save(edits);
    await tracking.claimEdits((await tracking.header(owner.email, workflowId))!, edits.id);
    collect();
    await services.exportStages.recordUserModifications(start, edits.id);
    collect();
    await services.exportStages.produceDeliverable(start);
    collect();
    watch.close();
    await tracking.updateHeader(owner.email, workflowId, () => ({ status: 'expired' }));
    collect();

    expect(seen).toEqual([
      'own:awaiting_user_review',
      'own:awaiting_user_review', // the claim of the edits
      'own:awaiting_final_processing',
      'own:completed',
    ]);
  });
});
