import * as vscode from 'vscode';
import type { DefinitionTestFile } from '../../../core/emulator/testcases/byDefinition';
import { ExplorerNode } from '../../explorer/explorerProvider';
import { FileNode } from '../../explorer/fileArg';
import { DefinitionTestFileNode } from './definitionTestFileNode';

/** What the section read from one *.authorizer.json. */
export interface WorkspaceDefinition {
  uri: vscode.Uri;
  /** authorizerName, or the file name when the file cannot be read. */
  name: string;
  runtime?: 'nodejs' | 'python';
  /** The handler file, workspace-relative. */
  handlerFile?: string;
  signingDisabled?: boolean;
  /** Why the file cannot be read as a definition. */
  problem?: string;
}

/**
 * A definition of the workspace: name, handler runtime and signing; its test
 * files are the children. contextValue drives the menus (package.json):
 * `workspaceAuthorizer.runnable` (has a handler), `.noHandler`, `.problem`.
 */
export class DefinitionNode implements ExplorerNode, FileNode {
  constructor(
    readonly definition: WorkspaceDefinition,
    private readonly testFiles: () => Promise<DefinitionTestFile[]>,
  ) {}

  get fileUri(): vscode.Uri {
    return this.definition.uri;
  }

  get contextValue(): string {
    const d = this.definition;
    return `workspaceAuthorizer.${d.problem ? 'problem' : d.runtime ? 'runnable' : 'noHandler'}`;
  }

  async getTreeItem(): Promise<vscode.TreeItem> {
    const d = this.definition;
    const files = await this.testFiles();
    const item = new vscode.TreeItem(d.name, files.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    item.id = `workspaceAuthorizer:${d.uri.toString()}`;
    const rel = vscode.workspace.asRelativePath(d.uri, false);
    item.description = d.problem
      ? 'not readable'
      : [d.runtime ?? 'no handler', d.signingDisabled ? 'signing off' : 'signing on'].join(' · ');
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**${d.name}**\n\n\`${rel}\`\n\n`);
    if (d.problem) md.appendMarkdown(`$(warning) ${d.problem}\n\n`);
    else {
      md.appendMarkdown(d.runtime ? `Handler: ${d.runtime}, \`${d.handlerFile}\`\n\n` : 'No handler section: it cannot run locally.\n\n');
      md.appendMarkdown(d.signingDisabled ? 'Token signing: disabled (signingDisabled)\n\n' : 'Token signing: on (devices send a signature)\n\n');
    }
    const cases = files.reduce((n, f) => n + f.cases.length, 0);
    md.appendMarkdown(files.length ? `${cases} test case(s) in ${files.length} file(s)` : 'No *.authz-test.json names this definition.');
    item.tooltip = md;
    item.iconPath = d.problem ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')) : new vscode.ThemeIcon('gear');
    item.contextValue = this.contextValue;
    return item;
  }

  async getChildren(): Promise<ExplorerNode[]> {
    return (await this.testFiles()).map((t) => new DefinitionTestFileNode(t));
  }
}
