import * as vscode from 'vscode';
import { registerCommand } from '../commandRunner';
import type { KeysFeature } from '../keys/feature';
import { Services } from '../services';
import { AuthoringCodeActions } from './codeActions';
import { newAuthorizerDefinitionCommand } from './commands/newAuthorizerDefinition';
import { newAuthorizerResponseCommand } from './commands/newAuthorizerResponse';
import { newIotPolicyCommand } from './commands/newIotPolicy';
import { setDocumentKindCommand, SetDocumentKindArgs } from './commands/setDocumentKind';
import { AuthoringDiagnostics } from './diagnostics';
import { DocumentKinds } from './documentKinds';
import { NewDocumentArgs } from './newDocument';

export interface AuthoringFeature {
  kinds: DocumentKinds;
  diagnostics: AuthoringDiagnostics;
}

/**
 * Registers the authoring feature: diagnostics for responses, policies and
 * authorizer definitions, their quick fixes, and the New … / Set Document Kind
 * commands. The JSON schemas come through contributes.jsonValidation.
 */
export function registerAuthoring(context: vscode.ExtensionContext, services: Services, keys?: KeysFeature): AuthoringFeature {
  const kinds = new DocumentKinds(context.workspaceState);
  const diagnostics = new AuthoringDiagnostics(kinds);
  // Public halves of the workspace's usable key pairs: for the definition template and its quick fixes.
  const listPublicKeys = async () => (keys ? (await keys.keys.list()).filter((p) => p.publicFile && !p.problem).map((p) => p.publicFile!) : []);
  context.subscriptions.push(
    kinds,
    diagnostics,
    vscode.languages.registerCodeActionsProvider([{ language: 'json' }, { language: 'jsonc' }], new AuthoringCodeActions(diagnostics, listPublicKeys), AuthoringCodeActions.metadata),
  );
  const plain = <T extends object>(a: unknown): T => (a && typeof a === 'object' && !(a instanceof vscode.Uri) ? (a as T) : ({} as T));
  registerCommand(services, 'iotAuthz.authoring.newResponse', (a?: NewDocumentArgs) => newAuthorizerResponseCommand(services, kinds, plain(a)));
  registerCommand(services, 'iotAuthz.authoring.newPolicy', (a?: NewDocumentArgs) => newIotPolicyCommand(services, kinds, plain(a)));
  registerCommand(services, 'iotAuthz.authoring.newAuthorizer', (a?: NewDocumentArgs) => newAuthorizerDefinitionCommand(services, kinds, plain(a), listPublicKeys));
  registerCommand(services, 'iotAuthz.authoring.setDocumentKind', (a?: SetDocumentKindArgs | vscode.Uri) =>
    setDocumentKindCommand(services, kinds, a instanceof vscode.Uri ? { uri: a } : plain(a)),
  );
  return { kinds, diagnostics };
}
