import * as vscode from 'vscode';

/**
 * A node of the Authorizer Explorer. Each feature owns its node kinds (one
 * per file) and contributes a top-level section; the provider only asks
 * nodes for their tree item and children.
 */
export interface ExplorerNode {
  getTreeItem(): vscode.TreeItem | Promise<vscode.TreeItem>;
  getChildren?(): Promise<ExplorerNode[]>;
}

export interface ExplorerSection extends ExplorerNode {
  /** Sections are shown in ascending order. */
  readonly order: number;
  /** Fires when the section's own subtree changed (undefined: the whole section). */
  readonly onDidChange?: vscode.Event<ExplorerNode | undefined>;
  /**
   * False hides the section. When every section is hidden the view is empty
   * and shows its viewsWelcome content (the first actions for a new user).
   */
  hasContent?(): Promise<boolean>;
  /** Rescans what the section lists (Refresh Authorizer Explorer). */
  reload?(): Promise<unknown>;
}

export class ExplorerProvider implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ExplorerNode | undefined | void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly sections: ExplorerSection[] = [];
  private readonly disposables: vscode.Disposable[] = [this.changed];

  addSection(section: ExplorerSection): void {
    this.sections.push(section);
    this.sections.sort((a, b) => a.order - b.order);
    if (section.onDidChange) {
      // A whole-section change may show or hide the section: refresh from the root.
      this.disposables.push(section.onDidChange((node) => this.changed.fire(node ?? undefined)));
    }
    this.changed.fire();
  }

  refresh(node?: ExplorerNode): void {
    this.changed.fire(node);
  }

  getTreeItem(element: ExplorerNode): vscode.TreeItem | Thenable<vscode.TreeItem> {
    return element.getTreeItem();
  }

  async getChildren(element?: ExplorerNode): Promise<ExplorerNode[]> {
    if (!element) {
      const shown = await Promise.all(this.sections.map(async (s) => (s.hasContent ? s.hasContent().catch(() => true) : true)));
      return this.sections.filter((_, i) => shown[i]);
    }
    return element.getChildren ? element.getChildren() : [];
  }

  /** The top-level sections: for tests and for commands that reveal nodes. */
  getSections(): readonly ExplorerSection[] {
    return this.sections;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
