import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SseParser, readSse } from './sse';
import type { SseEvent } from '../providers/provider';

function parseAll(chunks: Array<Uint8Array | string>): SseEvent[] {
  const p = new SseParser();
  const out: SseEvent[] = [];
  for (const c of chunks) out.push(...p.push(c));
  out.push(...p.end());
  return out;
}

const SAMPLE =
  ': keep-alive comment\n\n' +
  'event: message_start\ndata: {"type":"message_start","text":"héllo 👋"}\n\n' +
  'data: line one\ndata: line two\n\n' +
  'event: only-event-no-data\n\n' +
  'data:no-space\r\n\r\n' +
  'data: [DONE]\n\n';

const EXPECTED: SseEvent[] = [
  { event: 'message_start', data: '{"type":"message_start","text":"héllo 👋"}' },
  { data: 'line one\nline two' },
  { data: 'no-space' },
  { data: '[DONE]' },
];

describe('SseParser', () => {
  test('parses events, joins multi-line data, skips comments and data-less events', () => {
    assert.deepEqual(parseAll([Buffer.from(SAMPLE)]), EXPECTED);
  });

  test('gives the same events however the bytes are split (inside lines, CRLF, UTF-8 characters)', () => {
    const bytes = Buffer.from(SAMPLE);
    for (let cut = 1; cut < bytes.length; cut++) {
      assert.deepEqual(parseAll([bytes.subarray(0, cut), bytes.subarray(cut)]), EXPECTED, `split at byte ${cut}`);
    }
    const oneByOne: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i++) oneByOne.push(bytes.subarray(i, i + 1));
    assert.deepEqual(parseAll(oneByOne), EXPECTED);
  });

  test('accepts \\r\\n\\r\\n and bare \\r separators, also split between \\r and \\n', () => {
    const crlf = 'event: a\r\ndata: 1\r\n\r\ndata: 2\r\n\r\n';
    assert.deepEqual(parseAll([crlf]), [{ event: 'a', data: '1' }, { data: '2' }]);
    assert.deepEqual(parseAll(['data: 1\r', '\n\r', '\ndata: 2\r\n', '\r\n']), [{ data: '1' }, { data: '2' }]);
    assert.deepEqual(parseAll(['data: 1\r\rdata: 2\r\r']), [{ data: '1' }, { data: '2' }]);
  });

  test('returns events as soon as their blank line arrives', () => {
    const p = new SseParser();
    assert.deepEqual(p.push('data: {"a":'), []);
    assert.deepEqual(p.push('1}\n'), []);
    assert.deepEqual(p.push('\ndata: x'), [{ data: '{"a":1}' }]);
    assert.deepEqual(p.end(), [{ data: 'x' }], 'an unterminated last event is still delivered at end()');
  });

  test('a long line arriving in many pieces is reassembled exactly', () => {
    const long = 'x'.repeat(100_000);
    const text = `data: ${long}\n\n`;
    const pieces: string[] = [];
    for (let i = 0; i < text.length; i += 7) pieces.push(text.slice(i, i + 7));
    const events = parseAll(pieces);
    assert.equal(events.length, 1);
    assert.equal(events[0].data.length, 100_000);
  });

  test('readSse yields events from an async iterable of bytes', async () => {
    async function* body(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('data: a\n');
      yield Buffer.from('\ndata: b\n\n');
    }
    const out: SseEvent[] = [];
    for await (const e of readSse(body())) out.push(e);
    assert.deepEqual(out, [{ data: 'a' }, { data: 'b' }]);
  });
});
