// What distinguishes the two integration passes, shared by both launchers.
//  - trusted:    workspace trust disabled; tests whose full title contains
//                "[restricted]" are excluded
//  - restricted: workspace trust enabled, folder not trusted, no trust prompt;
//                only tests whose full title contains "[restricted]"
// The selection itself happens in test/integration/index.ts from IOT_AUTHZ_TEST_PASS.
export const RESTRICTED_TAG = '[restricted]';

/** User settings for the restricted pass. */
export const RESTRICTED_SETTINGS = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  'security.workspace.trust.emptyWindow': false,
  'security.workspace.trust.untrustedFiles': 'open',
};

/** Environment for the extension host (read by test/integration/index.ts). */
export function passEnv(pass, grep, resultsFile) {
  return { IOT_AUTHZ_TEST_RESULTS: resultsFile, IOT_AUTHZ_TEST_PASS: pass, IOT_AUTHZ_TEST_GREP: grep ?? '' };
}
