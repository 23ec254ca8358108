import ExcelJS from 'exceljs';
import * as XLSX from 'xlsx';
import type { Json } from '../../../shared/domain/changes';
import type { DeliverableFormat } from '../../../shared/domain/exportRecords';
import type { AiSummary } from '../../../shared/domain/summary';
import type { TemplateName } from '../../../shared/domain/templates';
import { layoutFor } from '../../../shared/domain/templates';
import type { DeliverableInput, RenderedDeliverable } from '../../../shared/services/deliverable';
import { renderDeliverable } from '../../../shared/services/deliverable';
import { readCsv } from '../formats/helpers/readCsv';
import { extractPdfText } from '../../support/pdfText';

/**
 * Each format read back with a reader that is not ours (papaparse, SheetJS, pdf.js,
 * JSON.parse): every value of the data must come back as the same text, and whatever a
 * format had to cut must be in the warnings.
 */

const summary: AiSummary = {
  overview: 'An overview.',
  key_fields: [{ field: 'invoice_id', value: 'INV-1' }],
  financials: [{ label: 'Total', amount: 110, currency: 'EUR' }],
  risks: ['A risk.'],
  recommendations: ['A recommendation.'],
};

function deliverableInput(
  format: DeliverableFormat,
  data: Json,
  template: TemplateName = 'standard',
): DeliverableInput {
  return {
    format,
    layout: layoutFor(template, undefined, 'upload.json'),
    summary,
    data,
    changes: {
      modifications: [],
      additions: [],
      deletions: [],
      counts: { modifications: 0, additions: 0, deletions: 0, total: 0 },
    },
    document: {
      document_id: 'doc-1',
      document_type: 'invoice',
      file_name: 'upload.json',
      export_workflow_id: 'wf-1',
    },
  };
}

async function render(format: DeliverableFormat, data: Json, template?: TemplateName) {
  return renderDeliverable(deliverableInput(format, data, template));
}

async function csvRows(data: Json, template?: TemplateName): Promise<string[][]> {
  return readCsv((await render('csv', data, template)).bytes.toString('utf8'));
}

function workbook(file: RenderedDeliverable): XLSX.WorkBook {
  return XLSX.read(file.bytes, { type: 'buffer' });
}

/** A sheet as rows of cell text, exactly as stored (SheetJS's `w` is formatted; `v` is the value). */
function sheetRows(wb: XLSX.WorkBook, name: string): unknown[][] {
  const sheet = wb.Sheets[name];
  if (!sheet) throw new Error(`no sheet "${name}" in ${wb.SheetNames.join(', ')}`);
  return XLSX.utils.sheet_to_json<unknown[]>(sheet, { header: 1, defval: null, raw: true });
}

/** PDF text without the spaces and line breaks that wrapping and text extraction put anywhere. */
async function pdfText(file: RenderedDeliverable): Promise<string> {
  const [pdf] = await extractPdfText([file.bytes]);
  return squash(pdf?.pages.join('\n') ?? '');
}

function squash(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, '');
}

function jsonData(file: RenderedDeliverable): unknown {
  return (JSON.parse(file.bytes.toString('utf8')) as { records: { data?: unknown }[] }).records[0]?.data;
}

const rowsBesideFields: Json = { invoice_id: 'INV-1', customer: 'Fabrikam', rows: [{ sku: 'A' }] };

describe('deliverable: rows beside other fields (issue 9)', () => {
  it('when exported as CSV, then invoice_id and customer are on the row with the sku', async () => {
    expect(await csvRows(rowsBesideFields)).toEqual([
      ['invoice_id', 'customer', 'rows.sku'],
      ['INV-1', 'Fabrikam', 'A'],
    ]);
  });

  it('when exported as XLSX, then the sheet holds the fields and the row', async () => {
    const file = await render('xlsx', rowsBesideFields);
    const wb = workbook(file);
    expect(wb.SheetNames).toEqual(['rows', 'Metadata']);
    expect(sheetRows(wb, 'rows')).toEqual([
      ['invoice_id', 'customer', 'rows.sku'],
      ['INV-1', 'Fabrikam', 'A'],
    ]);
    expect(file.warnings).toEqual([]);
  });

  it('when exported as PDF, then the fields are listed once and the rows are a table of their own', async () => {
    const text = await pdfText(await render('pdf', rowsBesideFields));
    for (const part of ['Fields', 'fieldvalue', 'invoice_idINV-1', 'customerFabrikam', 'rowsskuA'])
      expect(text).toContain(part);
  });

  it('when exported as JSON, then the data is exactly as given', async () => {
    expect(jsonData(await render('json', rowsBesideFields))).toEqual(rowsBesideFields);
  });
});

