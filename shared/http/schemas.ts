import { z } from 'zod';

/** A file name as users give it: no path separators or control characters, so it is safe in blob paths and headers. */
export const fileName = z
  .string()
  .trim()
  .min(1)
  .max(255)
  .refine((v) => !/[/\\\u0000-\u001f\u007f]/.test(v) && v !== '.' && v !== '..', 'must not contain path separators or control characters');

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
