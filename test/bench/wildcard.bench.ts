// Worst-case policy wildcard matching (issue 8, finding 3): a Resource with 12
// wildcards (`*a*a...*b`, which never matches a run of a's) against topics of
// 256, 512 and 1024 characters, against matching a literal pattern of the same
// length, both measured in this run. Time per character should stay flat
// (linear in the input); a backtracking matcher did not end at 120 characters.
import { evaluate } from '../../src/core/policy';

const ARN = 'arn:aws:iot:us-east-1:123456789012:topic/';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(f: () => unknown, runs: number): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f();
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

const decide = (pattern: string, topic: string) => () =>
  evaluate({ policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Publish', Resource: ARN + pattern }] }], action: 'iot:Publish', resource: ARN + topic });

const WORST = '*a'.repeat(12) + '*b';
const RUNS = 300;
console.log('| topic length | 12 wildcards median (ms) | literal pattern median (ms) | ratio | wildcard µs per character |');
console.log('|---:|---:|---:|---:|---:|');
for (const n of [256, 512, 1024]) {
  const topic = 'a'.repeat(n);
  const worst = decide(WORST, topic);
  const literal = decide(topic.slice(0, -1) + 'b', topic);
  for (let i = 0; i < 50; i++) { worst(); literal(); }
  const w = time(worst, RUNS);
  const l = time(literal, RUNS);
  console.log(`| ${n} | ${w.toFixed(4)} | ${l.toFixed(4)} | ${(w / l).toFixed(1)}x | ${((w * 1000) / n).toFixed(3)} |`);
}
