import { exportBytes, strictUtf8, wellFormed } from './helpers/exportBytes';

describe('JSON and NDJSON', () => {
  const records = [
    { id: 1, nested: { a: [1, 2], b: null }, when: new Date(Date.UTC(2024, 0, 2)), ok: true },
    { id: 2, text: 'line\nbreak "quoted" 日本' },
  ];
  const asJson = JSON.parse(JSON.stringify(records)) as unknown[];

  it('when written as json, then the file is a JSON array of the records, structure kept', async () => {
    const { bytes, result } = await exportBytes(records, { format: 'json' });
    expect(JSON.parse(strictUtf8(bytes))).toEqual(asJson);
    expect(result).toMatchObject({ rows: 2, records: 2, mime_type: 'application/json', extension: 'json' });
  });

  it('when metadata is included, then it comes first and the record count last', async () => {
    const { bytes } = await exportBytes(records, {
      format: 'json',
      includeMetadata: { job_id: 'j1', filters: { type: 'invoice' } },
    });
    const parsed = JSON.parse(bytes.toString()) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['metadata', 'records', 'record_count']);
    expect(parsed).toEqual({
      metadata: { job_id: 'j1', filters: { type: 'invoice' } },
      records: asJson,
      record_count: 2,
    });
  });

  it('when written as ndjson, then each line is one record', async () => {
    const { bytes, result } = await exportBytes(records, { format: 'ndjson' });
    const lines = bytes.toString().split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual(asJson);
    expect(result).toMatchObject({ mime_type: 'application/x-ndjson', extension: 'ndjson' });
  });

  it.each(['json', 'ndjson'] as const)(
    'when %s input has lone surrogates, then the output is valid UTF-8 with U+FFFD',
    async (format) => {
      const input = [{ 'key\uD800': 'a\uDC00b', list: ['\uD83D', 'ok 😀'] }];
      const { bytes } = await exportBytes(input, { format });
      const text = strictUtf8(bytes);
      expect(text).not.toMatch(/\\ud[89a-f]/i);
      const parsed = (format === 'json' ? JSON.parse(text) : JSON.parse(text.trim())) as unknown;
      const expected = { [wellFormed('key\uD800')]: wellFormed('a\uDC00b'), list: ['\uFFFD', 'ok 😀'] };
      expect(parsed).toEqual(format === 'json' ? [expected] : expected);
    },
  );

  it('when values cannot be serialised by JSON.stringify, then they are converted instead of throwing', async () => {
    const cyclic: Record<string, unknown> = { id: 1, big: 2n ** 70n };
    cyclic.self = cyclic;
    const { bytes } = await exportBytes([cyclic], { format: 'json' });
    expect(JSON.parse(bytes.toString())).toEqual([
      { id: 1, big: '1180591620717411303424', self: '[Circular]' },
    ]);
  });

  it('when there are no records, then json is an empty array and ndjson is empty', async () => {
    expect(JSON.parse((await exportBytes([], { format: 'json' })).bytes.toString())).toEqual([]);
    expect((await exportBytes([], { format: 'json', includeMetadata: { a: 1 } })).bytes.toString()).toBe(
      '{"metadata":{"a":1},"records":[],"record_count":0}\n',
    );
    expect((await exportBytes([], { format: 'ndjson' })).bytes.length).toBe(0);
  });
});
