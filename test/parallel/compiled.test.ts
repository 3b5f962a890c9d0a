/**
 * parallelRun from the bundled package (what users of the npm package run: `npm run build`,
 * scripts/bundle.ts): a plain `node` process imports it, runs the seed sweep on workers (which
 * load the bundle's worker.js and the user's module, sharing the package's chunks), and its
 * results must equal this (TypeScript) process's sequential run of the same sweep. The same with
 * the user's module in TypeScript, run by tsx against the bundle (its workers register tsx).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, expect, it } from 'vitest';

import { bundlePackage, bundleUserModules } from '../../scripts/bundle.js';
import { parallelRun } from '../../src/index.js';
import { simulation } from '../fixtures/seedNetwork.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const out = resolve(root, '.compiled-test');

beforeAll(async () => {
  rmSync(out, { recursive: true, force: true });
  await bundlePackage(resolve(out, 'dist'));
  await bundleUserModules(['test/fixtures/seedNetwork.ts'], out, resolve(out, 'dist'));
  writeFileSync(
    resolve(out, 'driver.mjs'),
    `import { parallelRun } from './dist/index.js';
import { simulation } from './test/fixtures/seedNetwork.js';
// A signal keeps the calling thread out: every network runs in a worker.
const results = await parallelRun({ method: simulation, number: 3, maxWorkers: 3, module: new URL('./test/fixtures/seedNetwork.js', import.meta.url), signal: new AbortController().signal });
console.log(JSON.stringify(results.map((r) => ({ t: [...r.t], n: [...r.n], synapses: r.synapses }))));
`,
  );
  // The fixture's TypeScript source, importing the bundle instead of src/.
  const fixture = readFileSync(resolve(root, 'test/fixtures/seedNetwork.ts'), 'utf8');
  writeFileSync(resolve(out, 'seedNetwork.ts'), fixture.replace("from '../../src/index.js'", "from './dist/index.js'"));
  writeFileSync(
    resolve(out, 'driver-ts.mjs'),
    `import { parallelRun } from './dist/index.js';
const module = new URL('./seedNetwork.ts', import.meta.url);
const { simulation } = await import(module.href);
const results = await parallelRun({ method: simulation, number: 3, maxWorkers: 3, module, signal: new AbortController().signal });
console.log(JSON.stringify(results.map((r) => ({ t: [...r.t], n: [...r.n], synapses: r.synapses }))));
`,
  );
}, 120_000);

/** The seed sweep in this process, in sequence: what every run must give. */
async function expected() {
  return (await parallelRun({ method: simulation, number: 3, sequential: true })).map((r) => ({ t: [...r.t], n: [...r.n], synapses: r.synapses }));
}



afterAll(() => rmSync(out, { recursive: true, force: true }));

it('runs on workers from the bundled package, with the same results as TypeScript in sequence', async () => {
  const printed = execFileSync(process.execPath, [resolve(out, 'driver.mjs')], { cwd: root, encoding: 'utf8' });
  const compiled = JSON.parse(printed.trim().split('\n').at(-1) as string);
  const reference = await expected();
  expect(compiled).toEqual(reference);
  expect(reference[2]!.t.length).toBeGreaterThan(0);
}, 120_000);

it('runs a TypeScript module (tsx) on workers from the bundled package, with the same results', async () => {
  const printed = execFileSync(process.execPath, ['--import', 'tsx', resolve(out, 'driver-ts.mjs')], { cwd: root, encoding: 'utf8' });
  expect(JSON.parse(printed.trim().split('\n').at(-1) as string)).toEqual(await expected());
}, 120_000);

it('an app that bundles spikeworld into itself gets an error saying to keep it external', async () => {
  const { build } = await import('esbuild');
  const app = resolve(out, 'app');
  writeFileSync(
    resolve(out, 'app.ts'),
    `import { parallelRun } from ${JSON.stringify(resolve(root, 'src/index.ts'))};
import { simulation } from ${JSON.stringify(resolve(root, 'test/fixtures/seedNetwork.ts'))};
try {
  await parallelRun({ method: simulation, number: 2, maxWorkers: 2, module: import.meta.url, signal: new AbortController().signal });
  console.log('ran');
} catch (e) {
  console.log(e.message);
}
`,
  );
  // The engine's source inlined into the app's one file (only npm dependencies stay imports).
  await build({ entryPoints: [resolve(out, 'app.ts')], outdir: app, bundle: true, format: 'esm', platform: 'node', packages: 'external', logLevel: 'silent' });
  const printed = execFileSync(process.execPath, [resolve(app, 'app.js')], { cwd: root, encoding: 'utf8' });
  expect(printed).toMatch(/parallelRun: its worker script file:.*\/worker\.js is missing: .*Keep 'spikeworld' external when bundling/);
}, 120_000);

