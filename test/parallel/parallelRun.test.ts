import { readFileSync } from 'node:fs';

import { afterAll, describe, expect, it } from 'vitest';

import { Network, networkSeed, openJobPool, parallelRun, isMainThread, releaseWorkers, runJobsOnPool, SpikeworldError, type ExecutorRequest } from '../../src/index.js';
import { ParallelRunError } from '../../src/parallel/parallelRun.js';
import * as seed from '../fixtures/seedNetwork.js';

const module = new URL('../fixtures/seedNetwork.ts', import.meta.url);
const { simulation, withArgs, runGiven, failsAfterRun, reseeds, throwsOnTwo, throwsObject, dies, slow, returnsInstance, returnsFunction, pop1, pop2, proj, m } = seed;

/** Raster as plain arrays, for deep equality. */
const plain = (r: { t: Float64Array; n: Int32Array; synapses: number }) => ({ t: [...r.t], n: [...r.n], synapses: r.synapses });

describe('parallelRun, number mode', () => {
  let sequential: ReturnType<typeof plain>[];

  it('runs the seed example (rates 10 * idx) sequentially, in network order', async () => {
    const done: number[] = [];
    const results = await parallelRun({ method: simulation, number: 3, sequential: true, onProgress: (d) => done.push(d) });
    sequential = results.map(plain);
    expect(done).toEqual([1, 2, 3]);
    expect(sequential[0]!.t.length).toBe(0); // rate 0: no input, no spikes
    expect(sequential[2]!.t.length).toBeGreaterThan(sequential[1]!.t.length);
    // Each copy draws its own connectivity: about 0.2 * 100 * 100 synapses, different per network.
    for (const r of sequential) expect(Math.abs(r.synapses - 2000)).toBeLessThan(200);
    expect(new Set(sequential.map((r) => r.synapses)).size).toBe(3);
  });

  it.each([1, 2, 4])('gives identical results with maxWorkers = %i', async (maxWorkers) => {
    const results = await parallelRun({ method: simulation, number: 3, module, maxWorkers });
    expect(results.map(plain)).toEqual(sequential);
  });

  it('equals networks built by hand with the same seeds', () => {
    const byHand = [0, 1, 2].map((idx) => {
      const net = new Network({ everything: true, seed: networkSeed(idx) });
      const r = plain(simulation(idx, net));
      net.dispose();
      return r;
    });
    expect(byHand).toEqual(sequential);
  });

  it('runs through an executor (here a local pool that only dispatches) with the same results', async () => {
    const seen: number[] = [];
    const executor = {
      run: (req: ExecutorRequest) => runJobsOnPool(req.init, req.jobs, { maxWorkers: 2, onProgress: (d) => seen.push(d) }),
    };
    const results = await parallelRun({ method: simulation, number: 3, module, executor, onProgress: () => undefined });
    expect(results.map(plain)).toEqual(sequential);
    expect(seen).toEqual([1, 2, 3]);
    await expect(parallelRun({ method: simulation, networks: [new Network()], executor })).rejects.toThrow(/executor runs number-mode copies/);
  });

  it('openJobPool keeps its workers across jobs: same results, one start-up; a throwing method names its idx', async () => {
    let init!: ExecutorRequest['init'];
    let jobs!: ExecutorRequest['jobs'];
    await parallelRun({
      method: simulation,
      number: 3,
      module,
      executor: { run: async (req) => ((init = req.init), (jobs = req.jobs), []) },
    });
    const pool = await openJobPool(init, { maxWorkers: 2 });
    try {
      const first = await Promise.all(jobs.map((j) => pool.run(j)));
      const again = await pool.run(jobs[2]!);
      expect((first as Parameters<typeof plain>[0][]).map(plain)).toEqual(sequential);
      expect(plain(again as Parameters<typeof plain>[0])).toEqual(sequential[2]);
      const err = (await pool.run({ ...jobs[2]!, method: 'throwsOnTwo' }).catch((e: unknown) => e)) as ParallelRunError;
      expect(err).toBeInstanceOf(ParallelRunError);
      expect(err.networkIndex).toBe(2);
      // A result the worker cannot post back is that job's error too (a Redis worker would retry a pool failure).
      const unsent = (await pool.run({ ...jobs[1]!, method: 'returnsFunction' }).catch((e: unknown) => e)) as ParallelRunError;
      expect(unsent).toBeInstanceOf(ParallelRunError);
      expect(unsent.networkIndex).toBe(1);
      expect(unsent.message).toMatch(/its result cannot be sent between threads/);
      expect(plain((await pool.run(jobs[0]!)) as Parameters<typeof plain>[0])).toEqual(sequential[0]);
    } finally {
      await pool.close();
    }
  });

  it('passes one entry of each args array per network', async () => {
    const args = { rate: [0, 40, 80], label: ['a', 'b', 'c'] };
    const par = await parallelRun({ method: withArgs, number: 3, args, module, maxWorkers: 2 });
    const seq = await parallelRun({ method: withArgs, number: 3, args, sequential: true });
    expect(par).toEqual(seq);
    expect(par.map((r) => [r.idx, r.label])).toEqual([[0, 'a'], [1, 'b'], [2, 'c']]);
    expect(par[0]!.fr).toBe(0);
    expect(par[2]!.fr).toBeGreaterThan(par[1]!.fr);
  });

  it('workers start working while the calling thread is busy with a network of its own', async () => {
    releaseWorkers(); // a fresh worker, started by this call
    // A network on this thread holds it for 2.5 s without yielding: a worker that needed an answer
    // from it before starting would begin only after that. (Which network this thread takes first is
    // a race with the worker, so each one holds it when run here.)
    const results = await parallelRun({ method: seed.holdsThread, number: 3, module, maxWorkers: 2, args: { ms: [2500, 2500, 2500] } });
    const inMain = results.filter((r) => r.main);
    expect(inMain.length).toBe(1);
    const inWorker = results.filter((r) => !r.main);
    expect(inWorker.length).toBe(2);
    expect(Math.min(...inWorker.map((r) => r.start))).toBeLessThan(inMain[0]!.end);
  });

  it('a kept worker takes the next call\'s networks while the calling thread is busy', async () => {
    // With a signal (and one worker, as the next call uses) the worker does the work, so it is up
    // when the call ends and is kept.
    const warm = await parallelRun({ method: seed.whichThread, number: 2, module, maxWorkers: 1, signal: new AbortController().signal });
    // The kept worker may take network 0 before this thread does: each network holds this thread.
    const results = await parallelRun({ method: seed.holdsThread, number: 3, module, maxWorkers: 2, args: { ms: [1000, 1000, 1000] } });
    const inMain = results.filter((r) => r.main);
    expect(inMain.length).toBe(1);
    const inWorker = results.filter((r) => !r.main);
    expect(inWorker.map((r) => r.thread)).toEqual([warm[0]!.thread, warm[0]!.thread]);
    expect(Math.min(...inWorker.map((r) => r.start))).toBeLessThan(inMain[0]!.end);
  });

  it("seeds: 'same' gives every network the master seed: identical connectivity", async () => {
    const results = await parallelRun({ method: simulation, number: 2, seeds: 'same', sequential: true });
    expect(results[0]!.synapses).toBe(results[1]!.synapses);
  });
});

