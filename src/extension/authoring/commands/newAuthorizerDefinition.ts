import * as vscode from 'vscode';
import { Services } from '../../services';
import { DocumentKinds } from '../documentKinds';
import { newDocument, NewDocumentArgs } from '../newDocument';
import type { PublicKeyLister } from '../workspaceFixes';

/**
 * IoT Authorizer: New Authorizer Definition. Its key is the workspace's first
 * key pair when there is one; otherwise a test pair generated on first use.
 */
export function newAuthorizerDefinitionCommand(services: Services, kinds: DocumentKinds, args?: NewDocumentArgs, listPublicKeys?: PublicKeyLister): Promise<vscode.Uri | undefined> {
  return newDocument(services, kinds, 'authorizer', args, listPublicKeys);
}
