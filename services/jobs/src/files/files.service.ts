import { Inject, Injectable } from '@nestjs/common';
import { JobsCaller, JobsRequest, OpenAIFileDeleted, OpenAIFileObject, OpenAIList } from '@tollgate/contracts';
import { canSee, ownerOf } from '../access/ownership';
import { refOf, deploymentCols } from '../common/deployment-cols';
import { notFound } from '../common/errors';
import { page } from '../common/page';
import { pageParams, pathParam, str } from '../common/request';
import { ProviderClient, ProviderStream } from '../providers/provider-client';
import { DeploymentRef, DeploymentResolver } from '../routing/deployment-resolver';
import { toPublicFile } from './files.mapping';
import { FileRow, FilesRepository } from './files.repository';

/** Files: rows here, content at the provider. Reads refresh the row from the provider. */
@Injectable()
export class FilesService {
  constructor(
    private readonly repo: FilesRepository,
    private readonly provider: ProviderClient,
    @Inject(DeploymentResolver) private readonly resolver: DeploymentResolver,
  ) {}

  /** A file the caller may use, or 404 (also for other teams' files: existence is not revealed). */
  async findVisible(id: string, caller: JobsCaller, param = 'file_id'): Promise<FileRow> {
    const row = await this.repo.find(id);
    if (!row || !canSee(row, caller)) throw notFound(`No such File object: ${id}`, param);
    return row;
  }

  async list(r: JobsRequest): Promise<OpenAIList<OpenAIFileObject>> {
    const { limit, after } = pageParams(r);
    const rows = await this.repo.list(r.caller, { limit, after, purpose: str(r.query?.purpose), provider: str(r.query?.custom_llm_provider) ?? str(r.query?.provider) });
    return page(rows, limit, toPublicFile);
  }

  async retrieve(r: JobsRequest): Promise<OpenAIFileObject> {
    const row = await this.findVisible(pathParam(r, 'file_id'), r.caller);
    const obj = await this.provider.json(this.resolver.target(refOf(row)), 'GET', `/files/${encodeURIComponent(row.provider_file_id)}`);
    const bytes = typeof obj.bytes === 'number' ? obj.bytes : Number(row.bytes);
    const status = typeof obj.status === 'string' ? obj.status : row.status;
    await this.repo.refresh(row.id, obj, bytes, status);
    return toPublicFile({ ...row, object: obj, bytes: String(bytes), status });
  }

  async delete(r: JobsRequest): Promise<OpenAIFileDeleted> {
    const row = await this.findVisible(pathParam(r, 'file_id'), r.caller);
    await this.provider.json(this.resolver.target(refOf(row)), 'DELETE', `/files/${encodeURIComponent(row.provider_file_id)}`);
    await this.repo.markDeleted(row.id);
    return { id: row.id, object: 'file', deleted: true };
  }

  /** The provider's content stream of a visible file (the internal listener pipes it out). */
  async content(id: string, caller: JobsCaller): Promise<ProviderStream> {
    const row = await this.findVisible(id, caller);
    return this.provider.content(this.resolver.target(refOf(row)), row.provider_file_id);
  }

  /** Records a file the provider just accepted. */
  async recordUpload(ref: DeploymentRef, caller: JobsCaller, obj: Record<string, unknown>): Promise<OpenAIFileObject> {
    const providerId = String(obj.id);
    const row = await this.repo.insert({
      id: this.resolver.publicId(ref, providerId),
      provider_file_id: providerId,
      ...deploymentCols(ref),
      purpose: typeof obj.purpose === 'string' ? obj.purpose : 'unknown',
      filename: typeof obj.filename === 'string' ? obj.filename : 'file',
      bytes: typeof obj.bytes === 'number' ? obj.bytes : 0,
      status: typeof obj.status === 'string' ? obj.status : 'uploaded',
      source: 'upload',
      ...ownerOf(caller),
      object: obj,
    });
    return toPublicFile(row);
  }

  /** A batch's output or error file, owned like the batch; the same provider file maps to one row. */
  async recordOutput(ref: DeploymentRef, owner: ReturnType<typeof ownerOf>, providerId: string, batchId: string): Promise<FileRow> {
    return this.repo.insert({
      id: this.resolver.publicId(ref, providerId),
      provider_file_id: providerId,
      ...deploymentCols(ref),
      purpose: 'batch_output',
      filename: `${batchId}_${providerId}.jsonl`,
      bytes: 0,
      status: 'processed',
      source: 'batch_output',
      ...owner,
      object: { id: providerId, object: 'file', purpose: 'batch_output' },
    });
  }
}
