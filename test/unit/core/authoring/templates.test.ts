import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { handlerTemplate, templateFor } from '../../../../src/core/authoring';
import { ensureKeyPair, loadDefinitionFile, runConnection, signWithKeyFile } from '../../../../src/core/emulator';
import { tempWorkspace } from '../emulator/helpers';

describe('authoring templates: a new definition with its handler template runs as is', function () {
  this.timeout(60_000);
  for (const runtime of ['nodejs', 'python'] as const) {
    it(`${runtime}: the key pair is generated on first use, the token is accepted and the device may publish`, async () => {
      const def = JSON.parse(templateFor('authorizer'));
      def.handler = { ...def.handler, runtime, file: runtime === 'python' ? 'lambda/handler.py' : 'lambda/index.js', function: runtime === 'python' ? 'lambda_handler' : 'handler', environment: { EXPECTED_TOKEN: 'tok-1' } };
      const ws = tempWorkspace({ 'my.authorizer.json': JSON.stringify(def), [def.handler.file]: handlerTemplate(runtime) });
      try {
        const loaded = loadDefinitionFile(ws.file('my.authorizer.json'), { workspaceRoot: ws.dir });
        const written = await ensureKeyPair(ws.file('keys/dev.private.pem'), loaded);
        assert.equal(written.length, 2);
        assert.equal(fs.statSync(ws.file('keys/dev.private.pem')).mode & 0o777, 0o600);
        const definition = loadDefinitionFile(ws.file('my.authorizer.json'), { workspaceRoot: ws.dir });
        const signature = signWithKeyFile(ws.file('keys/dev.private.pem'), 'tok-1');
        const r = await runConnection({ definition, input: { protocol: 'https', token: 'tok-1', signature }, operations: ['iot:Publish devices/device123/t', 'iot:Publish other'], allowCodeExecution: true, workspaceRoot: ws.dir });
        assert.equal(r.outcome, 'accepted', JSON.stringify(r.failure));
        assert.deepEqual(r.decisions.map((d) => d.decision), ['allow', 'deny']);
        const refused = await runConnection({ definition, input: { protocol: 'https', token: 'other', signature: signWithKeyFile(ws.file('keys/dev.private.pem'), 'other') }, operations: [], allowCodeExecution: true, workspaceRoot: ws.dir });
        assert.equal(refused.authenticated, false);
        assert.ok(path.isAbsolute(ws.dir));
      } finally {
        ws.cleanup();
      }
    });
  }
});
