/**
 * The core runs without Node: src/index.ts bundled for the browser (esbuild, platform=browser)
 * and evaluated in a bare VM context that has only what a page has — no `process`, `require`
 * or Node built-ins — simulates the seed network. Also the fallback for pages that are not
 * cross-origin isolated: the arena is then private (non-shared) memory.
 */
import { buildSync } from 'esbuild';
import { runInNewContext } from 'node:vm';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const bundle = buildSync({
  entryPoints: [resolve(root, 'src/index.ts')],
  bundle: true,
  platform: 'browser',
  format: 'iife',
  globalName: 'spikeworld',
  write: false,
  logLevel: 'silent',
}).outputFiles[0]!.text;

/** A page's globals, nothing from Node. */
function page(crossOriginIsolated: boolean) {
  return {
    console,
    performance,
    WebAssembly,
    Atomics,
    ...(crossOriginIsolated ? { SharedArrayBuffer } : {}),
    crossOriginIsolated,
    navigator: { hardwareConcurrency: 2 },
    URL,
    structuredClone,
    TextEncoder,
    TextDecoder,
    setTimeout,
    clearTimeout,
    queueMicrotask,
  };
}

const script = `${bundle}
const { setup, PoissonPopulation, Population, Izhikevich, Projection, Monitor, compile, simulate, Network } = spikeworld;
setup({ seed: 3 });
const pop1 = new PoissonPopulation(100, { rates: 20 });
const pop2 = new Population(100, Izhikevich);
new Projection(pop1, pop2, 'exc').connectFixedProbability({ weights: 5, probability: 0.2 });
const m = new Monitor(pop2, 'spike');
compile();
simulate(500);
const net = new Network({ everything: true });
net.compile();
const shared = net.view(pop2).v.buffer instanceof (globalThis.SharedArrayBuffer ?? class {});
({ spikes: m.rasterPlot()[0].length, shared, typeofProcess: typeof process, typeofRequire: typeof require });
`;

describe('the core in a browser-like context', () => {
  it('bundles without Node built-ins', () => {
    expect(bundle).not.toMatch(/require\(["']node:/);
    expect(bundle).not.toMatch(/from ["']node:/);
  });

  it('simulates on shared memory when the page is cross-origin isolated', () => {
    const r = runInNewContext(script, page(true));
    expect(r.typeofProcess).toBe('undefined');
    expect(r.typeofRequire).toBe('undefined');
    expect(r.spikes).toBeGreaterThan(100);
    expect(r.shared).toBe(true);
  });

  it('falls back to private memory, same spikes, when it is not', () => {
    const isolated = runInNewContext(script, page(true));
    const plain = runInNewContext(script, page(false));
    expect(plain.shared).toBe(false);
    expect(plain.spikes).toBe(isolated.spikes);
  });
});
