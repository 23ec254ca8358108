import { apiClient } from '../support/api';
import { newUser } from '../support/invoke';
import { startHost, type RunningHost } from '../support/localHost';
import { authHeaders } from '../support/principal';
import { xlsxContentType } from '../../shared/services/extraction';
import {
  gridLinkWorkbook,
  ordinaryWorkbook,
  ordinaryWorkbookData,
  styledEmptyWorkbook,
  zeroBombWorkbook,
} from '../unit/services/uploadParsing/hostileFiles';

/**
 * Hostile uploads against the compiled local host (`npm start`), on the jest run's emulators:
 * while one is extracted, everyone else's requests keep answering, and the hostile one ends with
 * a 422 naming its limit, leaving nothing recorded.
 */
let host: RunningHost;

beforeAll(async () => {
  // A 3 s deadline keeps the slow case short; a heap larger than it needs makes the deadline,
  // not the memory limit, the one it meets, so the limit it names is known.
  host = await startHost({ UPLOAD_PARSE_DEADLINE_MS: '3000', UPLOAD_PARSE_MEMORY_MB: '1024' });
}, 90_000);
afterAll(async () => {
  await host?.stop();
});

/** How long one request takes to answer, with its status. */
async function timed(request: () => Promise<{ status: number }>) {
  const started = Date.now();
  const { status } = await request();
  return { status, ms: Date.now() - started };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Uploads an XLSX as `email` and answers its document id. */
async function uploadXlsx(email: string, bytes: Buffer): Promise<string> {
  const response = await fetch(`${host.url}/api/v1/docs?file_name=book.xlsx&document_type=table`, {
    method: 'POST',
    headers: { ...authHeaders(email), 'content-type': xlsxContentType },
    body: bytes,
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { document_id: string }).document_id;
}

describe('hostile uploads', () => {
  it.each([
    [
      'keeps the parser busy past its deadline (60 MB of styled empty cells)',
      'parse_deadline',
      () => styledEmptyWorkbook(60),
    ],
    ['is a zip bomb (200 MB of zeros)', 'inflated_size', () => zeroBombWorkbook(200)],
    ['has a hyperlink over the whole grid (A1:XFD1048576)', 'linked_cells', gridLinkWorkbook],
  ])(
    'when an XLSX that %s is extracted, then health and other users answer meanwhile, it ends in 422 %s, and nothing is recorded',
    async (_, limit, file) => {
      const mallory = apiClient(host.url, newUser('mallory'));
      const ana = apiClient(host.url, newUser('ana'));
      expect((await ana.post('/api/v1/docs', { file_name: 'a.json', extracted_data: { a: 1 } })).status).toBe(
        201,
      );

      const id = await uploadXlsx(mallory.email, file());

      const started = Date.now();
      let settled = false;
      const extraction = mallory.post(`/api/v1/docs/${id}/extract`).finally(() => (settled = true));

      // SPEC §3: bad input never slows other users; the issue asks that health and another
      // user's requests answer within 1 s while an upload is parsed (they took at most 0.2 s
      // here, on two cores, with the parser busy on one).
      const probes: { health: number; docs: number; duringParse: boolean }[] = [];
      do {
        const duringParse = !settled;
        const health = await timed(() => fetch(`${host.url}/api/v1/health`));
        const docs = await timed(() => ana.get('/api/v1/docs'));
        expect({ health: health.status, docs: docs.status }).toEqual({ health: 200, docs: 200 });
        probes.push({ health: health.ms, docs: docs.ms, duringParse });
        await pause(100);
      } while (!settled || probes.length < 3);
      // Typically within 1 s; and every probe well inside the 3 s parse deadline, which a parse
      // holding the event loop would make them wait out (a shared CI core can slow one probe).
      const median = (values: number[]) =>
        [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
      expect(median(probes.map((p) => p.health))).toBeLessThan(1000);
      expect(median(probes.map((p) => p.docs))).toBeLessThan(1000);
      for (const probe of probes) {
        expect(probe.health).toBeLessThan(2500);
        expect(probe.docs).toBeLessThan(2500);
      }
      // The slow file keeps its parser busy for the whole deadline: many probes ran meanwhile.
      if (limit === 'parse_deadline') {
        expect(probes.filter((p) => p.duringParse).length).toBeGreaterThanOrEqual(5);
      }

      const refused = await extraction;
      // Within seconds: the deadline is 3 s; the size limits answer at once.
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(refused.status).toBe(422);
      expect(refused.json()).toEqual({
        error: {
          code: 'unprocessable_document',
          message: expect.any(String),
          details: [{ field: limit, message: expect.any(String) }],
        },
      });

      const stored = await mallory.get(`/api/v1/docs/${id}`);
      expect(stored.json()).toMatchObject({ status: 'uploaded' });
      expect(stored.json()).not.toHaveProperty('extracted_data');
    },
    60_000,
  );

  it('when an ordinary XLSX is extracted after the hostile ones, then it is read at once', async () => {
    const bob = apiClient(host.url, newUser('bob'));
    const id = await uploadXlsx(bob.email, ordinaryWorkbook());
    const extracted = await bob.post(`/api/v1/docs/${id}/extract`);
    expect(extracted.status).toBe(200);
    expect(extracted.json()).toMatchObject({ status: 'extracted', extracted_data: ordinaryWorkbookData });
  });
});
