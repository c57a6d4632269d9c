import { ResolvedKey } from '@tollgate/contracts';
import { DeploymentResolver } from '../routing/deployment-resolver';
import { checkGuardrailOverride, checkRoute, modelDenied } from './common-checks';
import { modelRefusal } from './model-access';

/**
 * The per-request checks of a virtual key, after auth: route allowed, guardrail override allowed,
 * model allowed for key / team / user. Returns the model to route (aliases applied).
 */
export function admitKeyRequest(key: ResolvedKey, route: string, model: string, body: Record<string, unknown>, resolver: DeploymentResolver): string {
  checkRoute(key, route);
  checkGuardrailOverride(key, body);
  const effective = resolver.effectiveModel(model, key);
  const refusal = modelRefusal(key, effective, resolver.litellmModelsOf(effective, key));
  if (refusal) throw modelDenied(refusal.who, refusal.allowed, effective);
  return effective;
}
