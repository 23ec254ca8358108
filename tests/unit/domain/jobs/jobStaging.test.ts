import {
  blockId,
  bodyBlockIds,
  fileBlockIds,
  stagedLines,
  stagedRecords,
  startingProgress,
} from '../../../../shared/domain/jobs';

const decoded = (id: string) => Buffer.from(id, 'base64').toString('utf8');

async function readAll(chunks: Uint8Array[]): Promise<Record<string, unknown>[][]> {
  async function* source() {
    yield* chunks;
  }
  const batches: Record<string, unknown>[][] = [];
  for await (const batch of stagedRecords(source())) batches.push(batch);
  return batches;
}

describe('block ids', () => {
  it('when ids are made for header, footer and body blocks, then all have one length and none repeats', () => {
    const ids = [
      blockId('header'),
      blockId('footer'),
      blockId({ typeIndex: 0, batchIndex: 0 }),
      blockId({ typeIndex: 1, batchIndex: 999_999 }),
    ];
    expect(new Set(ids.map((id) => id.length)).size).toBe(1);
    expect(new Set(ids).size).toBe(ids.length);
    expect(decoded(ids[3] ?? '')).toBe('t1-b999999');
  });

  it('when a job wrote batches of two types, then the body blocks come type by type, batch by batch', () => {
    const checkpoint = {
      ...startingProgress(['documents', 'export_tracking']).checkpoint,
      batches_done: [2, 1],
    };
    expect(bodyBlockIds(checkpoint).map(decoded)).toEqual(['t0-b000000', 't0-b000001', 't1-b000000']);
  });

  it('when the format has a header and a footer, then they frame the body; when not, they are left out', () => {
    const checkpoint = { ...startingProgress(['documents']).checkpoint, batches_done: [1] };
    expect(fileBlockIds(checkpoint, { header: true, footer: true }).map(decoded)).toEqual([
      'hd-0000000',
      't0-b000000',
      'ft-0000000',
    ]);
    expect(fileBlockIds(checkpoint, { header: false, footer: false }).map(decoded)).toEqual(['t0-b000000']);
  });

  it('when nothing was written, then the file is its framing alone', () => {
    const checkpoint = startingProgress(['documents']).checkpoint;
    expect(fileBlockIds(checkpoint, { header: true, footer: false }).map(decoded)).toEqual(['hd-0000000']);
  });
});

describe('staged NDJSON', () => {
  const records = [
    { id: 'a', name: 'Ünïcødé 株式会社' },
    { id: 'b', note: 'line one\nline two' },
  ];

  it('when a batch is staged and read back in one chunk, then the same records come back', async () => {
    expect(await readAll([stagedLines(records)])).toEqual([records]);
  });

  it('when a multi-byte character straddles two chunks, then it is decoded whole', async () => {
    const bytes = stagedLines(records);
    const split = bytes.indexOf(Buffer.from('株')) + 1;
    const batches = await readAll([bytes.subarray(0, split), bytes.subarray(split)]);
    expect(batches.flat()).toEqual(records);
  });

  it('when the last line has no newline, then its record is still read', async () => {
    expect(await readAll([Buffer.from('{"id":"a"}\n{"id":"b"}')])).toEqual([[{ id: 'a' }], [{ id: 'b' }]]);
  });

  it('when chunks hold blank lines or no complete line, then no empty batch is yielded', async () => {
    expect(await readAll([Buffer.from('\n\n{"id":'), Buffer.from('"a"}\n'), Buffer.from('')])).toEqual([
      [{ id: 'a' }],
    ]);
  });

  it('when nothing was staged, then nothing is read', async () => {
    expect(await readAll([stagedLines([])])).toEqual([]);
  });
});
