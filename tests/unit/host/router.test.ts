import { Router } from '../../../host/router';

describe('Router', () => {
  const router = new Router<string>();
  router.add('api/v1/exports/{export_workflow_id}', ['GET'], 'getExport');
  router.add('api/v1/exports/history', ['GET'], 'history');
  router.add('api/v1/exports/{a}/compare/{b}', ['GET'], 'compare');
  router.add('api/v1/docs', ['GET', 'POST'], 'docs');
  router.add('api/v1/items/{id:int}', ['GET'], 'intItem');
  router.add('api/files/{*path}', ['GET'], 'files');

  it('when a literal and a parameter route both match, then the literal wins', () => {
    const match = router.match('GET', '/api/v1/exports/history');
    expect(match.kind === 'matched' && match.route.target).toBe('history');
  });

  it('when a parameter route matches, then parameters are decoded', () => {
    const match = router.match('GET', '/api/v1/exports/a%20b/compare/c');
    expect(match).toMatchObject({ kind: 'matched', params: { a: 'a b', b: 'c' } });
  });

  it('when the path matches with another case, then it still routes (the host is case-insensitive)', () => {
    expect(router.match('post', '/API/V1/Docs').kind).toBe('matched');
  });

  it('when the method is not allowed, then the allowed methods are listed', () => {
    expect(router.match('DELETE', '/api/v1/docs')).toEqual({
      kind: 'methodNotAllowed',
      allowed: ['GET', 'POST'],
    });
  });

  it('when nothing matches, then it is not found', () => {
    expect(router.match('GET', '/api/v2/nothing').kind).toBe('notFound');
    expect(router.match('GET', '/api/v1/exports').kind).toBe('notFound');
  });

  it('when a constraint fails, then the route does not match', () => {
    expect(router.match('GET', '/api/v1/items/12').kind).toBe('matched');
    expect(router.match('GET', '/api/v1/items/abc').kind).toBe('notFound');
  });

  it('when a catch-all is used, then it takes the rest of the path', () => {
    expect(router.match('GET', '/api/files/a/b/c.txt')).toMatchObject({ params: { path: 'a/b/c.txt' } });
  });
});
