/**
 * parallelRun through BullMQ on a real Redis: two `spikeworld worker` processes run the seed
 * sweep with the same results as the local pool, start a sweep's threads once per process,
 * survive one of them being killed, report a throwing method by network index, stop on abort,
 * and fail fast without Redis.
 */
import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startWorker as startInProcessWorker } from '../../src/distributed/worker.js';
import { parallelRun, ParallelRunError, redisExecutor } from '../../src/index.js';

import { cyclic, dies, simulation, slow, throwsOnTwo, withArgs } from '../fixtures/seedNetwork.js';
import { freePort, plain, root, startRedis, startWorker, type Proc } from './helpers.js';

const module = new URL('../fixtures/seedNetwork.ts', import.meta.url);
const queue = `sw-test-${process.pid}`;
let url = '';
let redis: Proc | undefined;
const workers: Proc[] = [];
let bull: Queue | undefined;
let local: ReturnType<typeof plain>[] = [];

let closedPort = 0;

beforeAll(async () => {
  closedPort = await freePort(); // nothing listens there
  const port = await freePort();
  url = `redis://127.0.0.1:${port}`;
  redis = await startRedis(port);
  workers.push(...(await Promise.all([startWorker(url, queue), startWorker(url, queue)])));
  bull = new Queue(queue, { connection: { url } });
  local = (await parallelRun({ method: simulation, number: 8, module, maxWorkers: 2 })).map(plain);
}, 60_000);

afterAll(async () => {
  await bull?.close();
  await Promise.all(workers.map((w) => w.stop('SIGKILL')));
  await redis?.stop('SIGKILL');
});

