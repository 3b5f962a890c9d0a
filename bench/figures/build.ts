/** Figure 1: COBA build + compile, in a fresh process (cold) and in this one (warm). */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { compile } from '../../src/index.js';
import { buildCoba } from '../../examples/networks/coba.js';
import { fresh, SEED, type BenchContext } from '../lib/common.js';
import { compiledDir, REPO_ROOT } from '../lib/compiled.js';
import { best, now, timed } from '../lib/timing.js';

const COLD_SCRIPT = fileURLToPath(new URL('../coldBuild.ts', import.meta.url));

interface ColdRun {
  ms: number;
  import_ms: number;
  build_ms: number;
  compile_ms: number;
  process_ms: number;
}

/** One fresh process: the TypeScript source under tsx, or (`compiledOut` given) the bundled package under plain node. */
function coldRun(compiledOut: string | null): ColdRun {
  const start = now();
  const args = compiledOut ? [resolve(compiledOut, 'bench/coldBuild.js')] : ['--import', 'tsx', COLD_SCRIPT];
  const child = spawnSync(process.execPath, args, { cwd: REPO_ROOT, encoding: 'utf8' });
  const processMs = now() - start;
  if (child.status !== 0) {
    throw new Error(`bench/coldBuild.ts exited with ${child.status}: ${child.stderr}`);
  }
  const line = child.stdout.trim().split('\n').pop() ?? '';
  const out = JSON.parse(line) as { total_ms: number; import_ms: number; build_ms: number; compile_ms: number };
  return { ms: out.total_ms, import_ms: out.import_ms, build_ms: out.build_ms, compile_ms: out.compile_ms, process_ms: processMs };
}

export async function buildFigures({ quick, reporter }: BenchContext): Promise<void> {
  const compiledOut = await compiledDir();
  for (const compiled of [false, true]) {
    const out = compiled ? compiledOut : null;
    // The first cold run also fills tsx's transform cache (and the OS's file cache): keep it out.
    coldRun(out);
    const cold = best(quick ? 3 : 5, () => coldRun(out));
    reporter.emit({
      figure: compiled ? 'coba_build_compile_cold_compiled_ms' : 'coba_build_compile_cold_ms',
      value: cold.ms,
      unit: 'ms',
      from: compiled ? 'bundled JS (npm run build) under node, as the npm package runs' : 'TypeScript source (tsx)',
      import_ms: cold.import_ms,
      build_ms: cold.build_ms,
      compile_ms: cold.compile_ms,
      process_ms: cold.process_ms,
      target_ms: 150,
    });
  }

  const warm = best(quick ? 3 : 5, () => {
    const build = timed(() => fresh(0.1, SEED, () => buildCoba()));
    const comp = timed(() => compile());
    return { ms: build.ms + comp.ms, build_ms: build.ms, compile_ms: comp.ms };
  });
  reporter.emit({
    figure: 'coba_build_compile_warm_ms',
    value: warm.ms,
    unit: 'ms',
    build_ms: warm.build_ms,
    compile_ms: warm.compile_ms,
  });
}