describe('deliverable: a workbook upload with several sheets', () => {
  // The shape extraction gives an XLSX upload: text stays text (02134), names are Excel's.
  const upload: Json = {
    sheets: [
      {
        name: 'Stock',
        columns: ['sku', 'qty'],
        rows: [
          { sku: '02134', qty: 5 },
          { sku: 'B-7', qty: null },
        ],
      },
      { name: 'Prices 2024/Q1', columns: ['sku', 'price'], rows: [{ sku: '02134', price: 1.25 }] },
      { name: 'Notes', columns: ['note'], rows: [] },
    ],
  };

  it('when exported as XLSX, then each source sheet is a sheet of its own, and a renamed one is reported', async () => {
    const file = await render('xlsx', upload);
    const wb = workbook(file);
    expect(wb.SheetNames).toEqual(['Stock', 'Prices 2024 Q1', 'Notes', 'Metadata']);
    expect(sheetRows(wb, 'Stock')).toEqual([
      ['sku', 'qty'],
      ['02134', 5],
      ['B-7', null],
    ]);
    expect(sheetRows(wb, 'Prices 2024 Q1')).toEqual([
      ['sku', 'price'],
      ['02134', 1.25],
    ]);
    expect(sheetRows(wb, 'Notes')).toEqual([['note']]);
    expect(file.warnings).toEqual([
      expect.objectContaining({
        code: 'sheet_renamed',
        count: 1,
        message: expect.stringContaining('"Prices 2024/Q1" is named "Prices 2024 Q1"') as unknown,
      }),
    ]);
  });

  it('when exported as CSV, then a sheet column says which sheet each row comes from, an empty sheet included', async () => {
    expect(await csvRows(upload)).toEqual([
      ['sheet', 'sku', 'qty', 'price', 'note'],
      ['Stock', '02134', '5', '', ''],
      ['Stock', 'B-7', '', '', ''],
      ['Prices 2024/Q1', '02134', '', '1.25', ''],
      ['Notes', '', '', '', ''],
    ]);
  });

  it('when exported as PDF, then each sheet is a table under its own name', async () => {
    const text = await pdfText(await render('pdf', upload));
    for (const part of [
      'Stock',
      'skuqty',
      '021345',
      'B-7',
      'Prices2024/Q1',
      'skuprice',
      '021341.25',
      'Notes',
    ])
      expect(text).toContain(part);
    expect(text).toContain('note');
    expect(text).toContain('Norows.');
  });

  it('when exported as JSON, then every sheet is in the data', async () => {
    expect(jsonData(await render('json', upload))).toEqual(upload);
  });
});

describe('deliverable: nested objects, arrays and empty values', () => {
  const nested: Json = {
    customer: { name: 'Ann', address: { city: 'Zürich', geo: { lat: 47.37, lon: 8.54 } } },
    tags: ['urgent', 'paper'],
    notes: {},
    lines: [{ sku: 'A', price: { amount: 1.5, currency: 'CHF' } }],
  };

  it('when exported as CSV, then every value sits under its dotted path', async () => {
    expect(await csvRows(nested)).toEqual([
      [
        'customer.name',
        'customer.address.city',
        'customer.address.geo.lat',
        'customer.address.geo.lon',
        'tags',
        'notes',
        'lines.sku',
        'lines.price.amount',
        'lines.price.currency',
      ],
      ['Ann', 'Zürich', '47.37', '8.54', '["urgent","paper"]', '{}', 'A', '1.5', 'CHF'],
    ]);
  });

  it('when exported as XLSX, then the sheet has the same columns and values', async () => {
    const wb = workbook(await render('xlsx', nested));
    expect(sheetRows(wb, 'lines')).toEqual([
      [
        'customer.name',
        'customer.address.city',
        'customer.address.geo.lat',
        'customer.address.geo.lon',
        'tags',
        'notes',
        'lines.sku',
        'lines.price.amount',
        'lines.price.currency',
      ],
      ['Ann', 'Zürich', 47.37, 8.54, '["urgent","paper"]', '{}', 'A', 1.5, 'CHF'],
    ]);
  });

  it('when exported as PDF, then the fields show their paths and the lines their own columns', async () => {
    const text = await pdfText(await render('pdf', nested));
    for (const part of [
      'customer.nameAnn',
      'customer.address.cityZürich',
      'customer.address.geo.lat47.37',
      'customer.address.geo.lon8.54',
      'tags["urgent","paper"]',
      'notes{}',
      'lines',
      'skuprice.amountprice.currency',
      'A1.5CHF',
    ])
      expect(text).toContain(squash(part));
  });
});

