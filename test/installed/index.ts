// Entry point of the installed-extension smoke suite: VS Code calls run() in
// an extension host where the extension was installed from the VSIX (no
// extensionDevelopmentPath). Same runner as the integration suites.
import { runSuites } from '../integration/index';

export function run(): Promise<void> {
  return runSuites(__dirname);
}
