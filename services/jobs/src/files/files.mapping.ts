import { OpenAIFileObject } from '@tollgate/contracts';
import { FileRow } from './files.repository';

/** The provider's FileObject with Tollgate's id. */
export function toPublicFile(row: FileRow): OpenAIFileObject {
  return {
    object: 'file',
    bytes: Number(row.bytes),
    created_at: Math.floor(row.created_at.getTime() / 1000),
    filename: row.filename,
    purpose: row.purpose,
    status: row.status,
    ...row.object,
    id: row.id,
  } as OpenAIFileObject;
}
