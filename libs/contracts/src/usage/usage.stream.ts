import { defineStream } from '../define';

/** Every durable fact about a call (success or failure) lands here first. */
export const UsageStream = defineStream({
  name: 'USAGE',
  subjects: ['usage.>'],
  duplicateWindowSeconds: 600,
  maxAgeSeconds: 7 * 24 * 3600,
});
