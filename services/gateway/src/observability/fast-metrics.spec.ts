import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FastCounter, FastHistogram } from './fast-metrics';

test('counters sum per label set and render in the Prometheus text format, values escaped', () => {
  const c = new FastCounter('x_total', 'help text', ['a', 'b']);
  c.inc(['1', 'q"\\\n']);
  c.inc(['1', 'q"\\\n'], 2.5);
  c.inc(['2', '']);
  assert.equal(c.render(), '# HELP x_total help text\n# TYPE x_total counter\nx_total{a="1",b="q\\"\\\\\\n"} 3.5\nx_total{a="2",b=""} 1\n');
});

test('histograms count each observation in its bucket and render cumulative buckets, sum and count', () => {
  const h = new FastHistogram('lat', 'latency', ['m'], [0.1, 1, 10]);
  for (const v of [0.05, 0.1, 0.5, 5, 50]) h.observe(['x'], v);
  const lines = h.render().split('\n');
  assert.deepEqual(lines.slice(2, 9), [
    'lat_bucket{m="x",le="0.1"} 2',
    'lat_bucket{m="x",le="1"} 3',
    'lat_bucket{m="x",le="10"} 4',
    'lat_bucket{m="x",le="+Inf"} 5',
    'lat_sum{m="x"} 55.65',
    'lat_count{m="x"} 5',
    '',
  ]);
});
