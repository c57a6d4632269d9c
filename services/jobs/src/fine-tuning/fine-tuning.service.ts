import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from '@tollgate/config';
import { JobsRequest, OpenAIFineTuningEvent, OpenAIFineTuningJob, OpenAIList } from '@tollgate/contracts';
import { injectTraceContext } from '@tollgate/tracing';
import { canSee, ownerOf } from '../access/ownership';
import { deploymentCols, refOf } from '../common/deployment-cols';
import { badRequest, notFound } from '../common/errors';
import { page } from '../common/page';
import { pageParams, pathParam, requiredString, routingHints, str } from '../common/request';
import { FilesService } from '../files/files.service';
import { LOGGER } from '../jobs.options';
import { PollScheduler } from '../pollers/poll-scheduler';
import { ProviderClient } from '../providers/provider-client';
import { DeploymentResolver } from '../routing/deployment-resolver';
import { UsagePublisher } from '../usage/usage-publisher';
import { fineTuneCreateEvent } from '../usage/usage-events';
import { applyJob } from './fine-tuning.poller';
import { FT_TERMINAL, toPublicJob } from './fine-tuning.mapping';
import { FineTuningRepository, FineTuningRow } from './fine-tuning.repository';

const PROVIDER_FIELDS = ['hyperparameters', 'suffix', 'seed', 'integrations', 'method', 'metadata'] as const;

@Injectable()
export class FineTuningService {
  constructor(
    private readonly repo: FineTuningRepository,
    private readonly files: FilesService,
    private readonly provider: ProviderClient,
    @Inject(DeploymentResolver) private readonly resolver: DeploymentResolver,
    private readonly scheduler: PollScheduler,
    private readonly usage: UsagePublisher,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Created where the training file lives (finetune_settings credentials for that provider if any). */
  async create(r: JobsRequest): Promise<OpenAIFineTuningJob> {
    const model = requiredString(r.body, 'model');
    const training = await this.files.findVisible(requiredString(r.body, 'training_file'), r.caller, 'training_file');
    const validationId = str(r.body.validation_file);
    const validation = validationId ? await this.files.findVisible(validationId, r.caller, 'validation_file') : null;
    if (validation && (validation.deployment_kind !== training.deployment_kind || validation.deployment_ref !== training.deployment_ref)) {
      throw badRequest('validation_file must live on the same provider deployment as training_file', 'validation_file');
    }
    const hints = routingHints(r);
    if (hints.provider && hints.provider !== training.custom_llm_provider) {
      throw badRequest(`training_file ${training.id} lives on ${training.custom_llm_provider}, not ${hints.provider}`, 'custom_llm_provider');
    }
    const ref = refOf(training);
    const body: Record<string, unknown> = { model, training_file: training.provider_file_id };
    if (validation) body.validation_file = validation.provider_file_id;
    for (const f of PROVIDER_FIELDS) if (r.body[f] !== undefined) body[f] = r.body[f];
    const obj = await this.provider.json(this.resolver.target(ref, 'fine_tuning'), 'POST', '/fine_tuning/jobs', { body });
    const trace = injectTraceContext({});
    const providerId = String(obj.id);
    const row = await this.repo.insert({
      id: this.resolver.publicId(ref, providerId),
      provider_job_id: providerId,
      ...deploymentCols(ref),
      base_model: model,
      training_file_id: training.id,
      validation_file_id: validation?.id ?? null,
      status: typeof obj.status === 'string' ? obj.status : 'queued',
      object: obj,
      trace,
      ...ownerOf(r.caller),
    });
    this.usage.enqueue(fineTuneCreateEvent(row));
    await this.scheduler.schedule('ftjob', row.id, trace).catch((e: Error) => this.logger.error({ finetuning_job_id: row.id, err: e.message }, 'could not schedule fine-tuning poller'));
    return toPublicJob(row);
  }

  async list(r: JobsRequest): Promise<OpenAIList<OpenAIFineTuningJob>> {
    const { limit, after } = pageParams(r);
    return page(await this.repo.list(r.caller, { limit, after, provider: str(r.query?.custom_llm_provider) }), limit, toPublicJob);
  }

  async retrieve(r: JobsRequest): Promise<OpenAIFineTuningJob> {
    let row = await this.findVisible(r);
    const obj = await this.provider.json(this.resolver.target(refOf(row), 'fine_tuning'), 'GET', `/fine_tuning/jobs/${encodeURIComponent(row.provider_job_id)}`);
    row = await applyJob(this.repo, row, obj);
    if (FT_TERMINAL.has(row.status) && row.cost_state === 'pending') {
      await this.scheduler.pollNow('ftjob', row.id, row.trace).catch((e: Error) => this.logger.warn({ finetuning_job_id: row.id, err: e.message }, 'could not queue cost check'));
    }
    return toPublicJob(row);
  }

  async cancel(r: JobsRequest): Promise<OpenAIFineTuningJob> {
    const row = await this.findVisible(r);
    const obj = await this.provider.json(this.resolver.target(refOf(row), 'fine_tuning'), 'POST', `/fine_tuning/jobs/${encodeURIComponent(row.provider_job_id)}/cancel`);
    return toPublicJob(await applyJob(this.repo, row, obj));
  }

  async events(r: JobsRequest): Promise<OpenAIList<OpenAIFineTuningEvent>> {
    const row = await this.findVisible(r);
    const { limit, after } = pageParams(r);
    return this.provider.json<OpenAIList<OpenAIFineTuningEvent>>(
      this.resolver.target(refOf(row), 'fine_tuning'),
      'GET',
      `/fine_tuning/jobs/${encodeURIComponent(row.provider_job_id)}/events`,
      { query: { limit: String(limit), after } },
    );
  }

  private async findVisible(r: JobsRequest): Promise<FineTuningRow> {
    const id = pathParam(r, 'fine_tuning_job_id');
    const row = await this.repo.find(id);
    if (!row || !canSee(row, r.caller)) throw notFound(`Could not find fine-tuning job: ${id}`, 'fine_tuning_job_id');
    return row;
  }
}
