/**
 * COBA and Izhikevich-2003 side by side with Brian2 2.5 on this machine, in the same run
 * (`npm run bench:brian2`; `--json` for one JSON line per figure, `--quick` for 1 s of COBA only). Needs Debian's python3-brian
 * (`apt-get install python3-brian`) and g++; not part of `npm test` or `npm run bench` (Brian2's
 * C++ compile alone takes 6–12 s per network).
 *
 * Brian2 runs bench/brian2/coba.py and izhikevich2003.py, the same networks as
 * examples/networks/coba.ts and izhikevich2003.ts: cpp_standalone
 * (generated C++, one thread; its own timer around the run, the compile timed apart) and the
 * Cython runtime (first run with an empty cache, which compiles, then warm runs). spikeworld runs
 * the same durations in this process, float and double, best of repeats.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { buildCoba } from '../examples/networks/coba.js';
import type { Monitor } from '../src/index.js';
import { buildIzhikevich2003 } from '../examples/networks/izhikevich2003.js';
import { simulateBest } from './figures/simulate.js';
import { SEED } from './lib/common.js';
import { Reporter } from './lib/report.js';

/** Debian's interpreter: python3-brian installs for it (a pyenv or venv python3 would not see it). */
const PYTHON = process.env['SPIKEWORLD_BRIAN2_PYTHON'] ?? '/usr/bin/python3';

const args = new Set(process.argv.slice(2));
for (const a of args) {
  if (a !== '--json' && a !== '--quick') {
    console.error(`bench:brian2: unknown option ${a} (use --json and/or --quick)`);
    process.exit(2);
  }
}
const reporter = new Reporter(args.has('--json'));
const quick = args.has('--quick');

/** A network on both simulators: its Brian2 script, spikeworld builder, dt (ms) and durations (ms). */
interface Pair {
  name: string;
  script: string;
  dt: number;
  build: () => { monitors: readonly Monitor[] };
  durations: number[];
}
const PAIRS: Pair[] = [
  { name: 'coba', script: 'coba.py', dt: 0.1, build: () => buildCoba(), durations: quick ? [1000] : [1000, 10000] },
  ...(quick ? [] : [{ name: 'izhikevich2003', script: 'izhikevich2003.py', dt: 1, build: () => buildIzhikevich2003(), durations: [1000] }]),
];

interface Brian2Run {
  target: string;
  simulate_s: number;
  compile_s: number | null;
  rate_hz: number;
}

function brian2(script: string, target: 'cpp_standalone' | 'cython', durationMs: number, workdir: string): Brian2Run {
  const file = fileURLToPath(new URL(`./brian2/${script}`, import.meta.url));
  const out = execFileSync(PYTHON, [file, target, String(durationMs), String(SEED), workdir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(out.trim().split('\n').at(-1) as string) as Brian2Run;
}

try {
  execFileSync(PYTHON, ['-c', 'import brian2'], { stdio: 'ignore' });
} catch {
  console.error(`bench:brian2: ${PYTHON} cannot import brian2. Install it with: apt-get install python3-brian (or set SPIKEWORLD_BRIAN2_PYTHON to an interpreter that has Brian2 2.5)`);
  process.exit(1);
}

const scratch = mkdtempSync(path.join(os.tmpdir(), 'spikeworld-brian2-'));
process.once('exit', () => rmSync(scratch, { recursive: true, force: true }));
reporter.header(`spikeworld vs Brian2 (same run): Node ${process.versions.node}, ${os.availableParallelism()} cores, best of repeats`);
for (const pair of PAIRS) {
  for (const durationMs of pair.durations) {
    const repeats = durationMs >= 10000 ? 2 : 3;
    const tag = `${pair.name}_${durationMs / 1000}s`;
    // spikeworld first: right after Brian2's compiles the machine is still busy writing their output.
    const ours = (['float', 'double'] as const).map((precision) => simulateBest(repeats, pair.dt, precision, pair.build, durationMs, false));
    // cpp_standalone: a fresh project directory per run, so every compile starts cold.
    const standalone = Array.from({ length: repeats }, (_, r) => brian2(pair.script, 'cpp_standalone', durationMs, path.join(scratch, `standalone-${tag}-${r}`)));
    // Cython: the first run fills an empty cache (it compiles), the later ones reuse it.
    const cache = path.join(scratch, `cython-${tag}`);
    const [coldCython, ...warmCython] = Array.from({ length: repeats + 1 }, () => brian2(pair.script, 'cython', durationMs, cache));
    const [float, double] = ours.map((r) => r.ms / 1000) as [number, number];
    const bestStandalone = Math.min(...standalone.map((r) => r.simulate_s));
    const bestCython = Math.min(...warmCython.map((r) => r.simulate_s));
    reporter.emit({
      figure: `brian2_${tag}_cpp_standalone_s`,
      value: bestStandalone,
      unit: 's',
      compile_s: standalone[0]!.compile_s,
      rate_hz: standalone[0]!.rate_hz,
      spikeworld_float_s: float,
      spikeworld_double_s: double,
      spikeworld_rate_hz: ours[0]!.rate,
      brian2_over_spikeworld_float: bestStandalone / float,
    });
    reporter.emit({
      figure: `brian2_${tag}_cython_s`,
      value: bestCython,
      unit: 's',
      cold_s: coldCython!.simulate_s,
      rate_hz: coldCython!.rate_hz,
      spikeworld_float_s: float,
      brian2_over_spikeworld_float: bestCython / float,
    });
  }
}
