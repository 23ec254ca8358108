import {
  jobRequestSchema,
  newJobRecord,
  type JobRecord,
  type JobRequest,
} from '../../../../shared/domain/jobs';

/** A request as the API accepts it: the schema's defaults under the given fields. */
export function jobRequest(fields: Record<string, unknown> = {}): JobRequest {
  return jobRequestSchema.parse({ data_types: ['documents'], format: 'csv', ...fields });
}

export const createdAt = new Date('2026-03-04T05:06:07.000Z');

/** A freshly recorded API job of ann@contoso.com, with the given fields over it. */
export function jobRecord(fields: Partial<JobRecord> = {}, request: JobRequest = jobRequest()): JobRecord {
  return {
    ...newJobRecord({ email: 'ann@contoso.com' }, request, { id: 'job-0001-abcd', now: createdAt }),
    ...fields,
  };
}

/** What `run` throws, to match against its code and status; a `run` that returns fails the test. */
export function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw, but it returned');
}
