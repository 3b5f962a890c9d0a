/**
 * Shared by the end-to-end test and the frame benchmark: the demo's Vite server started in this
 * process on a free port, and Debian's Chromium driven by playwright-core (a test tool's own
 * browser download cannot work here; CI installs the `chromium` package).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { chromium, type Browser } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';

export const CHROMIUM = process.env.SPIKEWORLD_CHROMIUM ?? '/usr/bin/chromium';

/** Flags that keep Chromium quiet on a machine without network (see the machine notes). */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

const config = fileURLToPath(new URL('../../examples/browser/vite.config.ts', import.meta.url));

/** Starts the demo's dev server on a free loopback port; returns it and the page's URL. */
export async function startDemoServer(): Promise<{ server: ViteDevServer; url: string }> {
  const server = await createServer({
    configFile: config,
    logLevel: 'error',
    server: { host: '127.0.0.1', port: 0, strictPort: true, hmr: false, watch: null },
  });
  try {
    await server.listen();
    const address = server.httpServer?.address();
    if (!address || typeof address === 'string') throw new Error('the Vite server has no TCP address');
    return { server, url: `http://127.0.0.1:${address.port}/` };
  } catch (e) {
    await server.close();
    throw e;
  }
}

/** Launches Debian's Chromium headless (playwright gives it a fresh, temporary --user-data-dir). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}: install Debian's package with \`apt-get update && apt-get install -y chromium\` ` +
        '(.ci/run does this in CI), or point SPIKEWORLD_CHROMIUM at a Chromium binary.',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS, timeout: 30_000 });
}
