import { ColumnUnion } from '../../../shared/formats';

/** The union's columns as `key: type` pairs, in order. */
function columnsOf(union: ColumnUnion) {
  return union.model().model.columns.map((c) => `${c.key}: ${c.type}`);
}

describe('ColumnUnion', () => {
  it('when a field first appears in the last of many records, then it has a column, after those seen before', () => {
    const union = new ColumnUnion();
    for (let i = 0; i < 5000; i++) union.add({ id: `r${i}`, n: i });
    union.add({ id: 'late', n: 1, customer: { address: { city: 'Oslo' } } });
    expect(columnsOf(union)).toEqual(['id: string', 'n: number', 'customer.address.city: string']);
  });

  it('when a column holds numbers in some records and text in others, then it is mixed', () => {
    const union = new ColumnUnion();
    union.add({ zip: 2134 });
    union.add({ zip: null });
    union.add({ zip: '02134' });
    expect(columnsOf(union)).toEqual(['zip: mixed']);
  });

  it('when an array of objects appears, then it is expanded as line items and each record counts its rows', () => {
    const union = new ColumnUnion();
    const invoice = { id: 'i1', lines: [{ sku: 'A' }, { sku: 'B', qty: 2 }] };
    union.add({ id: 'i0' });
    union.add(invoice);
    const { model } = union.model();
    expect(model.lineItemsPath).toEqual(['lines']);
    expect(model.columns.map((c) => c.key)).toEqual(['id', 'lines.sku', 'lines.qty']);
    expect(union.rowsOf(invoice)).toBe(2);
    expect(union.rowsOf({ id: 'i2', lines: [] })).toBe(1);
  });

  it('when `{}` is later filled, then only the filled fields are columns; when later a value, then it stays', () => {
    const union = new ColumnUnion();
    union.add({ meta: {}, note: {} });
    union.add({ meta: { a: 1 }, note: 'text' });
    expect(columnsOf(union)).toEqual(['note: string', 'meta.a: number']);
  });

  it('when a dotted key and a nested path have one name, then both keep a column and the later one is renamed', () => {
    const union = new ColumnUnion();
    union.add({ a: { b: 1 } }, 1);
    union.add({ 'a.b': 2 }, 2);
    const { model, renamed } = union.model();
    expect(model.columns.map((c) => [c.key, c.path])).toEqual([
      ['a.b', ['a', 'b']],
      ['a.b (2)', ['a.b']],
    ]);
    expect(renamed).toEqual([{ header: 'a.b (2)', firstRecord: 2 }]);
  });
});
