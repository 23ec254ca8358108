import { ZipArchive } from '../../../shared/formats/xlsx/zipArchive';
import { readZip } from './helpers/zipReader';

async function archive(zip64Threshold?: number): Promise<Buffer> {
  const zip = new ZipArchive({ zip64Threshold });
  const parts: Buffer[] = [...zip.addFile('a.txt', 'small file')];
  const entry = zip.openEntry('big/b.txt');
  for (let i = 0; i < 5; i++) parts.push(...(await entry.write(Buffer.from(`chunk ${i} `.repeat(5000)))));
  parts.push(...(await entry.finish()), ...zip.finish());
  return Buffer.concat(parts);
}

describe('zip archive', () => {
  it('when entries are streamed, then sizes and CRCs check out', async () => {
    const bytes = await archive();
    const entries = readZip(bytes);
    expect(entries.map((e) => [e.name, e.content.length])).toEqual([
      ['a.txt', 10],
      ['big/b.txt', 5 * 5000 * 8],
    ]);
  });

  it('when sizes or offsets pass the ZIP64 threshold, then ZIP64 records describe them', async () => {
    // The real threshold is 4 GiB; a tiny one exercises the same code path.
    const bytes = await archive(16);
    const entries = readZip(bytes);
    expect(entries.map((e) => e.name)).toEqual(['a.txt', 'big/b.txt']);
    expect(bytes.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(true);
    expect(entries[1]?.content.toString().startsWith('chunk 0 ')).toBe(true);
  });
});
