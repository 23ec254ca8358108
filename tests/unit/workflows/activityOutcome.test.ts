import { failureReason } from '../../../shared/workflows/activityOutcome';

describe('failureReason', () => {
  it('when Durable reports a failed activity with its stack, then the user sees only the fault', () => {
    const fromDurable = new Error(
      "Activity function 'bulkExport_plan' failed: Export job j-1 cannot be planned. \n AppError: Export job j-1 cannot be planned.\n    at conflict (/app/shared/core/errors.ts:53:46)\n    at JobActivities.plan (/app/shared/services/exportJobs/jobActivities.ts:40:9)",
    );
    expect(failureReason(fromDurable)).toBe('Export job j-1 cannot be planned.');
  });

  it('when a value that is not an Error was thrown, then its text is the reason', () => {
    expect(failureReason('storage account unreachable')).toBe('storage account unreachable');
  });
});
