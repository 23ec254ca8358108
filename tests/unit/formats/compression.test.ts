import { gunzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { exportBytes } from './helpers/exportBytes';

describe('compression', () => {
  it.each(['csv', 'json', 'ndjson', 'xlsx', 'pdf'] as const)(
    'when %s is compressed, then it gunzips to the uncompressed file and the hash is of the gzip bytes',
    async (format) => {
      const records = Array.from({ length: 50 }, (_, i) => ({ i, s: `value ${i}` }));
      const plain = await exportBytes(records, { format });
      const gz = await exportBytes(records, { format, compression: true });
      expect(gunzipSync(gz.bytes).equals(plain.bytes)).toBe(true);
      expect(gz.result).toMatchObject({
        mime_type: 'application/gzip',
        extension: `${format}.gz`,
        bytes: gz.bytes.length,
      });
      expect(gz.result.sha256).toBe(createHash('sha256').update(gz.bytes).digest('hex'));
    },
  );
});
