/**
 * A parallelRun whose workers end up with two copies of spikeworld fails at once, saying so and
 * naming both (secondCopy.ts): in a page using Vite's pre-bundled copy, before this, the call failed
 * only after threads.js's 10 s handshake timeout, or with a "declared nothing" that guessed.
 */
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { afterAll, beforeAll, expect, it } from 'vitest';

import { bundlePackage } from '../../scripts/bundle.js';
import { Izhikevich, type Network, parallelRun, Population } from '../../src/index.js';
import { secondCopyError, workerLoadError } from '../../src/parallel/secondCopy.js';

const VITE_COPY = 'http://localhost:5173/node_modules/.vite/deps/spikeworld.js?v=53c3175c';
const WORKER = 'http://localhost:5173/node_modules/spikeworld/dist/worker.js?worker_file&type=module';
const VITE_FIX = /optimizeDeps: \{ exclude: \['spikeworld'\], include: \[.*'spikeworld > threads\/worker'/;

it("a worker whose module loaded Vite's pre-bundled copy names both copies and the Vite config", () => {
  const { message } = secondCopyError('http://localhost:5173/sweep.js', WORKER, [VITE_COPY]);
  expect(message).toContain(`http://localhost:5173/sweep.js loaded a second copy of spikeworld (${VITE_COPY}) in the worker, besides the worker's own (${WORKER})`);
  expect(message).toMatch(VITE_FIX);
});

it('a second copy elsewhere (another path, a bundle) says to import spikeworld from one place, not to configure Vite', () => {
  const { message } = secondCopyError('file:///app/sweep.js', 'file:///app/node_modules/spikeworld/dist/worker.js', ['file:///app/vendor/spikeworld.js']);
  expect(message).toContain('loaded a second copy of spikeworld (file:///app/vendor/spikeworld.js)');
  expect(message).toMatch(/Import spikeworld from one place/);
  expect(message).not.toMatch(/optimizeDeps/);
});

it("a page on Vite's pre-bundled copy whose worker cannot load says why and gives the Vite config; another page only that it failed", () => {
  const vite = workerLoadError(VITE_COPY, undefined).message;
  expect(vite).toMatch(/a worker could not load spikeworld's worker script \(the browser gives no details/);
  expect(vite).toContain(`Vite's pre-bundled copy of spikeworld (${VITE_COPY})`);
  expect(vite).toMatch(/second copy of spikeworld/);
  expect(vite).toMatch(VITE_FIX);
  const other = workerLoadError('https://example.org/assets/index-abc.js', 'Uncaught ReferenceError: exports is not defined').message;
  expect(other).toBe("parallelRun: a worker could not load spikeworld's worker script: Uncaught ReferenceError: exports is not defined");
});

// In Node: the workers run src/ (this process's copy); the module imports a bundled copy instead.
const root = fileURLToPath(new URL('../..', import.meta.url));
let dir = '';

beforeAll(async () => {
  dir = mkdtempSync(resolve(tmpdir(), 'spikeworld-secondcopy-'));
  symlinkSync(resolve(root, 'node_modules'), resolve(dir, 'node_modules')); // the bundle's dependencies
  writeFileSync(resolve(dir, 'package.json'), '{ "type": "module" }'); // else tsx, in the worker, makes the bundle CommonJS
  await bundlePackage(resolve(dir, 'dist'));
  writeFileSync(
    resolve(dir, 'sweep.mjs'),
    `import { Izhikevich, Population } from './dist/index.js';
export const pop = new Population(10, Izhikevich);
export function simulate(_idx, net) { net.compile(); return net.getTime(); }
`,
  );
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('in Node, a module that imports spikeworld through another path fails in the worker naming both copies', async () => {
  new Population(10, Izhikevich); // what sweep.mjs declares, through this copy
  const simulate = (_idx: number, net: Network) => net.getTime();
  const module = pathToFileURL(resolve(dir, 'sweep.mjs'));
  // A signal keeps the calling thread out: the network goes to the worker.
  const err = (await parallelRun({ method: simulate, number: 1, maxWorkers: 1, module, signal: new AbortController().signal }).catch((e: unknown) => e)) as Error;
  expect(err).toBeInstanceOf(Error);
  expect(err.message).toMatch(/sweep\.mjs loaded a second copy of spikeworld \(file:.*\/dist\/chunk-\w+\.js\) in the worker, besides the worker's own \(file:.*\/src\/parallel\/worker\.ts\)/);
  expect(err.message).toMatch(/Import spikeworld from one place/);
}, 60_000);
