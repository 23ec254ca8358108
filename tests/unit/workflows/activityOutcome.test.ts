import { failureReason } from '../../../shared/workflows/activityOutcome';

/** What a JavaScript stack looks like in a message; no line of it may reach a record. */
const jsStack = [
  '    at conflict (/app/shared/core/errors.ts:53:46)',
  '    at JobActivities.plan (/app/shared/services/exportJobs/jobActivities.ts:40:9)',
].join('\n');
/** And a .NET one, as the Functions host and DTFx write them. */
const dotnetStack = [
  '   at Microsoft.Azure.WebJobs.Script.Description.WorkerFunctionInvoker.InvokeCore(Object[] parameters, FunctionInvocationContext context) in /src/WorkerFunctionInvoker.cs:line 101',
  '   at DurableTask.Core.TaskActivityDispatcher.OnProcessWorkItemAsync(TaskActivityWorkItem workItem)',
].join('\n');

function expectNoStack(reason: string): void {
  expect(reason).not.toMatch(
    /\bat \S+ \(|\.ts:\d+|\.cs:line| {3}at |Stack:|Result: Failure|\$OutOfProcData\$/,
  );
}

describe('failureReason', () => {
  it('when Durable reports a failed activity with its stack, then the user sees only the fault', () => {
    const fromDurable = new Error(
      `Activity function 'bulkExport_plan' failed: Export job j-1 cannot be planned. \n AppError: Export job j-1 cannot be planned.\n${jsStack}`,
    );
    expect(failureReason(fromDurable)).toBe('Export job j-1 cannot be planned.');
  });

  it('when the host reports a worker failure in its .NET shape, then only the exception message is kept', () => {
    const fromHost = new Error(
      `Activity function 'exportWorkflow_produceDeliverable' failed: Result: Failure\nException: Blob storage refused the write: quota exceeded\nStack: Error: Blob storage refused the write: quota exceeded\n${jsStack}\n${dotnetStack}`,
    );
    const reason = failureReason(fromHost);
    expect(reason).toBe('Blob storage refused the write: quota exceeded');
    expectNoStack(reason);
  });

  it('when the host shape comes without the runtime prefix, then it is unwrapped alike', () => {
    const reason = failureReason(
      `Result: Failure\nException: Cosmos DB is throttling requests\nStack: ${dotnetStack}`,
    );
    expect(reason).toBe('Cosmos DB is throttling requests');
  });

  it('when a throwing orchestrator carries its state after the library marker, then the state is cut off', () => {
    const reason = failureReason(
      new Error(
        `Orchestrator function 'bulkExport' failed: the job was cancelled\n\n$OutOfProcData$:{"isDone":false,"actions":[[]]}`,
      ),
    );
    expect(reason).toBe('the job was cancelled');
  });

  it('when the message is a bare stack or a very long line, then no frame is kept and the line is bounded', () => {
    expect(failureReason(new Error(`\n${dotnetStack}`))).toBe('The work failed.');
    expect(failureReason(`Result: Failure\nException: \n${jsStack}\nStack: ${jsStack}`)).toBe(
      'The work failed.',
    );
    const long = failureReason(new Error('x'.repeat(5000)));
    expect(long).toHaveLength(500);
    expect(failureReason(new Error(''))).toBe('The work failed.');
  });

  it('when a value that is not an Error was thrown, then its text is the reason', () => {
    expect(failureReason('storage account unreachable')).toBe('storage account unreachable');
  });
});
