import { RpcDef } from '../define';
import { BatchCancel } from './batch-cancel.rpc';
import { BatchCreate } from './batch-create.rpc';
import { BatchList } from './batch-list.rpc';
import { BatchRetrieve } from './batch-retrieve.rpc';
import { FileDelete } from './file-delete.rpc';
import { FileList } from './file-list.rpc';
import { FileRetrieve } from './file-retrieve.rpc';
import { FineTuningJobCancel } from './fine-tuning-job-cancel.rpc';
import { FineTuningJobCreate } from './fine-tuning-job-create.rpc';
import { FineTuningJobEvents } from './fine-tuning-job-events.rpc';
import { FineTuningJobList } from './fine-tuning-job-list.rpc';
import { FineTuningJobRetrieve } from './fine-tuning-job-retrieve.rpc';
import { JobsRequest } from './jobs-request';

export interface JobsHttpRoute {
  method: 'GET' | 'POST' | 'DELETE';
  /** Fastify-style path under `/v1` (also served without it, as LiteLLM does) */
  path: string;
  rpc: RpcDef<JobsRequest, unknown>;
}

/**
 * The JSON jobs routes, forwarded over NATS as `{ caller, body, query, params, headers }`. File
 * upload and content download stream through the jobs service's internal HTTP listener instead
 * (JOBS_STREAM_ROUTES): a NATS message is too small for a file.
 */
export const JOBS_HTTP_ROUTES: readonly JobsHttpRoute[] = Object.freeze([
  { method: 'GET', path: '/files', rpc: FileList },
  { method: 'GET', path: '/files/:file_id', rpc: FileRetrieve },
  { method: 'DELETE', path: '/files/:file_id', rpc: FileDelete },
  { method: 'POST', path: '/batches', rpc: BatchCreate },
  { method: 'GET', path: '/batches', rpc: BatchList },
  { method: 'GET', path: '/batches/:batch_id', rpc: BatchRetrieve },
  { method: 'POST', path: '/batches/:batch_id/cancel', rpc: BatchCancel },
  { method: 'POST', path: '/fine_tuning/jobs', rpc: FineTuningJobCreate },
  { method: 'GET', path: '/fine_tuning/jobs', rpc: FineTuningJobList },
  { method: 'GET', path: '/fine_tuning/jobs/:fine_tuning_job_id', rpc: FineTuningJobRetrieve },
  { method: 'POST', path: '/fine_tuning/jobs/:fine_tuning_job_id/cancel', rpc: FineTuningJobCancel },
  { method: 'GET', path: '/fine_tuning/jobs/:fine_tuning_job_id/events', rpc: FineTuningJobEvents },
] as JobsHttpRoute[]);

/** Public routes that stream through the internal listener (paths under `/v1`, and without it). */
export const JOBS_STREAM_ROUTES = Object.freeze({
  upload: { method: 'POST', path: '/files' },
  content: { method: 'GET', path: '/files/:file_id/content' },
} as const);
