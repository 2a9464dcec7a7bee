import * as vscode from 'vscode';
import { Services } from '../../services';
import { DocumentKinds } from '../documentKinds';
import { newDocument, NewDocumentArgs } from '../newDocument';

/** IoT Authorizer: New Authorizer Definition. */
export function newAuthorizerDefinitionCommand(services: Services, kinds: DocumentKinds, args?: NewDocumentArgs): Promise<vscode.Uri | undefined> {
  return newDocument(services, kinds, 'authorizer', args);
}
