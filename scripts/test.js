#!/usr/bin/env node
// Runs every compiled test with Node's built-in test runner: unit specs (*.spec.js) beside the
// code, integration tests (services/*/test, libs/*/test: *.test.js) and end-to-end tests (test/).
// Usage: node scripts/test.js [dir ...]   (default: the whole workspace). Run `npm run build` first.
'use strict';
const { readdirSync, statSync, existsSync } = require('node:fs');
const { join, resolve } = require('node:path');
const { spawnSync } = require('node:child_process');

const root = resolve(__dirname, '..');
const dirs = process.argv.slice(2).length ? process.argv.slice(2) : ['libs', 'services', 'test'];

function walk(dir, out) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules') continue;
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) walk(p, out);
    else if (/\.(spec|test)\.js$/.test(name) && p.includes(`${'/'}dist${'/'}`)) out.push(p);
  }
  return out;
}

const files = dirs.flatMap((d) => walk(resolve(root, d), [])).sort();
if (files.length === 0) {
  console.error('no compiled tests found: run `npm run build` first');
  process.exit(1);
}
const concurrency = process.env.TEST_CONCURRENCY || '2';
const result = spawnSync(
  process.execPath,
  ['--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', '--test-timeout=120000', ...files],
  { stdio: 'inherit', cwd: root, env: { ...process.env, NODE_ENV: 'test' } },
);
process.exit(result.status ?? 1);
