/**
 * parallelRun from compiled JavaScript (what users of the npm package run): the project is
 * compiled with tsc, a plain `node` process runs the seed sweep on workers, and its results
 * must equal this (TypeScript) process's sequential run of the same sweep.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, expect, it } from 'vitest';

import { parallelRun } from '../../src/index.js';
import { simulation } from '../fixtures/seedNetwork.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const out = resolve(root, '.compiled-test');

beforeAll(() => {
  rmSync(out, { recursive: true, force: true });
  execFileSync(process.execPath, [resolve(root, 'node_modules/typescript/bin/tsc'), '-p', resolve(root, 'tsconfig.compiled-test.json')], {
    cwd: root,
    stdio: 'pipe',
  });
  mkdirSync(out, { recursive: true });
  writeFileSync(
    resolve(out, 'driver.mjs'),
    `import { parallelRun } from './src/index.js';
import { simulation } from './test/fixtures/seedNetwork.js';
const results = await parallelRun({ method: simulation, number: 3, maxWorkers: 3, module: new URL('./test/fixtures/seedNetwork.js', import.meta.url) });
console.log(JSON.stringify(results.map((r) => ({ t: [...r.t], n: [...r.n], synapses: r.synapses }))));
`,
  );
}, 120_000);

afterAll(() => rmSync(out, { recursive: true, force: true }));

it('runs on workers from compiled JS, with the same results as TypeScript in sequence', async () => {
  const printed = execFileSync(process.execPath, [resolve(out, 'driver.mjs')], { cwd: root, encoding: 'utf8' });
  const compiled = JSON.parse(printed.trim().split('\n').at(-1) as string);
  const expected = (await parallelRun({ method: simulation, number: 3, sequential: true })).map((r) => ({
    t: [...r.t],
    n: [...r.n],
    synapses: r.synapses,
  }));
  expect(compiled).toEqual(expected);
  expect(expected[2]!.t.length).toBeGreaterThan(0);
}, 120_000);
