import type { ReportContent } from '../../../shared/formats/index';
import { exportBytes } from './helpers/exportBytes';
import { extractPdfText } from '../../support/pdfText';

/** Whitespace-insensitive text: wrapping and item joins put spaces and newlines anywhere. */
function squash(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, '');
}

/** Right-to-left words come out in logical or visual order depending on the extractor's bidi guess. */
function containsEitherWay(text: string, word: string): boolean {
  const t = squash(text);
  const w = squash(word);
  return t.includes(w) || t.includes([...w].reverse().join(''));
}

const report: ReportContent = {
  title: 'Invoice INV-001 — Überblick',
  subtitle: 'Final deliverable',
  metadata: { document_type: 'invoice', extraction: { method: 'prebuilt-invoice', confidence: 0.97 } },
  sections: [
    { heading: 'Overview', body: 'Supplier Contoso billed 3 items.\nSecond line of the overview.' },
    { heading: 'Risks', body: ['Late payment risk is low.', 'Tabs\tare\tspaces here.'] },
    {
      heading: 'Financials',
      table: {
        headers: ['Figure', 'Amount'],
        rows: [
          ['Net total', 1234.5],
          ['VAT', 234.56],
        ],
      },
    },
  ],
  tableTitle: 'Line items',
  author: 'exportrail tests',
  generatedAt: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)),
};

describe('PDF', () => {
  it('when a report is written, then its title, metadata, sections, table and page numbers are extractable', async () => {
    const items = Array.from({ length: 150 }, (_, i) => ({
      sku: `SKU-${i}`,
      description: `Item number ${i}`,
      qty: i,
      price: i * 1.25,
    }));
    const { bytes, result } = await exportBytes(items, { format: 'pdf', report });
    expect(result).toMatchObject({
      rows: 150,
      records: 150,
      mime_type: 'application/pdf',
      extension: 'pdf',
      warnings: [],
    });
    expect(bytes.subarray(0, 8).toString('latin1')).toBe('%PDF-1.7');
    const [pdf] = await extractPdfText([bytes]);
    if (!pdf) throw new Error('no pdf');
    const first = pdf.pages[0] ?? '';
    for (const text of [
      'Invoice INV-001 — Überblick',
      'Final deliverable',
      'document_type',
      'invoice',
      'extraction.confidence',
      '0.97',
      'Overview',
      'Supplier Contoso billed 3 items.',
      'Second line of the overview.',
      'Risks',
      'Tabs are spaces here.',
      'Financials',
      'Figure Amount',
      'Net total 1234.5',
      'VAT 234.56',
      'Line items',
    ]) {
      expect(squash(first)).toContain(squash(text));
    }
    expect(pdf.pages.length).toBeGreaterThan(1);
    pdf.pages.forEach((page, i) => {
      expect(page).toContain('sku');
      expect(page).toContain('description');
      expect(squash(page)).toContain(squash(`Page ${i + 1} of ${pdf.pages.length}`));
    });
    const all = pdf.pages.join('\n');
    for (const item of items) expect(all).toContain(`${item.sku} `);
    expect(pdf.info).toMatchObject({ Title: report.title, Author: 'exportrail tests' });
  });

  it('when records are written without a report, then they make a plain table with the header on every page', async () => {
    const records = Array.from({ length: 400 }, (_, i) => ({
      id: `row-${i}`,
      amount: i / 4,
      paid: i % 2 === 0,
    }));
    const { bytes, result } = await exportBytes(records, { format: 'pdf' });
    expect(result.rows).toBe(400);
    const [pdf] = await extractPdfText([bytes]);
    const pages = pdf?.pages ?? [];
    expect(pages.length).toBeGreaterThan(3);
    for (const page of pages) expect(page).toMatch(/^id\s+amount\s+paid\s/);
    const ids = pages.join(' ').match(/row-\d+/g);
    expect(ids).toEqual(records.map((r) => r.id));
  });

  it('when text is in many scripts, then covered ones render and the others become counted placeholders', async () => {
    const values = [
      'Привет, мир',
      'Ελληνικά',
      'Zoë Łukasz Ångström',
      '中文字符 日本語テキスト',
      'مرحبا بالعالم',
      'שלום עולם',
      '한국어',
      'emoji 🧪',
    ];
    const { bytes, result } = await exportBytes(
      values.map((v, i) => ({ i, v })),
      { format: 'pdf' },
    );
    const [pdf] = await extractPdfText([bytes]);
    const text = pdf?.pages.join('\n') ?? '';
    for (const v of ['Привет, мир', 'Ελληνικά', 'Zoë Łukasz Ångström', '中文字符 日本語テキスト'])
      expect(squash(text)).toContain(squash(v));
    for (const word of ['مرحبا', 'بالعالم', 'שלום', 'עולם']) expect(containsEitherWay(text, word)).toBe(true);
    expect(text).toContain('\uFFFD\uFFFD\uFFFD');
    expect(result.warnings).toEqual([expect.objectContaining({ code: 'glyph_missing', count: 4 })]);
  });

  it('when a cell holds newlines, tabs and 40,000 characters, then it wraps, and the long one is cut and reported', async () => {
    const records = [{ note: 'first line\nsecond\tline' }, { note: 'y'.repeat(40_000) }, { note: 'after' }];
    const { bytes, result } = await exportBytes(records, { format: 'pdf' });
    const [pdf] = await extractPdfText([bytes]);
    const text = pdf?.pages.join('\n') ?? '';
    expect(text).toMatch(/first line\s*\n\s*second\s+line/);
    expect(text).toContain('…');
    expect(text).toContain('after');
    expect(result.warnings).toEqual([expect.objectContaining({ code: 'pdf_cell_clipped', count: 1 })]);
  });

  it('when a report section is very long, then it flows over pages instead of being cut', async () => {
    const body = Array.from({ length: 400 }, (_, i) => `Sentence ${i}.`).join(' ');
    const { bytes, result } = await exportBytes([], {
      format: 'pdf',
      report: { title: 'Long', sections: [{ heading: 'Overview', body }] },
    });
    const [pdf] = await extractPdfText([bytes]);
    expect(result.warnings).toEqual([]);
    expect(squash(pdf?.pages.join('') ?? '')).toContain(squash(body));
  });

  it('when there are no records, then a report has no table and a bulk file shows an empty table', async () => {
    const reportOnly = await exportBytes([], { format: 'pdf', report: { title: 'Only text' } });
    const bulk = await exportBytes([], {
      format: 'pdf',
      columns: { columns: [{ key: 'id' }, { key: 'name' }] },
    });
    const [a, b] = await extractPdfText([reportOnly.bytes, bulk.bytes]);
    expect(a?.pages).toHaveLength(1);
    expect(squash(a?.pages[0] ?? '')).toBe(squash('Only text Page 1 of 1'));
    expect(squash(b?.pages[0] ?? '')).toBe(squash('id name Page 1 of 1'));
  });

  it('when the same input is written twice, then the bytes are identical', async () => {
    const first = await exportBytes([{ a: '日本' }], { format: 'pdf', report });
    const second = await exportBytes([{ a: '日本' }], { format: 'pdf', report });
    expect(first.result.sha256).toBe(second.result.sha256);
  });
});
