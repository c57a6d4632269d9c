import { defineEvent } from '../define';
import { StandardLoggingPayload } from './standard-logging-payload';
import { UsageStream } from './usage.stream';

/** A call failed (auth, validation, provider or guardrail); logged with status "failure". */
export const UsageFailed = defineEvent<StandardLoggingPayload>(UsageStream, 'usage.failed');
