// Regression tests for the security and reliability audit (issue 8), through the CLI.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import { execFileSync, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import { AwsTestEndpoint } from '../../aws-endpoint/server';
import { startEndpoint, tempAwsDir, TempAwsDir, testKeys } from '../core/aws/helpers';

interface Run {
  code: number;
  out: string;
  err: string;
}

describe('cli: audit regressions (issue 8)', function () {
  this.timeout(30000);
  let ep: AwsTestEndpoint;
  let aws: TempAwsDir;
  let env: NodeJS.ProcessEnv;
  let privatePem: string;

  async function run(argv: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Run> {
    let out = '';
    let err = '';
    const code = await main(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t), env: { ...env, ...extraEnv }, cwd: aws.dir });
    return { code, out, err };
  }

  before(async () => {
    ep = await startEndpoint();
    aws = tempAwsDir(
      '[profile test]\nregion = us-east-1\n',
      `[test]\naws_access_key_id = ${ep.credentials.accessKeyId}\naws_secret_access_key = ${ep.credentials.secretAccessKey}\n`,
    );
    env = aws.env({ AWS_PROFILE: 'test', IOT_AUTHZ_ENDPOINT_IOT: ep.url, IOT_AUTHZ_ENDPOINT_LAMBDA: ep.url });
    const [k1] = testKeys();
    privatePem = k1.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    fs.mkdirSync(path.join(aws.dir, 'keys'));
    fs.writeFileSync(path.join(aws.dir, 'keys', 'dev.public.pem'), k1.publicPem);
    // A private key under a name that says nothing about it.
    fs.writeFileSync(path.join(aws.dir, 'keys', 'key1.pem'), privatePem);
  });
  after(async () => {
    await ep.stop();
    aws.remove();
  });
  beforeEach(() => {
    ep.resetFaults();
    ep.authorizers.clear();
    ep.functions.clear();
    ep.addFunction({ functionName: 'authz-fn', timeout: 3, localHandler: () => ({ isAuthenticated: true, principalId: 'p', policyDocuments: [], refreshAfterInSeconds: 300, disconnectAfterInSeconds: 3600 }) });
  });

  function writeDef(keys: Record<string, unknown>, file = 'dev.authorizer.json'): string {
    fs.writeFileSync(
      path.join(aws.dir, file),
      JSON.stringify({ authorizerName: 'dev-authz', authorizerFunctionArn: ep.functionArn('authz-fn'), tokenKeyName: 'tok', tokenSigningPublicKeys: keys, status: 'ACTIVE' }, null, 2),
    );
    return file;
  }

  describe('finding 1: a private key given as a token signing public key', () => {
    for (const [label, keys] of [
      ['a path with a neutral name', { k1: 'keys/key1.pem' }],
      ['{"path"}', { k1: { path: 'keys/key1.pem' } }],
      ['an inline PEM', { k1: '' }],
    ] as const) {
      it(`aws deploy refuses ${label} by content and sends nothing carrying it`, async () => {
        const file = writeDef(label === 'an inline PEM' ? { k1: privatePem } : keys);
        const before = ep.requests.length;
        const r = await run(['aws', 'deploy', file, '--yes']);
        assert.equal(r.code, 2, r.out + r.err);
        assert.match(r.err, /PRIVATE key/);
        assert.match(r.err, /openssl pkey .*-pubout|iot-authz keygen/);
        assert.equal(ep.authorizers.size, 0);
        for (const req of ep.requests.slice(before)) assert.doesNotMatch(req.body, /PRIVATE KEY/);
        assert.doesNotMatch(r.out + r.err, /MII/, 'no key material printed');
      });
    }

    it('validate reports AUTHORIZER_KEY_PRIVATE (error) for a private key file whatever its name', async () => {
      const file = writeDef({ k1: 'keys/key1.pem', k2: 'keys/dev.public.pem' }, 'v.authorizer.json');
      const r = await run(['validate', file, '--format', 'json']);
      assert.equal(r.code, 1, r.err);
      const findings = JSON.parse(r.out)[0].findings as Array<{ code: string; severity: string; message: string }>;
      const priv = findings.filter((f) => f.code === 'AUTHORIZER_KEY_PRIVATE');
      assert.equal(priv.length, 1, JSON.stringify(findings));
      assert.equal(priv[0].severity, 'error');
      assert.match(priv[0].message, /keys\/key1\.public\.pem/);
    });
  });

  describe('finding 4: deeply nested JSON gets a clear exit-2 message, never a stack overflow', () => {
    const deep = '['.repeat(7000) + ']'.repeat(7000);
    const policy = `{"Version":"2012-10-17","Statement":[{"Effect":"Alow","Action":"iot:Foo","Resource":"arn:aws:s3:::b","X":${deep}}]}`;

    it('validate reports JSON_TOO_DEEP in text, JSON and SARIF (exit 1)', async () => {
      fs.writeFileSync(path.join(aws.dir, 'deep.iot-policy.json'), policy);
      for (const format of ['text', 'json', 'sarif']) {
        const r = await run(['validate', 'deep.iot-policy.json', '--format', format]);
        assert.equal(r.code, 1, `${format}: ${r.err}`);
        assert.match(r.out, /JSON_TOO_DEEP/);
      }
    });

    it('simulate, invoke, aws deploy and aws test-invoke exit 2 naming the limit', async () => {
      fs.writeFileSync(path.join(aws.dir, 'deep.iot-policy.json'), policy);
      fs.writeFileSync(path.join(aws.dir, 'deep-case.json'), `{"protocol":"mqtt","expect":{"authenticated":true},"x":${deep}}`);
      fs.writeFileSync(path.join(aws.dir, 'deep.authorizer.json'), `{"authorizerName":"a","authorizerFunctionArn":"${ep.functionArn('authz-fn')}","signingDisabled":true,"x":${deep}}`);
      writeDef({ k1: 'keys/dev.public.pem' });
      ep.addAuthorizer({ authorizerName: 'ti', authorizerFunctionArn: ep.functionArn('authz-fn'), signingDisabled: true });
      const runs = [
        ['simulate', '--policies', 'deep.iot-policy.json', '--action', 'iot:Publish', '--resource', 't'],
        ['invoke', '--authorizer', 'dev.authorizer.json', '--case', 'deep-case.json'],
        ['aws', 'deploy', 'deep.authorizer.json', '--yes'],
        ['aws', 'test-invoke', 'ti', '--case', 'deep-case.json'],
      ];
      for (const argv of runs) {
        const r = await run(argv);
        assert.equal(r.code, 2, `${argv.join(' ')}: ${r.out}${r.err}`);
        assert.match(r.err, /nests more than 64 levels/, argv.join(' '));
        assert.doesNotMatch(r.err, /call stack/i);
      }
    });
  });

  describe('finding 10: a test case thing without thingName', () => {
    it('invoke exits 2 with the finding, no TypeError', async () => {
      writeDef({ k1: 'keys/dev.public.pem' });
      fs.writeFileSync(path.join(aws.dir, 'thing-case.json'), '{"protocol":"mqtt","token":"t","thing":{"attributes":{"fleet":"f1"}},"expect":{"authenticated":true}}');
      const r = await run(['invoke', '--authorizer', 'dev.authorizer.json', '--case', 'thing-case.json']);
      assert.equal(r.code, 2, r.out + r.err);
      assert.match(r.err, /TEST_FIELD_TYPE.*thingName/);
      assert.doesNotMatch(r.err, /Cannot read properties/);
    });
  });

  describe('finding 11: a FIFO (or other non-regular file) as input is refused before it is opened', () => {
    // A blocking open of a FIFO would freeze this process, so each command runs in a child with a kill timeout.
    const cli = path.join(__dirname, '..', '..', '..', 'src', 'cli', 'main.js');
    function runChild(argv: string[]): { code: number | null; err: string; timedOut: boolean } {
      const r = spawnSync(process.execPath, [cli, ...argv], { cwd: aws.dir, env: { ...env, PATH: process.env.PATH }, timeout: 10000, encoding: 'utf8' });
      return { code: r.status, err: r.stderr, timedOut: r.error !== undefined || r.signal !== null };
    }

    it('validate, sign --token-file, invoke --case and aws deploy exit 2 naming the pipe', function () {
      this.timeout(60000);
      const fifo = path.join(aws.dir, 'pipe.json');
      execFileSync('mkfifo', [fifo]);
      writeDef({ k1: 'keys/dev.public.pem' });
      fs.writeFileSync(path.join(aws.dir, 'key.pem'), privatePem);
      for (const argv of [
        ['validate', 'pipe.json', '--kind', 'policy'],
        ['sign', '--key', 'key.pem', '--token-file', 'pipe.json'],
        ['sign', '--key', 'pipe.json', '--token', 't'],
        ['invoke', '--authorizer', 'dev.authorizer.json', '--case', 'pipe.json'],
        ['aws', 'deploy', 'pipe.json', '--yes'],
      ]) {
        const r = runChild(argv);
        assert.equal(r.timedOut, false, `${argv.join(' ')} hung`);
        assert.equal(r.code, 2, `${argv.join(' ')}: ${r.err}`);
        assert.match(r.err, /named pipe \(FIFO\), not a .* file/, argv.join(' '));
      }
    });

    it('a device is refused too, a regular file through a symlink is still read', async () => {
      const r = await run(['validate', '/dev/zero', '--kind', 'policy']);
      assert.equal(r.code, 2);
      assert.match(r.err, /is a device/);
      fs.writeFileSync(path.join(aws.dir, 'real.iot-policy.json'), '{"Version":"2012-10-17","Statement":[]}');
      fs.symlinkSync(path.join(aws.dir, 'real.iot-policy.json'), path.join(aws.dir, 'link.iot-policy.json'));
      assert.notEqual((await run(['validate', 'link.iot-policy.json'])).code, 2);
    });
  });

  describe('finding 12: invalid UTF-8', () => {
    it('a policy file with invalid UTF-8 gets JSON_INVALID_UTF8 where the bad bytes are, not a clean pass', async () => {
      const good = Buffer.from('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iot:Connect","Resource":"arn:aws:iot:us-east-1:123456789012:client/');
      fs.writeFileSync(path.join(aws.dir, 'latin1.iot-policy.json'), Buffer.concat([good, Buffer.from([0x64, 0xe9, 0x76]), Buffer.from('"}]}')]));
      const r = await run(['validate', 'latin1.iot-policy.json', '--format', 'json']);
      assert.equal(r.code, 1, r.out + r.err);
      const f = JSON.parse(r.out)[0].findings.find((x: { code: string }) => x.code === 'JSON_INVALID_UTF8');
      assert.ok(f, r.out);
      assert.equal(f.range.start, good.length + 1);
      fs.writeFileSync(path.join(aws.dir, 'utf8.iot-policy.json'), Buffer.concat([good, Buffer.from('dév"}]}')]));
      assert.doesNotMatch((await run(['validate', 'utf8.iot-policy.json', '--format', 'json'])).out, /JSON_INVALID_UTF8/);
    });

    it('sign --token with bytes that are not UTF-8 warns, as --token-file does', function () {
      this.timeout(30000);
      fs.writeFileSync(path.join(aws.dir, 'key.pem'), privatePem);
      const cli = path.join(__dirname, '..', '..', '..', 'src', 'cli', 'main.js');
      const r = spawnSync('bash', ['-c', `"${process.execPath}" "${cli}" sign --key key.pem --token "$(printf 'dev\\xe9ice')"`], { cwd: aws.dir, encoding: 'utf8', timeout: 20000 });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, /warning: .*U\+FFFD/);
      const ok = spawnSync('bash', ['-c', `"${process.execPath}" "${cli}" sign --key key.pem --token "device"`], { cwd: aws.dir, encoding: 'utf8', timeout: 20000 });
      assert.doesNotMatch(ok.stderr, /warning/);
    });
  });

  describe('finding 2: AWS calls end at a deadline', () => {
    const sockets = new Set<net.Socket>();
    const timers = new Set<NodeJS.Timeout>();
    let silent: net.Server;
    let dripping: net.Server;
    const url = (s: net.Server) => `http://127.0.0.1:${(s.address() as net.AddressInfo).port}`;
    before(async () => {
      // Accepts and never answers.
      silent = net.createServer((sock) => sockets.add(sock));
      // Answers one byte every 200 ms, forever: never idle long enough for a socket timeout.
      dripping = net.createServer((sock) => {
        sockets.add(sock);
        sock.write('HTTP/1.1 200 OK\r\nX-Slow: ');
        const t = setInterval(() => sock.write('a'), 200);
        timers.add(t);
        sock.on('close', () => clearInterval(t));
        sock.on('error', () => clearInterval(t));
      });
      await Promise.all([silent, dripping].map((s) => new Promise<void>((r) => s.listen(0, '127.0.0.1', r))));
    });
    after(() => {
      for (const t of timers) clearInterval(t);
      for (const s of sockets) s.destroy();
      silent.close();
      dripping.close();
    });

    for (const [label, server] of [['accepts and never answers', () => silent], ['drips a byte every 200 ms', () => dripping]] as const) {
      it(`an endpoint that ${label}: aws list ends after --timeout with "no answer" and the setting (exit 2)`, async function () {
        this.timeout(20000);
        const endpoint = url(server());
        const r = await run(['aws', 'list', '--endpoint', endpoint, '--timeout', '1.5']);
        assert.equal(r.code, 2, r.out + r.err);
        assert.match(r.err, new RegExp(`No answer from ${endpoint.replace(/[.:/]/g, '\\$&')} in 1\\.5 s`));
        assert.match(r.err, /--timeout SECONDS/);
        assert.match(r.err, /iotAuthz\.aws\.timeoutSeconds/);
      });
    }

    it('a cancelled call ends at once as cancelled, not as a timeout', async function () {
      this.timeout(20000);
      const { createAwsClients, listAuthorizers } = await import('../../../src/core/aws');
      const clients = await createAwsClients({ profile: 'test', region: 'us-east-1', endpoints: { iot: url(silent), lambda: url(silent) }, env, timeoutSeconds: 60 });
      try {
        const ac = new AbortController();
        setTimeout(() => ac.abort(), 300);
        await assert.rejects(listAuthorizers(clients, { signal: ac.signal }), (e: Error & { code?: string }) => e.code === 'CANCELLED');
      } finally {
        clients.destroy();
      }
    });

    it('--timeout must be a positive number of seconds', async () => {
      for (const v of ['0', '-1', 'soon', '99999']) {
        const r = await run(['aws', 'list', `--timeout=${v}`]);
        assert.equal(r.code, 2, v);
        assert.match(r.err, /--timeout must be a number of seconds/);
      }
    });
  });

  describe('finding 13: AWS error messages', () => {
    for (const [status, body] of [
      [500, '<html>\u0000\u001b[31mBad gateway</html>'],
      [200, Buffer.from([0x00, 0x01, 0x1b, 0x5b, 0x32, 0x4a, 0xff])],
    ] as const) {
      it(`a non-JSON ${status} body: one line with status, endpoint and an escaped excerpt, no SDK internals`, async () => {
        ep.malformedBody('*', status, body);
        const r = await run(['aws', 'list']);
        assert.equal(r.code, 1, r.err);
        const lines = r.err.trimEnd().split('\n');
        assert.equal(lines.length, 1, r.err);
        assert.match(r.err, new RegExp(`${ep.url.replace(/[.:/]/g, '\\$&')} answered HTTP ${status} with a body that is not JSON`));
        assert.match(r.err, /\\x00/);
        // eslint-disable-next-line no-control-regex -- looking for raw control characters
        assert.doesNotMatch(r.err, /[\u0000-\u0008\u000b-\u001f\u007f]/, 'no raw control characters');
        assert.doesNotMatch(r.err, /Deserialization|\$response/);
      });
    }

    it('aws test-invoke --case <binary file> exits 2', async () => {
      fs.writeFileSync(path.join(aws.dir, 'bin.json'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01, 0xff]));
      ep.addAuthorizer({ authorizerName: 'ti', authorizerFunctionArn: ep.functionArn('authz-fn'), signingDisabled: true });
      const r = await run(['aws', 'test-invoke', 'ti', '--case', 'bin.json']);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, /not valid JSON/);
    });

    it('aws describe with a 100,000-character name is refused locally by the name rule (exit 2), nothing sent', async () => {
      const before = ep.requests.length;
      const r = await run(['aws', 'describe', 'a'.repeat(100_000)]);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, /100000 characters\): AWS allows 1 to 128 letters, digits and _ = , @ -/);
      assert.ok(r.err.length < 400, 'the name is not echoed whole');
      assert.equal(ep.requests.length, before);
      assert.equal((await run(['aws', 'describe', 'bad name/x'])).code, 2);
    });

    it("a handler's ANSI escape sequences are escaped in invoke's output", async function () {
      this.timeout(30000);
      fs.writeFileSync(path.join(aws.dir, 'ansi.js'), "exports.handler = async () => { console.log('\\u001b[2J\\u001b]0;owned\\u0007red \\u001b[31mX\\u001b[0m'); return { isAuthenticated: true, principalId: 'p', policyDocuments: [], refreshAfterInSeconds: 300, disconnectAfterInSeconds: 3600 }; };\n");
      fs.writeFileSync(path.join(aws.dir, 'ansi.authorizer.json'), JSON.stringify({ authorizerName: 'a', authorizerFunctionArn: ep.functionArn('authz-fn'), signingDisabled: true, handler: { runtime: 'nodejs', file: 'ansi.js' } }));
      fs.writeFileSync(path.join(aws.dir, 'ansi-case.json'), '{"protocol":"mqtt","clientId":"c1"}');
      const r = await run(['invoke', '--authorizer', 'ansi.authorizer.json', '--case', 'ansi-case.json']);
      assert.match(r.out, /\\x1b\[2J\\x1b\]0;owned\\x07red \\x1b\[31mX/);
      assert.ok(!r.out.includes('\u001b'), 'no raw ESC');
    });
  });

  describe('finding 14: test discovery and key paths stay inside the workspace', () => {
    const cli = () => path.join(__dirname, '..', '..', '..', 'src', 'cli', 'main.js');
    let ws: string;
    async function runIn(cwd: string, argv: string[]): Promise<Run> {
      let out = '';
      let err = '';
      const code = await main(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t), env, cwd });
      return { code, out, err };
    }
    beforeEach(() => {
      ws = fs.mkdtempSync(path.join(aws.dir, 'ws-'));
      fs.writeFileSync(path.join(ws, 'h.js'), "exports.handler = async (e) => ({ isAuthenticated: true, principalId: 'p', policyDocuments: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: '*' }] }], refreshAfterInSeconds: 300, disconnectAfterInSeconds: 3600 });\n");
    });
    const def = (keyPath: string) =>
      JSON.stringify({ authorizerName: 'a', authorizerFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:f', tokenKeyName: 'tok', tokenSigningPublicKeys: { k: keyPath }, handler: { runtime: 'nodejs', file: 'h.js' } });
    const testFile = (signWithKey: string) =>
      JSON.stringify({ authorizer: 'a.authorizer.json', cases: [{ name: 'c', protocol: 'mqtt', clientId: 'c1', token: 't', signature: { signWithKey }, expect: { authenticated: true } }] });

    it('two symlink loops in a tree: iot-authz test DIR ends and finds each test file once', function () {
      this.timeout(30000);
      const tree = path.join(ws, 'tree');
      fs.mkdirSync(path.join(tree, 'a', 'b'), { recursive: true });
      fs.symlinkSync('..', path.join(tree, 'a', 'b', 'up'));
      fs.symlinkSync(tree, path.join(tree, 'a', 'root'));
      fs.writeFileSync(path.join(tree, 'a', 'x.authz-test.json'), JSON.stringify({ authorizer: '../../a.authorizer.json', cases: [{ name: 'c', protocol: 'mqtt', clientId: 'c1', expect: { authenticated: true } }] }));
      fs.writeFileSync(path.join(ws, 'a.authorizer.json'), JSON.stringify({ authorizerName: 'a', authorizerFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:f', signingDisabled: true, handler: { runtime: 'nodejs', file: 'h.js' } }));
      // In a child: a walk that never ends would freeze this process.
      const r = spawnSync(process.execPath, [cli(), 'test', 'tree', '--json'], { cwd: ws, encoding: 'utf8', timeout: 20000 });
      assert.equal(r.error, undefined, 'iot-authz test hung');
      assert.equal(r.status, 0, r.stderr);
      const summary = JSON.parse(r.stdout);
      assert.equal(summary.files.length, 1);
      assert.equal(summary.total, 1);
    });

    it('signWithKey "../../outside/x.private.pem": refused, no folder or key created outside; --allow-outside-workspace opts in', async function () {
      this.timeout(30000);
      const outside = path.join(aws.dir, `outside-${path.basename(ws)}`);
      fs.writeFileSync(path.join(ws, 'a.authorizer.json'), def(`../${path.basename(outside)}/x.public.pem`));
      fs.mkdirSync(path.join(ws, 'tests'));
      fs.writeFileSync(path.join(ws, 'tests', 'o.authz-test.json'), testFile(`../../${path.basename(outside)}/x.private.pem`).replace('"a.authorizer.json"', '"../a.authorizer.json"'));
      const r = await runIn(ws, ['test', 'tests']);
      assert.equal(r.code, 1, r.out + r.err);
      assert.match(r.out + r.err, /outside .*; it was not read or written/);
      assert.match(r.out + r.err, /--allow-outside-workspace/);
      assert.equal(fs.existsSync(outside), false, 'no folder created outside the workspace');
      const ok = await runIn(ws, ['test', 'tests', '--allow-outside-workspace']);
      assert.equal(ok.code, 0, ok.out + ok.err);
      assert.ok(fs.existsSync(path.join(outside, 'x.private.pem')));
    });

    for (const target of ['/etc/shadow', '/proc/self/environ']) {
      it(`signWithKey "${target}" is refused without being read`, async () => {
        fs.writeFileSync(path.join(ws, 'a.authorizer.json'), def('k.public.pem'));
        fs.writeFileSync(path.join(ws, 'k.public.pem'), testKeys()[0].publicPem);
        fs.writeFileSync(path.join(ws, 's.authz-test.json'), testFile(target));
        const r = await runIn(ws, ['test', 's.authz-test.json']);
        assert.equal(r.code, 1, r.out + r.err);
        assert.match(r.out + r.err, new RegExp(`signing key \\(signWithKey\\) ${target.replace(/\//g, '\\/')} is outside`));
        assert.doesNotMatch(r.out + r.err, /PEM/);
      });
    }

    it('a definition key path through a link out of the workspace is refused', async () => {
      const outsideKey = path.join(aws.dir, `k-${path.basename(ws)}.public.pem`);
      fs.writeFileSync(outsideKey, testKeys()[0].publicPem);
      fs.symlinkSync(outsideKey, path.join(ws, 'link.public.pem'));
      fs.writeFileSync(path.join(ws, 'a.authorizer.json'), def('link.public.pem'));
      fs.writeFileSync(path.join(ws, 'c.json'), JSON.stringify({ protocol: 'mqtt', clientId: 'c1', token: 't', signature: 'AAAA', expect: { authenticated: true } }));
      const r = await runIn(ws, ['invoke', '--authorizer', 'a.authorizer.json', '--case', 'c.json', '--json']);
      assert.match(r.out + r.err, /public key file of key \\"k\\" .* is outside|public key file of key "k" .* is outside/);
    });
  });
});
