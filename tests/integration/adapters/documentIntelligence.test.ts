import * as XLSX from 'xlsx';
import { DocumentIntelligenceExtractor } from '../../../shared/adapters/documentIntelligence';
import { ExtractionService, xlsxContentType } from '../../../shared/services/extraction';
import {
  startDocumentIntelligenceServer,
  type DocumentIntelligenceServer,
} from '../../support/documentIntelligenceServer';

let server: DocumentIntelligenceServer;
let extraction: ExtractionService;

beforeAll(async () => {
  server = await startDocumentIntelligenceServer();
  extraction = new ExtractionService(
    new DocumentIntelligenceExtractor({ endpoint: server.endpoint, apiKey: 'test-key' }),
  );
});
afterAll(() => server.close());

describe('extraction with Document Intelligence', () => {
  it('when an invoice PDF is extracted, then the published invoice fields come back as plain JSON', async () => {
    const result = await extraction.extract(Buffer.from('%PDF-1.7 fake'), 'application/pdf', 'invoice');
    expect(server.analyzedModels.at(-1)).toBe('prebuilt-invoice');
    expect(result.method).toBe('document_intelligence:prebuilt-invoice');
    expect(result.confidence).toBe(1);
    expect(result.data).toMatchObject({
      InvoiceId: 'INV-100',
      CustomerName: 'MICROSOFT CORPORATION',
      InvoiceTotal: 110,
      AmountDue: 610,
      DueDate: '2019-12-15',
    });
    const items = (result.data as { Items: { Amount: number }[] }).Items;
    expect(items).toHaveLength(3);
    expect(items[0]?.Amount).toBe(60);
  });

  it('when the document type is a receipt or unknown, then the matching prebuilt model is asked', async () => {
    await extraction.extract(Buffer.from('img'), 'image/png', 'receipt');
    await extraction.extract(Buffer.from('img'), 'image/jpeg', 'contract');
    expect(server.analyzedModels.slice(-2)).toEqual(['prebuilt-receipt', 'prebuilt-document']);
  });

  it('when the service is unavailable, then a 503 dependency error', async () => {
    server.failNext(503);
    server.failNext(503);
    server.failNext(503);
    server.failNext(503);
    await expect(extraction.extract(Buffer.from('%PDF'), 'application/pdf', 'invoice')).rejects.toMatchObject(
      { status: 503 },
    );
  });
});

describe('local extraction', () => {
  const local = new ExtractionService(undefined);

  it('when a CSV is uploaded, then rows keep numbers as numbers', async () => {
    const result = await local.extract(
      Buffer.from('\uFEFFsku,qty,note\r\nA-1,3,"a, b"\r\nB-2,5,x\r\n'),
      'text/csv',
      'table',
    );
    expect(result).toEqual({
      data: {
        columns: ['sku', 'qty', 'note'],
        rows: [
          { sku: 'A-1', qty: 3, note: 'a, b' },
          { sku: 'B-2', qty: 5, note: 'x' },
        ],
      },
      method: 'local:csv',
      confidence: 1,
    });
  });

  it('when an XLSX is uploaded, then every sheet is read with dates as ISO strings', async () => {
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(
      book,
      XLSX.utils.json_to_sheet([{ id: 1, when: new Date(Date.UTC(2026, 0, 2)) }]),
      'Orders',
    );
    const bytes = XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
    const result = await local.extract(bytes, xlsxContentType, 'table');
    const sheets = (result.data as { sheets: { name: string; rows: { id: number; when: string }[] }[] })
      .sheets;
    expect(sheets[0]?.name).toBe('Orders');
    expect(sheets[0]?.rows[0]?.id).toBe(1);
    expect(sheets[0]?.rows[0]?.when).toMatch(/^2026-01-0[12]T/);
  });

  it('when a JSON array is uploaded, then it becomes rows; a scalar is refused', async () => {
    expect((await local.extract(Buffer.from('[{"a":1}]'), 'application/json', 'x')).data).toEqual({
      rows: [{ a: 1 }],
    });
    await expect(local.extract(Buffer.from('42'), 'application/json', 'x')).rejects.toMatchObject({
      status: 400,
    });
    await expect(local.extract(Buffer.from('{oops'), 'application/json', 'x')).rejects.toMatchObject({
      status: 400,
    });
  });

  it('when a PDF arrives and Document Intelligence is not configured, then 503 names the missing setting', async () => {
    await expect(local.extract(Buffer.from('%PDF'), 'application/pdf', 'invoice')).rejects.toMatchObject({
      status: 503,
      message: expect.stringContaining('DOCUMENT_INTELLIGENCE_ENDPOINT'),
    });
  });

  it('when the type is not supported, then 415', async () => {
    await expect(local.extract(Buffer.from('x'), 'application/zip', 'x')).rejects.toMatchObject({
      status: 415,
    });
  });
});
