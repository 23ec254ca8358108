/** A Durable management operation refused, with the HTTP status the extension answers with. */
export class DurableApiError extends Error {
  override name = 'DurableApiError';

  constructor(
    readonly status: 400 | 404 | 409 | 410 | 412 | 500 | 501,
    message: string,
  ) {
    super(message);
  }
}
