/**
 * package.json's exports, main and bin point at files that `npm run build` writes (scripts/build.ts:
 * scripts/bundle.ts's entries in dist/, tsc's declarations in dist/types, from existing sources);
 * the built entries export what the README imports; every module the bundle names at run time
 * (chunks, `./worker.js`, `./sweep.js`) is written where it is looked for.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { afterAll, beforeAll, expect, it } from 'vitest';

import { bundlePackage, ENTRY_POINTS } from '../../scripts/bundle.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as {
  main: string;
  types: string;
  files: string[];
  scripts: Record<string, string>;
  exports: Record<string, { types: string; default: string } | string>;
};
// Inside the repository, so that the bundle's imports of its dependencies resolve.
const out = resolve(root, '.bundle-test/dist');

beforeAll(() => bundlePackage(out), 60_000);
afterAll(() => rmSync(dirname(out), { recursive: true, force: true }));

/** `./dist/embed.js` → `src/embed/index.ts` (through ENTRY_POINTS). */
function sourceOfBundle(target: string): string {
  const name = /^\.\/dist\/([\w-]+)\.js$/.exec(target)?.[1];
  const source = name === undefined ? undefined : ENTRY_POINTS[name];
  if (!source) throw new Error(`${target} is not an entry of scripts/bundle.ts`);
  return source;
}
/** `./dist/types/src/embed/index.d.ts` → `src/embed/index.ts`. */
const sourceOfTypes = (target: string) => target.replace(/^\.\/dist\/types\//, '').replace(/\.d\.ts$/, '.ts');
/** `./dist/embed.js` → where the bundle wrote it. */
const built = (target: string) => resolve(out, target.replace(/^\.\/dist\//, ''));

it('every export, main and bin is a bundle entry that the build writes, with the declarations of the same source', () => {
  const bin = /'\.\.\/(dist\/[\w-]+\.js)'/.exec(readFileSync(resolve(root, 'bin/spikeworld.js'), 'utf8'))![1]!;
  expect(sourceOfBundle(`./${bin}`)).toBe('src/distributed/cli.ts');
  expect(existsSync(built(`./${bin}`)), bin).toBe(true);
  // Module entries (package.json itself is exported as a plain path, for tools reading its version).
  expect(pkg.exports['./package.json']).toBe('./package.json');
  const modules = Object.values(pkg.exports).filter((e): e is { types: string; default: string } => typeof e !== 'string');
  const entries = [{ types: pkg.types, default: pkg.main }, ...modules];
  expect(entries.length).toBeGreaterThanOrEqual(4);
  for (const e of entries) {
    const source = sourceOfBundle(e.default);
    expect(existsSync(resolve(root, source)), source).toBe(true);
    expect(existsSync(built(e.default)), e.default).toBe(true);
    expect(sourceOfTypes(e.types), e.types).toBe(source);
  }
});

it('npm pack builds dist/ and ships it with bin/ (.gitignore leaves dist/ out otherwise)', () => {
  expect(pkg.files).toEqual(expect.arrayContaining(['dist', 'bin']));
  expect(pkg.scripts['prepack']).toBe('npm run build');
  expect(pkg.scripts['build']).toBe('tsx scripts/build.ts');
});

it('the built entry points export what the README imports from them', async () => {
  const entry = async (subpath: string) => import(pathToFileURL(built((pkg.exports[subpath] as { default: string }).default)).href);
  expect(Object.keys(await entry('.'))).toEqual(expect.arrayContaining(['setup', 'Population', 'Network', 'parallelRun', 'releaseWorkers']));
  expect(Object.keys(await entry('./embed'))).toEqual(expect.arrayContaining(['LiveNetwork']));
  expect(Object.keys(await entry('./embed/worker'))).toEqual(expect.arrayContaining(['serveNetworks']));
});

it('every relative module the bundle names exists where it is looked for', () => {
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? files(join(dir, d.name)) : d.name.endsWith('.js') ? [join(dir, d.name)] : []));
  const named = new Set<string>();
  for (const f of files(out)) {
    for (const m of readFileSync(f, 'utf8').matchAll(/["'](\.\.?\/[\w./-]+\.js)["']/g)) {
      const target = resolve(dirname(f), m[1]!);
      named.add(target);
      expect(existsSync(target), `${m[1]} named in ${f}`).toBe(true);
    }
  }
  // Among them the worker that platform.ts starts and the sweep that redisExecutor imports.
  expect([...named]).toEqual(expect.arrayContaining([join(out, 'worker.js'), join(out, 'sweep.js')]));
});
