import { defineRpc } from '../define';
import { JobsRequest } from './jobs-request';
import { OpenAIFileDeleted } from './openai-objects';

/** DELETE /v1/files/{file_id}: deleted at the provider, then here. */
export const FileDelete = defineRpc<JobsRequest, OpenAIFileDeleted>('jobs', 'jobs.file.delete');