describe('parallelRun, networks mode', () => {
  it('runs the given networks on their shared memory: the caller sees time, state and recordings', async () => {
    const make = () => {
      const nets = [new Network({ everything: true, seed: 11 }), new Network({ everything: true, seed: 12 })];
      nets[1]!.get(pop1).rates = 30;
      for (const n of nets) n.compile();
      return nets;
    };
    const par = make();
    const times = await parallelRun({ method: runGiven, networks: par, module, maxWorkers: 2 });
    const seq = make();
    await parallelRun({ method: runGiven, networks: seq, sequential: true });
    expect(times).toEqual([300, 300]);
    for (let k = 0; k < 2; k++) {
      expect(par[k]!.getTime()).toBe(300);
      expect([...par[k]!.get(pop2).v]).toEqual([...seq[k]!.get(pop2).v]);
      expect(par[k]!.get(m).get('spike').map((s) => [...s])).toEqual(seq[k]!.get(m).get('spike').map((s) => [...s]));
    }
    expect(par[1]!.get(proj).nbSynapses).toBe(seq[1]!.get(proj).nbSynapses);
    // The caller can go on simulating where the workers stopped.
    par[0]!.simulate(10);
    expect(par[0]!.getTime()).toBe(310);
    for (const n of [...par, ...seq]) n.dispose();
  });

  it('a method that fails leaves its network as a sequential run does: its time, state and recordings', async () => {
    const make = () => {
      const nets = [new Network({ everything: true, seed: 15 }), new Network({ everything: true, seed: 16 })];
      for (const n of nets) n.compile();
      return nets;
    };
    const par = make();
    const seq = make();
    const inWorkers = await parallelRun({ method: failsAfterRun, networks: par, module, maxWorkers: 2, signal: new AbortController().signal }).catch(
      (e: unknown) => e,
    );
    const here = await parallelRun({ method: failsAfterRun, networks: seq, sequential: true }).catch((e: unknown) => e);
    for (const err of [inWorkers, here]) expect((err as Error).message).toMatch(/network 1 failed: Error: network 1 gave up after 300 ms/);
    expect(par[1]!.getTime()).toBe(300);
    // get() hands over what was recorded and empties the monitor (ANNarchy's semantics): once each.
    const spikes = (net: Network) => net.get(m).get('spike').map((s) => [...s]);
    const expected = spikes(seq[1]!);
    expect(expected.flat().length).toBeGreaterThan(0);
    expect(spikes(par[1]!)).toEqual(expected);
    for (const n of [...par, ...seq]) n.dispose();
  });

  it('a method that re-seeds its network leaves it re-seeded here, as a sequential run does: reset() replays from that seed', async () => {
    const make = () => [new Network({ everything: true, seed: 21 }), new Network({ everything: true, seed: 22 })];
    const replay = (nets: Network[]) =>
      nets.map((n) => {
        n.reset();
        n.simulate(100);
        return { seed: n.seed, spikes: n.get(m).get('spike').map((s) => [...s]) };
      });
    const par = make();
    const seq = make();
    // The signal keeps this thread out: both networks run in workers.
    expect(await parallelRun({ method: reseeds, networks: par, module, maxWorkers: 2, signal: new AbortController().signal })).toEqual([5, 6]);
    expect(await parallelRun({ method: reseeds, networks: seq, sequential: true })).toEqual([5, 6]);
    const expected = replay(seq);
    expect(expected.map((r) => r.seed)).toEqual([5, 6]);
    expect(replay(par)).toEqual(expected);
    for (const n of [...par, ...seq]) n.dispose();
  });

  it('compiles given networks that are not compiled before any method runs, sequential or not', async () => {
    const make = () => [new Network({ everything: true, seed: 13 }), new Network({ everything: true, seed: 14 })];
    const par = make();
    const seq = make();
    expect(await parallelRun({ method: runGiven, networks: par, module, maxWorkers: 2 })).toEqual([300, 300]);
    expect(await parallelRun({ method: runGiven, networks: seq, sequential: true })).toEqual([300, 300]);
    expect([...seq[1]!.get(pop2).v]).toEqual([...par[1]!.get(pop2).v]);
    for (const n of [...par, ...seq]) n.dispose();
  });
});

