import { Inject, Injectable } from '@nestjs/common';
import {
  SpendLogsDaySummary, SpendReportApiKey, SpendReportCustomerDay, SpendReportDay, SpendReportModel,
  SpendReportModelKeySpend, SpendReportReply, SpendReportTeamDay,
} from '@tollgate/contracts';
import { LOGGING_OPTIONS, ResolvedLoggingOptions } from '../logging.options';
import { DAY_MS } from '../spend-logs/spend-logs.query';
import { SpendLogsRepository } from '../spend-logs/spend-logs.repository';
import { ReportFilter, SummaryFilter } from './spend-report.query';
import { apiKeySql, daySql, modelSql, partyDaySql, summarySql } from './spend-report.sql';

interface SummaryRow { day: string; api_key: string; user: string; model: string; g: number; spend: string }
interface PartyRow { day: string; party: string; model: string; api_key: string; g: number; alias: string | null; spend: string; total_tokens: string }
interface ApiKeyRow { api_key: string; model: string; g: number; spend: string; input_tokens: string; output_tokens: string }
interface TotalsRow { spend: string; input_tokens: string; output_tokens: string; total_tokens: string; requests: string }

/** `2024-04-30` → `2024-04-30T00:00:00+00:00` (LiteLLM's group_by_day) */
const dayStamp = (day: string): string => `${day}T00:00:00+00:00`;

/** `/spend/logs?summarize=true` and `/global/spend/report`, in LiteLLM's shapes. */
@Injectable()
export class SpendReportService {
  constructor(private readonly repo: SpendLogsRepository, @Inject(LOGGING_OPTIONS) private readonly opts: ResolvedLoggingOptions) {}

  /** One entry per day of the range (zero when nothing was spent); [] when the range holds no rows at all. */
  async summary(f: SummaryFilter): Promise<SpendLogsDaySummary[]> {
    const rows = await this.repo.run<SummaryRow>(summarySql(this.opts.schema, f));
    if (rows.length === 0) return [];
    const days = new Map<string, SpendLogsDaySummary>();
    for (let t = f.from.getTime(); t < f.to.getTime(); t += DAY_MS) {
      const day = new Date(t).toISOString().slice(0, 10);
      days.set(day, { startTime: day, spend: 0, users: {}, models: {} });
    }
    for (const r of rows) {
      const entry = days.get(r.day);
      if (!entry) continue;
      const spend = Number(r.spend);
      const g = Number(r.g);
      if (g === 7) entry.spend = spend;
      else if (g === 3) entry[r.api_key] = spend;
      else if (g === 5) entry.users[r.user] = spend;
      else if (g === 6) entry.models[r.model] = spend;
    }
    return [...days.values()];
  }

  report(f: ReportFilter): Promise<SpendReportReply> {
    switch (f.groupBy) {
      case 'team':
        return this.partyDays(f, 'team');
      case 'customer':
        return this.partyDays(f, 'customer');
      case 'api_key':
        return this.byApiKey(f);
      case 'model':
        return this.byModel(f);
      case 'day':
        return this.byDay(f);
    }
  }

  private async partyDays(f: ReportFilter, party: 'team' | 'customer'): Promise<SpendReportTeamDay[] | SpendReportCustomerDay[]> {
    const rows = await this.repo.run<PartyRow>(partyDaySql(this.opts.schema, f, party));
    type Party = { total: number; alias: string | null; metadata: SpendReportModelKeySpend[] };
    const days = new Map<string, Map<string, Party>>();
    for (const r of rows) {
      let parties = days.get(r.day);
      if (!parties) days.set(r.day, (parties = new Map()));
      let p = parties.get(r.party);
      if (!p) parties.set(r.party, (p = { total: 0, alias: null, metadata: [] }));
      if (Number(r.g) === 3) {
        p.total = Number(r.spend);
        p.alias = r.alias;
      } else {
        p.metadata.push({ model: r.model, api_key: r.api_key, spend: Number(r.spend), total_tokens: Number(r.total_tokens) });
      }
    }
    const out = [...days].map(([day, parties]) => {
      const list = [...parties].map(([id, p]) => ({ id, ...p }));
      return party === 'team'
        ? {
            group_by_day: dayStamp(day),
            teams: list.map((p) => ({ team_name: p.alias || p.id || 'Unassigned Team', team_id: p.id, total_spend: p.total, metadata: p.metadata })),
          }
        : { group_by_day: dayStamp(day), customers: list.map((p) => ({ customer: p.id, total_spend: p.total, metadata: p.metadata })) };
    });
    return out as SpendReportTeamDay[] | SpendReportCustomerDay[];
  }

  private async byApiKey(f: ReportFilter): Promise<SpendReportApiKey[]> {
    const rows = await this.repo.run<ApiKeyRow>(apiKeySql(this.opts.schema, f));
    const keys = new Map<string, SpendReportApiKey>();
    const entry = (k: string): SpendReportApiKey => {
      let e = keys.get(k);
      if (!e) keys.set(k, (e = { api_key: k, total_cost: 0, total_input_tokens: 0, total_output_tokens: 0, model_details: [] }));
      return e;
    };
    for (const r of rows) {
      const e = entry(r.api_key);
      const cost = Number(r.spend);
      const input = Number(r.input_tokens);
      const output = Number(r.output_tokens);
      if (Number(r.g) === 1) Object.assign(e, { total_cost: cost, total_input_tokens: input, total_output_tokens: output });
      else e.model_details.push({ model: r.model, total_cost: cost, total_input_tokens: input, total_output_tokens: output });
    }
    for (const e of keys.values()) e.model_details.sort((a, b) => b.total_cost - a.total_cost || a.model.localeCompare(b.model));
    return [...keys.values()].sort((a, b) => b.total_cost - a.total_cost || a.api_key.localeCompare(b.api_key));
  }

  private async byModel(f: ReportFilter): Promise<SpendReportModel[]> {
    const rows = await this.repo.run<TotalsRow & { model: string }>(modelSql(this.opts.schema, f));
    return rows.map((r) => ({ model: r.model, ...totals(r, 'total_cost') })) as SpendReportModel[];
  }

  private async byDay(f: ReportFilter): Promise<SpendReportDay[]> {
    const rows = await this.repo.run<TotalsRow & { day: string }>(daySql(this.opts.schema, f));
    return rows.map((r) => ({ group_by_day: dayStamp(r.day), ...totals(r, 'total_spend') })) as SpendReportDay[];
  }
}

function totals(r: TotalsRow, spendName: 'total_cost' | 'total_spend'): Record<string, number> {
  return {
    [spendName]: Number(r.spend),
    total_input_tokens: Number(r.input_tokens),
    total_output_tokens: Number(r.output_tokens),
    total_tokens: Number(r.total_tokens),
    api_requests: Number(r.requests),
  };
}
