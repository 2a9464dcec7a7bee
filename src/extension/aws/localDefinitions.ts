import * as vscode from 'vscode';
import { parse as parseJsonc } from 'jsonc-parser';

/** An authorizer definition file in the workspace, as far as the AWS feature needs it. */
export interface LocalDefinition {
  uri: vscode.Uri;
  authorizerName: string;
  /** It has a `handler` section, so the emulator can run it locally. */
  hasHandler: boolean;
}

const EXCLUDE = '**/{node_modules,.git,out,dist,.vscode-test}/**';

/** The *.authorizer.json files of the workspace with their authorizerName (unreadable files are skipped). */
export async function findLocalDefinitions(): Promise<LocalDefinition[]> {
  const globs = vscode.workspace.getConfiguration('iotAuthz.authoring').get<string[]>('authorizerGlobs') ?? ['**/*.authorizer.json'];
  const uris = await vscode.workspace.findFiles(globs.length === 1 ? globs[0] : `{${globs.join(',')}}`, EXCLUDE, 500);
  const out: LocalDefinition[] = [];
  for (const uri of uris.sort((a, b) => a.fsPath.localeCompare(b.fsPath))) {
    try {
      const raw = parseJsonc(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)), [], { allowTrailingComma: true }) as Record<string, unknown> | undefined;
      if (raw && typeof raw.authorizerName === 'string') out.push({ uri, authorizerName: raw.authorizerName, hasHandler: !!raw.handler && typeof raw.handler === 'object' });
    } catch {
      // not readable: not a candidate
    }
  }
  return out;
}

/** The workspace definition of a deployed authorizer that can run locally (has a handler), if any. */
export async function runnableDefinitionFor(authorizerName: string, all?: LocalDefinition[]): Promise<LocalDefinition | undefined> {
  return (all ?? (await findLocalDefinitions())).find((d) => d.authorizerName === authorizerName && d.hasHandler);
}
