import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from '@tollgate/config';
import { JobsRequest, OpenAIBatchObject, OpenAIList } from '@tollgate/contracts';
import { injectTraceContext } from '@tollgate/tracing';
import { canSee, ownerOf } from '../access/ownership';
import { deploymentCols, refOf } from '../common/deployment-cols';
import { notFound } from '../common/errors';
import { page } from '../common/page';
import { pageParams, pathParam, requiredString } from '../common/request';
import { FilesService } from '../files/files.service';
import { LOGGER } from '../jobs.options';
import { PollScheduler } from '../pollers/poll-scheduler';
import { ProviderClient } from '../providers/provider-client';
import { DeploymentResolver } from '../routing/deployment-resolver';
import { BATCH_TERMINAL, toPublicBatch } from './batch.mapping';
import { BatchSync } from './batch-sync';
import { BatchesRepository, BatchRow } from './batches.repository';

/** Fields passed to the provider's create call; Tollgate's own (model, custom_llm_provider…) are not. */
const PROVIDER_FIELDS = ['endpoint', 'completion_window', 'metadata', 'output_expires_after'] as const;

@Injectable()
export class BatchesService {
  constructor(
    private readonly repo: BatchesRepository,
    private readonly files: FilesService,
    private readonly sync: BatchSync,
    private readonly provider: ProviderClient,
    @Inject(DeploymentResolver) private readonly resolver: DeploymentResolver,
    private readonly scheduler: PollScheduler,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Created on the deployment that holds the input file; a poller follows it until it ends. */
  async create(r: JobsRequest): Promise<OpenAIBatchObject> {
    const inputId = requiredString(r.body, 'input_file_id');
    requiredString(r.body, 'endpoint');
    const file = await this.files.findVisible(inputId, r.caller, 'input_file_id');
    const ref = refOf(file);
    const body: Record<string, unknown> = { input_file_id: file.provider_file_id, completion_window: '24h' };
    for (const f of PROVIDER_FIELDS) if (r.body[f] !== undefined) body[f] = r.body[f];
    const obj = await this.provider.json(this.resolver.target(ref), 'POST', '/batches', { body });
    const trace = injectTraceContext({});
    const providerId = String(obj.id);
    const row = await this.repo.insert({
      id: this.resolver.publicId(ref, providerId),
      provider_batch_id: providerId,
      ...deploymentCols(ref),
      endpoint: String(body.endpoint),
      input_file_id: file.id,
      status: typeof obj.status === 'string' ? obj.status : 'validating',
      object: obj,
      trace,
      ...ownerOf(r.caller),
    });
    // the row is the source of truth: a scheduler lost here is re-created at the next start-up
    await this.scheduler.schedule('batch', row.id, trace).catch((e: Error) => this.logger.error({ batch_id: row.id, err: e.message }, 'could not schedule batch poller'));
    return toPublicBatch(row);
  }

  async retrieve(r: JobsRequest): Promise<OpenAIBatchObject> {
    let row = await this.findVisible(pathParam(r, 'batch_id'), r);
    const obj = await this.provider.json(this.resolver.target(refOf(row)), 'GET', `/batches/${encodeURIComponent(row.provider_batch_id)}`);
    row = await this.sync.apply(row, obj);
    // LiteLLM charges a finished batch when its owner looks at it too; the poller's guard makes it once
    if (BATCH_TERMINAL.has(row.status) && row.cost_state === 'pending') {
      await this.scheduler.pollNow('batch', row.id, row.trace).catch((e: Error) => this.logger.warn({ batch_id: row.id, err: e.message }, 'could not queue cost check'));
    }
    return toPublicBatch(row);
  }

  async list(r: JobsRequest): Promise<OpenAIList<OpenAIBatchObject>> {
    const { limit, after } = pageParams(r);
    return page(await this.repo.list(r.caller, { limit, after }), limit, toPublicBatch);
  }

  async cancel(r: JobsRequest): Promise<OpenAIBatchObject> {
    const row = await this.findVisible(pathParam(r, 'batch_id'), r);
    const obj = await this.provider.json(this.resolver.target(refOf(row)), 'POST', `/batches/${encodeURIComponent(row.provider_batch_id)}/cancel`);
    return toPublicBatch(await this.sync.apply(row, obj));
  }

  private async findVisible(id: string, r: JobsRequest): Promise<BatchRow> {
    const row = await this.repo.find(id);
    if (!row || !canSee(row, r.caller)) throw notFound(`No batch found with id '${id}'.`, 'batch_id');
    return row;
  }
}
