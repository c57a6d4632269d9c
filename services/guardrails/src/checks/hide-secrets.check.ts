import { CHECK_PARAMS } from '@tollgate/contracts';
import { secretDetectors } from '../detect/patterns';
import { countByLabel, findAll, replaceSpans } from '../detect/spans';
import { CheckFactory, CheckResult, sameForEveryMode } from './check';

export const SECRET_MASK = '[REDACTED]';

/**
 * `hide-secrets`: API keys, tokens, private keys and passwords are replaced by `[REDACTED]` before
 * the model (pre_call) or the caller (post_call) sees them. Only the secret itself is masked, not the
 * `api_key=` in front of it, so the text still reads.
 */
export const hideSecretsCheck: CheckFactory = {
  params: CHECK_PARAMS['hide-secrets'],
  create() {
    const detectors = secretDetectors();
    return sameForEveryMode(this.params, ({ texts }): CheckResult => {
      const counts: Record<string, number> = {};
      const out = texts.map((t) => {
        const spans = findAll(detectors, t);
        if (spans.length === 0) return t;
        countByLabel(spans, counts);
        return replaceSpans(t, spans, () => SECRET_MASK);
      });
      if (Object.keys(counts).length === 0) return { action: 'allow' };
      return { action: 'modify', texts: out, maskedEntityCount: counts, response: { masked_entity_count: counts } };
    });
  },
};
