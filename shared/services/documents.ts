import type { OwnedContainer, OwnedRecord } from '../adapters/cosmos';
import { notFound } from '../core/errors';
import { ownsRecord, type Caller } from '../core/identity';
import { decodeContinuation, encodeContinuation } from '../core/paging';

/** A document as stored in `documents` (id = document_id). */
export interface DocumentRecord extends OwnedRecord {
  document_id: string;
  file_name: string;
  document_type: string;
  status: 'uploaded' | 'extracted' | 'failed';
  content_type?: string;
  file_size?: number;
  blob_path?: string;
  extracted_data?: unknown;
  extraction_method?: string;
  extraction_confidence?: number;
  created_at: string;
  updated_at: string;
}

/** What the API shows of a document: no store internals, no owner oid. */
export type DocumentView = Omit<DocumentRecord, 'id' | 'owner_oid' | `_${string}`>;

export function toDocumentView(record: DocumentRecord): DocumentView {
  const view: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (key !== 'id' && key !== 'owner_oid' && !key.startsWith('_')) view[key] = value;
  }
  return view;
}

export class DocumentsService {
  constructor(private readonly documents: OwnedContainer<DocumentRecord>) {}

  /** The caller's document; another owner's answers exactly like a missing one. */
  async get(caller: Caller, documentId: string): Promise<DocumentRecord> {
    const record = await this.documents.read(caller.email, documentId);
    if (!record || !ownsRecord(caller, record)) throw notFound(`Document ${documentId}`);
    return record;
  }

  /** The caller's documents, newest first. */
  async list(caller: Caller, limit: number, continuation?: string): Promise<{ items: DocumentRecord[]; continuation?: string }> {
    const page = await this.documents.query(caller.email, {
      orderBy: 'c.created_at DESC',
      limit,
      continuation: decodeContinuation(continuation),
    });
    return { items: page.items.filter((d) => ownsRecord(caller, d)), continuation: encodeContinuation(page.continuation) };
  }
}
