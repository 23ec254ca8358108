import * as XLSX from 'xlsx';
import { isFormulaLike } from '../../../shared/formats/index';
import { TRUNCATION_MARKER } from '../../../shared/formats/xlsx/cellXml';
import { exportBytes, strictUtf8, wellFormed } from './helpers/exportBytes';
import { HOSTILE_STRINGS, hostileRecords } from './helpers/hostileValues';
import { extractPdfText } from '../../support/pdfText';
import { readCsv } from './helpers/readCsv';

// eslint-disable-next-line no-control-regex -- the characters XML 1.0 cannot carry
const XML_ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Texts of the hostile records' cells, header included, as a tabular writer meets them. */
function cellTexts(records: readonly Record<string, unknown>[]): string[] {
  const texts = ['=key'];
  for (const r of records) {
    const nested = r.nested as { inner: string };
    texts.push(r.text as string, r['=key'] as string, nested.inner);
  }
  return texts;
}

describe('hostile values', () => {
  const records = hostileRecords();
  const texts = cellTexts(records);
  const formulaCells = texts.filter((t) => isFormulaLike(wellFormed(t))).length;
  const illFormedCells = texts.filter((t) => wellFormed(t) !== t).length;

  it('when written as CSV, then nothing is formula-like, text survives and numbers stay numeric', async () => {
    const { bytes, result } = await exportBytes(records, { format: 'csv', bom: true });
    const rows = readCsv(strictUtf8(bytes));
    const [header, ...body] = rows;
    expect(header).toEqual(['id', 'text', "'=key", 'negative', 'ok', 'when', 'nested.inner']);
    expect(body).toHaveLength(HOSTILE_STRINGS.length);
    body.forEach((row, i) => {
      const original = wellFormed(HOSTILE_STRINGS[i] ?? '');
      const text = row[1] ?? '';
      expect(text).toBe(isFormulaLike(original) ? `'${original}` : original);
      for (const cellText of [row[1], row[2], row[6]]) expect(isFormulaLike(cellText ?? '')).toBe(false);
      expect(row[3]).toBe(String(-5 - i));
    });
    const counts = Object.fromEntries(result.warnings.map((w) => [w.code, w.count]));
    expect(counts).toEqual({ formula_neutralised: formulaCells, invalid_unicode_replaced: illFormedCells });
  });

  it.each(['json', 'ndjson'] as const)(
    'when written as %s, then it is valid UTF-8 and parses back to the records',
    async (format) => {
      const { bytes, result } = await exportBytes(records, { format });
      const text = strictUtf8(bytes);
      const parsed =
        format === 'json'
          ? (JSON.parse(text) as unknown[])
          : text
              .trim()
              .split('\n')
              .map((l) => JSON.parse(l) as unknown);
      const expected = JSON.parse(
        wellFormed(JSON.stringify(records)).replace(/\\ud[89a-f][0-9a-f]{2}/gi, '\uFFFD'),
      ) as unknown[];
      expect(parsed).toEqual(expected);
      // JSON.stringify escapes a lone surrogate as \udXXX: that is how a record shows one.
      const badRecords = records.filter((r) => /\\ud[89a-f][0-9a-f]{2}/i.test(JSON.stringify(r))).length;
      expect(badRecords).toBeGreaterThan(0);
      expect(result.warnings).toEqual([
        expect.objectContaining({ code: 'invalid_unicode_replaced', count: badRecords }),
      ]);
    },
  );

  it('when written as XLSX, then there is no formula, text reads back as text, long and illegal content is reported', async () => {
    const { bytes, result } = await exportBytes(records, { format: 'xlsx' });
    const wb = XLSX.read(bytes, { type: 'buffer', cellDates: true });
    const sheet = wb.Sheets[wb.SheetNames[0] ?? ''] ?? {};
    for (const [ref, value] of Object.entries(sheet)) {
      if (!ref.startsWith('!')) expect((value as XLSX.CellObject).f).toBeUndefined();
    }
    HOSTILE_STRINGS.forEach((raw, i) => {
      const cell = sheet[`B${i + 2}`] as XLSX.CellObject | undefined;
      let expected = wellFormed(raw).replace(XML_ILLEGAL, '');
      if (raw.length > 32_767)
        expected = expected.slice(0, 32_767 - TRUNCATION_MARKER.length) + TRUNCATION_MARKER;
      expect(cell).toMatchObject({ t: 's', v: expected });
      expect((sheet[`D${i + 2}`] as XLSX.CellObject | undefined)?.t).toBe('n');
    });
    expect(result.warnings.map((w) => w.code).sort()).toEqual([
      'cell_truncated',
      'formula_neutralised',
      'invalid_unicode_replaced',
      'xml_characters_removed',
    ]);
    // Formula-like text is marked, never changed: the values above are exactly the originals.
    expect(result.warnings.find((w) => w.code === 'formula_neutralised')?.count).toBe(formulaCells);
  });

  it('when written as PDF, then it renders without error and reports what it could not draw', async () => {
    const { bytes, result } = await exportBytes(records, {
      format: 'pdf',
      report: { title: '=HYPERLINK("x") report' },
    });
    const [pdf] = await extractPdfText([bytes]);
    const text = (pdf?.pages ?? []).join('\n');
    for (const visible of [
      '=HYPERLINK("http://x","y")',
      '+1+1',
      '@SUM(A1)',
      'Привет, мир',
      '中文字符',
      '_x000D_ literal escape',
    ]) {
      expect(text.replace(/\s+/g, '')).toContain(visible.replace(/\s+/g, ''));
    }
    expect(result.warnings.map((w) => w.code).sort()).toEqual([
      'glyph_missing',
      'invalid_unicode_replaced',
      'pdf_cell_clipped',
    ]);
  });

  it('when compressed, then every format still goes through', async () => {
    for (const format of ['csv', 'json', 'ndjson', 'xlsx', 'pdf'] as const) {
      const { result } = await exportBytes(records, { format, compression: true });
      expect(result.extension).toBe(`${format}.gz`);
      expect(result.rows).toBe(HOSTILE_STRINGS.length);
    }
  });
});
