/**
 * Emulator and evaluator benchmarks. Every figure is a ratio against a
 * reference measured in the same run; nothing is asserted on time.
 *  1. A warm local run of the Node.js example (signature, event, handler in a
 *     child process, validation, decision) against spawning `node -e 0`.
 *  2. Policy evaluator decisions per second against a plain RegExp test loop
 *     and JSON.parse of the same policy.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { loadDefinitionFile, runConnection } from '../../src/core/emulator';
import { evaluate, PolicyDocument } from '../../src/core/policy';

const repo = path.resolve(__dirname, '../../..');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function timeIt(runs: number, f: () => Promise<unknown> | unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await f();
    times.push(performance.now() - t);
  }
  return median(times);
}

async function emulatorRun(): Promise<void> {
  const def = loadDefinitionFile(path.join(repo, 'examples/walkthrough-mqtt.authorizer.json'));
  const run = () =>
    runConnection({
      definition: def,
      input: { protocol: 'mqtt', clientId: 'walkthroughClient', username: 'walkthrough-device', password: 'example-password-not-a-secret' },
      operations: ['iot:Publish customAuthTestTopic'],
      allowCodeExecution: true,
    });
  await run(); // warm-up
  const emu = await timeIt(15, run);
  const ref = await timeIt(15, () => new Promise((resolve) => spawn(process.execPath, ['-e', '0'], { stdio: 'ignore', env: { PATH: process.env.PATH } }).on('close', resolve)));
  console.log(`emulator: Node.js example connection ${emu.toFixed(1)} ms median; spawn node -e 0 ${ref.toFixed(1)} ms; ratio ${(emu / ref).toFixed(2)}x`);
}

function evaluatorThroughput(): void {
  const arn = 'arn:aws:iot:us-east-1:123456789012';
  const doc: PolicyDocument = {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 'iot:Connect', Resource: `${arn}:client/\${iot:ClientId}` },
      { Effect: 'Allow', Action: ['iot:Publish', 'iot:Receive'], Resource: `${arn}:topic/\${iot:ClientId}/*` },
      { Effect: 'Deny', Action: 'iot:Publish', Resource: `${arn}:topic/\${iot:ClientId}/secret` },
      { Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${arn}:topicfilter/\${iot:ClientId}/*` },
    ],
  };
  const text = JSON.stringify(doc);
  const n = 50_000;
  const resources = Array.from({ length: 64 }, (_, i) => `${arn}:topic/dev${i % 8}/t${i}`);
  let sink = 0;
  let t = performance.now();
  for (let i = 0; i < n; i++) {
    const r = evaluate({ policies: [doc], action: 'iot:Publish', resource: resources[i % 64], context: { clientId: `dev${i % 8}` } });
    if (r.decision === 'allow') sink++;
  }
  const evalMs = performance.now() - t;
  const re = /^arn:aws:iot:us-east-1:123456789012:topic\/dev3\/.*$/s;
  t = performance.now();
  for (let i = 0; i < n; i++) if (re.test(resources[i % 64])) sink++;
  const reMs = performance.now() - t;
  t = performance.now();
  for (let i = 0; i < n; i++) sink += (JSON.parse(text) as PolicyDocument).Version ? 1 : 0;
  const parseMs = performance.now() - t;
  const perSec = (ms: number) => Math.round((n / ms) * 1000);
  console.log(
    `evaluator: ${perSec(evalMs)} decisions/s; RegExp.test ${perSec(reMs)}/s (evaluate is ${(evalMs / reMs).toFixed(1)}x slower); ` +
      `JSON.parse of the policy ${perSec(parseMs)}/s (evaluate costs ${(evalMs / parseMs).toFixed(2)}x a parse) [sink ${sink > 0}]`,
  );
}

async function main(): Promise<void> {
  evaluatorThroughput();
  await emulatorRun();
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
