/**
 * Creating, compiling, simulating briefly and disposing 1,000 copies of a small network does not
 * grow the heap, and every network's shared memory can be reclaimed. Runs in this process when
 * `gc` is exposed; otherwise (vitest's forks do not expose it) in a child
 * `node --expose-gc --import tsx fixtures/memoryLoop.ts`.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { memoryLoop, type LoopResult } from './fixtures/memoryLoop.js';

const MB = 1024 * 1024;
const script = fileURLToPath(new URL('./fixtures/memoryLoop.ts', import.meta.url));

async function runLoop(cycles: number): Promise<LoopResult> {
  if (typeof (globalThis as { gc?: unknown }).gc === 'function') return memoryLoop(cycles);
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', script, String(cycles)], {
    encoding: 'utf8',
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    timeout: 60_000,
  });
  return JSON.parse(out.trim().split('\n').pop()!) as LoopResult;
}

describe('memory', () => {
  it('1,000 create / compile / simulate / dispose cycles: heap after 1,000 < heap after 100 + 20 MB; arenas reclaimed', async () => {
    const r = await runLoop(1000);
    expect(r.cycles).toBe(1000);
    expect(r.end.heapUsed).toBeLessThan(r.at100.heapUsed + 20 * MB);
    expect(r.end.external).toBeLessThan(r.at100.external + 20 * MB);
    expect(r.end.arrayBuffers).toBeLessThan(r.at100.arrayBuffers + 20 * MB);
    // The arenas (64 KiB of wasm memory each, invisible in heapUsed): all but a handful collected.
    expect(r.aliveArenas).toBeLessThanOrEqual(5);
    // The disposed network refuses to run, with a clear message.
    expect(r.lastError).toMatch(/cannot simulate: .*disposed/);
  }, 60_000);
});
