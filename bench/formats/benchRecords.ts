import type { ExportRecord } from '../../shared/formats/records/recordSource';

/** Distinct records cycled through: enough that compressors see no repetition within their window. */
const POOL_SIZE = 10_000;

const FIRST_NAMES = [
  'Anna',
  'José',
  'Zoë',
  'Łukasz',
  'Émile',
  'Søren',
  'Ольга',
  '陈伟',
  'さくら',
  'محمد',
  'דוד',
  'Nguyễn',
];
const LAST_NAMES = [
  'Smith',
  "O'Brien",
  'Müller',
  'García',
  'Иванов',
  '田中',
  '김',
  'Haddad',
  'Cohen',
  'Dubois',
];
const STATUSES = ['draft', 'sent', 'paid', 'overdue', 'void'];
const CURRENCIES = ['EUR', 'USD', 'GBP', 'JPY', 'CHF'];
const NOTES = [
  'Delivered to loading bay 3, signed by "J. Doe", invoice attached',
  'Payment terms: 30 days, 2% discount if paid within 10 days',
  'Multi-line note:\nline two, with a comma\nline three "quoted"',
  'Заказ получен, оплата частями; спасибо',
  '請求書を添付しました。ご確認ください、よろしくお願いします',
  'Contains a tab\tand a semicolon; also €, ©, and ½',
  'تم استلام الطلب، شكرا لكم',
  'Simple note',
];

/** Small deterministic PRNG (mulberry32) so every run and every writer sees the same rows. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(items: readonly T[], r: () => number): T {
  const item = items[Math.floor(r() * items.length)];
  if (item === undefined) throw new Error('empty list');
  return item;
}

/** A record like a real export row: 12 fields of ids, emails, ISO dates, amounts and text. */
function makeRecord(i: number, r: () => number): ExportRecord {
  const first = pick(FIRST_NAMES, r);
  const last = pick(LAST_NAMES, r);
  const created = Date.UTC(2023, 0, 1) + Math.floor(r() * 700 * 86_400_000);
  const amount = Math.round(r() * 1_000_000) / 100;
  return {
    id: `doc_${(i * 2654435761).toString(16).padStart(8, '0')}-${i}`,
    invoice_number: `INV-${String(100000 + i)}`,
    customer_email: `${
      first
        .toLowerCase()
        .normalize('NFD')
        .replace(/[^a-z]/g, '') || 'user'
    }.${i}@example.com`,
    customer_name: `${first} ${last}`,
    created_at: new Date(created).toISOString(),
    due_date: new Date(created + 30 * 86_400_000).toISOString().slice(0, 10),
    amount,
    tax: Math.round(amount * 19) / 100,
    currency: pick(CURRENCIES, r),
    paid: r() < 0.5,
    status: pick(STATUSES, r),
    notes: pick(NOTES, r),
  };
}

export function recordPool(size = POOL_SIZE): readonly ExportRecord[] {
  const r = random(42);
  return Array.from({ length: size }, (_, i) => makeRecord(i, r));
}

/** `rows` records from the pool, produced lazily so input never holds the whole data set. */
export function* benchRecords(pool: readonly ExportRecord[], rows: number): Generator<ExportRecord> {
  for (let i = 0; i < rows; i++) {
    const record = pool[i % pool.length];
    if (record !== undefined) yield record;
  }
}
