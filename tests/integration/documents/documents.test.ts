import { createDocument } from '../../../functions/createDocument';
import { extractDocument } from '../../../functions/extractDocument';
import { getDocument } from '../../../functions/getDocument';
import { listDocuments } from '../../../functions/listDocuments';
import ExcelJS from 'exceljs';
import { xlsxContentType } from '../../../shared/services/extraction';
import { call, newUser } from '../../support/invoke';

const invoice = { InvoiceId: 'INV-100', InvoiceTotal: 110, Items: [{ Amount: 60 }, { Amount: 50 }] };

describe('documents', () => {
  it('when a document is created from JSON, then it is returned, readable and listed', async () => {
    const ana = newUser('ana');
    const created = await call(createDocument, {
      method: 'POST',
      as: ana,
      json: { file_name: 'inv.pdf', document_type: 'Invoice', extracted_data: invoice },
    });
    expect(created.status).toBe(201);
    const doc = created.json<{
      document_id: string;
      status: string;
      owner_email: string;
      document_type: string;
    }>();
    expect(doc).toMatchObject({ status: 'extracted', owner_email: ana, document_type: 'invoice' });
    expect(created.headers.location).toBe(`/api/v1/docs/${doc.document_id}`);

    const read = await call(getDocument, { as: ana, params: { document_id: doc.document_id } });
    expect(read.json()).toMatchObject({ extracted_data: invoice, extraction_method: 'provided' });
    expect(read.json()).not.toHaveProperty('_etag');
  });

  it('when another user asks for the document, then it is a 404 exactly like a missing one', async () => {
    const ana = newUser('ana');
    const created = await call(createDocument, {
      method: 'POST',
      as: ana,
      json: { file_name: 'a.json', extracted_data: { a: 1 } },
    });
    const id = created.json<{ document_id: string }>().document_id;
    const other = await call(getDocument, { as: newUser('eve'), params: { document_id: id } });
    const missing = await call(getDocument, { as: newUser('eve'), params: { document_id: 'nope' } });
    expect(other.status).toBe(404);
    expect(other.json<{ error: { code: string } }>().error.code).toBe(
      missing.json<{ error: { code: string } }>().error.code,
    );
    expect(
      (await call(extractDocument, { method: 'POST', as: newUser('eve'), params: { document_id: id } }))
        .status,
    ).toBe(404);
  });

  it('when a body tries to set the owner, then it is refused as an unknown field', async () => {
    const response = await call(createDocument, {
      method: 'POST',
      as: newUser(),
      json: { file_name: 'a', extracted_data: {}, owner_email: 'victim@contoso.com' },
    });
    expect(response.status).toBe(400);
  });

  it('when a CSV is uploaded and extracted, then its rows are the document data', async () => {
    const bob = newUser('bob');
    const upload = await call(createDocument, {
      method: 'POST',
      as: bob,
      query: { file_name: 'stock.csv', document_type: 'table' },
      headers: { 'content-type': 'text/csv' },
      body: 'sku,qty\r\nA-1,3\r\n',
    });
    expect(upload.status).toBe(201);
    const doc = upload.json<{ document_id: string; status: string; blob_path: string }>();
    expect(doc.status).toBe('uploaded');
    expect(doc.blob_path).toBe(`${bob}/${doc.document_id}/stock.csv`);
    const extracted = await call(extractDocument, {
      method: 'POST',
      as: bob,
      params: { document_id: doc.document_id },
    });
    expect(extracted.status).toBe(200);
    expect(extracted.json()).toMatchObject({
      status: 'extracted',
      extraction_method: 'local:csv',
      extraction_confidence: 1,
      extracted_data: { columns: ['sku', 'qty'], rows: [{ sku: 'A-1', qty: 3 }] },
    });
  });

  /** Uploads a file as `user`, extracts it, and answers the extraction response and the stored document. */
  async function uploadAndExtract(
    user: string,
    fileName: string,
    contentType: string,
    body: string | Buffer,
  ) {
    const upload = await call(createDocument, {
      method: 'POST',
      as: user,
      query: { file_name: fileName, document_type: 'table' },
      headers: { 'content-type': contentType },
      body,
    });
    expect(upload.status).toBe(201);
    const documentId = upload.json<{ document_id: string }>().document_id;
    const extracted = await call(extractDocument, {
      method: 'POST',
      as: user,
      params: { document_id: documentId },
    });
    const stored = await call(getDocument, { as: user, params: { document_id: documentId } });
    return { extracted, stored: stored.json<{ status: string; extracted_data?: unknown }>() };
  }

  it('when a CSV holds zero-padded codes, long ids, decimals, offsets and gaps, then every value is stored as written', async () => {
    const csv =
      'zip,order_id,price,qty,paid,ordered_at,note,,ref\r\n' +
      '02134,000123,1.50,42,true,2024-03-01T10:00:00+02:00,,walk-in,9007199254740993\r\n' +
      '10001,7,-3.5,1e5,false,2024-03-01,+1, 7,12\r\n' +
      'short,row\r\n';
    const { extracted, stored } = await uploadAndExtract(newUser('fay'), 'orders.csv', 'text/csv', csv);
    expect(extracted.status).toBe(200);
    const columns = ['zip', 'order_id', 'price', 'qty', 'paid', 'ordered_at', 'note', 'column_8', 'ref'];
    const expected = {
      columns,
      rows: [
        {
          zip: '02134',
          order_id: '000123',
          price: '1.50',
          qty: 42,
          paid: true,
          ordered_at: '2024-03-01T10:00:00+02:00',
          note: null,
          column_8: 'walk-in',
          ref: '9007199254740993',
        },
        {
          zip: 10001,
          order_id: 7,
          price: -3.5,
          qty: '1e5',
          paid: false,
          ordered_at: '2024-03-01',
          note: '+1',
          column_8: ' 7',
          ref: 12,
        },
        // A short row keeps every column; the cells it lacks are null.
        {
          zip: 'short',
          order_id: 'row',
          price: null,
          qty: null,
          paid: null,
          ordered_at: null,
          note: null,
          column_8: null,
          ref: null,
        },
      ],
    };
    expect(stored).toMatchObject({ status: 'extracted', extracted_data: expected });
    // toMatchObject ignores extra keys; the stored rows must hold exactly these, in this order.
    expect(Object.keys((stored.extracted_data as typeof expected).rows[0] ?? {})).toEqual(columns);
  });

  it('when an XLSX has several sheets, dates, text-formatted numbers and an unnamed column, then each sheet is stored with the cells as the workbook types them', async () => {
    const workbook = new ExcelJS.Workbook();
    const orders = workbook.addWorksheet('Orders');
    orders.addRow(['zip', 'amount', 'ordered', 'due', 'paid', '', 'note']);
    // ExcelJS writes a Date as the serial of its UTC wall time: 2024-03-01 10:30 on every machine.
    orders.addRow([
      '02134',
      1234.5,
      new Date(Date.UTC(2024, 2, 1, 10, 30)),
      new Date(Date.UTC(2024, 2, 15)),
      true,
      'no header',
      null,
    ]);
    orders.addRow(['00501', 0.1, null, null, false, null, 'second order']);
    orders.getColumn(1).numFmt = '@';
    orders.getCell('C2').numFmt = 'dd/mm/yyyy hh:mm';
    orders.getCell('D2').numFmt = 'dd/mm/yyyy';
    const customers = workbook.addWorksheet('Customers');
    customers.addRow(['id', 'name']);
    customers.addRow([9007199254740991, 'Ana']);
    workbook.addWorksheet('Notes');
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());

    const { extracted, stored } = await uploadAndExtract(
      newUser('gus'),
      'orders.xlsx',
      xlsxContentType,
      bytes,
    );
    expect(extracted.status).toBe(200);
    expect(stored.extracted_data).toEqual({
      sheets: [
        {
          name: 'Orders',
          columns: ['zip', 'amount', 'ordered', 'due', 'paid', 'column_6', 'note'],
          rows: [
            {
              zip: '02134',
              amount: 1234.5,
              ordered: '2024-03-01T10:30:00',
              due: '2024-03-15',
              paid: true,
              column_6: 'no header',
              note: null,
            },
            {
              zip: '00501',
              amount: 0.1,
              ordered: null,
              due: null,
              paid: false,
              column_6: null,
              note: 'second order',
            },
          ],
        },
        { name: 'Customers', columns: ['id', 'name'], rows: [{ id: 9007199254740991, name: 'Ana' }] },
        { name: 'Notes', columns: [], rows: [] },
      ],
    });
  });

  it('when a JSON upload holds a number JSON.parse would round, then extraction refuses it by location and keeps the upload unextracted', async () => {
    const user = newUser('hal');
    const { extracted, stored } = await uploadAndExtract(
      user,
      'ids.json',
      'application/json',
      '[\n  {"id": 9007199254740993, "zip": "02134"}\n]',
    );
    expect(extracted.status).toBe(400);
    expect(extracted.json<{ error: { message: string } }>().error.message).toContain(
      '9007199254740993 (line 2, column 10)',
    );
    expect(stored).toMatchObject({ status: 'uploaded' });
    expect(stored).not.toHaveProperty('extracted_data');
  });

  it('when a JSON upload holds strings that look like numbers and dates, then they stay strings', async () => {
    const json =
      '{"zip": "02134", "at": "2024-03-01T10:00:00+02:00", "amount": 1.50, "id": 9007199254740991}';
    const { stored } = await uploadAndExtract(newUser('ida'), 'one.json', 'application/json', json);
    expect(stored).toMatchObject({
      status: 'extracted',
      extracted_data: { zip: '02134', at: '2024-03-01T10:00:00+02:00', amount: 1.5, id: 9007199254740991 },
    });
  });

  it('when a PDF is uploaded without Document Intelligence, then extraction is a 503 naming the setting', async () => {
    const carl = newUser('carl');
    const upload = await call(createDocument, {
      method: 'POST',
      as: carl,
      query: { file_name: 'scan.pdf', document_type: 'invoice' },
      headers: { 'content-type': 'application/pdf' },
      body: Buffer.from('%PDF-1.7'),
    });
    const id = upload.json<{ document_id: string }>().document_id;
    const extracted = await call(extractDocument, { method: 'POST', as: carl, params: { document_id: id } });
    expect(extracted.status).toBe(503);
    expect(extracted.json<{ error: { message: string } }>().error.message).toContain(
      'DOCUMENT_INTELLIGENCE_ENDPOINT',
    );
  });

  it('when bad input arrives, then each is a clear error and nothing is recorded', async () => {
    const dana = newUser('dana');
    const cases = [
      {
        expected: 415,
        init: { query: { file_name: 'x.zip' }, headers: { 'content-type': 'application/zip' }, body: 'PK' },
      },
      { expected: 415, init: { headers: { 'content-type': 'text/plain' }, body: 'hello' } },
      { expected: 400, init: { headers: { 'content-type': 'application/json' }, body: '{"file_name":' } },
      { expected: 400, init: { json: { file_name: '../etc/passwd', extracted_data: {} } } },
      { expected: 400, init: { json: { file_name: 'a', extracted_data: 5 } } },
      {
        expected: 413,
        init: {
          query: { file_name: 'big.csv' },
          headers: { 'content-type': 'text/csv' },
          body: Buffer.alloc(26 * 1024 * 1024, 'a'),
        },
      },
    ];
    for (const { expected, init } of cases) {
      const response = await call(createDocument, { method: 'POST', as: dana, ...init });
      expect({ status: response.status, body: response.json() }).toMatchObject({
        status: expected,
        body: { error: { code: expect.any(String) } },
      });
    }
    const list = await call(listDocuments, { as: dana });
    expect(list.json()).toEqual({ items: [], continuation: null });
  });

  it('when a user has more documents than a page, then pages follow newest first without overlap', async () => {
    const erin = newUser('erin');
    for (let i = 0; i < 5; i++) {
      await call(createDocument, {
        method: 'POST',
        as: erin,
        json: { file_name: `d${i}.json`, extracted_data: { i } },
      });
    }
    const seen: string[] = [];
    let continuation: string | undefined;
    do {
      const page = await call(listDocuments, {
        as: erin,
        query: { limit: '2', ...(continuation ? { continuation } : {}) },
      });
      const body = page.json<{ items: { file_name: string }[]; continuation: string | null }>();
      seen.push(...body.items.map((d) => d.file_name));
      continuation = body.continuation ?? undefined;
    } while (continuation);
    expect(seen).toEqual(['d4.json', 'd3.json', 'd2.json', 'd1.json', 'd0.json']);
  });
});
