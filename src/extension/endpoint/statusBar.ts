import * as vscode from 'vscode';
import type { EndpointController } from './controller';
import { statusText } from './format';

/** "$(broadcast) IoT endpoint :4443 · 2 conn" while the local endpoint runs; a click offers show / copy CA / stop. */
export class EndpointStatusBar implements vscode.Disposable {
  readonly item: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private shown = false;
  private contextKey: boolean | undefined;

  constructor(private readonly controller: EndpointController) {
    this.item = vscode.window.createStatusBarItem('iotAuthz.endpoint.status', vscode.StatusBarAlignment.Left, 49);
    this.item.name = 'IoT Authorizer: local endpoint';
    this.item.command = 'iotAuthz.endpoint.actions';
    this.disposables.push(this.item, controller.onDidChange(() => this.update()));
    this.update();
  }

  /** True while the item is shown (tests). */
  get visible(): boolean {
    return this.shown;
  }

  update(): void {
    const info = this.controller.info;
    if (this.contextKey !== !!info) {
      this.contextKey = !!info;
      // Drives the Start / Stop menus and palette entries (package.json).
      void vscode.commands.executeCommand('setContext', 'iotAuthz.endpoint.running', !!info);
    }
    if (!info) {
      this.item.hide();
      this.shown = false;
      return;
    }
    const n = this.controller.connections().length;
    this.item.text = statusText(info, n);
    this.item.tooltip = `Local IoT endpoint: ${info.urls.mqtts}, ${n} connection(s). Click to show it, copy the CA path or stop it.`;
    this.item.accessibilityInformation = { label: `Local IoT endpoint running on port ${info.port} with ${n} connections. Click for actions.` };
    this.item.show();
    this.shown = true;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