/** Waits (up to 20 s) until a worker's output after `from` says it started a chunk. */
async function startedAChunk(worker: Proc, from: number): Promise<void> {
  const until = Date.now() + 20_000;
  while (!/started/.test(worker.output().slice(from)) && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
}

/** Jobs of the queue that are not finished. */
async function pending(): Promise<Record<string, number>> {
  return bull!.getJobCounts('active', 'waiting', 'delayed', 'prioritized', 'waiting-children');
}

describe('redisExecutor', () => {
  it('runs 8 networks on 2 worker processes with the local results, reporting progress', async () => {
    const progress: number[] = [];
    const executor = redisExecutor({ connection: url, queue, chunkSize: 2 });
    const results = await parallelRun({ method: simulation, number: 8, module, executor, onProgress: (d, t) => progress.push(d * 100 + t) });
    expect(results.map(plain)).toEqual(local);
    expect(results[5]!.t).toBeInstanceOf(Float64Array);
    expect(results[5]!.n).toBeInstanceOf(Int32Array);
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((d) => d * 100 + 8));
    // Both processes took part.
    for (const w of workers) expect(w.output()).toMatch(/networks \d–\d: done/);
    // args travel too, and the default chunking (from the workers' announced concurrency).
    const args = { rate: [0, 40, 80], label: ['a', 'b', 'c'] };
    const viaRedis = await parallelRun({ method: withArgs, number: 3, args, module, executor: redisExecutor({ connection: url, queue }) });
    expect(viaRedis).toEqual(await parallelRun({ method: withArgs, number: 3, args, sequential: true }));
    expect(await pending()).toMatchObject({ active: 0, waiting: 0, delayed: 0 });
  });

  it("starts a sweep's threads once per worker process: its later chunks run on them", async () => {
    const before = workers.map((w) => w.output().length);
    const executor = redisExecutor({ connection: url, queue, chunkSize: 1 });
    const results = await parallelRun({ method: simulation, number: 8, module, executor });
    expect(results.map(plain)).toEqual(local);
    let chunks = 0;
    for (const [k, w] of workers.entries()) {
      const out = w.output().slice(before[k]);
      const started = out.match(/: started \(attempt/g)?.length ?? 0;
      chunks += started;
      // One 'pool opened' line per process that took part, however many chunks it ran.
      expect(out.match(/pool opened/g)?.length ?? 0).toBe(started > 0 ? 1 : 0);
    }
    expect(chunks).toBe(8);
  });

  it("closes a sweep's pool beyond maxPools (least recently used), when idle, and when the worker closes", async () => {
    const q = `${queue}-pools`;
    const executor = redisExecutor({ connection: url, queue: q, chunkSize: 2 });
    const lines: string[] = [];
    const log = (line: string) => lines.push(line);
    const count = (re: RegExp) => lines.filter((l) => re.test(l)).length;
    let w = await startInProcessWorker({ connection: url, queue: q, concurrency: 1, maxPools: 1, poolIdleMs: 60_000, log });
    try {
      expect((await parallelRun({ method: simulation, number: 4, module, executor })).map(plain)).toEqual(local.slice(0, 4));
      expect((await parallelRun({ method: simulation, number: 4, module, executor })).map(plain)).toEqual(local.slice(0, 4));
      expect(count(/pool opened/)).toBe(2);
      expect(count(/pool closed \(least recently used\)/)).toBe(1);
    } finally {
      await w.close();
    }
    expect(count(/pool closed \(worker closing\)/)).toBe(1);

    lines.length = 0;
    w = await startInProcessWorker({ connection: url, queue: q, concurrency: 1, poolIdleMs: 300, log });
    try {
      await parallelRun({ method: simulation, number: 2, module, executor });
      const until = Date.now() + 5000;
      while (count(/pool closed \(idle\)/) === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      expect(count(/pool closed \(idle\)/)).toBe(1);
    } finally {
      await w.close();
    }
    expect(count(/pool closed/)).toBe(1); // nothing left to close
  }, 60_000);

  it('loses nothing when a worker process is killed mid-sweep', async () => {
    const victim = workers[0]!;
    const before = victim.output().length;
    const executor = redisExecutor({ connection: url, queue, chunkSize: 1 });
    const run = parallelRun({ method: simulation, number: 8, module, executor });
    // Kill it while it runs a chunk: its job stalls, the other worker takes it back.
    await startedAChunk(victim, before);
    await victim.stop('SIGKILL');
    const results = await run;
    expect(results.map(plain)).toEqual(local);
    expect(/done/.test(victim.output().slice(before))).toBe(false); // it was killed during its first chunk
    workers[0] = await startWorker(url, queue);
  }, 60_000);

  it('SIGTERM lets a worker finish its running chunk before it leaves (threads.js does not end it first)', async () => {
    const leaving = workers[1]!;
    const before = leaving.output().length;
    const executor = redisExecutor({ connection: url, queue, chunkSize: 4 });
    const run = parallelRun({ method: simulation, number: 8, module, executor });
    await startedAChunk(leaving, before);
    process.kill(leaving.child.pid!, 'SIGTERM');
    expect((await run).map(plain)).toEqual(local);
    await new Promise<void>((r) => (leaving.child.exitCode !== null ? r() : leaving.child.once('exit', () => r())));
    const log = leaving.output().slice(before);
    expect(log).toMatch(/SIGTERM, finishing the running chunks/);
    expect(log).toMatch(/networks \d–\d: done/);
    expect(log).not.toMatch(/failed/);
    workers[1] = await startWorker(url, queue);
  }, 60_000);

  it('fails on a throwing method with the network index and the original error, without retrying it', async () => {
    const before = workers.map((w) => w.output().length);
    const executor = redisExecutor({ connection: url, queue, chunkSize: 1 });
    const err = await parallelRun({ method: throwsOnTwo, number: 4, module, executor }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ParallelRunError);
    expect((err as ParallelRunError).networkIndex).toBe(2);
    expect((err as Error).message).toMatch(/network 2 failed: RangeError: bad network 2/);
    expect((err as Error).stack).toMatch(/throwsOnTwo/);
    const logs = workers.map((w, k) => w.output().slice(before[k])).join('');
    expect(logs.match(/network 2: started/g)).toHaveLength(1);
    expect(logs).toMatch(/pool closed \(method threw\)/); // its threads stop (each worker runs one chunk at a time)
    expect(await pending()).toMatchObject({ active: 0, waiting: 0, delayed: 0 });
  });

  it('fails a network whose result cannot go through Redis (a cycle) by its index, without retrying it', async () => {
    const before = workers.map((w) => w.output().length);
    const executor = redisExecutor({ connection: url, queue, chunkSize: 1 });
    const err = await parallelRun({ method: cyclic, number: 1, module, executor }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ParallelRunError);
    expect((err as ParallelRunError).networkIndex).toBe(0);
    expect((err as Error).message).toMatch(/network 0 failed: SpikeworldError: its result cannot be sent over Redis \(cannot send the value\.self over Redis: it refers to itself \(a cycle\)\)/);
    const logs = workers.map((w, k) => w.output().slice(before[k])).join('');
    expect(logs.match(/network 0: started/g)).toHaveLength(1);
  });

  it('retries a chunk that fails otherwise (its thread dies) with backoff, then fails the call with the reason and the worker', async () => {
    const before = workers.map((w) => w.output().length);
    const executor = redisExecutor({ connection: url, queue, chunkSize: 1, attempts: 2, backoffMs: 100 });
    await expect(parallelRun({ method: dies, number: 1, module, executor })).rejects.toThrow(
      /network 0 failed in the queue after its attempts: worker spikeworld-c\d+-\S+-\d+: parallelRun: a worker exited unexpectedly \(exit code 3\)/,
    );
    const logs = workers.map((w, k) => w.output().slice(before[k])).join('');
    expect(logs).toMatch(/network 0: started \(attempt 1\)/);
    expect(logs).toMatch(/network 0: started \(attempt 2\)/);
    expect(logs).not.toMatch(/attempt 3/);
    expect(logs.match(/pool closed \(failed\)/g)).toHaveLength(2); // a new pool for the retry
  });

  it('cancels on abort: nothing of the sweep is left running or waiting, and the workers are free again', async () => {
    const ac = new AbortController();
    const before = workers.map((w) => w.output().length);
    const executor = redisExecutor({ connection: url, queue, chunkSize: 1 });
    const run = parallelRun({ method: slow, number: 6, module, executor, signal: ac.signal });
    for (const [k, w] of workers.entries()) {
      const until = Date.now() + 20_000;
      while (!/started/.test(w.output().slice(before[k])) && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    }
    const started = Date.now();
    ac.abort();
    await expect(run).rejects.toThrow(/aborted/);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await pending()).toEqual({ active: 0, waiting: 0, delayed: 0, prioritized: 0, 'waiting-children': 0 });
    for (const [k, w] of workers.entries()) expect(w.output().slice(before[k])).toMatch(/cancelled/);
    for (const [k, w] of workers.entries()) expect(w.output().slice(before[k])).toMatch(/pool closed \(cancelled\)/);
    const again = await parallelRun({ method: simulation, number: 2, module, executor });
    expect(again.map(plain)).toEqual(local.slice(0, 2));
  }, 60_000);

  it('Ctrl-C on the calling script cancels its sweep in the queue, then ends it by the signal', async () => {
    const before = workers.map((w) => w.output().length);
    const caller = spawn(process.execPath, ['--import', 'tsx', resolve(root, 'test/fixtures/redisCaller.ts'), url, queue, 'slow', '4'], { cwd: root });
    let out = '';
    caller.stdout.on('data', (d: Buffer) => (out += d.toString()));
    caller.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<[number | null, NodeJS.Signals | null]>((r) => caller.once('exit', (code, signal) => r([code, signal])));
    for (const [k, w] of workers.entries()) await startedAChunk(w, before[k]!);
    caller.kill('SIGINT');
    // Before: Node ended the script at once; its chunks ran on (minutes) and its keys stayed a day.
    expect(await exited).toEqual([null, 'SIGINT']);
    expect(out).toMatch(/redisExecutor: SIGINT: cancelling the sweep in the queue \(SIGINT again to leave now\)/);
    expect(await pending()).toEqual({ active: 0, waiting: 0, delayed: 0, prioritized: 0, 'waiting-children': 0 });
    for (const [k, w] of workers.entries()) expect(w.output().slice(before[k])).toMatch(/pool closed \(cancelled\)/);
  }, 60_000);

  it('a script exits promptly once its sweep has settled, whether it succeeded or Redis was unreachable', () => {
    const closed = `redis://127.0.0.1:${closedPort}`;
    for (const [target, outcome] of [[closed, /rejected redisExecutor: cannot reach Redis/], [url, /resolved 2/]] as const) {
      const run = spawnSync(process.execPath, ['--import', 'tsx', resolve(root, 'test/fixtures/redisCaller.ts'), target, queue], {
        cwd: root,
        encoding: 'utf8',
        timeout: 30_000,
      });
      const exited = Date.now();
      expect(run.stdout).toMatch(outcome);
      const settled = Number(/settled at (\d+)/.exec(run.stdout)![1]);
      // Time limits and ioredis's disconnect timer used to keep it alive 2-6 s after parallelRun had returned.
      expect(exited - settled).toBeLessThan(1500);
    }
  }, 60_000);

  it('rejects within seconds with a clear message when Redis is unreachable', async () => {
    const closed = `redis://127.0.0.1:${await freePort()}`; // nothing listens there
    const started = Date.now();
    const executor = redisExecutor({ connection: closed, connectTimeoutMs: 2000 });
    await expect(parallelRun({ method: simulation, number: 2, module, executor })).rejects.toThrow(
      /redisExecutor: cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/,
    );
    expect(Date.now() - started).toBeLessThan(4000);
    // The worker command too: a message and exit code 1, not a hang.
    const cli = spawnSync(process.execPath, [resolve(root, 'bin/spikeworld.js'), 'worker', '--redis', closed], {
      cwd: root,
      env: { ...process.env, SPIKEWORLD_ENTRY: 'src' },
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(cli.status).toBe(1);
    expect(cli.stderr).toMatch(/spikeworld worker: cannot reach Redis/);
    // A --root that is not a directory is refused before anything connects.
    const badRoot = spawnSync(process.execPath, [resolve(root, 'bin/spikeworld.js'), 'worker', '--redis', closed, '--root', '/nonexistent/project'], {
      cwd: root,
      env: { ...process.env, SPIKEWORLD_ENTRY: 'src' },
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(badRoot.status).toBe(1);
    expect(badRoot.stderr).toMatch(/spikeworld worker: --root \/nonexistent\/project is not a directory/);
  });
});
