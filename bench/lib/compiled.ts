/**
 * The package as npm ships it (`npm run build`'s bundle, scripts/bundle.ts) in `.bench-compiled/dist/`,
 * with the bench's own modules (the seed sweep, the cold-build script, COBA) bundled beside it
 * and importing it: what a user's compiled program runs under plain `node`, without tsx.
 * Built once per bench process, removed when it exits.
 */
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';

import { bundlePackage, bundleUserModules, REPO_ROOT } from '../../scripts/bundle.js';

export { REPO_ROOT };
const OUT = resolve(REPO_ROOT, '.bench-compiled');
let compiled = false;

/** The output directory (`dist/`, `bench/`, `examples/networks/`), building into it first if this process has not yet. */
export async function compiledDir(): Promise<string> {
  if (!compiled) {
    rmSync(OUT, { recursive: true, force: true });
    process.once('exit', () => rmSync(OUT, { recursive: true, force: true }));
    await bundlePackage(resolve(OUT, 'dist'));
    await bundleUserModules(['bench/sweepModule.ts', 'bench/coldBuild.ts', 'examples/networks/coba.ts'], OUT, resolve(OUT, 'dist'));
    compiled = true;
  }
  return OUT;
}
