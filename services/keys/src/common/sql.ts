import { Inject, Injectable } from '@nestjs/common';
import { KEYS_OPTIONS, ResolvedKeysOptions } from '../keys.options';
import { quoteIdent } from './rows';

/** Schema-qualified table names for the raw queries (the schema is per deployment / per test run). */
@Injectable()
export class Tables {
  readonly keys: string;
  readonly users: string;
  readonly teams: string;
  readonly members: string;
  readonly models: string;
  readonly deletedKeys: string;

  constructor(@Inject(KEYS_OPTIONS) opts: ResolvedKeysOptions) {
    const s = quoteIdent(opts.schema);
    this.keys = `${s}."keys"`;
    this.users = `${s}."users"`;
    this.teams = `${s}."teams"`;
    this.members = `${s}."team_members"`;
    this.models = `${s}."team_models"`;
    this.deletedKeys = `${s}."deleted_keys"`;
  }
}
