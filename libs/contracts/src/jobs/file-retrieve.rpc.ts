import { defineRpc } from '../define';
import { JobsRequest } from './jobs-request';
import { OpenAIFileObject } from './openai-objects';

/** GET /v1/files/{file_id}. */
export const FileRetrieve = defineRpc<JobsRequest, OpenAIFileObject>('jobs', 'jobs.file.retrieve');