describe('parallelRun, networks mode: the method sees the whole network', () => {
  const make = () => {
    const nets = [new Network({ everything: true, seed: 21 }), new Network({ everything: true, seed: 22 })];
    for (const n of nets) {
      n.get(pop1).rates = 40;
      n.compile();
      n.simulate(50);
    }
    return nets;
  };

  it('monitors keep what was recorded before the hand-off; reset() returns to compile time; results equal sequential', async () => {
    const both = async <R>(method: (idx: number, net: Network) => R) => {
      const par = make();
      const seq = make();
      const a = await parallelRun({ method, networks: par, module, maxWorkers: 2 });
      const b = await parallelRun({ method, networks: seq, sequential: true });
      for (const n of [...par, ...seq]) n.dispose();
      return [a, b];
    };
    const [meanPar, meanSeq] = await both(seed.meanAfter);
    expect(meanPar).toEqual(meanSeq);
    const [resetPar, resetSeq] = await both(seed.resetThenRun);
    expect(resetPar).toEqual(resetSeq);
  });

  it('copies made by a call take no network id: later networks get the same ids and seeds whatever the pool', async () => {
    const before = new Network().id;
    await parallelRun({ method: simulation, number: 3, module, maxWorkers: 2 });
    await parallelRun({ method: simulation, number: 3, sequential: true });
    expect(new Network().id).toBe(before + 1);
  });
});

