import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

const repo = path.resolve(__dirname, '../../../..');

function gitStatus(): string {
  return execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: repo, encoding: 'utf8' });
}

/** Runs scripts/examples-workspace.mjs's preparation (an ES module) in a child Node, as npm start does. */
function prepare(dest: string): void {
  const mod = pathToFileURL(path.join(repo, 'scripts', 'examples-workspace.mjs')).href;
  execFileSync(process.execPath, ['--input-type=module', '-e', `import { prepareExamplesWorkspace } from ${JSON.stringify(mod)}; prepareExamplesWorkspace(${JSON.stringify(repo)}, ${JSON.stringify(dest)});`], { stdio: 'pipe' });
}

describe('scripts: the examples workspace npm start serves', function () {
  this.timeout(30_000);
  let tmp: string;
  before(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'iot-authz-startws-'))));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('is a fresh copy outside the tracked tree: the repository stays as it was, even after edits in the copy', () => {
    const before = gitStatus();
    const dest = path.join(tmp, 'workspace', 'examples');
    prepare(dest);
    assert.ok(fs.existsSync(path.join(dest, 'walkthrough.authorizer.json')));
    assert.ok(fs.existsSync(path.join(dest, 'mistakes', 'flawed.authorizer-response.json')), 'the response with mistakes is part of the workspace');
    assert.ok(!fs.existsSync(path.join(dest, 'keys')), 'no keys: a new user has none');
    // What autosave and a quick fix do in the workbench.
    fs.writeFileSync(path.join(dest, 'mistakes', 'flawed.authorizer-response.json'), '{}');
    fs.writeFileSync(path.join(dest, 'new.iot-policy.json'), '{}');
    assert.equal(gitStatus(), before);
    prepare(dest);
    assert.notEqual(fs.readFileSync(path.join(dest, 'mistakes', 'flawed.authorizer-response.json'), 'utf8'), '{}', 'each start begins from the repository again');
    assert.ok(!fs.existsSync(path.join(dest, 'new.iot-policy.json')));
  });

  it("start.mjs opens that copy (under .vscode-test/, git-ignored), never the checkout's examples/", async () => {
    const start = fs.readFileSync(path.join(repo, 'scripts', 'start.mjs'), 'utf8');
    assert.match(start, /const folder = prepareExamplesWorkspace\(REPO_ROOT, startWorkspaceFolder\(REPO_ROOT\)\);/);
    assert.doesNotMatch(start, /join\(REPO_ROOT, 'examples'\)/);
    const mod = pathToFileURL(path.join(repo, 'scripts', 'examples-workspace.mjs')).href;
    const folder = execFileSync(process.execPath, ['--input-type=module', '-e', `import { startWorkspaceFolder } from ${JSON.stringify(mod)}; process.stdout.write(startWorkspaceFolder(${JSON.stringify(repo)}));`], { encoding: 'utf8' });
    // (.vscode-test may be a symbolic link, which git check-ignore does not follow.)
    assert.equal(path.relative(repo, folder).split(path.sep)[0], '.vscode-test');
    assert.match(fs.readFileSync(path.join(repo, '.gitignore'), 'utf8'), /^\.vscode-test\/$/m);
  });
});
