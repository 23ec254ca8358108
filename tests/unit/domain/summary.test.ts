import { aiSummarySchema, summarizeLocally } from '../../../shared/domain/summary';

describe('summarizeLocally', () => {
  const invoice = {
    InvoiceId: 'INV-100',
    Currency: 'USD',
    SubTotal: 100,
    TotalTax: 10,
    AmountDue: 610,
    Notes: '',
    Items: [{ Amount: 60 }, { Amount: 30 }],
  };

  it('when given an invoice, then the five sections are valid and the overview quotes the amount due', () => {
    const summary = summarizeLocally({ document_type: 'invoice', file_name: 'inv.pdf', data: invoice });
    expect(aiSummarySchema.parse(summary)).toEqual(summary);
    expect(summary.overview).toContain('2 line item(s)');
    expect(summary.overview).toContain('AmountDue 610 USD');
    expect(summary.financials.map((f) => f.label)).toEqual(['SubTotal', 'TotalTax', 'AmountDue']);
  });

  it('when line items do not add up to the subtotal or a field is empty, then both are named as risks', () => {
    const summary = summarizeLocally({
      document_type: 'invoice',
      file_name: 'inv.pdf',
      data: invoice,
      extraction_confidence: 0.5,
    });
    expect(summary.risks).toEqual([
      'Extraction confidence is 50%: values may be misread.',
      '1 field(s) are empty: Notes.',
      'Line items add up to 90, but SubTotal is 100.',
    ]);
    expect(summary.recommendations).toContain('Reconcile the line items with the stated totals.');
  });

  it('when the document is a table upload, then its rows are the line items', () => {
    const table = {
      columns: ['sku', 'qty', 'price', 'note', 'x'],
      rows: [
        { sku: 'A', qty: 1 },
        { sku: 'B', qty: 2 },
      ],
    };
    expect(
      summarizeLocally({ document_type: 'inventory', file_name: 's.csv', data: table }).overview,
    ).toContain('2 line item(s)');
    const book = {
      sheets: [
        { name: 'S1', rows: [{ a: 1 }, { a: 2 }] },
        { name: 'S2', rows: [{ a: 3 }] },
      ],
    };
    expect(summarizeLocally({ document_type: 'sheet', file_name: 'b.xlsx', data: book }).overview).toContain(
      '3 line item(s)',
    );
  });

  it('when run twice on the same data, then the summary is identical (deterministic)', () => {
    const input = { document_type: 'invoice', file_name: 'inv.pdf', data: invoice };
    expect(summarizeLocally(input)).toEqual(summarizeLocally(input));
  });
});
