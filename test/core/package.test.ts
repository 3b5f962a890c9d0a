/**
 * package.json's exports and bin point at files `npm run build` writes: scripts/bundle.ts's
 * entries in dist/ (from existing sources) and tsc's declarations in dist/types; the entries
 * export what the README imports; and every file the bundle names at run time (chunks,
 * `./worker.js`, `./sweep.js`) is one it writes beside it.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, expect, it } from 'vitest';

import { bundlePackage, ENTRY_POINTS } from '../../scripts/bundle.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as {
  main: string;
  types: string;
  files: string[];
  scripts: Record<string, string>;
  exports: Record<string, { types: string; default: string }>;
};

/** `./dist/embed.js` → `src/embed/index.ts` (through ENTRY_POINTS). */
function sourceOfBundle(target: string): string {
  const name = /^\.\/dist\/([\w-]+)\.js$/.exec(target)?.[1];
  const source = name === undefined ? undefined : ENTRY_POINTS[name];
  if (!source) throw new Error(`${target} is not an entry of scripts/bundle.ts`);
  return source;
}
/** `./dist/types/src/embed/index.d.ts` → `src/embed/index.ts`. */
const sourceOfTypes = (target: string) => target.replace(/^\.\/dist\/types\//, '').replace(/\.d\.ts$/, '.ts');

const out = mkdtempSync(join(tmpdir(), 'spikeworld-bundle-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

it('every export is a bundle entry with the declarations of the same source', () => {
  const entries = [{ types: pkg.types, default: pkg.main }, ...Object.values(pkg.exports)];
  expect(entries.length).toBeGreaterThanOrEqual(4);
  for (const e of entries) {
    const source = sourceOfBundle(e.default);
    expect(existsSync(resolve(root, source)), source).toBe(true);
    expect(sourceOfTypes(e.types), e.types).toBe(source);
  }
  const bin = readFileSync(resolve(root, 'bin/spikeworld.js'), 'utf8');
  expect(sourceOfBundle(/'\.\.\/(dist\/[\w-]+\.js)'/.exec(bin)![1]!.replace(/^/, './'))).toBe('src/distributed/cli.ts');
});

it('npm pack builds dist/ and ships it with bin/ (.gitignore leaves dist/ out otherwise)', () => {
  expect(pkg.files).toEqual(expect.arrayContaining(['dist', 'bin']));
  expect(pkg.scripts['prepack']).toBe('npm run build');
  expect(pkg.scripts['build']).toContain('scripts/bundle.ts');
});

it('the entry points export what the README imports from them', async () => {
  const entry = async (subpath: string) => import(resolve(root, sourceOfBundle(pkg.exports[subpath]!.default)));
  expect(Object.keys(await entry('.'))).toEqual(expect.arrayContaining(['setup', 'Population', 'Network', 'parallelRun', 'releaseWorkers']));
  expect(Object.keys(await entry('./embed'))).toEqual(expect.arrayContaining(['LiveNetwork']));
  expect(Object.keys(await entry('./embed/worker'))).toEqual(expect.arrayContaining(['serveNetworks']));
});

it('every relative module the bundle names exists beside it', async () => {
  await bundlePackage(out);
  const files = readdirSync(out);
  const named = new Set<string>();
  for (const f of files) {
    for (const m of readFileSync(join(out, f), 'utf8').matchAll(/["'](\.\/[\w.-]+\.js)["']/g)) named.add(m[1]!.slice(2));
  }
  // Among them the worker that platform.ts starts and the sweep that redisExecutor imports.
  expect([...named]).toEqual(expect.arrayContaining(['worker.js', 'sweep.js']));
  for (const f of named) expect(files, f).toContain(f);
});
