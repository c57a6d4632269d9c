import { DeploymentRef } from '../routing/deployment-resolver';

/** How a row stores its DeploymentRef. */
export interface DeploymentCols {
  custom_llm_provider: string;
  deployment_kind: 'model' | 'settings';
  deployment_ref: string;
  model_name: string | null;
}

export function deploymentCols(ref: DeploymentRef): DeploymentCols {
  return { custom_llm_provider: ref.provider, deployment_kind: ref.kind, deployment_ref: ref.ref, model_name: ref.modelName };
}

export function refOf(row: DeploymentCols): DeploymentRef {
  return { kind: row.deployment_kind, ref: row.deployment_ref, provider: row.custom_llm_provider as DeploymentRef['provider'], modelName: row.model_name };
}

/** `INSERT` column list and placeholders for a plain object (keys are trusted column names). */
export function insertParts(cols: Record<string, unknown>): { names: string; placeholders: string; values: unknown[] } {
  const keys = Object.keys(cols);
  return {
    names: keys.map((k) => `"${k}"`).join(', '),
    placeholders: keys.map((_, i) => `$${i + 1}`).join(', '),
    values: keys.map((k) => {
      const v = cols[k];
      return v !== null && typeof v === 'object' && !(v instanceof Date) ? JSON.stringify(v) : v;
    }),
  };
}
