/**
 * CORS as Core Tools and App Service do it: the host, not the app, answers preflights and adds
 * the CORS headers, for the origins `Host.CORS` (local.settings.json) or `--cors` lists.
 */

export interface CorsSettings {
  /** Allowed origins (`scheme://host[:port]`, lower-cased), or `*` for any. */
  origins: readonly string[];
  /** Sends `Access-Control-Allow-Credentials: true` (cookies, client certificates). */
  credentials: boolean;
}

/** Request headers a web app sends: the bearer token, JSON bodies and, locally, the EasyAuth principal. */
export const corsAllowedHeaders = [
  'authorization',
  'content-type',
  'x-ms-client-principal',
  'x-ms-client-principal-name',
];

/** Response headers the API documents, which a page could not read without them being exposed. */
import { exposedResponseHeaders } from '../shared/http/exposedHeaders';
export { exposedResponseHeaders as corsExposedHeaders };

/** How long a browser may cache a preflight answer. */
export const corsMaxAgeSeconds = 600;

/** No CORS at all: the host's default, as with Core Tools. */
export const noCors: CorsSettings = { origins: [], credentials: false };

/**
 * Parses the comma-separated origin list as Core Tools takes it. Each entry is an origin with no
 * path (`http://localhost:5173`) or `*`; anything else stops start-up, as does `*` with
 * credentials, which the CORS protocol forbids and Azure refuses.
 */
export function parseCorsSettings(list: string | undefined, credentials: boolean): CorsSettings {
  const entries = (list ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const problems: string[] = [];
  const origins = entries.map((entry) => {
    if (entry === '*') return entry;
    let url: URL;
    try {
      url = new URL(entry);
    } catch {
      problems.push(`"${entry}" is not an origin such as http://localhost:5173`);
      return entry;
    }
    if (!['http:', 'https:'].includes(url.protocol) || url.origin !== entry.replace(/\/$/, '').toLowerCase())
      problems.push(
        `"${entry}" is not an origin (scheme://host[:port], no path) such as http://localhost:5173`,
      );
    return url.origin;
  });
  if (credentials && origins.includes('*'))
    problems.push(
      'CORS credentials cannot be allowed for any origin ("*"): list the allowed origins instead',
    );
  if (problems.length > 0) throw new Error(`CORS settings are invalid: ${problems.join('; ')}.`);
  return { origins, credentials };
}

/** `--cors <origins>` and `--cors-credentials`, as `func start` takes them. */
export interface CorsArguments {
  origins?: string;
  credentials?: boolean;
}

/** The `Host` section of local.settings.json, as read from the file (unchecked). */
export interface LocalSettingsHost {
  CORS?: unknown;
  CORSCredentials?: unknown;
}

/** CORS from the command line, else from `Host.CORS` / `Host.CORSCredentials`, as Core Tools takes them. */
export function resolveCorsSettings(given: CorsArguments | undefined, file: LocalSettingsHost): CorsSettings {
  if (file.CORS !== undefined && typeof file.CORS !== 'string')
    throw new Error('local.settings.json: Host.CORS must be a comma-separated string of origins.');
  if (file.CORSCredentials !== undefined && typeof file.CORSCredentials !== 'boolean')
    throw new Error('local.settings.json: Host.CORSCredentials must be true or false.');
  const origins = given?.origins ?? file.CORS;
  if (origins === undefined) return noCors;
  return parseCorsSettings(origins, given?.credentials ?? file.CORSCredentials === true);
}

/** Whether a request's `Origin` may read the answer. */
export function originAllowed(settings: CorsSettings, origin: string | undefined): origin is string {
  if (!origin) return false;
  return settings.origins.includes('*') || settings.origins.includes(origin.toLowerCase());
}

/** The headers every answer to an allowed origin carries (none for any other origin). */
export function corsResponseHeaders(
  settings: CorsSettings,
  origin: string | undefined,
): Record<string, string> {
  if (!originAllowed(settings, origin)) return {};
  const anyOrigin = settings.origins.includes('*') && !settings.credentials;
  return {
    'access-control-allow-origin': anyOrigin ? '*' : origin,
    'access-control-expose-headers': exposedResponseHeaders.join(', '),
    ...(settings.credentials ? { 'access-control-allow-credentials': 'true' } : {}),
    // A cache must not hand one origin's answer to another.
    ...(anyOrigin ? {} : { vary: 'Origin' }),
  };
}

/**
 * The answer to a preflight (`OPTIONS` with `Access-Control-Request-Method`): 204, and for an
 * allowed origin the methods the route takes and the headers a web app sends. A disallowed
 * origin gets a bare 204, so the browser blocks the real request.
 */
export function preflightHeaders(
  settings: CorsSettings,
  origin: string | undefined,
  routeMethods: readonly string[],
): Record<string, string> {
  if (!originAllowed(settings, origin)) return {};
  const anyOrigin = settings.origins.includes('*') && !settings.credentials;
  return {
    'access-control-allow-origin': anyOrigin ? '*' : origin,
    ...(settings.credentials ? { 'access-control-allow-credentials': 'true' } : {}),
    ...(anyOrigin ? {} : { vary: 'Origin' }),
    'access-control-allow-methods': routeMethods.join(', '),
    'access-control-allow-headers': corsAllowedHeaders.join(', '),
    'access-control-max-age': String(corsMaxAgeSeconds),
  };
}

/** Whether a request is a CORS preflight rather than an `OPTIONS` call of its own. */
export function isPreflight(method: string, headers: { [name: string]: unknown }): boolean {
  return (
    method === 'OPTIONS' &&
    typeof headers.origin === 'string' &&
    typeof headers['access-control-request-method'] === 'string'
  );
}
