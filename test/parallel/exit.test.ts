import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { expect, it } from 'vitest';

it('a script whose parallelRun ended before its worker was up exits promptly (no 10 s spawn timeout left behind)', () => {
  const script = fileURLToPath(new URL('../fixtures/quickExit.ts', import.meta.url));
  const started = Date.now();
  const out = execFileSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 30_000 });
  expect(out.trim()).toBe('[0,1]');
  // The worker's start-up takes well under a second; threads.js's spawn timeout is 10 s.
  expect(Date.now() - started).toBeLessThan(7000);
});
