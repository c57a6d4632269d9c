import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import pino from 'pino';
import type { Logger } from '@tollgate/config';
import { PinoNestLogger } from './pino-nest-logger';

function capture(): { logger: Logger; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const logger = pino({ level: 'trace', redact: ['data.authorization'] }, stream) as unknown as Logger;
  return { logger, lines: () => chunks.join('').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>) };
}

test("Nest's calls become pino lines with the context, the error and structured data", () => {
  const { logger, lines } = capture();
  const nest = new PinoNestLogger(logger);
  nest.log('Nest microservice successfully started', 'NestMicroservice');
  nest.error(new Error('no responders'), 'rpc');
  nest.verbose({ authorization: 'Bearer sk-secret' }, 'ClientNats');
  nest.fatal('gone');
  const [started, failed, data, fatal] = lines();
  assert.deepEqual([started.level, started.context, started.msg], [30, 'NestMicroservice', 'Nest microservice successfully started']);
  assert.deepEqual([failed.level, failed.context, failed.msg, (failed.err as { message: string }).message], [50, 'rpc', 'no responders', 'no responders']);
  assert.deepEqual([data.level, data.msg, data.data], [10, 'nest', { authorization: '[Redacted]' }]);
  assert.deepEqual([fatal.level, fatal.msg, fatal.context], [60, 'gone', undefined]);
});
