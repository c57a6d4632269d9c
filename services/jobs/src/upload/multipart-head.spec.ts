import { test } from 'node:test';
import assert from 'node:assert/strict';
import { boundaryOf, parseHead } from './multipart-head';

const B = 'XyZ';
const part = (name: string, value: string): string => `--${B}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
const filePart = (content: string): string => `--${B}\r\nContent-Disposition: form-data; name="file"; filename="a.jsonl"\r\nContent-Type: application/jsonl\r\n\r\n${content}\r\n`;
const end = `--${B}--\r\n`;

test('reads fields before the file, drops routing fields, keeps the rest byte for byte', () => {
  const body = part('purpose', 'batch') + part('custom_llm_provider', 'azure') + filePart('{"a":1}') + end;
  const head = parseHead(Buffer.from(body), B, true)!;
  assert.deepEqual(head.fields, { purpose: 'batch', custom_llm_provider: 'azure' });
  assert.equal(head.forward.toString(), part('purpose', 'batch') + filePart('{"a":1}') + end);
  assert.equal(head.removedBytes, Buffer.byteLength(part('custom_llm_provider', 'azure')));
});

test('needs more bytes until the file part header is complete', () => {
  const body = Buffer.from(part('purpose', 'fine-tune') + `--${B}\r\nContent-Disposition: form-data; name="file"; filename="x"`);
  assert.equal(parseHead(body, B, false), null);
  assert.throws(() => parseHead(body, B, true), /no file part/);
});

test('a file-first body forwards unchanged', () => {
  const body = filePart('x'.repeat(10)) + part('purpose', 'batch') + end;
  const head = parseHead(Buffer.from(body), B, false)!;
  assert.deepEqual(head.fields, {});
  assert.equal(head.forward.toString(), body);
  assert.equal(head.removedBytes, 0);
});

test('boundary from the content type', () => {
  assert.equal(boundaryOf('multipart/form-data; boundary=----abc'), '----abc');
  assert.equal(boundaryOf('multipart/form-data; boundary="q q"'), 'q q');
  assert.throws(() => boundaryOf('application/json'));
});
