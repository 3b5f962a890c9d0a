/**
 * spikeworld's benchmark suite (`npm run bench`; flags `--json`, `--quick`).
 * Prints one line per figure: an aligned table, or with `--json` one JSON object per line
 * `{"figure", "value", "unit", ...extra}`. Every figure is the best (min) of a few repeats.
 * `--quick` (under a minute: 15–20 s on the project's machine) uses fewer repeats, smaller sweeps and shorter durations.
 */
import os from 'node:os';

import { buildFigures } from './figures/build.js';
import { cloneFigures } from './figures/clone.js';
import { memoryFigures } from './figures/memory.js';
import { parallelOverheadFigures, parallelSweepFigures } from './figures/parallel.js';
import { machineFigures } from './figures/machine.js';
import { parallelCompiledFigures } from './figures/parallelCompiled.js';
import { scalingFigures } from './figures/scaling.js';
import { cobaFigures, izhikevichFigures } from './figures/simulate.js';
import { variantFigures } from './figures/variants.js';
import type { BenchContext } from './lib/common.js';
import { Reporter } from './lib/report.js';
import { now, settle } from './lib/timing.js';

const args = new Set(process.argv.slice(2));
for (const a of args) {
  if (a !== '--json' && a !== '--quick') {
    console.error(`bench: unknown option ${a} (use --json and/or --quick)`);
    process.exit(2);
  }
}
const quick = args.has('--quick');
const ctx: BenchContext = { quick, reporter: new Reporter(args.has('--json')) };
// The sweep's duration reaches the workers through the environment they inherit.
process.env['SPIKEWORLD_SWEEP_MS'] ??= quick ? '2000' : '20000';

/** In output order. The parallel figures come last: they leave the sweep module in the template. */
const FIGURES: [string, (c: BenchContext) => void | Promise<void>][] = [
  ['build', buildFigures],
  ['coba', cobaFigures],
  ['izhikevich2003', izhikevichFigures],
  ['coba variants', variantFigures],
  ['memory', memoryFigures],
  ['scaling', scalingFigures],
  ['clone', cloneFigures],
  ['machine ceiling', machineFigures],
  ['parallel sweep, compiled JS', parallelCompiledFigures],
  ['parallel sweep', parallelSweepFigures],
  ['parallelRun overhead', parallelOverheadFigures],
];

const started = now();
ctx.reporter.header(
  `spikeworld bench${quick ? ' --quick' : ''}: Node ${process.versions.node}, ${os.availableParallelism()} cores, best of repeats (wall clock)`,
);
for (const [name, figure] of FIGURES) {
  ctx.reporter.progress(`${name}…`);
  await settle();
  try {
    await figure(ctx);
  } catch (e) {
    ctx.reporter.clearProgress();
    console.error(`bench: ${name} failed:`, e);
    process.exitCode = 1;
  }
}
ctx.reporter.clearProgress();
ctx.reporter.note(`total ${((now() - started) / 1000).toFixed(1)} s`);
