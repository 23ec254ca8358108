import { isFormulaLike } from '../../../shared/formats/index';
import { exportBytes, strictUtf8 } from './helpers/exportBytes';
import { readCsv } from './helpers/readCsv';

const parse = readCsv;

describe('CSV', () => {
  it('when records are written, then the file is RFC 4180 with a header row and CRLF line ends', async () => {
    const { bytes, result } = await exportBytes(
      [
        { id: 1, name: 'Ann, "A"', note: 'two\nlines' },
        { id: 2, name: 'Bob', note: '' },
      ],
      { format: 'csv' },
    );
    expect(bytes.toString('utf8')).toBe('id,name,note\r\n1,"Ann, ""A""","two\nlines"\r\n2,Bob,\r\n');
    expect(result).toMatchObject({
      rows: 2,
      records: 2,
      mime_type: 'text/csv',
      extension: 'csv',
      warnings: [],
    });
    expect(result.bytes).toBe(bytes.length);
  });

  it('when asked for a BOM, then the file starts with EF BB BF and still parses', async () => {
    const { bytes } = await exportBytes([{ a: 'é' }], { format: 'csv', bom: true });
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(parse(strictUtf8(bytes))).toEqual([['a'], ['é']]);
  });

  it('when values are numbers, booleans and dates, then numbers stay unquoted numbers and dates are ISO 8601', async () => {
    const when = new Date(Date.UTC(2024, 4, 6, 7, 8, 9));
    const { bytes } = await exportBytes(
      [{ amount: -12.5, big: 12345678901234567890n, ok: true, no: false, when, empty: null, nan: NaN }],
      { format: 'csv' },
    );
    expect(bytes.toString()).toBe(
      'amount,big,ok,no,when,empty,nan\r\n-12.5,12345678901234567890,true,false,2024-05-06T07:08:09.000Z,,\r\n',
    );
  });

  it.each([
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ['+1+1', "'+1+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['\r=1', `"'\r=1"`],
    [' =1', "' =1"],
    ['   -x', "'   -x"],
    ['a=1', 'a=1'],
    ['', ''],
  ])('when a text cell is %j, then it is written as %j', async (value, expected) => {
    const { bytes } = await exportBytes([{ v: value }], { format: 'csv' });
    expect(bytes.toString()).toBe(`v\r\n${expected}\r\n`);
  });

  it('when a header would be a formula, then it is neutralised too', async () => {
    const { bytes } = await exportBytes([{ '=cmd': 1 }], { format: 'csv' });
    expect(bytes.toString()).toBe("'=cmd\r\n1\r\n");
  });

  it('when records are nested, then objects become dotted columns and line items become rows', async () => {
    const records = [
      {
        id: 'A',
        customer: { name: 'Zoë', address: { city: 'Köln' } },
        lines: [
          { sku: 'x', qty: 1 },
          { sku: 'y', qty: 2 },
        ],
        tags: ['a', 'b'],
      },
      { id: 'B', customer: { name: 'Li' }, lines: [], tags: [] },
    ];
    const { bytes, result } = await exportBytes(records, { format: 'csv' });
    expect(parse(bytes.toString())).toEqual([
      ['id', 'customer.name', 'customer.address.city', 'lines.sku', 'lines.qty', 'tags'],
      ['A', 'Zoë', 'Köln', 'x', '1', '["a","b"]'],
      ['A', 'Zoë', 'Köln', 'y', '2', '["a","b"]'],
      ['B', 'Li', '', '', '', '[]'],
    ]);
    expect(result).toMatchObject({ rows: 3, records: 2 });
  });

  it('when line items are turned off, then arrays stay JSON text in one row per record', async () => {
    const { bytes } = await exportBytes([{ id: 1, lines: [{ sku: 'x' }] }], {
      format: 'csv',
      lineItems: false,
    });
    expect(parse(bytes.toString())).toEqual([
      ['id', 'lines'],
      ['1', '[{"sku":"x"}]'],
    ]);
  });

  it('when a column model is given, then it decides columns, order and headers', async () => {
    const { bytes } = await exportBytes([{ a: 1, b: { c: 2 }, d: 3 }], {
      format: 'csv',
      columns: { columns: [{ key: 'b.c', header: 'C' }, { key: 'a' }] },
    });
    expect(bytes.toString()).toBe('C,a\r\n2,1\r\n');
  });

  it('when a field first appears after the sample, then the result warns that it was dropped', async () => {
    const records = [{ a: 1 }, { a: 2, late: 'x' }, { a: 3, late: 'y' }];
    const { bytes, result } = await exportBytes(records, { format: 'csv', sampleSize: 1 });
    expect(bytes.toString()).toBe('a\r\n1\r\n2\r\n3\r\n');
    expect(result.warnings).toEqual([expect.objectContaining({ code: 'unknown_fields_dropped', count: 2 })]);
  });

  it('when records come as async batches, then the output is the same as from an array', async () => {
    const records = Array.from({ length: 2500 }, (_, i) => ({ i, s: `row ${i}` }));
    async function* batches(): AsyncGenerator<Record<string, unknown>[]> {
      for (let i = 0; i < records.length; i += 700) yield records.slice(i, i + 700);
    }
    const fromArray = await exportBytes(records, { format: 'csv' });
    const fromBatches = await exportBytes(batches(), { format: 'csv' });
    expect(fromBatches.bytes.equals(fromArray.bytes)).toBe(true);
    expect(fromBatches.result.sha256).toBe(fromArray.result.sha256);
  });

  it('when there are no records and no column model, then the file is empty', async () => {
    const { bytes, result } = await exportBytes([], { format: 'csv' });
    expect(bytes.length).toBe(0);
    expect(result.rows).toBe(0);
  });

  it('when there are no records but a column model, then the file is the header row', async () => {
    const { bytes } = await exportBytes([], {
      format: 'csv',
      columns: { columns: [{ key: 'a' }, { key: 'b' }] },
    });
    expect(bytes.toString()).toBe('a,b\r\n');
  });

  it('when parsed back, then no text cell is formula-like unless it was a number', async () => {
    const { bytes } = await exportBytes([{ n: -3, s: '-3', t: '=1+1' }], { format: 'csv' });
    const [, row] = parse(bytes.toString());
    expect(row).toEqual(['-3', "'-3", "'=1+1"]);
    expect(row?.slice(1).some(isFormulaLike)).toBe(false);
  });
});
