import {
  AzureKeyCredential,
  DocumentAnalysisClient,
  type AddressValue,
  type AnalyzeResult,
  type AnalyzedDocument,
  type DocumentField,
  type DocumentKeyValuePair,
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

/**
 * A field as plain JSON, keeping what the document says. Text the service normalises — dates,
 * times, phone numbers — stays as printed (`content`: "12/15/2019", not 2019-12-15), falling back
 * to the normalised value when there is no content. Numbers, integers and booleans are the
 * service's values; a currency keeps its amount, code and symbol; an address its printed text;
 * objects and arrays nest. A value the service could not type (Tax "10%") keeps its text.
 */
function fieldValue(field: DocumentField): Json {
  switch (field.kind) {
    case 'array':
      return (field.values ?? []).map(fieldValue);
    case 'object':
      return Object.fromEntries(
        Object.entries(field.properties ?? {}).map(([k, v]) => [k, v ? fieldValue(v) : null]),
      );
    case 'date':
      return field.content ?? field.value?.toISOString().slice(0, 10) ?? null;
    case 'time':
    case 'phoneNumber':
      return field.content ?? field.value ?? null;
    case 'currency':
      return field.value
        ? {
            amount: field.value.amount,
            ...(field.value.currencyCode ? { currency_code: field.value.currencyCode } : {}),
            ...(field.value.currencySymbol ? { currency_symbol: field.value.currencySymbol } : {}),
          }
        : (field.content ?? null);
    case 'address':
      return field.content ?? (field.value ? addressParts(field.value) : null);
    case 'number':
    case 'integer':
    case 'boolean':
    case 'string':
    case 'countryRegion':
    case 'selectionMark':
    case 'signature':
      return field.value ?? field.content ?? null;
    default:
      // Every kind of the 2023-07-31 API is above; the SDK throws on any other before we see it.
      return null;
  }
}

/** An address the service parsed but did not quote: its parts (house number, road, city...). */
function addressParts(address: AddressValue): Json {
  return Object.fromEntries(
    Object.entries(address).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

function documentData(document: AnalyzedDocument): { [name: string]: Json } {
  return Object.fromEntries(
    Object.entries(document.fields).map(([name, field]) => [name, field ? fieldValue(field) : null]),
  );
}

/**
 * Key-value pairs by key text, in reading order. A key printed once holds its value (null when
 * nothing was read for it); a key printed more than once holds the list of its values, so a
 * repeated key never overwrites another.
 */
function keyValueFields(pairs: DocumentKeyValuePair[]): { [key: string]: Json } {
  const byKey = new Map<string, Json[]>();
  for (const pair of pairs) {
    const values = byKey.get(pair.key.content) ?? [];
    byKey.set(pair.key.content, [...values, pair.value?.content ?? null]);
  }
  return Object.fromEntries(
    [...byKey].map(([key, values]) => [key, values.length === 1 ? (values[0] ?? null) : values]),
  );
}

function tableRows(result: AnalyzeResult): string[][][] {
  return (result.tables ?? []).map((table) => {
    const rows: string[][] = Array.from({ length: table.rowCount }, () =>
      Array<string>(table.columnCount).fill(''),
    );
    for (const cell of table.cells) {
      const row = rows[cell.rowIndex];
      if (row) row[cell.columnIndex] = cell.content;
    }
    return rows;
  });
}

function average(values: number[]): number {
  return Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 1000) / 1000;
}

/**
 * The analysis as plain data, every document and every key-value pair kept:
 * - one document and no key-value pairs (a prebuilt-invoice or -receipt result): its fields at
 *   the top level, `{InvoiceId, DueDate, Items: [...]}`, confidence the document's;
 * - otherwise `documents: [{doc_type, confidence, fields}]` (when there are documents) and
 *   `fields` (the key-value pairs, see keyValueFields); without documents also `tables` (rows of
 *   cell text) and `content`. Confidence is the least confident document's, else the pairs'
 *   average, else 1.
 */
export function toExtraction(result: AnalyzeResult, modelId: string): Extraction {
  const method = `document_intelligence:${modelId}`;
  const documents = result.documents ?? [];
  const pairs = result.keyValuePairs ?? [];
  const [only] = documents;
  if (only && documents.length === 1 && pairs.length === 0) {
    return { data: documentData(only), method, confidence: only.confidence };
  }
  const tables = documents.length === 0 ? tableRows(result) : [];
  const data: Json = {
    ...(documents.length > 0
      ? {
          documents: documents.map((d) => ({
            doc_type: d.docType,
            confidence: d.confidence,
            fields: documentData(d),
          })),
        }
      : {}),
    ...(pairs.length > 0 ? { fields: keyValueFields(pairs) } : {}),
    ...(tables.length > 0 ? { tables } : {}),
    ...(documents.length === 0 ? { content: result.content } : {}),
  };
  const confidence =
    documents.length > 0
      ? Math.min(...documents.map((d) => d.confidence))
      : pairs.length > 0
        ? average(pairs.map((p) => p.confidence))
        : 1;
  return { data, method, confidence };
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
