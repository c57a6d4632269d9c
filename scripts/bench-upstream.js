#!/usr/bin/env node
// A lean OpenAI-compatible upstream for `npm run bench`: fixed answers, no recording, keep-alive.
// Usage: node scripts/bench-upstream.js <port>
'use strict';
const http = require('node:http');

const port = Number(process.argv[2] || 0);
const completion = JSON.stringify({
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created: 1700000000,
  model: 'gpt-4o-mini',
  choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'Hello! This is a benchmark answer of a typical short length.' } }],
  usage: { prompt_tokens: 12, completion_tokens: 14, total_tokens: 26 },
});
const words = ['Hello', '!', ' This', ' is', ' a', ' streamed', ' benchmark', ' answer', '.'];
function chunk(delta, finish, usage) {
  return `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1700000000, model: 'gpt-4o-mini', choices: usage ? [] : [{ index: 0, delta, finish_reason: finish }], ...(usage ? { usage } : {}) })}\n\n`;
}
const streamBody =
  words.map((w, i) => chunk(i === 0 ? { role: 'assistant', content: w } : { content: w }, null)).join('') +
  chunk({}, 'stop') +
  chunk(null, null, { prompt_tokens: 12, completion_tokens: 9, total_tokens: 21 }) +
  'data: [DONE]\n\n';

const server = http.createServer((req, res) => {
  const parts = [];
  req.on('data', (d) => parts.push(d));
  req.on('end', () => {
    const body = Buffer.concat(parts).toString();
    if (body.includes('"stream":true')) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(streamBody);
    } else {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(completion) });
      res.end(completion);
    }
  });
});
server.keepAliveTimeout = 60000;
server.listen(port, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
