import { gunzipSync } from 'node:zlib';
import type { PartedExportOptions } from '../../../shared/formats/index';
import {
  ExportFormatError,
  collect,
  inferColumnModel,
  writeExportBody,
  writeExportFooter,
  writeExportHeader,
} from '../../../shared/formats/index';
import { exportBytes } from './helpers/exportBytes';

const records = Array.from({ length: 23 }, (_, i) => ({
  id: i,
  name: i % 5 === 0 ? '=cmd' : `name ${i}`,
  customer: { email: `c${i}@example.com` },
  lines: i % 3 === 0 ? [] : [{ sku: `s${i}`, qty: i }],
}));

/** What a bulk job does: header part, one body part per batch, footer part, concatenated. */
async function writeInParts(options: PartedExportOptions, batchSize: number): Promise<Buffer> {
  const parts: Buffer[] = [(await collect(writeExportHeader(options))).bytes];
  let written = 0;
  for (let start = 0; start < records.length; start += batchSize) {
    const batch = records.slice(start, start + batchSize);
    const { bytes, result } = await collect(writeExportBody(batch, options, { recordsBefore: written }));
    expect(result.records).toBe(batch.length);
    written += batch.length;
    parts.push(bytes);
  }
  parts.push((await collect(writeExportFooter(options, { records: written }))).bytes);
  return Buffer.concat(parts);
}

describe('files written in parts', () => {
  const columns = inferColumnModel(records.slice(0, 10));

  it.each([
    ['csv', { format: 'csv', columns, bom: true }],
    ['json', { format: 'json' }],
    ['json with metadata', { format: 'json', includeMetadata: { job_id: 'j' } }],
    ['ndjson', { format: 'ndjson' }],
  ] as const)(
    'when %s parts are concatenated, then the file equals the one written in one go',
    async (_name, options) => {
      const whole = await exportBytes(records, { ...options });
      for (const batchSize of [1, 7, 100]) {
        expect((await writeInParts(options, batchSize)).toString()).toBe(whole.bytes.toString());
      }
    },
  );

  it('when parts are gzipped, then the concatenated members decompress to the same file', async () => {
    const options = { format: 'csv', columns } as const;
    const plain = await writeInParts(options, 7);
    const gzipped = await writeInParts({ ...options, compression: true }, 7);
    expect(gunzipSync(gzipped).equals(plain)).toBe(true);
  });

  it('when the column model travels as JSON, then parts still agree (it is plain data)', async () => {
    const travelled = JSON.parse(JSON.stringify(columns)) as typeof columns;
    const a = await writeInParts({ format: 'csv', columns }, 5);
    const b = await writeInParts({ format: 'csv', columns: travelled }, 5);
    expect(b.equals(a)).toBe(true);
  });

  it('when a CSV part has no column model, then it is refused', () => {
    expect(() => writeExportHeader({ format: 'csv' })).toThrow(ExportFormatError);
  });
});