describe('deliverable: what a format forces us to cut', () => {
  const long = 'é'.repeat(40_000);
  const withLongCells: Json = { id: 'L-1', note: long, rows: [{ text: long }, { text: 'short' }] };

  it('when a cell holds 40,000 characters, then XLSX cuts it with a marker and the warnings count each cut cell', async () => {
    const file = await render('xlsx', withLongCells);
    const rows = sheetRows(workbook(file), 'rows');
    expect(rows[0]).toEqual(['id', 'note', 'rows.text']);
    const [, first, second] = rows;
    expect(first?.[0]).toBe('L-1');
    expect(first?.[1]).toBe(`${long.slice(0, 32_767 - 12)}…[truncated]`);
    expect(second?.[2]).toBe('short');
    // The note repeats on both rows and the long text is on one: three cut cells, one entry.
    expect(file.warnings).toEqual([expect.objectContaining({ code: 'cell_truncated', count: 3 })]);
    expect(file.warnings[0]?.message).toContain('B2');
  });

  it('when the same data is exported as CSV, then nothing is cut and there is no warning', async () => {
    const file = await render('csv', withLongCells);
    const rows = readCsv(file.bytes.toString('utf8'));
    expect(rows[1]).toEqual(['L-1', long, long]);
    expect(file.warnings).toEqual([]);
  });

  it('when a PDF cell is longer than a report cell may be, then it is clipped and reported', async () => {
    const file = await render('pdf', withLongCells);
    expect(file.warnings).toEqual([expect.objectContaining({ code: 'pdf_cell_clipped', count: 2 })]);
  });
});

describe('deliverable: other shapes', () => {
  it('when a CSV upload lists a column no row fills, or has no rows, then the header still has it', async () => {
    expect(await csvRows({ columns: ['a', 'b', 'c'], rows: [{ a: 'x', b: 1 }] })).toEqual([
      ['a', 'b', 'c'],
      ['x', '1', ''],
    ]);
    expect(await csvRows({ columns: ['a', 'b'], rows: [] })).toEqual([['a', 'b']]);
  });

  it('when the data is an array, then its objects are the rows and a scalar is a value row', async () => {
    expect(await csvRows([{ a: 1 }, { a: 2, b: 'x' }, 'loose'])).toEqual([
      ['a', 'b', 'value'],
      ['1', '', ''],
      ['2', 'x', ''],
      ['', '', 'loose'],
    ]);
  });

  it('when Document Intelligence read an invoice, then the first sheet has a row per item with the invoice fields', async () => {
    const invoice: Json = {
      InvoiceId: 'INV-100',
      CustomerName: 'Contoso',
      Items: [
        { Description: 'Consulting', Amount: { amount: 60, currency: 'USD' } },
        { Description: 'Training', Amount: { amount: 40, currency: 'USD' } },
      ],
      InvoiceTotal: { amount: 100, currency: 'USD' },
    };
    const wb = workbook(await render('xlsx', invoice));
    expect(wb.SheetNames[0]).toBe('Items');
    expect(sheetRows(wb, 'Items')).toEqual([
      [
        'InvoiceId',
        'CustomerName',
        'Items.Description',
        'Items.Amount.amount',
        'Items.Amount.currency',
        'InvoiceTotal.amount',
        'InvoiceTotal.currency',
      ],
      ['INV-100', 'Contoso', 'Consulting', 60, 'USD', 100, 'USD'],
      ['INV-100', 'Contoso', 'Training', 40, 'USD', 100, 'USD'],
    ]);
  });

  it('when Document Intelligence read a layout, then each of its tables is a sheet and every cell comes back', async () => {
    const layout: Json = {
      fields: { 'Invoice no': 'A-1' },
      tables: [
        [
          ['Item', 'Qty'],
          ['Paper', '2'],
        ],
        [['Total', '9']],
      ],
      content: 'Invoice no A-1',
    };
    const wb = workbook(await render('xlsx', layout));
    expect(wb.SheetNames).toEqual(['tables.1', 'tables.2', 'Metadata']);
    expect(sheetRows(wb, 'tables.1')).toEqual([
      ['fields.Invoice no', 'tables.1.1', 'tables.1.2', 'content'],
      ['A-1', 'Item', 'Qty', 'Invoice no A-1'],
      ['A-1', 'Paper', '2', 'Invoice no A-1'],
    ]);
    expect(sheetRows(wb, 'tables.2')).toEqual([
      ['fields.Invoice no', 'tables.2.1', 'tables.2.2', 'content'],
      ['A-1', 'Total', '9', 'Invoice no A-1'],
    ]);
    const text = await pdfText(await render('pdf', layout));
    for (const part of [
      'fields.Invoice noA-1',
      'contentInvoice no A-1',
      'tables.1',
      'ItemQty',
      'Paper2',
      'Total9',
    ])
      expect(text).toContain(squash(part));
  });

  it('when the template leaves the data out, then tabular formats hold the summary rows and no data', async () => {
    const rows = await csvRows(rowsBesideFields, 'executive_summary');
    expect(rows[0]).toEqual(['section', 'field', 'value']);
    expect(rows).toContainEqual(['overview', '', 'An overview.']);
    expect(rows.flat()).not.toContain('Fabrikam');
    const wb = workbook(await render('xlsx', rowsBesideFields, 'executive_summary'));
    expect(wb.SheetNames).toEqual(['Summary', 'Metadata']);
    const text = await pdfText(await render('pdf', rowsBesideFields, 'executive_summary'));
    expect(text).toContain('Anoverview.');
    expect(text).not.toContain('Fabrikam');
    expect(jsonData(await render('json', rowsBesideFields, 'executive_summary'))).toBeUndefined();
  });

  it('when the same data is rendered twice, then the bytes are the same (a retried activity writes the same file)', async () => {
    for (const format of ['csv', 'xlsx', 'pdf'] as const) {
      const first = await render(format, rowsBesideFields);
      const second = await render(format, rowsBesideFields);
      expect(second.sha256).toBe(first.sha256);
    }
  });
});

