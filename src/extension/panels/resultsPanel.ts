import * as vscode from 'vscode';
import { copyToClipboard } from '../commandRunner';
import { Services } from '../services';
import { resultsPageHtml, makeNonce } from './html';
import { copyText, CopyTarget, HostMessage, PanelMessage, PanelPayload, ResultsModel, toPayload, defaultTitle } from './model';
import { buildTestCaseSkeleton } from './testCaseSkeleton';

export const RESULTS_VIEW_TYPE = 'iotAuthz.results';

/** Registered by the emulator feature: turns a shown result into a test case. */
export type OpenAsTestCaseHandler = (result: ResultsModel['result'], model: ResultsModel) => Promise<void>;

/** What the webview reported after its last render (what a person sees). */
export interface RenderedReport {
  seq: number;
  /** document.body.innerText, at most 20 000 characters. */
  text: string;
  /** The page's Content-Security-Policy meta content. */
  csp: string;
  /** Ids of the highlighted statement blocks (`stmt-<doc>-<statement>`, 0-based) of the selected decision. */
  highlighted: string[];
  /** Ids of every statement block that decides some decision. */
  deciding: string[];
}

const COPY_LABEL: Record<CopyTarget, string> = {
  event: 'the event',
  response: 'the response',
  policies: 'the policy documents',
  log: 'the handler log',
  token: 'the token',
  signature: 'the signature',
  correctedSignature: 'the corrected signature',
};

/**
 * The one results webview panel. `show(model)` creates it or reveals it and
 * replaces its content. The webview is not kept alive while hidden: when it
 * is shown again its script posts `ready` and gets the last model again.
 */
