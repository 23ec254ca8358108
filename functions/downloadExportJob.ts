import { app } from '@azure/functions';
import { downloadResponse } from '../shared/http/download';
import { authenticated } from '../shared/http/endpoint';
import { httpTrigger } from '../shared/http/contract/operations';

/**
 * GET /api/v1/export-jobs/{job_id}/download — the file, or with `?redirect=true` a 302 to a
 * read-only SAS URL valid 15 minutes (the way to fetch large files); 410 once it expired.
 */
export const downloadExportJob = authenticated(['job_id'], async ({ caller, params, services, http }) => {
  const job = await services.exportJobs.downloadable(caller, params.job_id, new Date());
  return downloadResponse(http, services.blob, {
    container: job.target.container,
    blob_path: job.file.blob_path,
    file_name: job.file.file_name,
    content_type: job.file.mime_type,
    sha256: job.file.sha256,
  });
});

app.http('downloadExportJob', { ...httpTrigger('downloadExportJob'), handler: downloadExportJob });
