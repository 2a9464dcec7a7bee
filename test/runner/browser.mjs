// Shared pieces for the offline launchers: Debian chromium through
// playwright-core, fixture workspace copies and workbench URLs.
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { URLSearchParams } from 'node:url';

export const CHROMIUM_CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter(Boolean);

/** No welcome page or walkthrough: they open late and steal the focus from the palette. */
export const WORKBENCH_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'extensions.ignoreRecommendations': true,
  'update.showReleaseNotes': false,
  'telemetry.telemetryLevel': 'off',
};

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export function chromiumPath() {
  const p = CHROMIUM_CANDIDATES.find((c) => existsSync(c));
  if (!p) throw new Error('chromium not found: apt-get install -y chromium (or set CHROMIUM_PATH)');
  return p;
}

/**
 * Launches headless chromium with a fresh profile. Resolves to
 * { context, page, close() }; close() also removes the profile.
 */
export async function launchBrowser({ headless = true, viewport = { width: 1400, height: 900 } } = {}) {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'iot-authz-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless,
    args: CHROMIUM_ARGS,
    viewport,
    // The workbench stays usable without a real clipboard; grant it anyway.
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await context.close().catch(() => undefined);
    rmSync(profile, { recursive: true, force: true });
  };
  return { context, page, close };
}

/** Copies `src` into a fresh temp folder; returns its absolute path. */
export function copyToTemp(src, prefix = 'iot-authz-ws-') {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const dest = join(root, 'workspace');
  mkdirSync(dest, { recursive: true });
  if (existsSync(src)) cpSync(src, dest, { recursive: true });
  return dest;
}

/** The workbench URL for a folder, with an optional payload (array of [name, value]). */
export function workbenchUrl(server, folder, payload) {
  const params = new URLSearchParams();
  if (folder) params.set('folder', folder);
  if (payload && payload.length) params.set('payload', JSON.stringify(payload));
  return `${server.url}/?${params.toString()}`;
}

/** A vscode-remote URI the web workbench resolves on the server. */
export function remoteUri(server, absPath) {
  return `vscode-remote://127.0.0.1:${server.port}${absPath}`;
}
