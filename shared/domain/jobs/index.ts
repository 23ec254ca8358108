/**
 * Bulk export jobs, the pure part: what a job asks for, which records it reads, the record and
 * how its status and checkpoint move, and how its staged blocks make a file. No I/O: the jobs
 * service (shared/services/exportJobs) does the reading and writing.
 */
export * from './jobRequestSchema';
export * from './jobSelection';
export * from './jobRecord';
export * from './jobProgress';
export * from './jobLifecycle';
export * from './jobStaging';
export * from './jobReconciliation';
