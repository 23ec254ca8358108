import type { Changes, Json } from '../domain/changes';
import type { DeliverableFormat } from '../domain/exportRecords';
import type { AiSummary } from '../domain/summary';
import type { Layout } from '../domain/templates';
import type { ModelTable } from '../domain/deliverableModel';
import { deliverableModel, readingTables, sheetTables } from '../domain/deliverableModel';
import type { ExportOptions, ExportRecord, ExportWarning, ReportSection } from '../formats/index';
import { collect, writeExportToBuffer, writeTables } from '../formats/index';

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
  /**
   * What the format forced us to cut or change (a cell over Excel's limit, a clipped PDF cell,
   * a renamed sheet), one entry per code with its count: for the stage 3 record
   * (`deliverable.warnings`) and the `x-export-warnings` header.
   */
  warnings: ExportWarning[];
}

/** The summary as section/field/value rows, for tabular formats when the template leaves the data out. */
function summaryTable(summary: AiSummary): ModelTable {
  const records = [
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
  return { name: 'Summary', records };
}

/**
 * The tables of the data for a tabular format (see "Deliverables" in shared/formats/README.md),
 * or the summary's when the template leaves the data out (a PDF then shows the summary only).
 */
function deliverableTables(input: DeliverableInput): ModelTable[] {
  const pdf = input.format === 'pdf';
  if (!input.layout.include_data) return pdf ? [] : [summaryTable(input.summary)];
  const model = deliverableModel(input.data);
  return pdf ? readingTables(model) : sheetTables(model);
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

  if (input.format === 'json') {
    // JSON has room for the data as it is: nothing to lay out.
    const record: ExportRecord = {
      summary,
      ...(layout.include_data ? { data: input.data } : {}),
      ...(layout.include_changes ? { changes: input.changes } : {}),
    };
    const { bytes, result } = await writeExportToBuffer([record], {
      format: 'json',
      includeMetadata: metadata,
    });
    return { bytes, sha256: result.sha256, mime_type: result.mime_type, warnings: result.warnings };
  }

  const tables = deliverableTables(input);
  const options: ExportOptions = {
    format: input.format,
    // Every record is read before columns are fixed, so no field first seen late is dropped.
    sampleSize: Math.max(1, ...tables.map((t) => t.records.length)),
    ...(input.format === 'pdf'
      ? {
          report: {
            title: layout.title,
            metadata: {
              'Document type': document.document_type,
              'Source file': document.file_name,
              Workflow: document.export_workflow_id,
            },
            sections: reportSections(summary, layout, input.changes),
          },
        }
      : {}),
    ...(input.format === 'xlsx' ? { includeMetadata: { ...metadata, overview: summary.overview } } : {}),
  };
  const { bytes, result } = await collect(writeTables(tables, options));
  return { bytes, sha256: result.sha256, mime_type: result.mime_type, warnings: result.warnings };
}
