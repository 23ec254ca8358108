import { AppError, isPermanent } from '../../../shared/core/errors';

describe('AppError', () => {
  it('when an upload cannot be parsed within its limits, then 422, and retrying cannot help', () => {
    const error = new AppError('unprocessable_document', 'too many columns', [
      { field: 'columns', message: 'at most 1024' },
    ]);
    expect(error.status).toBe(422);
    expect(isPermanent(error)).toBe(true);
  });
});
