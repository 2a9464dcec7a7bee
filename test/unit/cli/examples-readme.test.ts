import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli } from './simulate.test';

const repo = path.resolve(__dirname, '../../../..');

/** The `iot-authz …` commands of a markdown file's code blocks, continuation lines joined, as argv arrays. */
function readmeCommands(file: string): string[][] {
  const text = fs.readFileSync(file, 'utf8');
  const blocks = [...text.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].map((m) => m[1].replace(/\\\n\s*/g, ' '));
  return blocks
    .flatMap((b) => b.split('\n'))
    .map((l) => l.trim())
    .filter((l) => l.startsWith('iot-authz '))
    .map((l) => [...l.slice('iot-authz '.length).matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]));
}

describe("examples/README: every command of the guide works on a fresh clone's examples", function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iot-authz-readme-'));
    fs.cpSync(path.join(repo, 'examples'), path.join(dir, 'examples'), { recursive: true, filter: (src) => !src.endsWith(`${path.sep}keys`) });
    fs.cpSync(path.join(repo, 'docs', 'mistakes'), path.join(dir, 'docs', 'mistakes'), { recursive: true });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('runs them in order from the repository root: exit 0, except validate of the response with mistakes (1)', async () => {
    const commands = readmeCommands(path.join(repo, 'examples', 'README.md'));
    assert.ok(commands.some((c) => c[0] === 'simulate') && commands.some((c) => c[0] === 'invoke'), JSON.stringify(commands));
    for (const argv of commands) {
      // keygen would refuse to replace the pair the test run generated; the guide offers it for your own pair.
      if (argv[0] === 'keygen') continue;
      const r = await cli(argv, dir);
      const expected = argv[0] === 'validate' && argv.some((a) => a.includes('mistakes')) ? 1 : 0;
      assert.equal(r.code, expected, `iot-authz ${argv.join(' ')}\n${r.out}${r.err}`);
    }
  });

  it("the walkthrough's policy file allows publishing to the topic the handler allows", async () => {
    const r = await cli(['simulate', '--policies', 'examples/walkthrough.iot-policy.json', '--action', 'iot:Publish', '--resource', 'customAuthTestTopic'], dir);
    assert.equal(r.code, 0, r.out + r.err);
    const py = fs.readFileSync(path.join(repo, 'examples', 'lambda', 'python', 'lambda_function.py'), 'utf8');
    assert.match(py, /TOPIC = "customAuthTestTopic"/);
  });
});
