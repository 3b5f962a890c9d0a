/**
 * `npm run build` (and `npm pack`'s prepack): the package as npm ships it, written afresh into
 * dist/ — the bundle (scripts/bundle.ts) and tsc's type declarations in dist/types. Removing
 * dist/ first keeps files of an older layout or older chunk names out of the package.
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';

import { bundlePackage, REPO_ROOT } from './bundle.js';

const dist = resolve(REPO_ROOT, 'dist');
rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [resolve(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', resolve(REPO_ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
await bundlePackage(dist);
