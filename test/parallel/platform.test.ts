/** platform.ts: module paths become the file: URLs the workers import (names with # ? % included). */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { afterAll, expect, it } from 'vitest';

import { parallelRun } from '../../src/index.js';
import { toModuleUrl } from '../../src/parallel/platform.js';
import { simulation } from '../fixtures/seedNetwork.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = resolve(root, '.platform-test#1');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('a path becomes its file: URL with #, ? and % escaped; a URL stays as it is', () => {
  expect(toModuleUrl('/tmp/run#1/sweep?.ts')).toBe('file:///tmp/run%231/sweep%3F.ts');
  expect(toModuleUrl('/tmp/100%/sweep.ts')).toBe('file:///tmp/100%25/sweep.ts');
  expect(toModuleUrl('file:///tmp/a.ts')).toBe('file:///tmp/a.ts');
  expect(toModuleUrl(new URL('file:///tmp/b.ts'))).toBe('file:///tmp/b.ts');
});

it('workers import a module given as a path with # in a directory name', async () => {
  mkdirSync(dir, { recursive: true });
  const fixture = readFileSync(resolve(root, 'test/fixtures/seedNetwork.ts'), 'utf8');
  const path = resolve(dir, 'seedNetwork.ts');
  writeFileSync(path, fixture.replace("from '../../src/index.js'", `from ${JSON.stringify(pathToFileURL(resolve(root, 'src/index.ts')).href)}`));
  // The copy declares what the fixture declares here; a signal keeps the calling thread out, so
  // both networks run in the worker, which imports the copy and finds `simulation` by name.
  const pooled = await parallelRun({ method: simulation, number: 2, maxWorkers: 2, module: path, signal: new AbortController().signal });
  const alone = await parallelRun({ method: simulation, number: 2, sequential: true });
  expect(pooled.map((r) => [...r.t])).toEqual(alone.map((r) => [...r.t]));
}, 60_000);
