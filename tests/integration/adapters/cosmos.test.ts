import { CosmosClient } from '@azure/cosmos';
import { randomUUID } from 'node:crypto';
import { CosmosStore, exportTrackingTtlSeconds } from '../../../shared/adapters/cosmos';
import type { OwnedRecord } from '../../../shared/ports/records';
import { loadConfig } from '../../../shared/config';
import { AppError } from '../../../shared/core/errors';

/** Each test file gets its own database on the shared emulator. */
const config = loadConfig({ ...process.env, COSMOS_DATABASE: `adapters_${randomUUID().slice(0, 8)}` });
const store = new CosmosStore(config.cosmos);

beforeAll(() => store.provision());
afterAll(() => store.dispose());

interface Note extends OwnedRecord {
  text: string;
  timestamp: string;
}

describe('CosmosStore', () => {
  it('when provisioned twice, then it is idempotent and export_tracking carries the 30-day TTL and indexes', async () => {
    await store.provision();
    if (config.cosmos.kind !== 'key') throw new Error('tests run on the emulator');
    const client = new CosmosClient({
      endpoint: config.cosmos.endpoint,
      key: config.cosmos.key,
      connectionPolicy: { enableEndpointDiscovery: false },
    });
    const { resource } = await client.database(config.cosmos.database).container('export_tracking').read();
    expect(resource?.defaultTtl).toBe(exportTrackingTtlSeconds);
    expect(resource?.partitionKey?.paths).toEqual(['/owner_email']);
    const paths = resource?.indexingPolicy?.includedPaths?.map((p) => p.path) ?? [];
    expect(paths).toEqual(
      expect.arrayContaining(['/document_id/?', '/stage/?', '/timestamp/?', '/status/?']),
    );
    expect(resource?.indexingPolicy?.compositeIndexes?.[0]?.map((p) => p.path)).toEqual([
      '/owner_email',
      '/timestamp',
    ]);
    const { resources } = await client.database(config.cosmos.database).containers.readAll().fetchAll();
    expect(resources.map((c) => c.id).sort()).toEqual([
      'documents',
      'export_jobs',
      'export_schedules',
      'export_tracking',
    ]);
    client.dispose();
  });

  it('when two owners store records, then each reads and queries only their own', async () => {
    const notes = store.container<Note>('documents');
    await notes.create({ id: 'n1', owner_email: 'ana@x.io', text: 'ana', timestamp: '2026-01-01' });
    await notes.create({ id: 'n2', owner_email: 'bob@x.io', text: 'bob', timestamp: '2026-01-02' });

    expect((await notes.read('ana@x.io', 'n1'))?.text).toBe('ana');
    expect(await notes.read('ana@x.io', 'n2')).toBeUndefined();
    const page = await notes.query('ana@x.io', { limit: 10 });
    expect(page.items.map((n) => n.id)).toEqual(['n1']);
  });

  it('when a record id is reused, then a Conflict (409) is raised', async () => {
    const notes = store.container<Note>('documents');
    await notes.create({ id: 'dup', owner_email: 'ana@x.io', text: 'a', timestamp: 't' });
    await expect(
      notes.create({ id: 'dup', owner_email: 'ana@x.io', text: 'b', timestamp: 't' }),
    ).rejects.toMatchObject({
      status: 409,
      code: 'conflict',
    });
  });

  it('when a conditional replace follows another write, then it is a Conflict and the other write stays', async () => {
    const notes = store.container<Note>('documents');
    const read = await notes.create({ id: 'cas', owner_email: 'ana@x.io', text: 'first', timestamp: 't' });
    const mine = await notes.replaceIfUnchanged({ ...read, text: 'second' });
    expect(mine.text).toBe('second');
    // `read` holds the ETag before the write above: replacing over it must lose.
    await expect(notes.replaceIfUnchanged({ ...read, text: 'stale' })).rejects.toMatchObject({
      status: 409,
      code: 'conflict',
    });
    expect((await notes.read('ana@x.io', 'cas'))?.text).toBe('second');
  });

  it('when a conditional replace finds the record deleted, then it is a NotFound and nothing comes back', async () => {
    const notes = store.container<Note>('documents');
    const read = await notes.create({ id: 'gone', owner_email: 'ana@x.io', text: 'x', timestamp: 't' });
    expect(await notes.delete('ana@x.io', 'gone')).toBe(true);
    const error: unknown = await notes.replaceIfUnchanged({ ...read, text: 'y' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status: 404, code: 'not_found' });
    expect(await notes.read('ana@x.io', 'gone')).toBeUndefined();
  });

  it('when a conditional replace is given a record without an ETag, then it is refused and nothing is written', async () => {
    const notes = store.container<Note>('documents');
    const stored = await notes.create({
      id: 'tagless',
      owner_email: 'ana@x.io',
      text: 'kept',
      timestamp: 't',
    });
    const withoutEtag: Note = { ...stored };
    delete withoutEtag._etag;
    await expect(notes.replaceIfUnchanged({ ...withoutEtag, text: 'blind' })).rejects.toThrow(/_etag/);
    await expect(
      notes.replaceIfUnchanged({ id: 'never-read', owner_email: 'ana@x.io', text: 'new', timestamp: 't' }),
    ).rejects.toThrow(/_etag/);
    expect((await notes.read('ana@x.io', 'tagless'))?.text).toBe('kept');
    expect(await notes.read('ana@x.io', 'never-read')).toBeUndefined();
  });

  it('when a query filters with parameters and orders, then values are bound, not concatenated', async () => {
    const notes = store.container<Note>('export_tracking');
    for (const [i, text] of ["o'brien", 'x', "o'brien"].entries()) {
      await notes.create({ id: `q${i}`, owner_email: 'carl@x.io', text, timestamp: `2026-01-0${i + 1}` });
    }
    const page = await notes.query('carl@x.io', {
      where: 'c.text = @text',
      parameters: [{ name: '@text', value: "o'brien" }],
      orderBy: 'c.timestamp DESC',
      limit: 10,
    });
    expect(page.items.map((n) => n.id)).toEqual(['q2', 'q0']);
  });

  it('when Cosmos cannot be reached, then the error is a 503 dependency_unavailable', async () => {
    const down = new CosmosStore({
      kind: 'key',
      endpoint: 'http://127.0.0.1:9/',
      key: 'a2V5',
      database: 'x',
    });
    const error: unknown = await down.provision().catch((e: unknown) => e);
    down.dispose();
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status: 503, code: 'dependency_unavailable' });
  });
});