describe('deliverable: several sheets with fields beside them, read back by every reader', () => {
  // A workbook upload the user edited: a title and a nested owner added beside the sheets.
  const data: Json = {
    title: 'Stocktake',
    owner: { name: 'Ann', team: { id: 7 } },
    sheets: [
      { name: 'Q1', columns: ['sku', 'qty'], rows: [{ sku: '02134', qty: 5 }] },
      { name: 'Q2', columns: ['sku'], rows: [{ sku: 'B-7' }] },
    ],
  };

  it('when exported as XLSX, then exceljs finds each sheet with the fields on every row', async () => {
    const file = await render('xlsx', data);
    const excel = new ExcelJS.Workbook();
    await excel.xlsx.load(new Uint8Array(file.bytes).buffer);
    expect(excel.worksheets.map((w) => w.name)).toEqual(['Q1', 'Q2', 'Metadata']);
    const rows = (name: string): unknown[][] => {
      const out: unknown[][] = [];
      excel.getWorksheet(name)?.eachRow((row) => out.push((row.values as unknown[]).slice(1)));
      return out;
    };
    expect(rows('Q1')).toEqual([
      ['title', 'owner.name', 'owner.team.id', 'sheets.Q1.sku', 'sheets.Q1.qty'],
      ['Stocktake', 'Ann', 7, '02134', 5],
    ]);
    expect(rows('Q2')).toEqual([
      ['title', 'owner.name', 'owner.team.id', 'sheets.Q2.sku'],
      ['Stocktake', 'Ann', 7, 'B-7'],
    ]);
    expect(file.warnings).toEqual([]);
  });

  it('when exported as CSV, then papaparse reads every sheet’s rows with the fields and a sheet column', async () => {
    expect(await csvRows(data)).toEqual([
      ['sheet', 'title', 'owner.name', 'owner.team.id', 'sheets.Q1.sku', 'sheets.Q1.qty', 'sheets.Q2.sku'],
      ['Q1', 'Stocktake', 'Ann', '7', '02134', '5', ''],
      ['Q2', 'Stocktake', 'Ann', '7', '', '', 'B-7'],
    ]);
  });

  it('when exported as PDF, then pdf.js reads the fields once and each sheet under its name', async () => {
    const text = await pdfText(await render('pdf', data));
    for (const part of [
      'Fields',
      'titleStocktake',
      'owner.nameAnn',
      'owner.team.id7',
      'Q1',
      'skuqty',
      '021345',
      'Q2',
      'B-7',
    ])
      expect(text).toContain(part);
  });

  it('when exported as JSON, then the data is exactly as given', async () => {
    expect(jsonData(await render('json', data))).toEqual(data);
  });
});
