import fc from 'fast-check';
import { inferColumnModel } from '../../../shared/formats/index';
import { parseIsoDate } from '../../../shared/formats/columns/isoDate';

describe('column model inference', () => {
  it('when records are nested, then columns are dotted, in first-seen order, with types', () => {
    const model = inferColumnModel([
      { id: 1, customer: { name: 'A', vip: true }, created: '2024-01-02T03:04:05Z', total: 2.5 },
      { id: 2, customer: { name: 'B', since: '2020-01-01' }, extra: null },
    ]);
    expect(model).toEqual({
      columns: [
        { key: 'id', type: 'number' },
        { key: 'customer.name', type: 'string' },
        { key: 'customer.vip', type: 'boolean' },
        { key: 'created', type: 'date' },
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

  it('when a property name contains a dot, then the column keeps its exact path', () => {
    const model = inferColumnModel([{ 'a.b': 1 }]);
    expect(model.columns).toEqual([{ key: 'a.b', path: ['a.b'], type: 'number' }]);
  });

  it('when values disagree in type, then the column is mixed', () => {
    expect(inferColumnModel([{ v: 1 }, { v: 'x' }]).columns[0]?.type).toBe('mixed');
  });
});

describe('ISO 8601 parsing', () => {
  it.each([
    ['2024-02-29', Date.UTC(2024, 1, 29), false],
    ['2024-05-06T07:08:09Z', Date.UTC(2024, 4, 6, 7, 8, 9), true],
    ['2024-05-06T07:08:09.123+02:00', Date.UTC(2024, 4, 6, 5, 8, 9, 123), true],
    ['2024-05-06 07:08', Date.UTC(2024, 4, 6, 7, 8), true],
    ['0050-01-01', new Date('0050-01-01T00:00:00Z').getTime(), false],
  ])(
    'when %s is parsed, then it is that instant in UTC, whatever the server time zone',
    (text, epochMs, hasTime) => {
      expect(parseIsoDate(text)).toEqual({ epochMs, hasTime });
    },
  );

  it.each(['2023-02-29', '2024-13-01', '2024-01-01T24:00', 'yesterday', '2024-1-1', '20240101'])(
    'when %s is given, then it is not a date',
    (text) => {
      expect(parseIsoDate(text)).toBeUndefined();
    },
  );
});

describe('ISO 8601 parsing against Date.parse', () => {
  it('when any date-time in 0001..9999 with an offset is written out, then it parses to the same instant', () => {
    fc.assert(
      fc.property(
        // A day inside the range on both sides, so the local time written out stays within 4-digit years.
        fc.date({
          min: new Date('0001-01-02T00:00:00Z'),
          max: new Date('9999-12-30T23:59:59Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: -14 * 60, max: 14 * 60 }),
        (date, offset) => {
          const local = new Date(date.getTime() + offset * 60_000).toISOString().slice(0, 23);
          const sign = offset < 0 ? '-' : '+';
          const abs = Math.abs(offset);
          const zone = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
          expect(parseIsoDate(local + zone)).toEqual({ epochMs: date.getTime(), hasTime: true });
          expect(parseIsoDate(date.toISOString())).toEqual({ epochMs: date.getTime(), hasTime: true });
        },
      ),
    );
  });
});
