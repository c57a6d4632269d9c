import { Inject, Injectable } from '@nestjs/common';
import { JOBS_OPTIONS, ResolvedJobsOptions } from '../jobs.options';
import { quoteIdent } from './rows';

/** Schema-qualified table names (the schema is per deployment / per test run). */
@Injectable()
export class Tables {
  readonly files: string;
  readonly batches: string;
  readonly fineTuningJobs: string;

  constructor(@Inject(JOBS_OPTIONS) opts: ResolvedJobsOptions) {
    const s = quoteIdent(opts.schema);
    this.files = `${s}."files"`;
    this.batches = `${s}."batches"`;
    this.fineTuningJobs = `${s}."fine_tuning_jobs"`;
  }
}
