import * as XLSX from 'xlsx';
import { DocumentIntelligenceExtractor } from '../../../shared/adapters/documentIntelligence';
import { ZipArchive } from '../../../shared/formats/xlsx/zipArchive';
import { ExtractionService, xlsxContentType } from '../../../shared/services/extraction';
import {
  keyValueResult,
  publishedInvoiceResult,
  startDocumentIntelligenceServer,
  twoInvoiceResult,
  withKeyValuePairs,
  type DocumentIntelligenceServer,
} from '../../support/documentIntelligenceServer';
import { readZip } from '../../unit/formats/helpers/zipReader';

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
      // Dates as the invoice prints them; the service's reading is 2019-12-15.
      DueDate: '12/15/2019',
      InvoiceDate: '11/15/2019',
      Locale: 'en-US',
    });
    const items = (result.data as { Items: { Amount: number; Date: string; Tax: string }[] }).Items;
    expect(items).toHaveLength(3);
    // Tax has no number the service could read, so its printed text is kept rather than dropped.
    expect(items[0]).toMatchObject({ Amount: 60, Date: '3/4/2021', Tax: '10%' });
  });

  it('when one file holds two invoices, then both documents are kept, each with its own fields and confidence', async () => {
    server.answerNext(twoInvoiceResult());
    const result = await extraction.extract(Buffer.from('%PDF-1.7 two'), 'application/pdf', 'invoice');
    const data = result.data as {
      documents: { doc_type: string; confidence: number; fields: { [name: string]: unknown } }[];
    };
    expect(Object.keys(data)).toEqual(['documents']);
    expect(data.documents).toHaveLength(2);
    expect(data.documents[0]).toMatchObject({
      doc_type: 'prebuilt:invoice',
      confidence: 1,
      fields: { InvoiceId: 'INV-100', DueDate: '12/15/2019', AmountDue: 610, InvoiceTotal: 110 },
    });
    expect(data.documents[1]).toMatchObject({
      doc_type: 'prebuilt:invoice',
      confidence: 0.92,
      fields: {
        InvoiceId: 'INV-101',
        DueDate: '01/15/2020',
        AmountDue: { amount: 610, currency_code: 'USD', currency_symbol: '$' },
      },
    });
    expect(data.documents.map((d) => (d.fields.Items as unknown[]).length)).toEqual([3, 3]);
    // The least confident document is what the record's confidence warns about.
    expect(result.confidence).toBe(0.92);
  });

  it('when the general model reads key-value pairs, then a key printed twice keeps both values', async () => {
    server.answerNext(keyValueResult());
    const result = await extraction.extract(Buffer.from('%PDF-1.7 two'), 'application/pdf', 'general');
    expect(server.analyzedModels.at(-1)).toBe('prebuilt-document');
    const data = result.data as { fields: unknown; tables: unknown[]; content: string };
    expect(data.fields).toEqual({
      'INVOICE:': ['INV-100', 'INV-101'],
      'INVOICE DATE:': ['11/15/2019', '11/15/2019'],
      'DUE DATE:': ['12/15/2019', '01/15/2020'],
      'CUSTOMER ID:': ['CID-12345', 'CID-12345'],
      TERMS: [null, null],
    });
    expect(data.tables).toHaveLength(6);
    expect(data.content).toContain('INVOICE: INV-101');
    expect(result.confidence).toBe(0.85);
  });

  it('when an invoice result also carries key-value pairs, then the document and every pair are kept', async () => {
    server.answerNext(withKeyValuePairs(publishedInvoiceResult()));
    const result = await extraction.extract(Buffer.from('%PDF-1.7'), 'application/pdf', 'invoice');
    expect(result.data).toMatchObject({
      documents: [{ doc_type: 'prebuilt:invoice', fields: { InvoiceId: 'INV-100' } }],
      fields: {
        'INVOICE:': 'INV-100',
        'INVOICE DATE:': '11/15/2019',
        'DUE DATE:': '12/15/2019',
        'CUSTOMER ID:': 'CID-12345',
        TERMS: null,
      },
    });
    expect(result.confidence).toBe(1);
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

  it('when a CSV is uploaded, then numbers that print back the same are numbers and the rest stays text', async () => {
    const result = await local.extract(
      Buffer.from('\uFEFFsku,qty,note\r\nA-1,3,"a, b"\r\n007,5.0,x\r\n'),
      'text/csv',
      'table',
    );
    expect(result).toEqual({
      data: {
        columns: ['sku', 'qty', 'note'],
        rows: [
          { sku: 'A-1', qty: 3, note: 'a, b' },
          { sku: '007', qty: '5.0', note: 'x' },
        ],
      },
      method: 'local:csv',
      confidence: 1,
    });
  });

  it('when a CSV has one column, then it is read (there is no delimiter to detect)', async () => {
    const result = await local.extract(Buffer.from('name\nAnn\nBo\n'), 'text/csv', 'table');
    expect(result.data).toEqual({ columns: ['name'], rows: [{ name: 'Ann' }, { name: 'Bo' }] });
  });

  it('when a CSV repeats a header or a row runs past it, then every cell keeps a column of its own', async () => {
    const result = await local.extract(Buffer.from('amount,amount\n1,2,3\n'), 'text/csv', 'table');
    expect(result.data).toEqual({
      columns: ['amount', 'amount_2', 'column_3'],
      rows: [{ amount: 1, amount_2: 2, column_3: 3 }],
    });
  });

  it('when an XLSX date cell is read, then it is the calendar date the sheet shows, with no timezone', async () => {
    const book = XLSX.utils.book_new();
    // 46024 is 2026-01-02 in the 1900 date system; the format is what makes it a date.
    const sheet = XLSX.utils.aoa_to_sheet([
      ['id', 'when'],
      [1, { t: 'n', v: 46024, z: 'yyyy-mm-dd' }],
    ]);
    XLSX.utils.book_append_sheet(book, sheet, 'Orders');
    const bytes = XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
    const result = await local.extract(bytes, xlsxContentType, 'table');
    expect(result.data).toEqual({
      sheets: [{ name: 'Orders', columns: ['id', 'when'], rows: [{ id: 1, when: '2026-01-02' }] }],
    });
  });

  it('when a sheet claims the whole grid but holds two cells, then only those are read, at once', async () => {
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([['a'], [1]]), 'Claims');
    const written = XLSX.write(book, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer;
    // The sheet's <dimension> is what readers take as its range; rewrite it to all 17 billion cells.
    const zip = new ZipArchive();
    const parts = readZip(written).flatMap(({ name, content }) =>
      zip.addFile(
        name,
        name === 'xl/worksheets/sheet1.xml'
          ? content.toString('utf8').replace(/<dimension ref="[^"]*"\/>/, '<dimension ref="A1:XFD1048576"/>')
          : content,
      ),
    );
    const bytes = Buffer.concat([...parts, ...zip.finish()]);
    expect(XLSX.read(bytes, { type: 'buffer' }).Sheets.Claims?.['!ref']).toBe('A1:XFD1048576');

    const started = Date.now();
    const result = await local.extract(bytes, xlsxContentType, 'table');
    expect(result.data).toEqual({ sheets: [{ name: 'Claims', columns: ['a'], rows: [{ a: 1 }] }] });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('when a ragged CSV would spread into more columns than a document holds, then 422 names the limit before building its cells', async () => {
    const csv = `a\n${'1\n'.repeat(100_000)}${','.repeat(100_000)}\n`;
    await expect(local.extract(Buffer.from(csv), 'text/csv', 'table')).rejects.toMatchObject({
      status: 422,
      code: 'unprocessable_document',
      message: expect.stringMatching(/column/i),
    });
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
