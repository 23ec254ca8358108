import { createDocument } from '../../../functions/createDocument';
import { extractDocument } from '../../../functions/extractDocument';
import { getDocument } from '../../../functions/getDocument';
import { uploadParsingDefaults, type UploadParsingSettings } from '../../../shared/config';
import { AppError } from '../../../shared/core/errors';
import { xlsxContentType } from '../../../shared/services/extraction';
import { UploadParserPool } from '../../../shared/services/uploadParsing/parserPool';
import type { LocalUploadKind } from '../../../shared/services/uploadParsing/parsers';
import { call, newUser } from '../../support/invoke';
import {
  gridLinkWorkbook,
  ordinaryWorkbook,
  ordinaryWorkbookData,
  row,
  sheetXml,
  workbook,
  zeroBombWorkbook,
} from '../../unit/services/uploadParsing/hostileFiles';

/*
 * The parsing worker is the compiled one (dist/): these tests run after `npm run build`, as
 * `npm test` and `npm run test:integration` do.
 */

const pools: UploadParserPool[] = [];
function pool(limits: Partial<UploadParsingSettings> = {}): UploadParserPool {
  const created = new UploadParserPool({ ...uploadParsingDefaults, ...limits });
  pools.push(created);
  return created;
}
afterAll(() => pools.forEach((p) => p.dispose()));

/** What a parse was refused with, as the API would answer it. */
async function refusal(parse: Promise<unknown>) {
  try {
    await parse;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { status: error.status, code: error.code, limit: error.details[0]?.field, message: error.message };
  }
  throw new Error('the parse was not refused');
}

/** A normal upload still parses: the pool has a working worker after the refusal. */
async function expectWorking(parser: UploadParserPool) {
  expect(await parser.parse('csv', Buffer.from('sku,qty\n02134,3\n'))).toEqual({
    columns: ['sku', 'qty'],
    rows: [{ sku: '02134', qty: 3 }],
  });
  expect(await parser.parse('xlsx', ordinaryWorkbook())).toEqual(ordinaryWorkbookData);
}

/** A CSV that takes seconds to read within every size limit: millions of one-cell rows. */
const slowCsv = () => Buffer.from(`a\n${'1\n'.repeat(6_000_000)}`);
/** JSON whose parsed value needs far more than 32 MB of heap. */
const heapHungryJson = () =>
  Buffer.from(`[${Array.from({ length: 2_000_000 }, (_, i) => `{"a":${i}}`).join(',')}]`);

describe('upload parsing in the worker pool', () => {
  it('when a parse runs past the deadline, then 422 parse_deadline, and the next upload parses', async () => {
    const parser = pool({ deadlineMs: 300 });
    expect(await refusal(parser.parse('csv', slowCsv()))).toEqual({
      status: 422,
      code: 'unprocessable_document',
      limit: 'parse_deadline',
      message: 'The file could not be parsed within the 300 ms a parse may take.',
    });
    await expectWorking(parser);
  });

  it('when a parse needs more memory than the worker has, then 422 parse_memory, and the next upload parses', async () => {
    const parser = pool({ memoryMb: 32 });
    expect(await refusal(parser.parse('json', heapHungryJson()))).toMatchObject({
      status: 422,
      limit: 'parse_memory',
      message: expect.stringContaining('32 MB'),
    });
    await expectWorking(parser);
  });

  it('when an XLSX declares more inflated bytes than allowed, then 422 inflated_size, and the next upload parses', async () => {
    const parser = pool({ maxInflatedBytes: 50_000 });
    const large = workbook(sheetXml('A1', row(1, { A: 'x'.repeat(100_000) })));
    expect(await refusal(parser.parse('xlsx', large))).toMatchObject({
      status: 422,
      limit: 'inflated_size',
      message: expect.stringContaining('at most 50000'),
    });
    await expectWorking(parser);
  });

  it('when a zip entry inflates a thousand times its size, then 422 compression_ratio, and the next upload parses', async () => {
    const parser = pool();
    expect(await refusal(parser.parse('xlsx', zeroBombWorkbook(10)))).toMatchObject({
      status: 422,
      limit: 'compression_ratio',
    });
    await expectWorking(parser);
  });

  it('when a table is wider than allowed, then 422 columns, and the next upload parses', async () => {
    const parser = pool();
    const header = Array.from({ length: 1025 }, (_, i) => `c${i}`).join(',');
    expect(await refusal(parser.parse('csv', Buffer.from(`${header}\n`)))).toMatchObject({
      status: 422,
      limit: 'columns',
    });
    await expectWorking(parser);
  });

  it('when a table has more cells than a document holds, then 422 cells, and the next upload parses', async () => {
    const parser = pool();
    const ragged = Buffer.from(`a\n${'1\n'.repeat(100_000)}${','.repeat(100_000)}\n`);
    expect(await refusal(parser.parse('csv', ragged))).toMatchObject({
      status: 422,
      limit: 'cells',
      message: expect.stringContaining('100001 rows of 100001 columns'),
    });
    await expectWorking(parser);
  });

  it('when a hyperlink claims the whole grid, then 422 linked_cells, and the next upload parses', async () => {
    const parser = pool();
    expect(await refusal(parser.parse('xlsx', gridLinkWorkbook()))).toMatchObject({
      status: 422,
      limit: 'linked_cells',
    });
    await expectWorking(parser);
  });

  it('when more uploads arrive than parsers, then one waits for the next free parser and the one after answers 503', async () => {
    const parser = pool({ workers: 1, deadlineMs: 800 });
    await expectWorking(parser); // warm, so the first parse starts at once
    const kinds: LocalUploadKind[] = ['csv', 'csv', 'csv'];
    const outcomes = await Promise.all(kinds.map((kind) => refusal(parser.parse(kind, slowCsv()))));
    // The first runs out its deadline; the second gets the replacement worker and does too; the
    // third would wait past twice the deadline, so it is told to come back.
    expect(outcomes.map((o) => o.limit ?? o.code)).toEqual([
      'parse_deadline',
      'parse_deadline',
      'dependency_unavailable',
    ]);
    expect(outcomes[2]).toMatchObject({ status: 503, message: expect.stringContaining('busy') });
    await expectWorking(parser);
  });
});

describe('extracting an upload past a limit', () => {
  async function uploadAndExtract(user: string, body: Buffer) {
    const upload = await call(createDocument, {
      method: 'POST',
      as: user,
      query: { file_name: 'book.xlsx', document_type: 'table' },
      headers: { 'content-type': xlsxContentType },
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
    return { extracted, stored: stored.json() };
  }

  it.each([
    ['a hyperlink claims the whole grid', gridLinkWorkbook, 'linked_cells'],
    ['a zip bomb inflates to 200 MB', () => zeroBombWorkbook(200), 'inflated_size'],
  ])(
    'when %s, then extraction is a 422 naming the limit and the document stays as uploaded',
    async (_, file, limit) => {
      const user = newUser('uma');
      const { extracted, stored } = await uploadAndExtract(user, file());
      expect(extracted.status).toBe(422);
      expect(extracted.json()).toEqual({
        error: {
          code: 'unprocessable_document',
          message: expect.any(String),
          details: [{ field: limit, message: expect.any(String) }],
        },
      });
      expect(stored).toMatchObject({ status: 'uploaded' });
      expect(stored).not.toHaveProperty('extracted_data');

      const next = await uploadAndExtract(user, ordinaryWorkbook());
      expect(next.extracted.status).toBe(200);
      expect(next.stored).toMatchObject({ status: 'extracted', extracted_data: ordinaryWorkbookData });
    },
  );
});
