import { app, type HttpResponseInit } from '@azure/functions';
import { buffer } from 'node:stream/consumers';
import { z } from 'zod';
import { authenticated, readQuery } from '../shared/http/endpoint';
import { contentDisposition } from '../shared/formats/contentDisposition';
import { readyServices } from '../shared/services';

const downloadQuery = z.object({ redirect: z.enum(['true', 'false']).default('false') });

/**
 * GET /api/v1/export-jobs/{job_id}/download — the file, or with `?redirect=true` a 302 to a
 * read-only SAS URL valid 15 minutes (the way to fetch large files); 410 once it expired.
 */
export const downloadExportJob = authenticated(async ({ caller, http }): Promise<HttpResponseInit> => {
  const { redirect } = readQuery(http, downloadQuery);
  const services = await readyServices();
  const job = await services.jobs.downloadable(caller, http.params.job_id ?? '', new Date());
  if (redirect === 'true') {
    return {
      status: 302,
      headers: { location: await services.blob.readUrl(job.target.container, job.file.blob_path, 15) },
    };
  }
  const blob = await services.blob.get(job.target.container, job.file.blob_path);
  return {
    status: 200,
    body: await buffer(blob.stream),
    headers: {
      'content-type': job.file.mime_type,
      'content-disposition': contentDisposition(job.file.file_name),
      'x-content-sha256': job.file.sha256,
      'cache-control': 'private, no-store',
    },
  };
});

app.http('downloadExportJob', {
  route: 'v1/export-jobs/{job_id}/download',
  methods: ['GET'],
  handler: downloadExportJob,
});
