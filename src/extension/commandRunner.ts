import * as vscode from 'vscode';
import { AuthzError, errorText } from '../core/errors';
import { Services } from './services';

/**
 * Registers a command whose failures become one clear message (through
 * services.prompts, so tests see them) and a log line, never an unhandled
 * rejection. The handler's return value is the command's result.
 */
export function registerCommand(services: Services, id: string, handler: (...args: never[]) => unknown): void {
  services.context.subscriptions.push(
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await (handler as (...a: unknown[]) => unknown)(...args);
      } catch (e) {
        const text = errorText(e);
        if (e instanceof AuthzError) services.log.warn(`${id}: ${e.code}: ${e.message}`);
        else services.log.error(`${id} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        void services.prompts.error(text, ...(e instanceof AuthzError ? [] : ['Show Log'])).then((choice) => {
          if (choice === 'Show Log') services.log.show(true);
        });
        return undefined;
      }
    }),
  );
}

/** Copies text, telling the user what was copied (never the value itself when it is secret). */
export async function copyToClipboard(services: Services, text: string, what: string): Promise<void> {
  await vscode.env.clipboard.writeText(text);
  void services.prompts.info(`Copied ${what} to the clipboard.`);
}
