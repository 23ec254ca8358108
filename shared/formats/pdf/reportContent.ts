/** One section of the AI summary (overview, key fields, financials, risks, recommendations). */
export interface ReportSection {
  heading: string;
  /** Paragraphs; newlines inside a paragraph are kept as line breaks. */
  body?: string | readonly string[];
  /** A small table under the paragraphs (e.g. key fields, financial figures); cells wrap. */
  table?: ReportTable;
}

/** A table given as rows of values, for sections; the records passed to the writer make the main table. */
export interface ReportTable {
  headers: readonly string[];
  rows: readonly (readonly unknown[])[];
}

/** The narrative part of a PDF deliverable; the records passed to the writer become its table. */
export interface ReportContent {
  title: string;
  subtitle?: string;
  /** Document metadata shown as a field/value table under the title (document type, confidence...). */
  metadata?: Readonly<Record<string, unknown>> | readonly (readonly [string, unknown])[];
  sections?: readonly ReportSection[];
  /** Heading above the records table; no table is drawn when there are no records. */
  tableTitle?: string;
  /** PDF document properties. */
  author?: string;
  subject?: string;
  /** Creation date stored in the file; omitted when absent so equal input gives equal bytes. */
  generatedAt?: Date;
}
