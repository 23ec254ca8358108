/** Things a generator changed or dropped so the file could still be written. */
export type ExportWarningCode =
  | 'cell_truncated'
  | 'xml_characters_removed'
  | 'glyph_missing'
  | 'pdf_cell_clipped'
  | 'pdf_text_clipped'
  | 'unknown_fields_dropped'
  | 'columns_limited'
  | 'sheet_renamed';

/** One entry per kind of problem, with how often it happened — never one per cell. */
export interface ExportWarning {
  code: ExportWarningCode;
  message: string;
  count: number;
}

/**
 * Aggregates warnings by code so a million truncated cells cost one entry, keeping the
 * first message (which names the first place it happened).
 */
export class WarningCollector {
  private readonly byCode = new Map<ExportWarningCode, ExportWarning>();

  add(code: ExportWarningCode, message: () => string, count = 1): void {
    const existing = this.byCode.get(code);
    if (existing) existing.count += count;
    else this.byCode.set(code, { code, message: message(), count });
  }

  list(): ExportWarning[] {
    return [...this.byCode.values()].map((w) => ({ ...w }));
  }
}
