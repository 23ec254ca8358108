import type { Changes, Json } from '../domain/changes';
import type { DeliverableFormat } from '../domain/exportRecords';
import type { AiSummary } from '../domain/summary';
import type { Layout } from '../domain/templates';
import { writeExportToBuffer } from '../formats/writeExport';
import type { ExportRecord } from '../formats/records/recordSource';
import type { ReportSection } from '../formats/pdf/reportContent';

export interface DeliverableInput {
  format: DeliverableFormat;
  layout: Layout;
  summary: AiSummary;
  data: Json;
  changes: Changes;
  document: { document_id: string; document_type: string; file_name: string; export_workflow_id: string };
}

export interface RenderedDeliverable {
  bytes: Buffer;
  sha256: string;
  mime_type: string;
}

/**
 * The rows of the data: a table upload's rows, a spreadsheet's first sheet, an array as is, or
 * the document as one record (the writers flatten it and expand its line items).
 */
export function dataRows(data: Json): ExportRecord[] {
  const asRecord = (v: Json): ExportRecord =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? v : { value: v };
  if (Array.isArray(data)) return data.map(asRecord);
  if (typeof data === 'object' && data !== null) {
    if (Array.isArray(data.rows)) return data.rows.map(asRecord);
    const sheets = data.sheets;
    if (Array.isArray(sheets)) {
      const first = sheets[0];
      if (typeof first === 'object' && first !== null && !Array.isArray(first) && Array.isArray(first.rows))
        return first.rows.map(asRecord);
    }
    return [data];
  }
  return [asRecord(data)];
}

/** The summary as section/field/value rows, for tabular formats when the template leaves the data out. */
function summaryRows(summary: AiSummary): ExportRecord[] {
  return [
    ...(summary.overview ? [{ section: 'overview', field: '', value: summary.overview }] : []),
    ...summary.key_fields.map((f) => ({ section: 'key_fields', field: f.field, value: f.value })),
    ...summary.financials.map((f) => ({ section: 'financials', field: f.label, value: f.amount })),
    ...summary.risks.map((r, i) => ({ section: 'risks', field: String(i + 1), value: r })),
    ...summary.recommendations.map((r, i) => ({
      section: 'recommendations',
      field: String(i + 1),
      value: r,
    })),
  ];
}

function reportSections(summary: AiSummary, layout: Layout, changes: Changes): ReportSection[] {
  const sections: ReportSection[] = [];
  for (const section of layout.sections) {
    if (section === 'overview' && summary.overview)
      sections.push({ heading: 'Overview', body: summary.overview });
    if (section === 'key_fields' && summary.key_fields.length > 0) {
      sections.push({ heading: 'Key fields', body: summary.key_fields.map((f) => `${f.field}: ${f.value}`) });
    }
    if (section === 'financials' && summary.financials.length > 0) {
      sections.push({
        heading: 'Financials',
        body: summary.financials.map((f) => `${f.label}: ${f.amount}${f.currency ? ` ${f.currency}` : ''}`),
      });
    }
    if (section === 'risks' && summary.risks.length > 0)
      sections.push({ heading: 'Risks', body: summary.risks });
    if (section === 'recommendations' && summary.recommendations.length > 0) {
      sections.push({ heading: 'Recommendations', body: summary.recommendations });
    }
  }
  if (layout.include_changes) {
    const lines = [
      ...changes.modifications.map(
        (c) => `${c.path}: ${JSON.stringify(c.old_value)} → ${JSON.stringify(c.new_value)}`,
      ),
      ...changes.additions.map((c) => `${c.path}: added ${JSON.stringify(c.new_value)}`),
      ...changes.deletions.map((c) => `${c.path}: removed ${JSON.stringify(c.old_value)}`),
    ];
    sections.push({
      heading: `Changes by the user (${changes.counts.total})`,
      body: lines.length > 0 ? lines : ['No changes.'],
    });
  }
  return sections;
}

/** Lays the deliverable out for its format and template, through the shared file writers. */
export async function renderDeliverable(input: DeliverableInput): Promise<RenderedDeliverable> {
  const { layout, summary, document } = input;
  const metadata = {
    title: layout.title,
    document_id: document.document_id,
    document_type: document.document_type,
    source_file: document.file_name,
    export_workflow_id: document.export_workflow_id,
  };
  const rows = layout.include_data ? dataRows(input.data) : summaryRows(summary);

  if (input.format === 'json') {
    const record: ExportRecord = {
      summary,
      ...(layout.include_data ? { data: input.data } : {}),
      ...(layout.include_changes ? { changes: input.changes } : {}),
    };
    const { bytes, result } = await writeExportToBuffer([record], {
      format: 'json',
      includeMetadata: metadata,
    });
    return { bytes, sha256: result.sha256, mime_type: result.mime_type };
  }
  if (input.format === 'pdf') {
    const { bytes, result } = await writeExportToBuffer(layout.include_data ? rows : [], {
      format: 'pdf',
      report: {
        title: layout.title,
        metadata: {
          'Document type': document.document_type,
          'Source file': document.file_name,
          Workflow: document.export_workflow_id,
        },
        sections: reportSections(summary, layout, input.changes),
        tableTitle: 'Data',
      },
    });
    return { bytes, sha256: result.sha256, mime_type: result.mime_type };
  }
  const { bytes, result } = await writeExportToBuffer(rows, {
    format: input.format,
    ...(input.format === 'xlsx' ? { includeMetadata: { ...metadata, overview: summary.overview } } : {}),
  });
  return { bytes, sha256: result.sha256, mime_type: result.mime_type };
}
