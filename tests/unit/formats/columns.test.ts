import fc from 'fast-check';
import { inferColumnModel } from '../../../shared/formats/index';
import { parseWallClock } from '../../../shared/formats/columns/isoDate';

describe('column model inference', () => {
  it('when records are nested, then columns are dotted, in first-seen order, with types', () => {
    const model = inferColumnModel([
      {
        id: 1,
        customer: { name: 'A', vip: true },
        created: '2024-01-02T03:04:05',
        stamp: '2024-01-02T03:04:05Z',
        total: 2.5,
      },
      { id: 2, customer: { name: 'B', since: '2020-01-01' }, extra: null },
    ]);
    expect(model).toEqual({
      columns: [
        { key: 'id', type: 'number' },
        { key: 'customer.name', type: 'string' },
        { key: 'customer.vip', type: 'boolean' },
        { key: 'created', type: 'date' },
        // An instant (offset, Z, fractions) is text: a spreadsheet cell has no time zone.
        { key: 'stamp', type: 'string' },
        { key: 'total', type: 'number' },
        { key: 'customer.since', type: 'date' },
        { key: 'extra', type: 'string' },
      ],
    });
  });

  it('when a record holds an array of objects, then it is the line items; other arrays stay cells', () => {
    const model = inferColumnModel([
      {
        id: 1,
        tags: ['a'],
        items: [
          { sku: 'x', qty: 1 },
          { sku: 'y', note: 'n' },
        ],
      },
    ]);
    expect(model.lineItemsPath).toEqual(['items']);
    expect(model.columns.map((c) => c.key)).toEqual(['id', 'tags', 'items.sku', 'items.qty', 'items.note']);
  });

  it('when the line items hold values besides objects, then the array keeps its own column too', () => {
    const model = inferColumnModel([{ id: 1, items: [{ sku: 'x' }, 'loose note', 7] }]);
    expect(model.lineItemsPath).toEqual(['items']);
    expect(model.columns.map((c) => c.key)).toEqual(['id', 'items.sku', 'items']);
  });

  it('when a property name contains a dot, then the column keeps its exact path', () => {
    const model = inferColumnModel([{ 'a.b': 1 }]);
    expect(model.columns).toEqual([{ key: 'a.b', path: ['a.b'], type: 'number' }]);
  });

  it('when a field is `{}` in one record, an object in another and a value in a third, then the value keeps its column', () => {
    const model = inferColumnModel([{ x: {} }, { x: { y: 1 } }, { x: 5 }]);
    expect(model.columns.map((c) => c.key)).toEqual(['x', 'x.y']);
  });

  it('when a field is only ever `{}` or an object with fields, then only the fields are columns', () => {
    expect(inferColumnModel([{ x: {} }, { x: { y: 1 } }]).columns.map((c) => c.key)).toEqual(['x.y']);
  });

  it('when values disagree in type, then the column is mixed', () => {
    expect(inferColumnModel([{ v: 1 }, { v: 'x' }]).columns[0]?.type).toBe('mixed');
  });
});

const DAY = 86_400_000;

describe('wall-clock date parsing', () => {
  it.each([
    ['2024-02-29', Date.UTC(2024, 1, 29), 0, false],
    ['2024-05-06 07:08', Date.UTC(2024, 4, 6), 7 * 3600 + 8 * 60, true],
    ['2024-05-06T07:08:09', Date.UTC(2024, 4, 6), 7 * 3600 + 8 * 60 + 9, true],
    ['0050-01-01', new Date('0050-01-01T00:00:00Z').getTime(), 0, false],
  ])('when %s is parsed, then it is that calendar day and time of day', (text, dayMs, seconds, hasTime) => {
    expect(parseWallClock(text)).toEqual({ days: dayMs / DAY, seconds, hasTime });
  });

  it.each([
    '2023-02-29',
    '2024-13-01',
    '2024-01-01T24:00',
    'yesterday',
    '2024-1-1',
    '20240101',
    // Instants and fractions stay text: a cell could only hold them converted or rounded.
    '2024-03-01T10:00:00+02:00',
    '2024-03-01T08:00:00.000Z',
    '2024-03-01T08:00:00Z',
    '2024-03-01T08:00:00.5',
  ])('when %s is given, then it is not a wall-clock date', (text) => {
    expect(parseWallClock(text)).toBeUndefined();
  });

  it('when any wall-clock date-time in 0001..9999 is written out, then it parses to the same day and second', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('0001-01-01T00:00:00Z'),
          max: new Date('9999-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        (date) => {
          const text = date.toISOString().slice(0, 19);
          const ms = Math.floor(date.getTime() / 1000) * 1000;
          const days = Math.floor(ms / DAY);
          expect(parseWallClock(text)).toEqual({ days, seconds: (ms - days * DAY) / 1000, hasTime: true });
        },
      ),
    );
  });
});
