import { detectChanges, type Changes, type Json } from './changes';
import type { StageRecord, WorkflowHeader } from './exportRecords';

interface Workflow {
  header: WorkflowHeader;
  stages: StageRecord[];
}

/** Records are plain JSON once stored; this makes that explicit for the differ. */
const asJson = (value: unknown): Json =>
  value === undefined ? null : (JSON.parse(JSON.stringify(value)) as Json);

function stage<N extends 1 | 2 | 3>(
  workflow: Workflow,
  n: N,
): Extract<StageRecord, { stage: N }> | undefined {
  return workflow.stages.find((s): s is Extract<StageRecord, { stage: N }> => s.stage === n);
}

/** The data a workflow ended up with: the user's edits, or the extracted data before any. */
function finalData(workflow: Workflow): Json {
  return stage(workflow, 2)?.modified_data ?? stage(workflow, 1)?.original_extracted_data ?? null;
}

export interface WorkflowComparison {
  a: {
    export_workflow_id: string;
    document_id: string;
    status: string;
    format: string | null;
    document_template: string | null;
  };
  b: WorkflowComparison['a'];
  same_document: boolean;
  data_changes: Changes;
  preference_changes: Changes;
  summary_changes: Changes;
  deliverable_changes: Changes;
  same_deliverable_content: boolean;
}

/** Field-level differences from workflow `a` to workflow `b`: data, preferences, final summary and file. */
export function compareWorkflows(a: Workflow, b: Workflow): WorkflowComparison {
  const brief = (w: Workflow) => ({
    export_workflow_id: w.header.export_workflow_id,
    document_id: w.header.document_id,
    status: w.header.status,
    format: w.header.format ?? null,
    document_template: w.header.document_template ?? null,
  });
  const file = (w: Workflow) => {
    const d = w.header.deliverable;
    return d
      ? {
          file_name: d.file_name,
          file_size: d.file_size,
          format: d.format,
          mime_type: d.mime_type,
          sha256: d.sha256,
        }
      : null;
  };
  return {
    a: brief(a),
    b: brief(b),
    same_document: a.header.document_id === b.header.document_id,
    data_changes: detectChanges(finalData(a), finalData(b)),
    preference_changes: detectChanges(
      asJson(stage(a, 2)?.user_preferences),
      asJson(stage(b, 2)?.user_preferences),
    ),
    summary_changes: detectChanges(
      asJson(stage(a, 3)?.final_ai_summary),
      asJson(stage(b, 3)?.final_ai_summary),
    ),
    deliverable_changes: detectChanges(asJson(file(a)), asJson(file(b))),
    same_deliverable_content: Boolean(
      a.header.deliverable && a.header.deliverable.sha256 === b.header.deliverable?.sha256,
    ),
  };
}
