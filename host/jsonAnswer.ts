import type http from 'node:http';

/** The host's own answers (not a function's) are JSON, in the app's error shape. */
export function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(text);
}

export const errorBody = (code: string, message: string) => ({ error: { code, message, details: [] } });
