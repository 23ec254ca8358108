import { z } from 'zod';
import { deliverableFormats, workflowStatuses } from '../domain/exportRecords';
import { templateCustomizationSchema, templateNames } from '../domain/templates';

/** A file name as users give it: no path separators or control characters, so it is safe in blob paths and headers. */
export const fileName = z
  .string()
  .trim()
  .min(1)
  .max(255)
  .refine(
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
    (v) => !/[/\\\u0000-\u001f\u007f]/.test(v) && v !== '.' && v !== '..',
    'must not contain path separators or control characters',
  );

export const documentType = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z][a-z0-9_-]{0,49}$/, 'must be a short name such as invoice, receipt, layout or general');

/** Extracted data is a JSON object or array (never a bare scalar). */
export const extractedData = z.union([z.record(z.string(), z.json()), z.array(z.json())]);

export const createDocumentBody = z
  .object({
    file_name: fileName,
    document_type: documentType.default('general'),
    extracted_data: extractedData,
  })
  .strict();

export const uploadQuery = z.object({ file_name: fileName, document_type: documentType.default('general') });

/** `json`, `csv`, `xlsx` (or `excel`), `pdf`, any case. */
export const deliverableFormat = z
  .string()
  .trim()
  .toLowerCase()
  .transform((v) => (v === 'excel' ? 'xlsx' : v))
  .pipe(z.enum(deliverableFormats, { error: `must be one of json, csv, xlsx (excel), pdf` }));

export const documentTemplate = z.enum(templateNames, {
  error: `must be one of ${templateNames.join(', ')}`,
});

export const phase1Body = z
  .object({
    use_ai_review: z.literal(true),
    format: deliverableFormat.optional(),
    document_template: documentTemplate.optional(),
  })
  .strict();

export const phase2Body = z
  .object({
    use_ai_template_generation: z.literal(true),
    export_workflow_id: z.uuid().optional(),
    format: deliverableFormat,
    data: extractedData,
    transformation_instructions: z.string().max(4000).optional(),
    document_template: documentTemplate.default('standard'),
    template_customization: templateCustomizationSchema.optional(),
    editing_started_at: z.iso.datetime({ offset: true }).optional(),
    edit_count: z.number().int().min(0).max(1_000_000).optional(),
  })
  .strict()
  .refine((b) => b.document_template === 'custom' || b.template_customization === undefined, {
    path: ['template_customization'],
    message: 'only applies to the custom template',
  });

/** The export body's phase is told by its flag, so errors name the fields of the phase meant. */
export const exportBody = z
  .record(z.string(), z.unknown(), { error: 'must be a JSON object' })
  .transform((body, ctx) => {
    const phase = 'use_ai_review' in body ? phase1Body : phase2Body;
    const parsed = phase.safeParse(body);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues)
      ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    return z.NEVER;
  });

export const regenerateBody = z
  .object({
    format: deliverableFormat.optional(),
    document_template: documentTemplate.optional(),
    template_customization: templateCustomizationSchema.optional(),
  })
  .strict();

export const historyQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  continuation: z.string().min(1).max(4096).optional(),
  status: z.enum(workflowStatuses).optional(),
  document_id: z.string().min(1).max(100).optional(),
});
