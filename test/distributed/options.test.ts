/** redisExecutor's options are checked when it is made, the worker's when it starts: before anything connects. */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

import { expect, it } from 'vitest';

import { startWorker } from '../../src/distributed/worker.js';
import { redisExecutor, SpikeworldError } from '../../src/index.js';
import { root } from './helpers.js';

const connection = 'redis://127.0.0.1:6379';

it('refuses unknown options and bad values, naming them', () => {
  const refused = (options: object, pattern: RegExp) => {
    let caught: unknown;
    try {
      redisExecutor({ connection, ...options } as never);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(SpikeworldError);
    expect((caught as Error).message).toMatch(pattern);
  };
  refused({ chunksize: 4 }, /unknown option 'chunksize'; the options are connection, queue, chunkSize/);
  refused({ chunkSize: 0 }, /chunkSize must be an integer >= 1, got 0/);
  refused({ attempts: 0 }, /attempts must be an integer >= 1, got 0/);
  refused({ attempts: 1.5 }, /attempts must be an integer >= 1, got 1.5/);
  refused({ ttlSeconds: 0 }, /ttlSeconds must be an integer >= 1, got 0/);
  refused({ backoffMs: -5 }, /backoffMs must be a number of ms >= 0, got -5/);
  refused({ connectTimeoutMs: 'abc' }, /connectTimeoutMs must be a number of ms >= 1, got abc/);
  refused({ queue: '' }, /queue must be a non-empty string, got ""/);
  refused({ queue: 'a:b' }, /queue names cannot contain ':', got a:b/);
  refused({ prefix: '' }, /prefix must be a non-empty string/);
  expect(() => redisExecutor({ connection, chunkSize: 2, attempts: 1, backoffMs: 0, ttlSeconds: 60, queue: 'q', prefix: 'p' })).not.toThrow();
});

it("the worker's options too, before it connects; the command names its flags", async () => {
  const refused = async (options: object, pattern: RegExp) => {
    const started = startWorker({ connection, ...options } as never);
    await expect(started).rejects.toBeInstanceOf(SpikeworldError);
    await expect(started).rejects.toThrow(pattern);
  };
  await refused({ lockDuration: 5000 }, /spikeworld worker: unknown option 'lockDuration' \(did you mean lockDurationMs\?\); the options are connection, queue, concurrency/);
  await refused({ lockDurationMs: 10 }, /lockDurationMs must be a number of ms >= 1000 \(a shorter lock lapses while its chunk still runs\), got 10/);
  await refused({ stalledIntervalMs: 0 }, /stalledIntervalMs must be a number of ms >= 100, got 0/);
  await refused({ maxStalledCount: -1 }, /maxStalledCount must be an integer >= 0, got -1/);
  await refused({ prefix: '' }, /prefix must be a non-empty string, got ""/);
  await refused({ queue: 'a:b' }, /queue names cannot contain ':', got a:b/);
  await refused({ concurrency: 0 }, /concurrency must be an integer >= 1, got 0/);
  // Nothing listens on port 1: a value that passed the checks would fail to connect instead.
  const cli = (...flags: string[]) =>
    spawnSync(process.execPath, [resolve(root, 'bin/spikeworld.js'), 'worker', '--redis', 'redis://127.0.0.1:1', ...flags], {
      cwd: root,
      env: { ...process.env, SPIKEWORLD_ENTRY: 'src' },
      encoding: 'utf8',
      timeout: 15_000,
    });
  const lock = cli('--lock-duration', '10');
  expect(lock.status).toBe(1);
  expect(lock.stderr).toMatch(/^spikeworld worker: --lock-duration must be a number of ms >= 1000 .*, got 10$/m);
  const version = spawnSync(process.execPath, [resolve(root, 'bin/spikeworld.js'), '--version'], { cwd: root, env: { ...process.env, SPIKEWORLD_ENTRY: 'src' }, encoding: 'utf8' });
  expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  const concurrency = cli('--concurrency', '0');
  expect(concurrency.stderr).toMatch(/^spikeworld worker: --concurrency must be a positive integer, got 0$/m);
  const prefix = cli('--prefix=');
  expect(prefix.status).toBe(1);
  expect(prefix.stderr).toMatch(/^spikeworld worker: --prefix must be a non-empty string, got ""$/m);
});
