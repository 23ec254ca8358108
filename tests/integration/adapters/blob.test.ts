import { text } from 'node:stream/consumers';
import { BlobStore } from '../../../shared/adapters/blob';
import { loadConfig } from '../../../shared/config';

const store = new BlobStore(loadConfig(process.env).blob);

beforeAll(() => store.provision());

describe('BlobStore', () => {
  it('when a file is put, then it reads back with its content type', async () => {
    await store.put('exports', 'ana@x.io/w1/report.csv', Buffer.from('a,b\r\n1,2\r\n'), 'text/csv');
    const blob = await store.get('exports', 'ana@x.io/w1/report.csv');
    expect(blob.contentType).toBe('text/csv');
    expect(await text(blob.stream)).toBe('a,b\r\n1,2\r\n');
  });

  it('when a file is missing, then a 404 not_found error', async () => {
    await expect(store.get('exports', 'nobody/nothing.csv')).rejects.toMatchObject({ status: 404 });
  });

  it('when a read URL is made, then it downloads the file for up to 15 minutes and cannot write', async () => {
    await store.put('exports', 'ana@x.io/w2/out.json', Buffer.from('[1]'), 'application/json');
    const url = new URL(await store.readUrl('exports', 'ana@x.io/w2/out.json', 60));
    expect(url.searchParams.get('sp')).toBe('r');
    const lifetimeMs = Date.parse(url.searchParams.get('se') ?? '') - Date.now();
    expect(lifetimeMs).toBeLessThanOrEqual(15 * 60_000);
    expect(await (await fetch(url)).text()).toBe('[1]');
    const write = await fetch(url, { method: 'PUT', body: 'x', headers: { 'x-ms-blob-type': 'BlockBlob' } });
    expect(write.status).toBe(403);
  });

  it('when a file is deleted, then it is gone and deleting again is harmless', async () => {
    await store.put('documents', 'ana@x.io/d1', Buffer.from('x'), 'text/plain');
    await store.delete('documents', 'ana@x.io/d1');
    await store.delete('documents', 'ana@x.io/d1');
    await expect(store.get('documents', 'ana@x.io/d1')).rejects.toMatchObject({ status: 404 });
  });
});
