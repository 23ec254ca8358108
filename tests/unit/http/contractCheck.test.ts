import { contractViolation, operationFor } from '../../support/contract';
import { uploadMediaTypes } from '../../../shared/http/contract/operations';
import { uploadKind } from '../../../shared/services/extraction';

/** The check every e2e response goes through: it must catch an answer the contract does not describe. */

const base = 'http://localhost:7071';
const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
  status,
  headers: new Headers({ 'content-type': 'application/json; charset=utf-8', ...headers }),
  bytes: Buffer.from(body === undefined ? '' : JSON.stringify(body)),
});
const now = '2026-12-02T01:00:00.000Z';
const document = {
  document_id: 'd1',
  owner_email: 'ana@contoso.com',
  file_name: 'a.json',
  document_type: 'general',
  status: 'extracted',
  extracted_data: { total: 1 },
  created_at: now,
  updated_at: now,
};
const error = (code: string) => ({ error: { code, message: 'm', details: [] } });

describe('the contract check', () => {
  it('finds the operation, a literal segment winning over a parameter', () => {
    expect(operationFor('GET', '/api/v1/exports/history')?.operationId).toBe('exportHistory');
    expect(operationFor('GET', '/api/v1/exports/abc')?.operationId).toBe('getExport');
    expect(operationFor('PUT', '/api/v1/exports/abc')).toBeUndefined();
  });

  it('accepts a documented answer', () => {
    expect(contractViolation('GET', `${base}/api/v1/docs/d1`, answer(200, document))).toBeUndefined();
    expect(
      contractViolation('GET', `${base}/api/v1/docs/d1`, answer(404, error('not_found'))),
    ).toBeUndefined();
  });

  it('names a field the contract does not describe', () => {
    expect(
      contractViolation('GET', `${base}/api/v1/docs/d1`, answer(200, { ...document, owner_oid: 'x' })),
    ).toMatch(
      /GET \/api\/v1\/docs\/d1 answered 200 \(getDocument\) with a body the contract does not describe: .*owner_oid/,
    );
  });

  it('refuses a status the operation does not document, and an error code that does not go with its status', () => {
    expect(contractViolation('GET', `${base}/api/v1/docs/d1`, answer(410, error('gone')))).toMatch(
      /the contract documents only 200, 400, 401, 503, 500, 404/,
    );
    expect(contractViolation('GET', `${base}/api/v1/docs/d1`, answer(400, error('not_found')))).toMatch(
      /code not_found, which answers with 404, not 400/,
    );
    expect(contractViolation('GET', `${base}/api/v1/health`, answer(500, error('internal_error')))).toMatch(
      /has no x-request-id/,
    );
  });

  it('requires the documented headers and media types of a file', () => {
    const file = {
      status: 200,
      headers: new Headers({
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': 'attachment',
      }),
      bytes: Buffer.from('a\n1\n'),
    };
    expect(contractViolation('GET', `${base}/api/v1/exports/w1/download`, file)).toMatch(
      /without the documented header\(s\) x-export-workflow-id, x-content-sha256, x-export-warnings/,
    );
    const complete = new Headers(file.headers);
    for (const h of ['x-export-workflow-id', 'x-content-sha256', 'x-export-warnings']) complete.set(h, '0');
    expect(
      contractViolation('GET', `${base}/api/v1/exports/w1/download`, { ...file, headers: complete }),
    ).toBeUndefined();
    complete.set('content-type', 'text/html');
    expect(
      contractViolation('GET', `${base}/api/v1/exports/w1/download`, { ...file, headers: complete }),
    ).toMatch(/with a text\/html file/);
  });

  it('holds an unknown route to the host’s JSON 404', () => {
    expect(
      contractViolation('GET', `${base}/api/v1/nothing`, answer(404, error('not_found'))),
    ).toBeUndefined();
    expect(contractViolation('GET', `${base}/api/v1/nothing`, answer(404, { message: 'no' }))).toMatch(
      /no documented operation/,
    );
  });
});

describe('the documented upload media types', () => {
  it('are the ones extraction accepts', () => {
    expect(uploadMediaTypes.filter((type) => uploadKind(type) === undefined)).toEqual([]);
    expect(uploadKind('text/plain')).toBeUndefined();
  });
});
