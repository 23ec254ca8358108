import {
  corsExposedHeaders,
  corsResponseHeaders,
  isPreflight,
  originAllowed,
  parseCorsSettings,
  preflightHeaders,
  resolveCorsSettings,
} from '../../../host/cors';

describe('CORS settings', () => {
  it('when origins are listed with spaces, a trailing slash or capitals, then each is kept as its origin', () => {
    expect(parseCorsSettings(' http://localhost:5173/ ,HTTPS://App.Contoso.com', false).origins).toEqual([
      'http://localhost:5173',
      'https://app.contoso.com',
    ]);
  });

  it('when an entry has a path, another scheme or is not a URL, then start-up is refused naming each', () => {
    expect(() => parseCorsSettings('http://localhost:5173/app,ftp://x.io,localhost:5173x y', false)).toThrow(
      /"http:\/\/localhost:5173\/app" is not an origin.*"ftp:\/\/x\.io" is not an origin.*"localhost:5173x y"/,
    );
  });

  it('when any origin is allowed with credentials, then start-up is refused as Azure refuses it', () => {
    expect(() => parseCorsSettings('*', true)).toThrow(/credentials cannot be allowed for any origin/);
    expect(parseCorsSettings('*', false).origins).toEqual(['*']);
  });

  it('when --cors is given, then it wins over Host.CORS; without either, no origin is allowed', () => {
    const file = { CORS: 'http://a.io', CORSCredentials: true };
    expect(resolveCorsSettings({ origins: 'http://b.io' }, file)).toEqual({
      origins: ['http://b.io'],
      credentials: true,
    });
    expect(resolveCorsSettings(undefined, file)).toEqual({ origins: ['http://a.io'], credentials: true });
    expect(resolveCorsSettings(undefined, {}).origins).toEqual([]);
  });

  it('when Host.CORS or Host.CORSCredentials has the wrong type, then start-up is refused', () => {
    expect(() => resolveCorsSettings(undefined, { CORS: ['http://a.io'] })).toThrow(/Host\.CORS must be/);
    expect(() => resolveCorsSettings(undefined, { CORS: 'http://a.io', CORSCredentials: 'yes' })).toThrow(
      /Host\.CORSCredentials must be/,
    );
  });
});

describe('CORS headers', () => {
  const listed = parseCorsSettings('http://localhost:5173', false);

  it('when the origin is listed (in any case), then it is echoed with the exposed headers and Vary', () => {
    expect(originAllowed(listed, 'http://LOCALHOST:5173')).toBe(true);
    expect(corsResponseHeaders(listed, 'http://localhost:5173')).toEqual({
      'access-control-allow-origin': 'http://localhost:5173',
      'access-control-expose-headers': corsExposedHeaders.join(', '),
      vary: 'Origin',
    });
    expect(corsExposedHeaders).toEqual(
      expect.arrayContaining(['content-disposition', 'x-export-warnings', 'retry-after', 'location']),
    );
  });

  it('when the origin differs by port or scheme, or is missing, then no CORS header at all', () => {
    expect(corsResponseHeaders(listed, 'http://localhost:5174')).toEqual({});
    expect(corsResponseHeaders(listed, 'https://localhost:5173')).toEqual({});
    expect(corsResponseHeaders(listed, undefined)).toEqual({});
    expect(preflightHeaders(listed, 'http://evil.io', ['GET'])).toEqual({});
  });

  it('when any origin is allowed without credentials, then the answer says * and needs no Vary', () => {
    expect(corsResponseHeaders(parseCorsSettings('*', false), 'http://x.io')).toMatchObject({
      'access-control-allow-origin': '*',
    });
  });

  it('when credentials are allowed, then the origin is echoed with Allow-Credentials', () => {
    expect(corsResponseHeaders(parseCorsSettings('http://a.io', true), 'http://a.io')).toMatchObject({
      'access-control-allow-origin': 'http://a.io',
      'access-control-allow-credentials': 'true',
    });
  });

  it('when a preflight comes from a listed origin, then it names the methods, the headers a web app sends and a max age', () => {
    expect(preflightHeaders(listed, 'http://localhost:5173', ['GET', 'POST'])).toEqual({
      'access-control-allow-origin': 'http://localhost:5173',
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers': expect.stringMatching(
        /authorization.*content-type.*x-ms-client-principal/,
      ) as string,
      'access-control-max-age': '600',
      vary: 'Origin',
    });
  });

  it('when OPTIONS lacks Origin or Access-Control-Request-Method, then it is not a preflight', () => {
    const origin = 'http://a.io';
    expect(isPreflight('OPTIONS', { origin, 'access-control-request-method': 'POST' })).toBe(true);
    expect(isPreflight('OPTIONS', { origin })).toBe(false);
    expect(isPreflight('GET', { origin, 'access-control-request-method': 'POST' })).toBe(false);
  });
});
