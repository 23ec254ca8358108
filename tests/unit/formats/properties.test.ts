import fc from 'fast-check';
import * as XLSX from 'xlsx';
import { isFormulaLike } from '../../../shared/formats/index';
import { exportBytes, strictUtf8, wellFormed } from './helpers/exportBytes';
import { extractPdfText } from '../../support/pdfText';
import { readCsv } from './helpers/readCsv';

/** Any UTF-16 code unit, so lone surrogates and controls appear as well as whole characters. */
const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const text = fc.oneof(
  fc.string({ unit: anyCodeUnit, maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
);
const value = fc.oneof(
  text,
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);
const records = fc.array(fc.record({ a: value, b: value, c: value, nested: fc.record({ x: value }) }), {
  minLength: 1,
  maxLength: 15,
});
type Row = { a: unknown; b: unknown; c: unknown; nested: { x: unknown } };

const cellsOf = (r: Row): unknown[] => [r.a, r.b, r.c, r.nested.x];
// eslint-disable-next-line no-control-regex -- the characters XML 1.0 cannot carry
const XML_ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const RUNS = { numRuns: 60 };

function csvExpected(v: unknown): string {
  if (typeof v === 'string') {
    const s = wellFormed(v);
    return isFormulaLike(s) ? `'${s}` : s;
  }
  return v === null || v === undefined ? '' : JSON.stringify(v);
}

function xlsxExpected(v: unknown): unknown {
  if (typeof v === 'string') {
    const s = wellFormed(v).replace(XML_ILLEGAL, '');
    return s === '' ? null : s;
  }
  // Excel keeps 15 significant digits: a number with more stays every digit as text.
  if (typeof v === 'number') {
    const digits = (String(v).split('e')[0] ?? '').replace(/[-.]/g, '').replace(/^0+/, '').replace(/0+$/, '');
    if (digits.length > 15) return String(v);
  }
  return Object.is(v, -0) ? 0 : v;
}

function jsonExpected(v: unknown): unknown {
  if (typeof v === 'string') return wellFormed(v);
  if (Array.isArray(v)) return v.map(jsonExpected);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [wellFormed(k), jsonExpected(x)]));
  }
  return Object.is(v, -0) ? 0 : v;
}

describe('properties: every file reads back to the same values', () => {
  it('CSV, read with papaparse', async () => {
    await fc.assert(
      fc.asyncProperty(records, async (input) => {
        const { bytes } = await exportBytes(input, { format: 'csv' });
        const [header, ...rows] = readCsv(strictUtf8(bytes));
        expect(header).toEqual(['a', 'b', 'c', 'nested.x']);
        expect(rows).toEqual(input.map((r) => cellsOf(r).map(csvExpected)));
      }),
      RUNS,
    );
  });

  it('XLSX, read with SheetJS', async () => {
    await fc.assert(
      fc.asyncProperty(records, async (input) => {
        const { bytes } = await exportBytes(input, { format: 'xlsx' });
        const wb = XLSX.read(bytes, { type: 'buffer' });
        const sheet = wb.Sheets[wb.SheetNames[0] ?? ''];
        if (!sheet) throw new Error('no sheet');
        const rows = XLSX.utils.sheet_to_json<unknown[]>(sheet, {
          header: 1,
          defval: null,
          raw: true,
          blankrows: true,
        });
        expect(rows[0]).toEqual(['a', 'b', 'c', 'nested.x']);
        expect(rows.slice(1)).toEqual(input.map((r) => cellsOf(r).map(xlsxExpected)));
      }),
      RUNS,
    );
  });

  it.each(['json', 'ndjson'] as const)('%s, read with JSON.parse', async (format) => {
    await fc.assert(
      fc.asyncProperty(records, async (input) => {
        const { bytes } = await exportBytes(input, { format });
        const textOut = strictUtf8(bytes);
        const parsed =
          format === 'json'
            ? (JSON.parse(textOut) as unknown)
            : textOut
                .trim()
                .split('\n')
                .map((l) => JSON.parse(l) as unknown);
        expect(parsed).toEqual(jsonExpected(input));
      }),
      RUNS,
    );
  });

  it('PDF, read with pdf.js text extraction', async () => {
    // Scripts the bundled fonts cover and that read left to right, so text extracts verbatim.
    const alphabet = [
      ...'abcdefghijklmnopqrstuvwxyzABCXYZ0123456789 .,;:!?()-+=@"\'/&<>ÄÖÜäöüßéèçñøåŁłЖжЯяΩωλ日本語中文字テスト',
    ];
    const pdfText = fc.string({ unit: fc.constantFrom(...alphabet), maxLength: 24 });
    const pdfValue = fc.oneof(pdfText, fc.integer(), fc.boolean(), fc.constant(null));
    const pdfRecords = fc.array(fc.record({ a: pdfValue, b: pdfValue, c: pdfValue }), {
      minLength: 1,
      maxLength: 30,
    });
    const inputs = fc.sample(pdfRecords, { numRuns: 12, seed: 20240601 });
    const files = await Promise.all(
      inputs.map(async (input) => (await exportBytes(input, { format: 'pdf' })).bytes),
    );
    const extracted = await extractPdfText(files);
    const squash = (s: string): string => s.replace(/\s+/g, '');
    inputs.forEach((input, i) => {
      const textOut = squash((extracted[i]?.pages ?? []).join(''));
      let from = 0;
      for (const record of input) {
        const row = squash([record.a, record.b, record.c].map((v) => (v === null ? '' : String(v))).join(''));
        const at = textOut.indexOf(row, from);
        expect(at).toBeGreaterThanOrEqual(0);
        from = at + row.length;
      }
    });
  });
});
