// Validation speed of a response with ten maximal (≈2048-character) policy
// documents given as JSON strings, against JSON.parse on the same text,
// both measured in this run. Prints the median and the ratio; no assertions.
import { validateText } from '../../src/core/authoring';

function maximalPolicy(i: number): string {
  const statements: unknown[] = [{ Effect: 'Allow', Action: 'iot:Connect', Resource: 'arn:aws:iot:us-east-1:123456789012:client/${iot:ClientId}' }];
  let doc = '';
  for (let n = 0; ; n++) {
    const next = [...statements, {
      Effect: n % 5 === 4 ? 'Deny' : 'Allow',
      Action: ['iot:Publish', 'iot:Receive'],
      Resource: [`arn:aws:iot:us-east-1:123456789012:topic/fleet${i}/\${iot:ClientId}/s${n}/*`],
    }];
    const candidate = JSON.stringify({ Version: '2012-10-17', Statement: next });
    if (candidate.length > 2048) break;
    statements.push(next[next.length - 1]);
    doc = candidate;
  }
  // Pad with a Sid to reach exactly 2048 characters.
  const pad = 2048 - doc.length - ',"Sid":""'.length;
  if (pad > 0) doc = doc.replace('{"Effect":"Allow","Action":"iot:Connect"', `{"Sid":"${'S'.repeat(pad)}","Effect":"Allow","Action":"iot:Connect"`);
  return doc;
}

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

const docs = Array.from({ length: 10 }, (_, i) => maximalPolicy(i));
const text = JSON.stringify({ isAuthenticated: true, principalId: 'device1', disconnectAfterInSeconds: 86400, refreshAfterInSeconds: 300, policyDocuments: docs }, null, 2);
const findings = validateText(text, 'response');
const objText = JSON.stringify({ isAuthenticated: true, principalId: 'device1', policyDocuments: docs.map((d) => JSON.parse(d)) }, null, 2);

// Warm up both paths.
for (let i = 0; i < 200; i++) { validateText(text, 'response'); JSON.parse(text); validateText(objText, 'response'); }
const RUNS = 1000;
const v = time(() => validateText(text, 'response'), RUNS);
const p = time(() => JSON.parse(text), RUNS);
const vo = time(() => validateText(objText, 'response'), RUNS);
const po = time(() => JSON.parse(objText), RUNS);

console.log(`response: 10 string policy documents of ${docs.map((d) => d.length).join('/')} characters; ${text.length} characters in all; ${findings.length} finding(s): ${[...new Set(findings.map((f) => f.code))].join(', ') || 'none'}`);
console.log('| case | validateText median (ms) | JSON.parse median (ms) | ratio |');
console.log('|---|---:|---:|---:|');
console.log(`| documents as strings | ${v.toFixed(3)} | ${p.toFixed(4)} | ${(v / p).toFixed(1)}x |`);
console.log(`| documents as objects | ${vo.toFixed(3)} | ${po.toFixed(4)} | ${(vo / po).toFixed(1)}x |`);
