/**
 * COBA and Izhikevich-2003 side by side with Brian2 2.5 on this machine, in the same run
 * (`npm run bench:brian2`; `--json` for one JSON line per figure, `--quick` for 1 s of COBA
 * only). Needs Debian's python3-brian (`apt-get install python3-brian`) and g++; not part of
 * `npm test` or `npm run bench` (Brian2's C++ compile alone takes 6–15 s per network).
 *
 * Brian2 runs bench/brian2/coba.py and izhikevich2003.py, the same networks as
 * examples/networks/coba.ts and izhikevich2003.ts: cpp_standalone (generated C++, one thread) and
 * the Cython runtime (a first run with an empty cache, which compiles, then warm runs). Brian2's
 * own timer covers the time-step loop alone (standalone: process CPU time, std::clock(); Cython:
 * wall time); code generation, compilation and setup are reported apart. spikeworld runs
 * the same durations in this process first, float and double, best of repeats, and is compared
 * by the same measure (CPU time against standalone, wall time against Cython).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { buildCoba } from '../examples/networks/coba.js';
import { compile, simulate, type Monitor } from '../src/index.js';
import { buildIzhikevich2003 } from '../examples/networks/izhikevich2003.js';
import { fresh, meanRate, SEED } from './lib/common.js';
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

/**
 * spikeworld's run of `durationMs`, best of `repeats` fresh builds: wall time, and process CPU
 * time (the measure Brian2's standalone timer takes, std::clock(); on this shared VM wall time
 * also counts time the VM was not given).
 */
function spikeworld(pair: Pair, precision: 'float' | 'double', durationMs: number, repeats: number): { wall_s: number; cpu_s: number; rate: number } {
  let best = { wall_s: Infinity, cpu_s: Infinity, rate: NaN };
  for (let r = 0; r < repeats; r++) {
    const { monitors } = fresh(pair.dt, SEED, pair.build, 'auto', precision);
    compile();
    const cpu = process.cpuUsage();
    const start = performance.now();
    simulate(durationMs);
    const wall_s = (performance.now() - start) / 1000;
    const used = process.cpuUsage(cpu);
    const cpu_s = (used.user + used.system) / 1e6;
    if (cpu_s < best.cpu_s) best = { wall_s, cpu_s, rate: meanRate(monitors) };
  }
  return best;
}

function fail(message: string): never {
  console.error(`bench:brian2: ${message}`);
  process.exit(1);
}

function brian2(script: string, target: 'cpp_standalone' | 'cython', durationMs: number, workdir: string): Brian2Run {
  const file = fileURLToPath(new URL(`./brian2/${script}`, import.meta.url));
  try {
    const out = execFileSync(PYTHON, [file, target, String(durationMs), String(SEED), workdir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return JSON.parse(out.trim().split('\n').at(-1) as string) as Brian2Run;
  } catch (e) {
    const stderr = String((e as { stderr?: unknown }).stderr ?? '').trim().split('\n').slice(-5).join('\n  ');
    return fail(`${script} (${target}, ${durationMs} ms) failed:\n  ${stderr || (e as Error).message}`);
  }
}

for (const [command, args, hint] of [
  [PYTHON, ['-c', 'import brian2'], `${PYTHON} cannot import brian2: apt-get install python3-brian (or set SPIKEWORLD_BRIAN2_PYTHON to an interpreter that has Brian2 2.5)`],
  ['g++', ['--version'], 'no g++ for Brian2\'s cpp_standalone and Cython targets: apt-get install g++'],
] as const) {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
  } catch {
    fail(hint);
  }
}

const scratch = mkdtempSync(path.join(os.tmpdir(), 'spikeworld-brian2-'));
process.once('exit', () => rmSync(scratch, { recursive: true, force: true }));
// Ctrl-C or a kill: the 'exit' handler above removes the standalone projects and caches.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
reporter.header(`spikeworld vs Brian2 (same run): Node ${process.versions.node}, ${os.availableParallelism()} cores, best of repeats`);
for (const pair of PAIRS) {
  for (const durationMs of pair.durations) {
    const repeats = durationMs >= 10000 ? 2 : 3;
    const tag = `${pair.name}_${durationMs / 1000}s`;
    // spikeworld first: right after Brian2's compiles the machine is still busy writing their output.
    const [float, double] = (['float', 'double'] as const).map((precision) => spikeworld(pair, precision, durationMs, repeats)) as [
      ReturnType<typeof spikeworld>,
      ReturnType<typeof spikeworld>,
    ];
    // cpp_standalone: a fresh project directory per run, so every compile starts cold.
    const standalone = Array.from({ length: repeats }, (_, r) => brian2(pair.script, 'cpp_standalone', durationMs, path.join(scratch, `standalone-${tag}-${r}`)));
    // Cython: the first run fills an empty cache (it compiles), the later ones reuse it.
    const cache = path.join(scratch, `cython-${tag}`);
    const [coldCython, ...warmCython] = Array.from({ length: repeats + 1 }, () => brian2(pair.script, 'cython', durationMs, cache));
    const bestStandalone = Math.min(...standalone.map((r) => r.simulate_s));
    const bestCython = Math.min(...warmCython.map((r) => r.simulate_s));
    reporter.emit({
      figure: `brian2_${tag}_cpp_standalone_s`,
      value: bestStandalone,
      unit: 's',
      compile_s: standalone[0]!.compile_s,
      rate_hz: standalone[0]!.rate_hz,
      timer: 'process CPU time (std::clock)',
      spikeworld_float_cpu_s: float.cpu_s,
      spikeworld_double_cpu_s: double.cpu_s,
      spikeworld_float_wall_s: float.wall_s,
      spikeworld_rate_hz: float.rate,
      brian2_over_spikeworld_float: bestStandalone / float.cpu_s,
    });
    reporter.emit({
      figure: `brian2_${tag}_cython_s`,
      value: bestCython,
      unit: 's',
      first_run_compile_s: coldCython!.compile_s,
      rate_hz: coldCython!.rate_hz,
      timer: 'wall time',
      spikeworld_float_wall_s: float.wall_s,
      brian2_over_spikeworld_float: bestCython / float.wall_s,
    });
  }
}
