import type { DocumentRecord } from '../services/documents';

/** What the API shows of a document: no store internals, no owner oid. */
export type DocumentView = Omit<DocumentRecord, 'id' | 'owner_oid' | `_${string}`>;

export function toDocumentView(record: DocumentRecord): DocumentView {
  const view: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (key !== 'id' && key !== 'owner_oid' && !key.startsWith('_')) view[key] = value;
  }
  return view;
}
