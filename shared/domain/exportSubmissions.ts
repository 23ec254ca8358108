import { AppError } from '../core/errors';
import type { Json } from './changes';
import { maxWorkflowDataBytes, type DeliverableFormat, type UserModifications } from './exportRecords';
import type { TemplateCustomization, TemplateName } from './templates';

/** What phase 1 asks for. */
export interface ReviewRequest {
  format?: DeliverableFormat;
  document_template?: TemplateName;
}

/** What phase 2 sends: the user's edited data and preferences. */
export interface EditsRequest {
  export_workflow_id?: string;
  format: DeliverableFormat;
  data: Json;
  document_template: TemplateName;
  transformation_instructions?: string;
  template_customization?: TemplateCustomization;
  editing_started_at?: string;
  edit_count?: number;
}

/** Edited data is bounded like extracted data (a stage 2 record holds both, and their differences). */
export function assertDataSize(data: Json): void {
  const size = Buffer.byteLength(JSON.stringify(data));
  if (size > maxWorkflowDataBytes) {
    throw new AppError(
      'payload_too_large',
      `The edited data is ${size} bytes; the limit is ${maxWorkflowDataBytes}.`,
      [{ field: 'data', message: `at most ${maxWorkflowDataBytes} bytes as JSON` }],
    );
  }
}

/** The edits as recorded, stamped with when they arrived. */
export function modificationsOf(request: EditsRequest, now: Date): UserModifications {
  return {
    data: request.data,
    preferences: {
      format: request.format,
      document_template: request.document_template,
      ...(request.transformation_instructions !== undefined
        ? { transformation_instructions: request.transformation_instructions }
        : {}),
      ...(request.template_customization ? { template_customization: request.template_customization } : {}),
    },
    ...(request.editing_started_at ? { editing_started_at: request.editing_started_at } : {}),
    ...(request.edit_count !== undefined ? { edit_count: request.edit_count } : {}),
    received_at: now.toISOString(),
  };
}
