import type { Json } from '../../../shared/domain/changes';
import { deliverableModel, readingTables, sheetTables } from '../../../shared/domain/deliverableModel';

function tableNames(data: Json): string[] {
  return deliverableModel(data).tables.map((t) => t.name);
}

describe('deliverableModel', () => {
  it('when {columns, rows} has other fields beside it, then rows is one table among the fields', () => {
    const model = deliverableModel({ title: 'Stock', columns: ['sku'], rows: [{ sku: 'A' }] });
    expect(model.fields).toEqual({ title: 'Stock', columns: ['sku'] });
    expect(model.tables).toEqual([
      expect.objectContaining({ name: 'rows', holder: ['rows'], rows: [{ sku: 'A' }] }),
    ]);
  });

  it('when arrays hold scalars or nothing, then they stay fields; arrays holding objects are tables', () => {
    const model = deliverableModel({ tags: ['a', 'b'], none: [], mixed: [1, { a: 2 }] });
    expect(model.fields).toEqual({ tags: ['a', 'b'], none: [] });
    expect(model.tables).toEqual([
      expect.objectContaining({ name: 'mixed', rows: [{ value: 1 }, { a: 2 }] }),
    ]);
  });

  it('when several arrays of objects sit at different depths, then each is a table named by its path', () => {
    expect(
      tableNames({
        id: 1,
        details: { lines: [{ a: 1 }], more: { payments: [{ b: 2 }] } },
        items: [{ c: 3 }],
      }),
    ).toEqual(['details.lines', 'details.more.payments', 'items']);
  });

  it('when a table is nested deeper than the writers flatten, then it stays inside its field', () => {
    let deep: Json = { rows: [{ a: 1 }] };
    for (let i = 0; i < 9; i++) deep = { [`level${i}`]: deep };
    expect(tableNames(deep)).toEqual([]);
  });

  it('when sheets come with other fields, then each sheet row is put under the sheet name, beside the fields', () => {
    const model = deliverableModel({
      source: 'book.xlsx',
      sheets: [{ name: 'Q1', rows: [{ x: 1 }] }, { rows: [{ y: 2 }] }],
    });
    expect(sheetTables(model).map((t) => [t.name, t.records])).toEqual([
      ['Q1', [{ source: 'book.xlsx', sheets: { Q1: { x: 1 } } }]],
      ['sheets.2', [{ source: 'book.xlsx', sheets: { 'sheets.2': { y: 2 } } }]],
    ]);
  });

  it('when rows are put back beside the fields, then they keep the table’s place in the key order', () => {
    const model = deliverableModel({ id: 1, Items: [{ d: 'a' }], total: 2, Payments: [{ p: 3 }] });
    const [items, payments] = sheetTables(model);
    expect(Object.keys(items?.records[0] ?? {})).toEqual(['id', 'Items', 'total']);
    expect(Object.keys(payments?.records[0] ?? {})).toEqual(['id', 'total', 'Payments']);
  });

  it('when a document has no tables, then CSV and XLSX get it as one row and PDF as field/value rows', () => {
    const model = deliverableModel({ a: 1, b: { c: 'x' } });
    expect(sheetTables(model)).toEqual([
      { name: 'Data', records: [{ a: 1, b: { c: 'x' } }], lineItems: false },
    ]);
    expect(readingTables(model)).toEqual([
      expect.objectContaining({
        name: 'Fields',
        records: [
          { field: 'a', value: 1 },
          { field: 'b.c', value: 'x' },
        ],
      }),
    ]);
  });

  it('when the data is a scalar, then it is one value field', () => {
    expect(deliverableModel('just text')).toEqual({
      document: undefined,
      fields: { value: 'just text' },
      tables: [],
    });
  });
});
