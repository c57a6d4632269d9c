import { ContentFilterPrebuilt } from '@tollgate/contracts';
import { Detector, regexDetector } from './spans';
import { digitCount, ibanValid, luhnValid } from './validators';

/**
 * The regex library shared by the content filter, the built-in Presidio recognizers and
 * hide-secrets. Each entry is a detector factory so a caller can label spans its own way.
 */
const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';

export const REGEX = {
  us_ssn: /\b(?!000|666|9\d\d)\d{3}([- ])(?!00)\d{2}\1(?!0000)\d{4}\b/,
  email: /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b/,
  phone_nanp: /(?<![\w+])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?![\w])/,
  phone_intl: /(?<![\w+])\+\d{1,3}(?:[\s.-]?\(?\d{1,4}\)?){2,5}(?![\w])/,
  visa: /\b4\d{3}(?:[ -]?\d{4}){3}\b/,
  mastercard: /\b(?:5[1-5]\d{2}|222[1-9]|22[3-9]\d|2[3-6]\d{2}|27[01]\d|2720)(?:[ -]?\d{4}){3}\b/,
  amex: /\b3[47]\d{2}[ -]?\d{6}[ -]?\d{5}\b/,
  any_card: /\b[2-6](?:\d[ -]?){11,17}\d\b/,
  iban: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b/,
  ipv4: new RegExp(`(?<![\\d.])(?:${OCTET}\\.){3}${OCTET}(?![\\d]|\\.\\d)`),
  url: /\b(?:https?:\/\/|www\.)[^\s<>"'`]*[^\s<>"'`.,;:!?)\]]/i,
  aws_access_key: /\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}\b/,
  aws_secret_key: /(?:aws_?secret_?(?:access_?)?key|secret_?access_?key)["']?\s*[:=]\s*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/i,
  github_token: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b/,
  openai_api_key: /(?<![\w-])sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/,
  anthropic_api_key: /(?<![\w-])sk-ant-[A-Za-z0-9_-]{20,}/,
  slack_token: /\bxox[abposr]-[A-Za-z0-9-]{10,}/,
  stripe_key: /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}/,
  google_api_key: /\bAIza[0-9A-Za-z_-]{35}\b/,
  private_key: /-----BEGIN (?:[A-Z]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?-----END (?:[A-Z]+ )*PRIVATE KEY(?: BLOCK)?-----/,
  jwt: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/,
  bearer_token: /\bbearer\s+([A-Za-z0-9._~+/-]{20,}=*)/i,
  url_password: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:([^\s@/]+)@/i,
  assigned_secret: /\b(?:api[_-]?key|secret|token|passw(?:or)?d|pwd|access[_-]?key)\b["']?\s*[:=]\s*["']?([^\s"',;]{8,})/i,
} as const;

const PHONE_DIGITS = digitCount(8, 15);

export function phoneDetectors(label: string): Detector[] {
  return [regexDetector(label, REGEX.phone_nanp), regexDetector(label, REGEX.phone_intl, { validate: PHONE_DIGITS })];
}

/** The content filter's prebuilt patterns (LiteLLM's identifiers). Cards are Luhn-checked, IBANs mod-97. */
export function prebuiltDetectors(name: ContentFilterPrebuilt, label: string): Detector[] {
  switch (name) {
    case 'us_ssn':
      return [regexDetector(label, REGEX.us_ssn)];
    case 'email':
      return [regexDetector(label, REGEX.email)];
    case 'phone':
      return phoneDetectors(label);
    case 'visa':
      return [regexDetector(label, REGEX.visa, { validate: luhnValid })];
    case 'mastercard':
      return [regexDetector(label, REGEX.mastercard, { validate: luhnValid })];
    case 'amex':
      return [regexDetector(label, REGEX.amex, { validate: luhnValid })];
    case 'iban':
      return [regexDetector(label, REGEX.iban, { validate: ibanValid })];
    case 'ipv4':
      return [regexDetector(label, REGEX.ipv4)];
    case 'aws_access_key':
      return [regexDetector(label, REGEX.aws_access_key)];
    case 'aws_secret_key':
      return [regexDetector(label, REGEX.aws_secret_key, { group: 1 })];
    case 'github_token':
      return [regexDetector(label, REGEX.github_token)];
    case 'openai_api_key':
      return [regexDetector(label, REGEX.openai_api_key)];
  }
}

/** The built-in recognizers standing in for a Presidio analyzer, by Presidio entity type. */
export function presidioRecognizers(): Detector[] {
  return [
    regexDetector('CREDIT_CARD', REGEX.any_card, { validate: luhnValid }),
    regexDetector('IBAN_CODE', REGEX.iban, { validate: ibanValid }),
    regexDetector('US_SSN', REGEX.us_ssn),
    regexDetector('EMAIL_ADDRESS', REGEX.email),
    regexDetector('URL', REGEX.url),
    regexDetector('IP_ADDRESS', REGEX.ipv4),
    ...phoneDetectors('PHONE_NUMBER'),
  ];
}

/** What hide-secrets looks for: credentials, tokens, private keys. */
export function secretDetectors(): Detector[] {
  return [
    regexDetector('private_key', REGEX.private_key),
    regexDetector('aws_access_key', REGEX.aws_access_key),
    regexDetector('aws_secret_key', REGEX.aws_secret_key, { group: 1 }),
    regexDetector('github_token', REGEX.github_token),
    regexDetector('anthropic_api_key', REGEX.anthropic_api_key),
    regexDetector('openai_api_key', REGEX.openai_api_key),
    regexDetector('slack_token', REGEX.slack_token),
    regexDetector('stripe_key', REGEX.stripe_key),
    regexDetector('google_api_key', REGEX.google_api_key),
    regexDetector('jwt', REGEX.jwt),
    regexDetector('bearer_token', REGEX.bearer_token, { group: 1 }),
    regexDetector('url_password', REGEX.url_password, { group: 1 }),
    regexDetector('assigned_secret', REGEX.assigned_secret, { group: 1 }),
  ];
}
