import { randomBytes } from 'node:crypto';

/** A fresh nonce for one page load (base64, 128 bits). */
export function makeNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * The Content-Security-Policy of the results page: nothing by default, styles
 * and images only from the extension's media folder (webview.cspSource), and
 * only the script carrying this page's nonce. No 'unsafe-inline', no remote content.
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return `default-src 'none'; style-src ${cspSource}; script-src 'nonce-${nonce}'; img-src ${cspSource}`;
}

export interface PageUris {
  cspSource: string;
  styleUri: string;
  scriptUri: string;
}

/** The page shell: everything visible is rendered by media/panel/results.js from the posted payload. */
export function resultsPageHtml(uris: PageUris, nonce: string): string {
  const csp = contentSecurityPolicy(uris.cspSource, nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttr(uris.styleUri)}">
<title>Authorizer result</title>
</head>
<body>
<main id="root" aria-live="polite"><p class="muted">Loading result…</p></main>
<script nonce="${escapeAttr(nonce)}" src="${escapeAttr(uris.scriptUri)}"></script>
</body>
</html>`;
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
