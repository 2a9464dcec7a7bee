// Helpers for integration tests running inside the extension host.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension/extension';
import type { Prompts } from '../../src/extension/prompts';

export const EXTENSION_ID = 'iot-authz-studio.iot-authorizer-studio';

/** Activates the extension (if needed) and returns the API activate() returned. */
export async function getApi(): Promise<ExtensionApi> {
  const ext = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this extension host`);
  const api = ext.isActive ? ext.exports : await ext.activate();
  assert.ok(api && api.services, `activate() did not return { services } (extension at ${ext.extensionPath}: is dist/extension.js current? run node scripts/build.mjs)`);
  return api;
}

/** Polls `predicate` (sync or async) until it returns a truthy value; returns that value. */
export async function waitFor<T>(predicate: () => T | Promise<T>, timeoutMs = 10_000, intervalMs = 50, what = 'condition'): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await predicate();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      const reason = lastError instanceof Error ? `: last error ${lastError.message}` : '';
      throw new Error(`waitFor(${what}) timed out after ${timeoutMs} ms${reason}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** The first (fixture) workspace folder. */
export function workspaceFolder(): vscode.WorkspaceFolder {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open (the launcher opens a copy of test/fixtures/workspace)');
  return folder;
}

/** A URI inside the opened fixture workspace (a temp copy, so tests may write to it). */
export function fixtureUri(relPath: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceFolder().uri, ...relPath.split('/').filter(Boolean));
}

export type PromptKind = 'quickPick' | 'inputBox' | 'openDialog' | 'saveDialog' | 'confirm' | 'info' | 'warn' | 'error';

/** One question a command asked, as recorded by scriptPrompts(). */
export interface AskedPrompt {
  kind: PromptKind;
  /** The message (confirm/info/warn/error), the title/placeHolder/prompt (quickPick/inputBox/openDialog). */
  message: string;
  /** Quick-pick items' labels, or the message actions / confirmation choices. */
  choices: string[];
  options?: unknown;
}

/**
 * An answer for the next prompt, taken in order from the queue:
 *  - quickPick: a string (the label of the item to pick, or a substring of it),
 *    a number (index), a function (items) => item, or undefined (cancel)
 *  - inputBox: a string, or undefined (cancel)
 *  - openDialog: a vscode.Uri, a Uri[], a workspace-relative string, or undefined
 *  - saveDialog: a vscode.Uri, a workspace-relative string, or undefined
 *  - confirm/info/warn/error: the action/choice title, or undefined (dismiss)
 * Wrap it in `{ kind, answer }` to assert which kind of prompt must consume it.
 */
export type PromptAnswer = string | number | undefined | vscode.Uri | vscode.Uri[] | ((items: readonly vscode.QuickPickItem[]) => vscode.QuickPickItem | undefined) | { kind: PromptKind; answer: PromptAnswer };

export interface ScriptedPrompts {
  /** Every question asked so far, in order. */
  readonly asked: AskedPrompt[];
  /** Answers not consumed yet. */
  readonly remaining: PromptAnswer[];
  /** Queues more answers. */
  push(...answers: PromptAnswer[]): void;
}

let original: Prompts | undefined;

function isKinded(a: PromptAnswer): a is { kind: PromptKind; answer: PromptAnswer } {
  return typeof a === 'object' && a !== null && !(a instanceof vscode.Uri) && !Array.isArray(a) && 'kind' in a;
}

/**
 * Replaces api.services.prompts with one that answers from `answers` in order
 * and records the questions. Non-modal messages (info/warn/error) with no
 * actions do not consume an answer. Asking a question with an empty queue
 * throws (the command under test fails loudly instead of hanging).
 * Call restorePrompts() in afterEach.
 */
