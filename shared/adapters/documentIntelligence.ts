import {
  AzureKeyCredential,
  DocumentAnalysisClient,
  type AnalyzeResult,
  type AnalyzedDocument,
  type DocumentField,
} from '@azure/ai-form-recognizer';
import { DefaultAzureCredential } from '@azure/identity';
import type { AppConfig } from '../config';
import { AppError, unavailable } from '../core/errors';
import type { Json } from '../domain/changes';
import type { Extraction } from '../ports/remoteExtractor';

/** Prebuilt model per `document_type`; anything else is read as a general document. */
const modelByDocumentType: Record<string, string> = {
  invoice: 'prebuilt-invoice',
  receipt: 'prebuilt-receipt',
  layout: 'prebuilt-layout',
  general: 'prebuilt-document',
  document: 'prebuilt-document',
};

export function modelFor(documentType: string): string {
  return modelByDocumentType[documentType.toLowerCase()] ?? 'prebuilt-document';
}

/** A field as plain JSON: numbers stay numbers, dates become ISO dates, objects and arrays nest. */
function fieldValue(field: DocumentField): Json {
  switch (field.kind) {
    case 'array':
      return (field.values ?? []).map(fieldValue);
    case 'object':
      return Object.fromEntries(
        Object.entries(field.properties ?? {}).map(([k, v]) => [k, v ? fieldValue(v) : null]),
      );
    case 'date':
      return field.value ? field.value.toISOString().slice(0, 10) : (field.content ?? null);
    case 'currency':
      return field.value
        ? {
            amount: field.value.amount,
            currency: field.value.currencyCode ?? field.value.currencySymbol ?? null,
          }
        : null;
    case 'address':
      return field.content ?? null;
    case 'number':
    case 'integer':
    case 'boolean':
    case 'string':
    case 'phoneNumber':
    case 'time':
    case 'countryRegion':
      return field.value ?? field.content ?? null;
    default:
      return field.content ?? null;
  }
}

function documentData(document: AnalyzedDocument): Json {
  return Object.fromEntries(
    Object.entries(document.fields).map(([name, field]) => [name, field ? fieldValue(field) : null]),
  );
}

function average(values: number[]): number {
  return values.length === 0
    ? 0
    : Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 1000) / 1000;
}

/** The analysis as plain data: the first document's fields, else key-value pairs, else tables and text. */
export function toExtraction(result: AnalyzeResult, modelId: string): Extraction {
  const document = result.documents?.[0];
  if (document) {
    return {
      data: documentData(document),
      method: `document_intelligence:${modelId}`,
      confidence: document.confidence,
    };
  }
  const pairs = result.keyValuePairs ?? [];
  const tables = (result.tables ?? []).map((table) => {
    const rows: string[][] = Array.from({ length: table.rowCount }, () =>
      Array<string>(table.columnCount).fill(''),
    );
    for (const cell of table.cells) {
      const row = rows[cell.rowIndex];
      if (row) row[cell.columnIndex] = cell.content;
    }
    return rows;
  });
  const data: Json = {
    ...(pairs.length > 0
      ? { fields: Object.fromEntries(pairs.map((p) => [p.key.content, p.value?.content ?? null])) }
      : {}),
    ...(tables.length > 0 ? { tables } : {}),
    content: result.content,
  };
  return {
    data,
    method: `document_intelligence:${modelId}`,
    confidence: average(pairs.map((p) => p.confidence)) || 1,
  };
}

/** Document Intelligence through `@azure/ai-form-recognizer`: keyless by default, a key if configured. */
export class DocumentIntelligenceExtractor {
  private readonly client: DocumentAnalysisClient;

  constructor(config: NonNullable<AppConfig['documentIntelligence']>) {
    const credential = config.apiKey ? new AzureKeyCredential(config.apiKey) : new DefaultAzureCredential();
    // Plain http is only ever a local test server; Azure endpoints are https.
    this.client = new DocumentAnalysisClient(config.endpoint, credential, {
      allowInsecureConnection: config.endpoint.startsWith('http://'),
    });
  }

  async extract(bytes: Buffer, documentType: string): Promise<Extraction> {
    const modelId = modelFor(documentType);
    try {
      const poller = await this.client.beginAnalyzeDocument(modelId, bytes, { updateIntervalInMs: 500 });
      return toExtraction(await poller.pollUntilDone(), modelId);
    } catch (thrown) {
      const status = (thrown as { statusCode?: number }).statusCode;
      if (status === 429 || (status ?? 0) >= 500 || (thrown as { code?: string }).code === 'ECONNREFUSED') {
        throw unavailable('Document Intelligence', 10);
      }
      if (status === 400 || status === 415) {
        throw new AppError(
          'invalid_request',
          `Document Intelligence could not read the file: ${(thrown as Error).message}`,
        );
      }
      throw thrown;
    }
  }
}