describe('parallelRun errors', () => {
  it('rejects neither or both of networks/number, number < 1, bad args, bad seeds', async () => {
    await expect(parallelRun({ method: simulation } as never)).rejects.toThrow(/exactly one of networks .* or number/);
    await expect(parallelRun({ method: simulation, number: 2, networks: [] })).rejects.toThrow(/exactly one/);
    await expect(parallelRun({ method: simulation, number: 0 })).rejects.toThrow(/number must be an integer >= 1, got 0/);
    await expect(parallelRun({ method: withArgs, number: 3, args: { rate: [1, 2] } as never })).rejects.toThrow(
      /args.rate has 2 entries but there are 3 networks/,
    );
    await expect(parallelRun({ method: withArgs, number: 3, args: { rate: 5 } as never })).rejects.toThrow(
      /args.rate must be an array with one entry per network \(3\), got number/,
    );
    await expect(parallelRun({ method: simulation, number: 2, seeds: [1] })).rejects.toThrow(/seeds must be 'same' or an array of 2 seeds/);
  });

  it('rejects unknown option names, options of the wrong type and bad seeds before any network runs', async () => {
    const calls: number[] = [];
    const counted = (idx: number) => calls.push(idx);
    const refused = async (options: object, pattern: RegExp) => {
      const err = await parallelRun({ method: counted, number: 3, ...options } as never).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SpikeworldError);
      expect((err as Error).message).toMatch(pattern);
    };
    await refused({ maxworkers: 2 }, /unknown option 'maxworkers'; the options are method, networks, number/);
    await refused({ sequential: 'no' }, /sequential must be a boolean, got 'no'/);
    await refused({ measureTime: 1 }, /measureTime must be a boolean, got number 1/);
    await refused({ onProgress: 5 }, /onProgress must be a function, got number 5/);
    await refused({ signal: {} }, /signal must be an AbortSignal/);
    await refused({ args: 5 }, /args must be an object of arrays, one entry per network/);
    await refused({ args: [[1, 2, 3]] }, /args must be an object of arrays.*got an array of 1/);
    await refused({ maxWorkers: null }, /maxWorkers must be an integer >= 1, got null/);
    await refused({ seeds: [1, 2, Number.NaN] }, /seeds\[2\] must be a finite number or a string, got NaN/);
    await refused({ args: { f: [() => 1, () => 2, () => 3] } }, /args cannot be sent to workers \(.*could not be cloned/);
    // Found inside plain objects and arrays too, and in objects of other kinds (cloned to check them).
    await refused({ args: { o: [{ a: [1, { g: () => 2 }] }, 2, 3] } }, /args cannot be sent to workers \(.*could not be cloned/);
    await refused({ args: { m: [new Map([[1, () => 1]]), 2, 3] } }, /args cannot be sent to workers/);
    await refused({ args: { s: [Symbol('x'), 2, 3] } }, /args cannot be sent to workers/);
    expect(calls).toEqual([]);
    // Sequential calls send nothing to workers: args need not be cloneable there.
    expect(await parallelRun({ method: counted, number: 3, sequential: true, args: { f: [() => 1, () => 2, () => 3] } })).toEqual([1, 2, 3]);
  });

  it('rejects a method that throws in network k, naming k and carrying the original error', async () => {
    const err = await parallelRun({ method: throwsOnTwo, number: 4, module, maxWorkers: 2 }).catch((e) => e);
    expect(err).toBeInstanceOf(ParallelRunError);
    expect(err.networkIndex).toBe(2);
    expect(err.message).toMatch(/network 2 failed: RangeError: bad network 2/);
    expect(err.stack).toMatch(/throwsOnTwo/);
    const seq = await parallelRun({ method: throwsOnTwo, number: 4, sequential: true }).catch((e) => e);
    expect(seq.networkIndex).toBe(2);
  });

  it('refuses parallelRun inside a worker, saying to guard the run with isMainThread', async () => {
    // One network, so no share for the calling thread: the method runs in the worker.
    const err = (await parallelRun({ method: seed.nested, number: 1, module, maxWorkers: 2 }).catch((e: unknown) => e)) as ParallelRunError;
    expect(err).toBeInstanceOf(ParallelRunError);
    expect(err.message).toMatch(/called inside a parallelRun worker: guard the top-level run of your script with `if \(isMainThread\)/);
  });

  it('rejects when a worker dies', async () => {
    await expect(parallelRun({ method: dies, number: 8, module, maxWorkers: 2 })).rejects.toThrow(/worker exited unexpectedly \(exit code 3\)/);
  });

  it('names a method that is not exported', async () => {
    const local = function notExported(idx: number) {
      return idx;
    };
    await expect(parallelRun({ method: local, number: 2, module, maxWorkers: 1 })).rejects.toThrow(
      /has no exported function 'notExported'/,
    );
    // An inline arrow takes its name from the property ('method'), which the module does not export.
    await expect(parallelRun({ method: (i: number) => i, number: 1, module })).rejects.toThrow(/no exported function 'method'/);
  });

  it('a thrown value that is not an Error is described, not reduced to [object Object]', async () => {
    for (const options of [{ sequential: true }, { maxWorkers: 1, signal: new AbortController().signal }]) {
      const err = await parallelRun({ method: throwsObject, number: 2, module, ...options }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ParallelRunError);
      expect((err as Error).message).toBe('parallelRun: network 1 failed: thrown value: {"code":42}');
      expect((err as Error).cause).toEqual({ name: 'thrown value', message: '{"code":42}', stack: expect.stringMatching(/not an Error/) });
    }
  });

  it("an error thrown by the caller's own onProgress reaches it unchanged, whichever thread ran the network", async () => {
    class Stop extends Error {}
    const err = await parallelRun({
      method: seed.whichThread,
      number: 2,
      module,
      maxWorkers: 1,
      signal: new AbortController().signal,
      onProgress: () => {
        throw new Stop('enough');
      },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stop);
  });

  it("errors raised in a worker are SpikeworldErrors, not plain Errors that only carry the name", async () => {
    const local = function notExported(idx: number) {
      return idx;
    };
    // The worker checks the method before taking any job.
    const err = await parallelRun({ method: local, number: 1, module, maxWorkers: 1, signal: new AbortController().signal }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SpikeworldError);
    expect((err as Error).message).toMatch(/has no exported function 'notExported'/);
  });

  it('results arrive structured-cloned whichever thread ran them; an unsendable one fails naming its network', async () => {
    const fromAll = await parallelRun({ method: returnsInstance, number: 6, module, maxWorkers: 2 });
    expect(fromAll.map((r) => Object.getPrototypeOf(r) === Object.prototype)).toEqual([true, true, true, true, true, true]);
    expect(fromAll.map((r) => r.idx)).toEqual([0, 1, 2, 3, 4, 5]);
    // Network 0 runs in the calling thread (the worker is still starting), the rest wherever.
    const here = await parallelRun({ method: returnsFunction, number: 2, module, maxWorkers: 2 }).catch((e: unknown) => e);
    expect(here).toBeInstanceOf(ParallelRunError);
    expect((here as ParallelRunError).networkIndex).toBe(0);
    expect((here as Error).message).toMatch(/network 0 failed: SpikeworldError: its result cannot be sent between threads \(.*could not be cloned/);
    const inWorker = await parallelRun({ method: returnsFunction, number: 1, module, maxWorkers: 1, signal: new AbortController().signal }).catch(
      (e: unknown) => e,
    );
    expect(inWorker).toBeInstanceOf(ParallelRunError);
    expect((inWorker as Error).message).toMatch(/network 0 failed: SpikeworldError: its result cannot be sent between threads/);
    // Sequential calls send nothing between threads: results are returned as the method made them.
    const [own] = await parallelRun({ method: returnsInstance, number: 1, sequential: true });
    expect(Object.getPrototypeOf(own)).not.toBe(Object.prototype);
  });

  it('stops the workers and rejects on abort', async () => {
    const ac = new AbortController();
    const started = Date.now();
    setTimeout(() => ac.abort(), 1500);
    await expect(parallelRun({ method: slow, number: 4, module, maxWorkers: 2, signal: ac.signal })).rejects.toThrow(/aborted/);
    expect(Date.now() - started).toBeLessThan(20_000);
    await expect(parallelRun({ method: slow, number: 1, signal: ac.signal, sequential: true })).rejects.toThrow(/aborted/);
  });

  it('is the main thread here', () => {
    expect(isMainThread).toBe(true);
    expect(new SpikeworldError('x')).toBeInstanceOf(Error);
  });
});

describe('parallelRun leaves nothing behind', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => unhandled.push(e);
  process.on('unhandledRejection', onUnhandled);

  /** OS threads of this process (Linux): each live worker is one. */
  const threads = () => Number(/Threads:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]);
  async function settledThreads(limit: number): Promise<number> {
    for (let k = 0; k < 50 && threads() > limit; k++) await new Promise((r) => setTimeout(r, 20));
    return threads();
  }
  /** The thread count once released workers are gone (it stops falling). */
  async function baselineThreads(): Promise<number> {
    releaseWorkers();
    let last = threads();
    for (let k = 0; k < 20; k++) {
      await new Promise((r) => setTimeout(r, 50));
      if (threads() === last) break;
      last = threads();
    }
    return last;
  }

  it('keeps its workers for the next call, and releaseWorkers() stops them', async () => {
    const baseline = await baselineThreads();
    // A signal keeps this thread out, so the worker runs networks in both calls.
    const first = await parallelRun({ method: seed.whichThread, number: 4, module, maxWorkers: 1, signal: new AbortController().signal });
    expect(threads()).toBeGreaterThan(baseline);
    const second = await parallelRun({ method: seed.whichThread, number: 4, module, maxWorkers: 1, signal: new AbortController().signal });
    const ids = new Set([...first, ...second].map((r) => r.thread));
    expect(ids.size).toBe(1);
    expect([...ids][0]).not.toBe(0);
    releaseWorkers();
    expect(await settledThreads(baseline)).toBeLessThanOrEqual(baseline);
  });

  it('terminates every worker after success (once released), failure, death and abort', async () => {
    const baseline = await baselineThreads();
    await parallelRun({ method: simulation, number: 3, module, maxWorkers: 2 });
    releaseWorkers();
    expect(await settledThreads(baseline)).toBeLessThanOrEqual(baseline);
    await parallelRun({ method: throwsOnTwo, number: 4, module, maxWorkers: 2 }).catch(() => undefined);
    expect(await settledThreads(baseline)).toBeLessThanOrEqual(baseline);
    await parallelRun({ method: dies, number: 8, module, maxWorkers: 2 }).catch(() => undefined);
    expect(await settledThreads(baseline)).toBeLessThanOrEqual(baseline);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 800);
    await parallelRun({ method: slow, number: 2, module, maxWorkers: 2, signal: ac.signal }).catch(() => undefined);
    expect(await settledThreads(baseline)).toBeLessThanOrEqual(baseline);
  });

  afterAll(async () => {
    await new Promise((r) => setTimeout(r, 100));
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled).toEqual([]);
  });
});
