import * as vscode from 'vscode';
import { Services } from '../../services';
import { DocumentKinds } from '../documentKinds';
import { newDocument, NewDocumentArgs } from '../newDocument';

/** IoT Authorizer: New IoT Policy. */
export function newIotPolicyCommand(services: Services, kinds: DocumentKinds, args?: NewDocumentArgs): Promise<vscode.Uri | undefined> {
  return newDocument(services, kinds, 'policy', args);
}
