/**
 * Vite serves the demo (`npm run demo`) cross-origin isolated: every response carries
 * COOP same-origin and COEP require-corp, which SharedArrayBuffer needs. A page requested with
 * `?isolation=off` is served without them, to show the transferable-buffer fallback.
 */
import { fileURLToPath } from 'node:url';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { defineConfig, type Plugin } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = fileURLToPath(new URL('../..', import.meta.url));

function isolationHeaders(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  if (!req.url?.includes('isolation=off')) {
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
  }
  next();
}

const crossOriginIsolation: Plugin = {
  name: 'spikeworld-cross-origin-isolation',
  configureServer: (server) => void server.middlewares.use(isolationHeaders),
  configurePreviewServer: (server) => void server.middlewares.use(isolationHeaders),
};

export default defineConfig({
  root: here,
  plugins: [crossOriginIsolation],
  server: { fs: { allow: [repo] } },
  // The workers' dependencies, known up front: discovering them at run time would reload the page.
  optimizeDeps: { entries: ['index.html', 'sim.worker.ts'], include: ['bitecs', 'seedrandom'] },
  worker: { format: 'es' },
  build: { outDir: `${repo}/out/browser-demo`, emptyOutDir: true, target: 'es2022' },
});
