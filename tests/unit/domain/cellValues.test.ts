import fc from 'fast-check';
import { columnNames, csvCellValue, spreadsheetDateText } from '../../../shared/domain/cellValues';

describe('csvCellValue', () => {
  it.each([
    ['42', 42],
    ['-3.5', -3.5],
    ['0', 0],
    ['0.25', 0.25],
    ['9007199254740991', 9007199254740991],
    ['true', true],
    ['false', false],
  ])('when a cell reads %j, then it becomes %j because typing it back gives the same text', (text, value) => {
    expect(csvCellValue(text)).toBe(value);
  });

  it.each([
    ['02134', 'a ZIP code with a leading zero'],
    ['000123', 'an id padded with zeros'],
    ['1.50', 'a decimal with a trailing zero'],
    ['1e5', 'exponent notation'],
    ['9007199254740993', 'an integer beyond 2^53, which a double rounds'],
    ['9007199254740992', '2^53, which prints back the same but stands for two integers'],
    ['+1', 'a leading plus'],
    [' 7', 'a leading space'],
    ['7 ', 'a trailing space'],
    ['-0', 'negative zero'],
    ['.5', 'a bare fraction'],
    ['0x1F', 'hex'],
    ['Infinity', 'Infinity'],
    ['NaN', 'NaN'],
    ['TRUE', 'an upper-case boolean'],
    ['2024-03-01', 'a date'],
    ['2024-03-01T10:00:00+02:00', 'a date-time with its offset'],
    ['10:30', 'a time'],
  ])('when a cell reads %j (%s), then it stays that exact text', (text) => {
    expect(csvCellValue(text)).toBe(text);
  });

  it('when a cell is empty, then it is null', () => {
    expect(csvCellValue('')).toBeNull();
  });

  it('whatever text a cell holds, a typed value always prints back to exactly that text', () => {
    const cellText = fc.oneof(
      fc.string(),
      fc.double({ noNaN: true }).map(String),
      fc.bigInt().map(String),
      fc.stringMatching(/^[-+ ]?[0-9]{1,20}(\.[0-9]{0,4})?$/),
    );
    fc.assert(
      fc.property(cellText, (text) => {
        const value = csvCellValue(text);
        if (typeof value === 'string') expect(value).toBe(text);
        else if (value !== null) expect(String(value)).toBe(text);
        else expect(text).toBe('');
      }),
    );
  });
});

describe('columnNames', () => {
  it('when header cells are empty, then those columns are named by their column number', () => {
    expect(columnNames(['sku', '', 'qty', undefined], 4)).toEqual(['sku', 'column_2', 'qty', 'column_4']);
  });

  it('when rows are wider than the header, then the extra columns get names too', () => {
    expect(columnNames(['a'], 3)).toEqual(['a', 'column_2', 'column_3']);
  });

  it('when a name repeats, then the later column gets its column number appended', () => {
    expect(columnNames(['amount', 'amount', 'amount_2', 'column_4', ''], 5)).toEqual([
      'amount',
      'amount_2',
      'amount_2_3',
      'column_4',
      'column_5',
    ]);
  });

  it('when a sheet starts at column C, then numbers count from the sheet, as its letters do', () => {
    expect(columnNames([undefined, 'b'], 2, 3)).toEqual(['column_3', 'b']);
  });
});

describe('spreadsheetDateText', () => {
  it.each([
    [45352, 'yyyy-mm-dd', '2024-03-01'],
    [45352, 'm/d/yy', '2024-03-01'],
    [45352, 'dd/mm/yyyy', '2024-03-01'],
    [45352, '[$-409]mmmm d, yyyy', '2024-03-01'],
    [45352.4375, 'yyyy-mm-dd hh:mm', '2024-03-01T10:30:00'],
    [45352, 'yyyy-mm-dd hh:mm', '2024-03-01T00:00:00'],
    [45352.4375, 'dd/mm/yyyy', '2024-03-01T10:30:00'],
    [45352 + 0.5 / 86400, 'yyyy-mm-dd hh:mm:ss', '2024-03-01T00:00:00.500'],
    [0.4375, 'h:mm', '10:30:00'],
    [0.4375, 'h:mm AM/PM', '10:30:00'],
    [0, 'hh:mm:ss', '00:00:00'],
    [1, 'yyyy-mm-dd', '1900-01-01'],
    [59, 'yyyy-mm-dd', '1900-02-28'],
    [60, 'yyyy-mm-dd', '1900-02-29'],
    [61, 'yyyy-mm-dd', '1900-03-01'],
  ])('when serial %d is formatted %j, then the sheet shows %j', (serial, format, text) => {
    expect(spreadsheetDateText(serial, format)).toBe(text);
  });

  it('when the workbook uses the 1904 date system, then serials count from 1904-01-01', () => {
    expect(spreadsheetDateText(0, 'yyyy-mm-dd', true)).toBe('1904-01-01');
    expect(spreadsheetDateText(45352 - 1462, 'yyyy-mm-dd', true)).toBe('2024-03-01');
  });

  it.each([['General'], ['0.00'], ['#,##0 "days"'], ['[Red]0.00'], ['@'], ['0.00E+00'], ['[h]:mm']])(
    'when the format is %j, then the number is not a date',
    (format) => {
      expect(spreadsheetDateText(45352.5, format)).toBeUndefined();
    },
  );

  it('when a date-formatted number is negative, then it is not a date (Excel shows none)', () => {
    expect(spreadsheetDateText(-1, 'yyyy-mm-dd')).toBeUndefined();
  });
});
