import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { expect, it } from 'vitest';

/** Runs a fixture script in a fresh Node process: what it printed, and how long until it exited. */
function runScript(name: string): { out: string; ms: number } {
  const script = fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
  const started = Date.now();
  const out = execFileSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 30_000 });
  return { out: out.trim(), ms: Date.now() - started };
}

it('a script whose parallelRun ended before its worker was up exits promptly (no 10 s spawn timeout left behind)', () => {
  const { out, ms } = runScript('quickExit.ts');
  expect(out).toBe('[0,1]');
  // The worker's start-up takes well under a second; threads.js's spawn timeout is 10 s.
  expect(ms).toBeLessThan(7000);
});

it('kept workers do not keep a finished script alive (not even one whose start-up is still answered late)', () => {
  const { out, ms } = runScript('keptExit.ts');
  expect(out).toBe('[{"idx":0,"main":true},{"idx":1,"main":true}]');
  // The worker's module takes 5 s to import and the pool is kept 3 s: the script must not wait for either.
  expect(ms).toBeLessThan(2500);
});

it('Ctrl-C ends a script with running workers by the signal (threads.js exited with status 0)', async () => {
  const script = fileURLToPath(new URL('../fixtures/interrupted.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const running = new Promise<void>((resolve) =>
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (/running/.test(out)) resolve();
    }),
  );
  const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('exit', (code, signal) => resolve([code, signal])));
  await running;
  child.kill('SIGINT');
  expect(await exited).toEqual([null, 'SIGINT']);
});
