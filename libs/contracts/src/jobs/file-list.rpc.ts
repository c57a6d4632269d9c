import { defineRpc } from '../define';
import { JobsRequest } from './jobs-request';
import { OpenAIFileObject, OpenAIList } from './openai-objects';

/** GET /v1/files (query purpose, limit, after): the caller's visible files. */
export const FileList = defineRpc<JobsRequest, OpenAIList<OpenAIFileObject>>('jobs', 'jobs.file.list');