export class ResultsPanelService implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private model: ResultsModel | undefined;
  private seq = 0;
  private readonly handlers: (OpenAsTestCaseHandler | undefined)[] = [];
  private readonly messages = new vscode.EventEmitter<PanelMessage>();
  private readonly copies = new vscode.EventEmitter<{ what: CopyTarget; text: string }>();
  private readonly disposables: vscode.Disposable[] = [this.messages, this.copies];

  /** Every message the webview posts (after the service handled it). */
  readonly onDidReceiveMessage = this.messages.event;
  /** Fired after a copy button put text on the clipboard (a spy hook for tests). */
  readonly onDidCopy = this.copies.event;
  /** The webview's report after its last render. */
  lastRendered: RenderedReport | undefined;
  /** Panels created so far (tests: a second show must not create another). */
  panelsCreated = 0;

  constructor(private readonly services: Services) {}

  /** The model shown last (kept after the panel closes, for Show Last Result). */
  get lastModel(): ResultsModel | undefined {
    return this.model;
  }

  /** The sequence number of the last show(); `lastRendered.seq` reaches it once the webview rendered it. */
  get currentSeq(): number {
    return this.seq;
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  /** The registered "Open as test case" handler, if any (tests save and restore it). */
  get openAsTestCaseHandler(): OpenAsTestCaseHandler | undefined {
    return this.handlers[this.handlers.length - 1];
  }

  /**
   * Registers the handler for "Open as test case" (undefined: the built-in
   * untitled skeleton). Registrations stack: the newest wins, and disposing
   * one restores the one registered before it.
   */
  setOpenAsTestCaseHandler(handler: OpenAsTestCaseHandler | undefined): vscode.Disposable {
    const entry = handler;
    this.handlers.push(entry);
    return new vscode.Disposable(() => {
      const i = this.handlers.lastIndexOf(entry);
      if (i >= 0) this.handlers.splice(i, 1);
    });
  }

  /** Shows the model in the panel (created on first use, otherwise revealed and replaced). */
  async show(model: ResultsModel, options: { preserveFocus?: boolean; viewColumn?: vscode.ViewColumn } = {}): Promise<void> {
    this.model = model;
    this.seq++;
    const title = defaultTitle(model);
    if (!this.panel) {
      this.panel = this.createPanel(title, options);
    } else {
      this.panel.title = title;
      this.panel.reveal(options.viewColumn ?? this.panel.viewColumn, options.preserveFocus ?? false);
    }
    this.postModel();
  }

  /** Handles a message from the webview (also callable by tests to drive the protocol directly). */
  async handleMessage(msg: PanelMessage): Promise<void> {
    try {
      switch (msg?.type) {
        case 'ready':
          this.postModel();
          break;
        case 'rendered':
          this.lastRendered = {
            seq: Number(msg.seq),
            text: String(msg.text ?? '').slice(0, 20_000),
            csp: String(msg.csp ?? ''),
            highlighted: Array.isArray(msg.highlighted) ? msg.highlighted.map(String) : [],
            deciding: Array.isArray(msg.deciding) ? msg.deciding.map(String) : [],
          };
          break;
        case 'copy':
          await this.copy(msg.what);
          break;
        case 'openAsTestCase':
          await this.openAsTestCase();
          break;
        case 'action': {
          const action = this.model?.actions?.find((a) => a.id === String(msg.id));
          if (action) await vscode.commands.executeCommand(action.command, action.args);
          else this.services.log.warn(`Results panel: no action ${JSON.stringify(msg.id)?.slice(0, 100)}`);
          break;
        }
        case 'error':
          this.services.log.error(`Results panel script error: ${String(msg.message)}`);
          break;
        default:
          this.services.log.warn(`Results panel: unknown message ${JSON.stringify(msg)?.slice(0, 200)}`);
      }
    } catch (e) {
      this.services.log.error(`Results panel: ${msg?.type} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      void this.services.prompts.error(`Results panel: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      this.messages.fire(msg);
    }
  }

  /** Test hook: asks the webview to click the element with this id, as a person would. */
  async clickInWebview(id: string): Promise<boolean> {
    if (!this.panel) return false;
    return this.panel.webview.postMessage({ type: 'click', id } satisfies HostMessage);
  }

  /** The payload the webview gets for the current model (tests: check what crosses the boundary). */
  currentPayload(): PanelPayload | undefined {
    return this.model ? toPayload(this.model) : undefined;
  }

  /** Closes the panel (the last model is kept). */
  close(): void {
    this.panel?.dispose();
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }

  private async copy(what: CopyTarget): Promise<void> {
    if (!this.model) return;
    const text = copyText(this.model, what);
    if (text === undefined) {
      void this.services.prompts.warn(`There is no ${COPY_LABEL[what]?.replace(/^the /, '') ?? String(what)} to copy in this result.`);
      return;
    }
    await copyToClipboard(this.services, text, COPY_LABEL[what]);
    this.copies.fire({ what, text });
  }

  private async openAsTestCase(): Promise<void> {
    const model = this.model;
    if (!model) return;
    const handler = this.openAsTestCaseHandler;
    if (handler) {
      await handler(model.result, model);
      return;
    }
    const content = `${JSON.stringify(buildTestCaseSkeleton(model), null, 2)}\n`;
    const doc = await vscode.workspace.openTextDocument({ language: 'json', content });
    await vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.One });
  }

  private createPanel(title: string, options: { preserveFocus?: boolean; viewColumn?: vscode.ViewColumn }): vscode.WebviewPanel {
    const mediaRoot = vscode.Uri.joinPath(this.services.context.extensionUri, 'media');
    const panel = vscode.window.createWebviewPanel(
      RESULTS_VIEW_TYPE,
      title,
      { viewColumn: options.viewColumn ?? vscode.ViewColumn.Beside, preserveFocus: options.preserveFocus ?? false },
      { enableScripts: true, retainContextWhenHidden: false, localResourceRoots: [mediaRoot], enableFindWidget: true },
    );
    this.panelsCreated++;
    panel.iconPath = vscode.Uri.joinPath(mediaRoot, 'activity-bar.svg');
    const webview = panel.webview;
    const panelDir = vscode.Uri.joinPath(mediaRoot, 'panel');
    webview.html = resultsPageHtml(
      {
        cspSource: webview.cspSource,
        styleUri: webview.asWebviewUri(vscode.Uri.joinPath(panelDir, 'results.css')).toString(),
        scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(panelDir, 'results.js')).toString(),
      },
      makeNonce(),
    );
    const listener = webview.onDidReceiveMessage((m: PanelMessage) => void this.handleMessage(m));
    panel.onDidDispose(() => {
      listener.dispose();
      if (this.panel === panel) this.panel = undefined;
      this.lastRendered = undefined;
    });
    return panel;
  }

  private postModel(): void {
    if (!this.panel || !this.model) return;
    const msg: HostMessage = { type: 'show', seq: this.seq, payload: toPayload(this.model, true) };
    void this.panel.webview.postMessage(msg);
  }
}
