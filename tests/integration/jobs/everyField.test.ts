import fc from 'fast-check';
import { buffer } from 'node:stream/consumers';
import Papa from 'papaparse';
import ExcelJS from 'exceljs';
import { newUser } from '../../support/invoke';
import { startHarness, type DurableHarness } from '../durable/harness';

/**
 * Property: whatever fields records have, wherever in the stream a field first appears (only in
 * the last record, say), nested or not, a job's CSV, XLSX and JSON hold every field of every
 * record with the same text, and the job's counts say so. Runs the real orchestration and
 * activities on the emulators. The generated records follow 250 plain ones, in batches of 50, so
 * their fields first appear batches after the first and past any sample a writer reads ahead.
 * About 16 s on an idle machine; the timeout leaves room for a loaded one.
 */
const plainRecords = 250;
let harness: DurableHarness;
let services: Awaited<ReturnType<typeof import('../../../shared/app/compositionRoot').readyServices>>;

beforeAll(async () => {
  await import('../../../functions/bulkExport');
  services = await (await import('../../../shared/app/compositionRoot')).readyServices();
  harness = await startHarness();
}, 60_000);

afterAll(() => harness?.close());

type Leaf = string | number | boolean;
type Data = { [field: string]: Leaf | Data };

/** Text a user would type: plain words, unicode from several scripts, never a formula's first character. */
const text = fc.oneof(
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ,."]{0,15}$/),
  fc.constantFrom('Zürich', '東京都', 'Ελλάδα', 'مرحبا', 'naïve café', '😀 ok', 'Ñandú', 'Ölçü'),
);
const leaf: fc.Arbitrary<Leaf> = fc.oneof(
  text,
  fc.stringMatching(/^0[0-9]{1,9}$/), // leading zeros: a ZIP code, an account number
  fc.bigInt({ min: 10n ** 16n, max: 10n ** 24n }).map(String), // integers no double holds
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.integer({ min: -100_000, max: 100_000 }).map((n) => n / 100),
  fc.boolean(),
);
const fieldName = fc.constantFrom('zip', 'sku', 'account', 'amount', 'note', 'paid', 'städte', '名前');
const nested: fc.Arbitrary<Data> = fc.dictionary(fieldName, leaf, { minKeys: 1, maxKeys: 3 });
const data: fc.Arbitrary<Data> = fc.dictionary(fieldName, fc.oneof(leaf, nested), { maxKeys: 5 });

/** Records of which some carry fields no earlier record had: `late` appear in the last ones only. */
const records = fc
  .tuple(fc.array(data, { minLength: 1, maxLength: 30 }), fc.array(data, { minLength: 1, maxLength: 2 }))
  .map(([early, late]) => [
    ...early,
    ...late.map((d, i) => ({ ...d, [`late_${i}`]: { first_seen: `only in record ${early.length + i}` } })),
  ]);

/** Every leaf under `prefix` as dotted path → value. */
function leaves(value: Data, prefix: string): [string, Leaf][] {
  return Object.entries(value).flatMap(([key, child]) =>
    typeof child === 'object'
      ? leaves(child, `${prefix}.${key}`)
      : [[`${prefix}.${key}`, child] as [string, Leaf]],
  );
}

/** The first sheet's rows as header → value, read by exceljs (an independent reader of ours). */
async function xlsxRowsOf(bytes: Buffer): Promise<Record<string, unknown>[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(new Uint8Array(bytes).buffer);
  const sheet = workbook.worksheets[0];
  if (!sheet) return [];
  const header = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
  const rows: Record<string, unknown>[] = [];
  sheet.eachRow((row, number) => {
    if (number === 1) return;
    const values = row.values as unknown[];
    rows.push(Object.fromEntries(header.map((name, i) => [name, values[i + 1]])));
  });
  return rows;
}

async function runJob(owner: string, format: string) {
  const { jobRequestSchema } = await import('../../../shared/domain/jobs');
  const request = jobRequestSchema.parse({ data_types: ['documents'], format, batch_size: 50 });
  const job = await services.exportJobs.create({ email: owner }, request, { now: new Date() });
  await harness.client.startNew('bulkExport', {
    instanceId: job.job_id,
    input: { owner_email: owner, job_id: job.job_id },
  });
  await harness.fireAllTimers();
  const done = await services.exportJobs.get({ email: owner }, job.job_id);
  if (!done.file) throw new Error(`job ${done.job_id} ended ${done.status}: ${done.error_message ?? ''}`);
  const bytes = await buffer((await services.blob.get(done.target.container, done.file.blob_path)).stream);
  return { done, bytes };
}

describe('every field of every record', () => {
  it('when records carry fields at random places in the stream, then CSV, XLSX and JSON hold each with its text and the counts agree', async () => {
    const { reconciliationOf } = await import('../../../shared/domain/jobs');
    await fc.assert(
      fc.asyncProperty(records, async (generated) => {
        const owner = newUser('fields');
        const documents = services.cosmos.container('documents');
        const all: Data[] = [...Array.from({ length: plainRecords }, (_, i) => ({ plain: i })), ...generated];
        const ids = all.map((_, i) => `doc-${String(i).padStart(3, '0')}`);
        await Promise.all(
          all.map((extracted_data, i) =>
            documents.create({
              id: ids[i] ?? '',
              document_id: ids[i] ?? '',
              owner_email: owner,
              file_name: `d${i}.json`,
              document_type: 'invoice',
              status: 'extracted',
              extracted_data,
              created_at: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
            }),
          ),
        );
        const expected = all.map((d) => leaves(d, 'extracted_data'));

        const csv = await runJob(owner, 'csv');
        const csvRows = Papa.parse<Record<string, string>>(csv.bytes.toString('utf8'), {
          header: true,
          skipEmptyLines: true,
        }).data;
        const xlsx = await runJob(owner, 'xlsx');
        const xlsxRows = await xlsxRowsOf(xlsx.bytes);
        const json = await runJob(owner, 'json');
        const jsonRows = JSON.parse(json.bytes.toString('utf8')) as { extracted_data: Data }[];

        expect(csvRows.map((r) => r.document_id)).toEqual(ids);
        expect(xlsxRows.map((r) => r.document_id)).toEqual(ids);
        expect(jsonRows.map((r) => r.extracted_data)).toEqual(all);
        expected.forEach((fields, i) => {
          for (const [path, value] of fields) {
            expect([ids[i], path, csvRows[i]?.[path]]).toEqual([ids[i], path, String(value)]);
            expect([ids[i], path, String(xlsxRows[i]?.[path])]).toEqual([ids[i], path, String(value)]);
          }
        });
        for (const { done } of [csv, xlsx, json]) {
          expect(done.status).toBe('completed');
          expect(reconciliationOf(done)).toEqual({
            documents: { records_matched: all.length, rows_written: all.length },
          });
          expect(done.file?.rows).toBe(all.length);
        }
      }),
      // Fixed seed: CI runs the same four generated streams every time (each runs three jobs, so
      // a new seed per run cost minutes on a slow core). Change it to explore other streams.
      { numRuns: 4, seed: 20261202 },
    );
  }, 240_000);
});
