import { defineEvent } from '../define';
import { StandardLoggingPayload } from './standard-logging-payload';
import { UsageStream } from './usage.stream';

/** A call succeeded; published by the gateway (and jobs, for batch costs). */
export const UsageRecorded = defineEvent<StandardLoggingPayload>(UsageStream, 'usage.recorded');
