/**
 * package.json's exports point at files tsc's build (tsconfig.build.json: src → dist/src) writes:
 * each target's TypeScript source exists, and each entry point exports what the README imports.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { exports: Record<string, Record<string, string>> };

/** `./dist/src/embed/index.js` or `.d.ts` → `src/embed/index.ts`. */
const sourceOf = (target: string) => target.replace(/^\.\/dist\//, '').replace(/(\.d)?\.ts$|\.js$/, '') + '.ts';

it('every export target is built from an existing source file', () => {
  const targets = Object.values(pkg.exports).flatMap((conditions) => Object.values(conditions));
  expect(targets.length).toBeGreaterThanOrEqual(6);
  for (const t of targets) expect(existsSync(resolve(root, sourceOf(t))), t).toBe(true);
});

it('the entry points export what the README imports from them', async () => {
  const entry = async (subpath: string) => import(resolve(root, sourceOf(pkg.exports[subpath]!['default']!)));
  expect(Object.keys(await entry('.'))).toEqual(expect.arrayContaining(['setup', 'Population', 'Network', 'parallelRun', 'releaseWorkers']));
  expect(Object.keys(await entry('./embed'))).toEqual(expect.arrayContaining(['LiveNetwork']));
  expect(Object.keys(await entry('./embed/worker'))).toEqual(expect.arrayContaining(['serveNetworks']));
});
