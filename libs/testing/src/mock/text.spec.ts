import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { answerPieces, countWords, mockAnswer, mockEmbedding, mockToolArguments, splitArguments, toolCallTokens } from './text';

describe('mock upstream model', () => {
  test('answers with an echo of the last text, whitespace collapsed', () => {
    assert.equal(mockAnswer('  hi\n there '), 'Hello from mock. You said: hi there');
    assert.equal(mockAnswer(''), 'Hello from mock.');
    assert.equal(mockAnswer('x', 'Fixed  reply'), 'Fixed reply');
  });

  test('one stream piece per word; max_tokens truncates', () => {
    assert.deepEqual(answerPieces('a b c'), { pieces: ['a', ' b', ' c'], truncated: false });
    assert.deepEqual(answerPieces('a b c', 2), { pieces: ['a', ' b'], truncated: true });
    assert.equal(countWords('a  b\tc\n'), 3);
  });

  test('tool arguments follow the schema and are streamed in 10-character pieces', () => {
    const args = mockToolArguments({ type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer' }, metric: { type: 'boolean' } } }, 'Paris');
    assert.deepEqual(JSON.parse(args), { city: 'Paris', days: 42, metric: true });
    assert.equal(splitArguments(args).join(''), args);
    assert.ok(splitArguments(args).every((p) => p.length <= 10));
    assert.equal(toolCallTokens(args), 1 + Math.ceil(args.length / 10));
  });

  test('embeddings are deterministic, sized, and differ by text', () => {
    const a = mockEmbedding('red apple', 16);
    assert.equal(a.length, 16);
    assert.deepEqual(mockEmbedding('red apple', 16), a);
    assert.notDeepEqual(mockEmbedding('green pear', 16), a);
    assert.ok(a.every((v) => v >= -1 && v <= 1));
  });
});
