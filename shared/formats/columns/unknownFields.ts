import { isPlainObject } from '../records/plainValues';
import type { ExportRecord } from '../records/recordSource';
import type { WarningCollector } from '../output/warnings';

/**
 * Columns are decided from the first records, before the header is written. A top-level field
 * first seen later has no column; this notices it so the result says so instead of silently
 * losing data. Only used for inferred models: an explicit model drops other fields on purpose.
 */
export class UnknownFieldWatch {
  private readonly known: ReadonlySet<string>;

  constructor(
    topLevelKeys: Iterable<string>,
    private readonly warnings: WarningCollector,
  ) {
    this.known = new Set(topLevelKeys);
  }

  check(record: ExportRecord): void {
    if (!isPlainObject(record)) return;
    for (const key in record) {
      if (this.known.has(key)) continue;
      this.warnings.add(
        'unknown_fields_dropped',
        () => `Field "${key}" first appeared after the columns were fixed; its values are not in the file`,
      );
    }
  }
}
