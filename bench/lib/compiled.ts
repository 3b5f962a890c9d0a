/**
 * The project compiled by tsc into `.bench-compiled/` (tsconfig.bench-compiled.json), for figures
 * that time what users of the npm package run: JavaScript under plain `node`, without tsx.
 * Compiled once per bench process, removed when it exits.
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const OUT = resolve(REPO_ROOT, '.bench-compiled');
let compiled = false;

/** The output directory, compiling into it first if this process has not yet. */
export function compiledDir(): string {
  if (!compiled) {
    rmSync(OUT, { recursive: true, force: true });
    process.once('exit', () => rmSync(OUT, { recursive: true, force: true }));
    execFileSync(process.execPath, [resolve(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', resolve(REPO_ROOT, 'tsconfig.bench-compiled.json')], {
      cwd: REPO_ROOT,
      stdio: 'pipe',
    });
    compiled = true;
  }
  return OUT;
}
