import { Injectable } from '@nestjs/common';
import { Owner } from '../access/ownership';
import { refOf } from '../common/deployment-cols';
import { FilesService } from '../files/files.service';
import { BATCH_TERMINAL } from './batch.mapping';
import { BatchesRepository, BatchRow } from './batches.repository';

/** Applies a provider batch object to its row; output and error files become files the owner can read. */
@Injectable()
export class BatchSync {
  constructor(private readonly repo: BatchesRepository, private readonly files: FilesService) {}

  async apply(row: BatchRow, obj: Record<string, unknown>): Promise<BatchRow> {
    const status = typeof obj.status === 'string' ? obj.status : row.status;
    const owner: Owner = row;
    const ref = refOf(row);
    const output = typeof obj.output_file_id === 'string' && obj.output_file_id ? (await this.files.recordOutput(ref, pickOwner(owner), obj.output_file_id, row.id)).id : null;
    const error = typeof obj.error_file_id === 'string' && obj.error_file_id ? (await this.files.recordOutput(ref, pickOwner(owner), obj.error_file_id, row.id)).id : null;
    return this.repo.applyProvider(row.id, { status, object: obj, outputFileId: output, errorFileId: error, terminal: BATCH_TERMINAL.has(status) });
  }
}

function pickOwner(o: Owner): Owner {
  return { owner_key_hash: o.owner_key_hash, owner_key_alias: o.owner_key_alias, owner_user_id: o.owner_user_id, owner_team_id: o.owner_team_id, owner_team_alias: o.owner_team_alias };
}
