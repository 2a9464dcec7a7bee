import * as vscode from 'vscode';

/**
 * Walkthrough steps that tick only when the work is done, not when the
 * command is merely started: package.json's completion events for them are
 * `onContext:iotAuthz.walkthrough.<step>`.
 */
export type WalkthroughStep = 'keyPairGenerated' | 'tokenSigned';

export function markWalkthroughStep(step: WalkthroughStep): void {
  void vscode.commands.executeCommand('setContext', `iotAuthz.walkthrough.${step}`, true);
}