it('a worker whose copy of spikeworld cannot load fails the call with the cause, and the script ends promptly', () => {
  // A broken install: the bundle's worker entry throws on import.
  const workerFile = resolve(out, 'dist/worker.js');
  const original = readFileSync(workerFile, 'utf8');
  writeFileSync(workerFile, `throw new Error('broken install: worker.js');\n${original}`);
  // A script that handles the failure (an unhandled rejection would end it at once anyway).
  writeFileSync(
    resolve(out, 'driver-caught.mjs'),
    `import { parallelRun } from './dist/index.js';
import { simulation } from './test/fixtures/seedNetwork.js';
const module = new URL('./test/fixtures/seedNetwork.js', import.meta.url);
await parallelRun({ method: simulation, number: 2, maxWorkers: 2, module, signal: new AbortController().signal }).catch((e) => console.log(e.message));
`,
  );
  try {
    const started = Date.now();
    const run = spawnSync(process.execPath, [resolve(out, 'driver-caught.mjs')], { cwd: root, encoding: 'utf8', timeout: 30_000 });
    expect(run.stdout.trim()).toBe('parallelRun: a worker failed: Error: broken install: worker.js');
    // threads.js kept its 10 s start-up timer running after a failed start, and the script with it.
    expect(Date.now() - started).toBeLessThan(5000);
  } finally {
    writeFileSync(workerFile, original);
  }
}, 60_000);

it('a second copy of spikeworld in one process says so when it loads', () => {
  const script = `await import(${JSON.stringify(resolve(out, 'dist/index.js'))}); await import(${JSON.stringify(resolve(root, 'src/index.ts'))});`;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', timeout: 30_000 });
  expect(run.status).toBe(0);
  expect(run.stderr).toMatch(/spikeworld: a second copy is loading \(file:.*\/src\/api\/registry\.ts; the first: file:.*\/\.compiled-test\/dist\/.*\.js\)/);
  // One copy alone says nothing.
  const alone = spawnSync(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(resolve(out, 'dist/index.js'))});`], { cwd: root, encoding: 'utf8', timeout: 30_000 });
  expect(alone.stderr).toBe('');
}, 60_000);

it('the bundle builds no worker URL from a template literal (Vite would glob ./worker.* into the page, maps included)', () => {
  const dist = resolve(out, 'dist');
  const offending = readdirSync(dist)
    .filter((f) => f.endsWith('.js'))
    .filter((f) => /new URL\(\s*`[^`]*\$\{[^`]*`\s*,\s*import\.meta\.url/.test(readFileSync(resolve(dist, f), 'utf8')));
  expect(offending).toEqual([]);
});

it('without the optional bullmq and ioredis, redisExecutor and spikeworld worker say what to install', async () => {
  // The package as installed without them: its dist and bin beside every dependency but those two.
  // Not under /tmp, where a stray /tmp/node_modules would still supply them.
  const app = mkdtempSync(resolve(existsSync('/var/tmp') ? '/var/tmp' : tmpdir(), 'spikeworld-noredis-'));
  try {
    cpSync(resolve(out, 'dist'), resolve(app, 'dist'), { recursive: true });
    cpSync(resolve(root, 'bin'), resolve(app, 'bin'), { recursive: true });
    mkdirSync(resolve(app, 'node_modules'));
    for (const name of readdirSync(resolve(root, 'node_modules'))) {
      if (name !== 'bullmq' && name !== 'ioredis' && name !== '.bin') symlinkSync(resolve(root, 'node_modules', name), resolve(app, 'node_modules', name));
    }
    writeFileSync(resolve(app, 'package.json'), '{ "type": "module", "version": "9.9.9" }');
    writeFileSync(
      resolve(app, 'sweep.mjs'),
      `import { parallelRun, redisExecutor } from './dist/index.js';
export function method(idx) { return idx; }
await parallelRun({ method, number: 1, executor: redisExecutor({ connection: 'redis://127.0.0.1:1' }) }).catch((e) => console.log(e.message));
`,
    );
    const sweep = spawnSync(process.execPath, [resolve(app, 'sweep.mjs')], { cwd: app, encoding: 'utf8', timeout: 30_000 });
    expect(sweep.stdout.trim()).toMatch(/^redisExecutor and spikeworld worker need the packages bullmq and ioredis \(optional peer dependencies; '(bullmq|ioredis)' is not installed\): npm install bullmq ioredis$/);
    // --version and --help need neither.
    const version = spawnSync(process.execPath, [resolve(app, 'bin/spikeworld.js'), '--version'], { cwd: app, encoding: 'utf8', timeout: 30_000 });
    expect([version.status, version.stdout.trim()]).toEqual([0, '9.9.9']);
    const help = spawnSync(process.execPath, [resolve(app, 'bin/spikeworld.js'), 'worker', '--help'], { cwd: app, encoding: 'utf8', timeout: 30_000 });
    expect(help.status).toBe(0);
    const worker = spawnSync(process.execPath, [resolve(app, 'bin/spikeworld.js'), 'worker', '--redis', 'redis://127.0.0.1:1'], { cwd: app, encoding: 'utf8', timeout: 30_000 });
    expect(worker.status).toBe(1);
    expect(worker.stderr).toMatch(/redisExecutor and spikeworld worker need the packages bullmq and ioredis .*: npm install bullmq ioredis/);
  } finally {
    rmSync(app, { recursive: true, force: true });
  }
}, 60_000);
