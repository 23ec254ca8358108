/** Things a generator changed or dropped so the file could still be written. */
export type ExportWarningCode =
  | 'cell_truncated'
  | 'xml_characters_removed'
  | 'invalid_unicode_replaced'
  | 'formula_neutralised'
  | 'number_as_text'
  | 'glyph_missing'
  | 'pdf_cell_clipped'
  | 'pdf_text_clipped'
  | 'unknown_fields_dropped'
  | 'columns_limited'
  | 'column_renamed'
  | 'sheet_renamed'
  | 'sheet_split';

/** One entry per kind of problem, with how often it happened — never one per cell. */
export interface ExportWarning {
  code: ExportWarningCode;
  /** Names the first occurrence (sheet and cell, column, field). */
  message: string;
  count: number;
  /**
   * 1-based position, in the writer's input, of the first record the problem was met in;
   * absent when it is not about one record (a header, a column, a sheet name).
   */
  first_record?: number;
}

/**
 * Aggregates warnings by code so a million truncated cells cost one entry, keeping the
 * first message (which names the first place it happened).
 */
export class WarningCollector {
  private readonly byCode = new Map<ExportWarningCode, ExportWarning>();
  /**
   * 1-based position of the record being written, kept up to date by the writers so a warning
   * can name it; undefined while headers, columns and sheets are set up.
   */
  record: number | undefined;

  add(code: ExportWarningCode, message: () => string, count = 1): void {
    const existing = this.byCode.get(code);
    if (existing) existing.count += count;
    else {
      const warning: ExportWarning = { code, message: message(), count };
      if (this.record !== undefined) warning.first_record = this.record;
      this.byCode.set(code, warning);
    }
  }

  list(): ExportWarning[] {
    return [...this.byCode.values()].map((w) => ({ ...w }));
  }
}
