import { z } from 'zod';
import type { Json } from './changes';

/**
 * The five-section summary (README: The export workflow, stage 1). The same schema validates the model's output: it is
 * untrusted text, so sizes are bounded and nothing in it is ever executed or rendered as markup.
 */
export const aiSummarySchema = z.object({
  overview: z.string().min(1).max(4000),
  key_fields: z.array(z.object({ field: z.string().min(1).max(200), value: z.string().max(2000) })).max(60),
  financials: z
    .array(
      z.object({
        label: z.string().min(1).max(200),
        amount: z.number().finite(),
        currency: z.string().max(8).optional(),
      }),
    )
    .max(60),
  risks: z.array(z.string().min(1).max(1000)).max(20),
  recommendations: z.array(z.string().min(1).max(1000)).max(20),
});
export type AiSummary = z.infer<typeof aiSummarySchema>;

export interface SummaryInput {
  document_type: string;
  file_name: string;
  extraction_confidence?: number;
  data: Json;
}

const moneyName = /(amount|total|subtotal|tax|price|cost|due|balance|fee|paid)/i;
const currencyName = /currency/i;

interface Leaf {
  path: string;
  value: Json;
}

function leaves(value: Json, path: string, out: Leaf[]): Leaf[] {
  if (Array.isArray(value)) value.forEach((v, i) => leaves(v, `${path}[${i}]`, out));
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) leaves(v, path ? `${path}.${k}` : k, out);
  } else out.push({ path, value });
  return out;
}

const display = (value: Json): string => (typeof value === 'string' ? value : JSON.stringify(value));

const isObject = (v: Json): v is { [key: string]: Json } =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The document's line items: a table's rows, every sheet's rows, or its largest array of objects. */
function lineItems(data: Json): Json[] {
  if (Array.isArray(data)) return data;
  if (!isObject(data)) return [];
  if (Array.isArray(data.rows)) return data.rows;
  if (Array.isArray(data.sheets))
    return data.sheets.flatMap((sheet) => (isObject(sheet) && Array.isArray(sheet.rows) ? sheet.rows : []));
  const arrays = Object.values(data).filter((v): v is Json[] => Array.isArray(v) && v.some(isObject));
  return arrays.sort((a, b) => b.length - a.length)[0] ?? [];
}

/** The amount a reader looks for first: the total due, not a subtotal. */
function headlineAmount<T extends { label: string }>(financials: T[]): T | undefined {
  const name = (f: T) => f.label.replace(/[^a-z]/gi, '').toLowerCase();
  return (
    financials.find((f) =>
      ['amountdue', 'invoicetotal', 'grandtotal', 'total', 'totalamount'].includes(name(f)),
    ) ?? financials.find((f) => /total|due/i.test(f.label) && !/sub|tax/i.test(f.label))
  );
}

/**
 * The deterministic local summarizer: the same five sections, built from the extracted data
 * alone, so the product works offline. Records say so (`model: "local-summarizer"`).
 */
export function summarizeLocally(input: SummaryInput): AiSummary {
  const all = leaves(input.data, '', []);
  const topLevel = all.filter((l) => !l.path.includes('[') && !l.path.includes('.'));
  const items = lineItems(input.data);
  const currency = all.find((l) => currencyName.test(l.path) && typeof l.value === 'string')?.value;
  const financials = all
    .filter((l) => typeof l.value === 'number' && moneyName.test(l.path) && !l.path.includes('['))
    .slice(0, 60)
    .map((l) => ({
      label: l.path,
      amount: l.value as number,
      ...(typeof currency === 'string' ? { currency } : {}),
    }));
  const empty = all.filter((l) => l.value === null || l.value === '');

  const risks: string[] = [];
  if (input.extraction_confidence !== undefined && input.extraction_confidence < 0.8) {
    risks.push(
      `Extraction confidence is ${Math.round(input.extraction_confidence * 100)}%: values may be misread.`,
    );
  }
  if (empty.length > 0)
    risks.push(
      `${empty.length} field(s) are empty: ${empty
        .slice(0, 5)
        .map((l) => l.path)
        .join(', ')}.`,
    );
  if (financials.length === 0) risks.push('No monetary amounts were found.');
  const itemAmounts = items
    .map((item) =>
      typeof item === 'object' && item !== null && !Array.isArray(item)
        ? (item.amount ?? item.Amount)
        : undefined,
    )
    .filter((v): v is number => typeof v === 'number');
  const subtotal = financials.find((f) => /subtotal/i.test(f.label));
  if (subtotal && itemAmounts.length > 0) {
    const sum = itemAmounts.reduce((a, b) => a + b, 0);
    if (Math.abs(sum - subtotal.amount) > 0.005) {
      risks.push(`Line items add up to ${sum}, but ${subtotal.label} is ${subtotal.amount}.`);
    }
  }

  const recommendations = [
    ...(empty.length > 0 ? ['Fill in or confirm the empty fields before sharing the export.'] : []),
    ...(risks.some((r) => r.startsWith('Line items'))
      ? ['Reconcile the line items with the stated totals.']
      : []),
    ...(input.extraction_confidence !== undefined && input.extraction_confidence < 0.8
      ? ['Compare the extracted values with the original document.']
      : []),
    'Review the key fields and correct anything misread before the final export.',
  ];

  const money = headlineAmount(financials);
  return {
    overview:
      `${input.document_type} "${input.file_name}": ${all.length} extracted value(s)` +
      (items.length > 0 ? `, ${items.length} line item(s)` : '') +
      (money ? `; ${money.label} ${money.amount}${money.currency ? ` ${money.currency}` : ''}` : '') +
      '.',
    key_fields: topLevel.slice(0, 60).map((l) => ({ field: l.path, value: display(l.value).slice(0, 2000) })),
    financials,
    risks: risks.slice(0, 20),
    recommendations: recommendations.slice(0, 20),
  };
}
