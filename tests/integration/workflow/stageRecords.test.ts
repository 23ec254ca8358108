import { randomUUID } from 'node:crypto';
import { readyServices } from '../../../shared/app/compositionRoot';
import { editsId, type EditsRecord, type WorkflowHeader } from '../../../shared/domain/exportRecords';
import type { WorkflowStart } from '../../../shared/workflows/exportWorkflowDefinition';
import { newUser } from '../../support/invoke';

/**
 * The stage activities' records on the Cosmos emulator: each activity reads its workflow's
 * records in one query and updates the header conditionally on that read.
 */
async function newWorkflow(name: string, sameUserAs?: { owner: { email: string } }) {
  const services = await readyServices();
  const owner = sameUserAs?.owner ?? { email: newUser(name) };
  const document = await services.documents.createFromData(owner, {
    file_name: 'invoice.json',
    document_type: 'invoice',
    extracted_data: { InvoiceId: 'INV-1', Total: 5 },
  });
  const workflowId = randomUUID();
  const now = new Date().toISOString();
  const header: WorkflowHeader = {
    id: workflowId,
    type: 'workflow',
    owner_email: owner.email,
    document_id: document.document_id,
    export_workflow_id: workflowId,
    stage: 1,
    status: 'pending',
    timestamp: now,
    created_at: now,
    updated_at: now,
  };
  await services.exportTracking.createHeader(header);
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

describe('export stage records', () => {
  it('when two workflows of one user are under way, then each sees only its own header, stages and edits', async () => {
    const first = await newWorkflow('rita');
    const { services } = first;
    const second = await newWorkflow('rita', first);
    await services.exportStages.recordInitialSummary(first.start);
    await services.exportStages.recordInitialSummary(second.start);
    const secondEdits = editsFor(second.start, 9);
    await services.exportTracking.save(secondEdits);

    const records = await services.exportTracking.records(first.owner.email, first.workflowId);
    expect(records.header?.export_workflow_id).toBe(first.workflowId);
    expect(records.stages[1]?.export_workflow_id).toBe(first.workflowId);
    expect(records.stages[2]).toBeUndefined();
    expect(records.edits).toEqual([]);
    const other = await services.exportTracking.records(first.owner.email, second.workflowId);
    expect(other.edits.map((e) => e.id)).toEqual([secondEdits.id]);
    // Another user asking for the same workflow finds nothing.
    const stranger = await services.exportTracking.records(newUser('sam'), first.workflowId);
    expect(stranger).toEqual({ stages: {}, edits: [] });
  });

  it("when a header update starts from a read that another writer overtook, then it reads again and keeps that writer's change", async () => {
    const { services, owner, workflowId } = await newWorkflow('tess');
    const { header: stale } = await services.exportTracking.records(owner.email, workflowId);
    const claimed = `${workflowId}:edits:claim`;
    await services.exportTracking.claimEdits(stale!, claimed);

    const saved = await services.exportTracking.updateHeader(
      owner.email,
      workflowId,
      () => ({ status: 'failed', error_message: 'stopped' }),
      stale,
    );
    expect(saved).toMatchObject({ status: 'failed', edits_id: claimed });
    expect(await services.exportTracking.header(owner.email, workflowId)).toMatchObject({
      status: 'failed',
      edits_id: claimed,
    });
  });

  it('when each activity runs again after its stage was written but not its header, then the stage is returned as recorded and the header catches up', async () => {
    const { services, owner, start, workflowId } = await newWorkflow('uma');
    const stages = services.exportStages;
    const tracking = services.exportTracking;
    const setStatus = (status: WorkflowHeader['status']) =>
      tracking.updateHeader(owner.email, workflowId, () => ({ status }));

    const stage1 = await stages.recordInitialSummary(start);
    await setStatus('pending'); // as if the header write had been lost
    expect(await stages.recordInitialSummary(start)).toEqual(stage1);
    expect((await tracking.header(owner.email, workflowId))?.status).toBe('awaiting_user_review');

    const edits = editsFor(start, 7);
    await tracking.save(edits);
    await tracking.claimEdits((await tracking.header(owner.email, workflowId))!, edits.id);
    const stage2 = await stages.recordUserModifications(start, edits.id);
    expect((await tracking.records(owner.email, workflowId)).edits).toEqual([]); // stage 2 holds them now
    await setStatus('awaiting_user_review');
    expect(await stages.recordUserModifications(start, edits.id)).toEqual(stage2);
    expect((await tracking.header(owner.email, workflowId))?.status).toBe('awaiting_final_processing');

    const deliverable = await stages.produceDeliverable(start);
    await setStatus('awaiting_final_processing');
    expect(await stages.produceDeliverable(start)).toEqual(deliverable);
    const header = await tracking.header(owner.email, workflowId);
    expect(header).toMatchObject({ status: 'completed', deliverable, edits_id: edits.id });
    const { stages: recorded } = await tracking.records(owner.email, workflowId);
    expect(recorded[2]?.modified_data).toEqual({ InvoiceId: 'INV-1', Total: 7 });
    expect(recorded[3]?.deliverable.sha256).toBe(deliverable.sha256);
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
    const records = await services.exportTracking.records(first.owner.email, first.workflowId);
    expect(records.stages[2]).toBeUndefined();
    expect(records.header?.status).toBe('awaiting_user_review');
  });
});
