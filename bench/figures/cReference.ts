/**
 * A plain C loop for COBA (bench/c/coba.c), compiled and timed in the same run as spikeworld, so
 * spikeworld's COBA time can be reported as a ratio against C on the same machine under the same
 * load. Needs gcc; without it (or if it fails) the caller gets the reason, never an exception.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { SEED } from '../lib/common.js';

export type Real = 'float' | 'double';
/**
 * 'native': gcc's choice for this CPU (AVX-512 here: 16 floats per instruction); '128': vectors
 * of 128 bits, as WebAssembly SIMD has, for a like-for-like comparison of the code itself.
 */
export type VectorWidth = 'native' | '128';

const SOURCE = fileURLToPath(new URL('../c/coba.c', import.meta.url));
/** A simulated second of COBA takes well under 1 s of C; this only guards against a hung binary. */
const RUN_TIMEOUT_MS = 120_000;

/** Each variant is compiled at most once per process: a binary path, or why there is none. */
const builds = new Map<string, { binary: string } | { error: string }>();
let buildDir: string | null = null;

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}

function compileVariant(real: Real, width: VectorWidth = 'native'): { binary: string } | { error: string } {
  const name = `coba_${real}_${width}`;
  const cached = builds.get(name);
  if (cached) return cached;
  let result: { binary: string } | { error: string };
  try {
    if (buildDir === null) {
      buildDir = mkdtempSync(path.join(os.tmpdir(), 'spikeworld-cref-'));
      const dir = buildDir;
      process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    }
    const binary = path.join(buildDir, name);
    // No -ffast-math: coba.c flushes subnormal conductances itself, so both variants stay IEEE.
    const widthFlags = width === '128' ? ['-mprefer-vector-width=128'] : [];
    execFileSync('gcc', ['-std=c99', '-O3', '-march=native', ...widthFlags, `-DREAL=${real}`, '-o', binary, SOURCE, '-lm'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    result = { binary };
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: Buffer };
    if (err.code === 'ENOENT') result = { error: 'gcc not found' };
    else result = { error: `gcc failed for ${real}: ${firstLine(err.stderr?.toString() ?? '') || err.message}` };
  }
  builds.set(name, result);
  return result;
}

/**
 * Seconds the C loop takes to simulate `durationMs` of COBA (best of `repeats`) and its mean
 * rate in Hz, for figures that report a same-run ratio; `error` says why there is none (no gcc,
 * a failed build or run).
 */
export function cCobaSeconds(
  durationMs: number,
  real: Real,
  repeats: number,
  width: VectorWidth = 'native',
): { s: number; rate: number } | { error: string } {
  const build = compileVariant(real, width);
  if ('error' in build) return build;
  let kept: { s: number; rate: number } | null = null;
  for (let r = 0; r < repeats; r++) {
    const out = spawnSync(build.binary, [String(durationMs), String(SEED)], { encoding: 'utf8', timeout: RUN_TIMEOUT_MS });
    if (out.error || out.status !== 0) {
      return { error: `coba_${real} failed: ${out.error?.message ?? (firstLine(out.stderr) || `exit ${out.status ?? out.signal}`)}` };
    }
    let parsed: { simulate_s: number; rate_hz: number };
    try {
      parsed = JSON.parse(out.stdout) as { simulate_s: number; rate_hz: number };
    } catch {
      return { error: `coba_${real} printed no JSON: ${firstLine(out.stdout)}` };
    }
    if (kept === null || parsed.simulate_s < kept.s) kept = { s: parsed.simulate_s, rate: parsed.rate_hz };
  }
  return kept ?? { error: 'no repeats' };
}

/**
 * What two busy processes get out of this machine's 2 cores: the C loop alone, then two copies at
 * once (wall time of whole processes, best of `repeats` each); speedup = 2 · alone / pair. No
 * shared memory, no JIT, no start-up to speak of: the ceiling for running two such jobs at once here.
 */
export async function cTwoProcessSpeedup(durationMs: number, repeats: number): Promise<{ alone_s: number; pair_s: number; speedup: number } | { error: string }> {
  const build = compileVariant('double');
  if ('error' in build) return build;
  const once = () =>
    new Promise<void>((done, fail) => {
      const child = spawn(build.binary, [String(durationMs), String(SEED)], { stdio: 'ignore' });
      child.on('error', fail);
      child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`coba_double exited with ${String(code)}`))));
    });
  const wallS = async (copies: number) => {
    let kept = Infinity;
    for (let r = 0; r < repeats; r++) {
      const start = performance.now();
      await Promise.all(Array.from({ length: copies }, once));
      kept = Math.min(kept, (performance.now() - start) / 1000);
    }
    return kept;
  };
  try {
    const alone = await wallS(1);
    const pair = await wallS(2);
    return { alone_s: alone, pair_s: pair, speedup: (2 * alone) / pair };
  } catch (e) {
    return { error: (e as Error).message };
  }
}
