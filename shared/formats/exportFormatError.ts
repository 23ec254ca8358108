/** Codes a caller can map to a 400 (bad options) — generators never fail on data values. */
export type ExportFormatErrorCode = 'unsupported_format' | 'columns_required' | 'invalid_options';

/**
 * Raised only for a misuse of the generator (unknown format, missing column model for a
 * parted CSV). Hostile or odd record values never throw: they are neutralised, replaced or
 * reported in the result's `warnings`.
 */
export class ExportFormatError extends Error {
  override readonly name = 'ExportFormatError';

  constructor(
    readonly code: ExportFormatErrorCode,
    message: string,
  ) {
    super(message);
  }
}
