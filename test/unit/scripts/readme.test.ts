import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const repo = path.resolve(__dirname, '../../../..');
const readme = () => fs.readFileSync(path.join(repo, 'README.md'), 'utf8');

describe('README: what a new user needs before the first start', () => {
  it('names the node-gyp prerequisites that .ci/run installs', () => {
    const ci = fs.readFileSync(path.join(repo, '.ci', 'run'), 'utf8');
    for (const tool of ['g++', 'make', 'python3']) {
      assert.ok(ci.includes(`|| need+=(${tool})`), `.ci/run installs ${tool}`);
      assert.ok(readme().includes(`\`${tool}\``), `README names ${tool}`);
    }
  });

  it('says one thing about npm ci: the commands run it themselves (bootstrap.mjs does)', () => {
    assert.doesNotMatch(readme(), /`npm ci` first/);
    assert.match(readme(), /No separate `npm ci` step/);
    assert.match(fs.readFileSync(path.join(repo, 'scripts', 'bootstrap.mjs'), 'utf8'), /\['ci', '--no-audit', '--no-fund'\]/);
  });

  it("says where npm start's workspace is", () => {
    assert.ok(readme().includes('.vscode-test/start/workspace/examples'));
    assert.ok(fs.readFileSync(path.join(repo, 'scripts', 'examples-workspace.mjs'), 'utf8').includes("join(repoRoot, '.vscode-test', 'start', 'workspace', 'examples')"));
  });
});
