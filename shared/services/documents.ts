import { randomUUID } from 'node:crypto';
import { buffer } from 'node:stream/consumers';
import type { Readable } from 'node:stream';
import type { OwnedRecord, Page, RecordStore } from '../ports/records';
import { AppError, conflict } from '../core/errors';
import type { Caller } from '../core/identity';
import type { Json } from '../domain/changes';
import { maxWorkflowDataBytes } from '../domain/exportRecords';
import type { ExtractionService } from './extraction';
import { callerPage, callerRecord } from './callerRecords';

/** A document as stored in `documents` (id = document_id). */
export interface DocumentRecord extends OwnedRecord {
  document_id: string;
  file_name: string;
  document_type: string;
  status: 'uploaded' | 'extracted';
  content_type?: string;
  file_size?: number;
  blob_path?: string;
  extracted_data?: Json;
  extraction_method?: string;
  extraction_confidence?: number;
  created_at: string;
  updated_at: string;
}

/** Where uploads live, as documents see it. */
export interface UploadStore {
  put(container: 'documents', path: string, body: Buffer, contentType: string): Promise<void>;
  get(container: 'documents', path: string): Promise<{ stream: Readable }>;
  delete(container: 'documents', path: string): Promise<void>;
}

export interface NewDocument {
  file_name: string;
  document_type: string;
}

export class DocumentsService {
  constructor(
    private readonly documents: RecordStore<DocumentRecord>,
    private readonly uploads: UploadStore,
    private readonly extraction: ExtractionService,
  ) {}

  private owner(caller: Caller, now: string, id: string) {
    return {
      id,
      document_id: id,
      owner_email: caller.email,
      ...(caller.oid ? { owner_oid: caller.oid } : {}),
      created_at: now,
      updated_at: now,
    };
  }

  /** A document whose data was extracted elsewhere. */
  async createFromData(
    caller: Caller,
    input: NewDocument & { extracted_data: Json },
  ): Promise<DocumentRecord> {
    const now = new Date().toISOString();
    return this.documents.create({
      ...this.owner(caller, now, randomUUID()),
      file_name: input.file_name,
      document_type: input.document_type,
      status: 'extracted',
      extracted_data: input.extracted_data,
      extraction_method: 'provided',
      extraction_confidence: 1,
    });
  }

  /** An uploaded file: stored first, then recorded; a failed record removes the blob again. */
  async createFromUpload(
    caller: Caller,
    input: NewDocument & { bytes: Buffer; content_type: string },
  ): Promise<DocumentRecord> {
    const now = new Date().toISOString();
    const id = randomUUID();
    const blobPath = `${caller.email}/${id}/${input.file_name}`;
    await this.uploads.put('documents', blobPath, input.bytes, input.content_type);
    try {
      return await this.documents.create({
        ...this.owner(caller, now, id),
        file_name: input.file_name,
        document_type: input.document_type,
        status: 'uploaded',
        content_type: input.content_type,
        file_size: input.bytes.length,
        blob_path: blobPath,
      });
    } catch (error) {
      await this.uploads.delete('documents', blobPath);
      throw error;
    }
  }

  /** Runs extraction on the stored file and records data, method and confidence. */
  async extract(caller: Caller, documentId: string): Promise<DocumentRecord> {
    const document = await this.get(caller, documentId);
    if (!document.blob_path || !document.content_type) {
      throw conflict(`Document ${documentId} was created with its data; it has no file to extract.`);
    }
    const file = await this.uploads.get('documents', document.blob_path);
    const extraction = await this.extraction.extract(
      await buffer(file.stream),
      document.content_type,
      document.document_type,
    );
    const size = Buffer.byteLength(JSON.stringify(extraction.data));
    if (size > maxWorkflowDataBytes) {
      // A document record (and each stage record) must fit a 2 MB Cosmos DB item.
      throw new AppError(
        'payload_too_large',
        `The file yields ${size} bytes of data; a document holds at most ${maxWorkflowDataBytes}.`,
      );
    }
    return this.documents.upsert({
      ...document,
      status: 'extracted',
      extracted_data: extraction.data,
      extraction_method: extraction.method,
      extraction_confidence: extraction.confidence,
      updated_at: new Date().toISOString(),
    });
  }

  /** The caller's document; another owner's answers exactly like a missing one. */
  async get(caller: Caller, documentId: string): Promise<DocumentRecord> {
    return callerRecord(this.documents, caller, documentId, 'Document');
  }

  /** The caller's documents, newest first. */
  async list(caller: Caller, limit: number, continuation?: string): Promise<Page<DocumentRecord>> {
    return callerPage(this.documents, caller, {
      orderBy: 'c.created_at DESC',
      limit,
      continuation,
    });
  }
}
