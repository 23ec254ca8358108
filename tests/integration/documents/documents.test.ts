import { createDocument } from '../../../functions/createDocument';
import { extractDocument } from '../../../functions/extractDocument';
import { getDocument } from '../../../functions/getDocument';
import { listDocuments } from '../../../functions/listDocuments';
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
