import type { Json } from '../domain/changes';

export interface Extraction {
  data: Json;
  method: string;
  confidence: number;
}

/** Document Intelligence, as extraction sees it. */
export interface RemoteExtractor {
  extract(bytes: Buffer, documentType: string): Promise<Extraction>;
}
