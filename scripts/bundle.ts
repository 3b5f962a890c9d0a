/**
 * The package's JavaScript: esbuild bundles the entry points into `dist/` as a few ES modules
 * that share chunks, so that a program's `import 'spikeworld'` and every worker load a handful
 * of files instead of tsc's ~55 modules (a cold import 42–60 → 23–25 ms; a worker starts that much
 * sooner), with source maps. `npm run build` (scripts/build.ts) writes it with tsc's type
 * declarations (`dist/types`); the bench and the tests bundle into directories of their own.
 *
 * Layout rules the code relies on: `worker.js` sits beside the chunk that holds
 * src/parallel/platform.ts (it starts `./worker.js` relative to its own URL), and `sweep.js`
 * beside the chunk that holds src/distributed/redisExecutor.ts (it imports `./sweep.js` on
 * first use). Chunks and entries therefore all live in the one output directory.
 */
import { build, type Plugin } from 'esbuild';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Output name (without `.js`) → source. package.json's `exports` and `bin` name these files. */
export const ENTRY_POINTS: Readonly<Record<string, string>> = {
  index: 'src/index.ts',
  embed: 'src/embed/index.ts',
  'embed-worker': 'src/embed/worker.ts',
  worker: 'src/parallel/worker.ts',
  'parallel-worker': 'src/parallel/workerEntry.ts',
  sweep: 'src/distributed/sweep.ts',
  cli: 'src/distributed/cli.ts',
};

/** Bundles the package into `outdir`. Dependencies stay imports (npm installs them beside it). */
export async function bundlePackage(outdir: string): Promise<void> {
  await build({
    entryPoints: Object.entries(ENTRY_POINTS).map(([out, src]) => ({ out, in: resolve(REPO_ROOT, src) })),
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    // Node and browsers alike; Node built-ins are only imported by Node-only modules.
    platform: 'neutral',
    target: 'es2022',
    packages: 'external',
    external: ['node:*'],
    chunkNames: 'chunk-[hash]',
    sourcemap: true,
    logLevel: 'warning',
  });
}

/**
 * Bundles user modules (benchmarks, test fixtures) written against the TypeScript source into
 * `outdir`, importing the bundled package in `packageDir` instead: what a user's compiled program
 * that imports 'spikeworld' loads. Output paths keep the entries' paths under the repository.
 */
export async function bundleUserModules(entries: readonly string[], outdir: string, packageDir: string): Promise<void> {
  const sourceIndex = resolve(REPO_ROOT, 'src/index.js');
  const toPackage: Plugin = {
    name: 'spikeworld-package',
    setup(b) {
      b.onResolve({ filter: /\/src\/index\.js$/ }, (args) =>
        resolve(args.resolveDir, args.path) === sourceIndex ? { path: pathToFileURL(resolve(packageDir, 'index.js')).href, external: true } : undefined,
      );
    },
  };
  await build({
    entryPoints: entries.map((e) => resolve(REPO_ROOT, e)),
    outdir,
    outbase: REPO_ROOT,
    bundle: true,
    // A dynamic import stays one (bench/coldBuild.ts times the package's import).
    splitting: true,
    chunkNames: 'chunk-[hash]',
    format: 'esm',
    platform: 'node',
    target: 'es2022',
    packages: 'external',
    plugins: [toPackage],
    logLevel: 'warning',
  });
}
