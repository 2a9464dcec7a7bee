// Renders scripts/icon.svg into the 128x128 PNG the Marketplace and VS Code show
// (media/icon.png), with the Chromium the e2e tests use.
//   node scripts/make-icon.mjs
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser } from '../test/runner/browser.mjs';
import { REPO_ROOT } from './vscode-server.mjs';

const svg = readFileSync(join(REPO_ROOT, 'scripts', 'icon.svg'), 'utf8');
const browser = await launchBrowser({ viewport: { width: 128, height: 128 } });
try {
  await browser.page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  await browser.page.locator('svg').screenshot({ path: join(REPO_ROOT, 'media', 'icon.png'), omitBackground: true });
} finally {
  await browser.close();
}
console.log('media/icon.png written');