export async function scriptPrompts(answers: PromptAnswer[] = []): Promise<ScriptedPrompts> {
  const api = await getApi();
  if (!original) original = api.services.prompts;
  const asked: AskedPrompt[] = [];
  const queue: PromptAnswer[] = [...answers];
  const next = (kind: PromptKind, message: string): PromptAnswer => {
    if (queue.length === 0) throw new Error(`scriptPrompts: no answer queued for ${kind} prompt ${JSON.stringify(message)}`);
    let a = queue.shift();
    if (a !== undefined && isKinded(a)) {
      if (a.kind !== kind) throw new Error(`scriptPrompts: expected a ${a.kind} prompt, got ${kind} ${JSON.stringify(message)}`);
      a = a.answer;
    }
    return a;
  };
  const message = async (kind: PromptKind, msg: string, actions: string[]): Promise<string | undefined> => {
    asked.push({ kind, message: msg, choices: actions });
    if (actions.length === 0) return undefined;
    const a = next(kind, msg);
    if (a !== undefined && typeof a !== 'string') throw new Error(`scriptPrompts: answer for ${kind} must be a string`);
    if (a !== undefined && !actions.includes(a)) throw new Error(`scriptPrompts: ${JSON.stringify(a)} is not one of ${JSON.stringify(actions)} for ${JSON.stringify(msg)}`);
    return a;
  };
  const scripted: Prompts = {
    async quickPick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Promise<T | undefined> {
      const msg = options?.title ?? options?.placeHolder ?? '';
      asked.push({ kind: 'quickPick', message: msg, choices: items.map((i) => i.label), options });
      const a = next('quickPick', msg);
      if (a === undefined) return undefined;
      let picked: vscode.QuickPickItem | undefined;
      if (typeof a === 'function') picked = a(items);
      else if (typeof a === 'number') picked = items[a];
      else if (typeof a === 'string') picked = items.find((i) => i.label === a) ?? items.find((i) => i.label.includes(a));
      else throw new Error('scriptPrompts: answer for quickPick must be a label, index or function');
      if (!picked) throw new Error(`scriptPrompts: no quick-pick item matches ${String(a)} in ${JSON.stringify(items.map((i) => i.label))}`);
      return picked as T;
    },
    async inputBox(options: vscode.InputBoxOptions): Promise<string | undefined> {
      const msg = options?.title ?? options?.prompt ?? options?.placeHolder ?? '';
      asked.push({ kind: 'inputBox', message: msg, choices: [], options });
      const a = next('inputBox', msg);
      if (a !== undefined && typeof a !== 'string') throw new Error('scriptPrompts: answer for inputBox must be a string');
      if (a !== undefined && options?.validateInput) {
        const problem = await options.validateInput(a);
        const text = typeof problem === 'string' ? problem : problem?.message;
        if (text && (typeof problem === 'string' || problem?.severity === vscode.InputBoxValidationSeverity.Error)) {
          throw new Error(`scriptPrompts: input ${JSON.stringify(a)} rejected by validateInput: ${text}`);
        }
      }
      return a;
    },
    async openDialog(options: vscode.OpenDialogOptions): Promise<vscode.Uri[] | undefined> {
      const msg = options?.title ?? options?.openLabel ?? '';
      asked.push({ kind: 'openDialog', message: msg, choices: [], options });
      const a = next('openDialog', msg);
      if (a === undefined) return undefined;
      if (a instanceof vscode.Uri) return [a];
      if (Array.isArray(a)) return a;
      if (typeof a === 'string') return [fixtureUri(a)];
      throw new Error('scriptPrompts: answer for openDialog must be a Uri, Uri[] or workspace-relative path');
    },
    async saveDialog(options: vscode.SaveDialogOptions): Promise<vscode.Uri | undefined> {
      const msg = options?.title ?? options?.saveLabel ?? '';
      asked.push({ kind: 'saveDialog', message: msg, choices: [], options });
      const a = next('saveDialog', msg);
      if (a === undefined) return undefined;
      if (a instanceof vscode.Uri) return a;
      if (typeof a === 'string') return fixtureUri(a);
      throw new Error('scriptPrompts: answer for saveDialog must be a Uri or a workspace-relative path');
    },
    confirm: async (msg: string, detail: string, ...choices: string[]) => {
      asked.push({ kind: 'confirm', message: msg, choices, options: { detail } });
      const a = next('confirm', msg);
      if (a !== undefined && typeof a !== 'string') throw new Error('scriptPrompts: answer for confirm must be a string');
      if (a !== undefined && !choices.includes(a)) throw new Error(`scriptPrompts: ${JSON.stringify(a)} is not one of ${JSON.stringify(choices)}`);
      return a;
    },
    info: (msg: string, ...actions: string[]) => message('info', msg, actions),
    warn: (msg: string, ...actions: string[]) => message('warn', msg, actions),
    error: (msg: string, ...actions: string[]) => message('error', msg, actions),
  };
  api.services.prompts = scripted;
  return {
    asked,
    get remaining() {
      return [...queue];
    },
    push: (...more: PromptAnswer[]) => {
      queue.push(...more);
    },
  };
}

/** Puts the real (window) prompts back. */
export async function restorePrompts(): Promise<void> {
  if (!original) return;
  const api = await getApi();
  api.services.prompts = original;
  original = undefined;
}

/** True when the run is the restricted-mode pass (workspace not trusted). */
export function isRestrictedPass(): boolean {
  return process.env.IOT_AUTHZ_TEST_PASS === 'restricted';
}
