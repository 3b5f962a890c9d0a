/**
 * LiveNetwork against serveNetworks over a MessageChannel in this process: the same messages,
 * shared memory and transfers as a page and its Web Worker. The spikes streamed through the ring
 * must be exactly the spikes a Monitor records when the same network runs by itself.
 */
import { MessageChannel, type MessagePort } from 'node:worker_threads';

import { afterEach, describe, expect, it } from 'vitest';

import { LiveNetwork, type WorkerLike } from '../../src/embed/index.js';
import { serveNetworks, type EmbeddedNetwork } from '../../src/embed/worker.js';
import { clear, Izhikevich, Monitor, Network, PoissonPopulation, Population, Projection, setup, STDP } from '../../src/index.js';
import { LAST_STEP } from '../../src/world/clock.js';

/** The seed network, declared afresh each time (one network per "worker"). */
function seedNetwork(options: { rate?: number; record?: boolean; precision?: 'float' | 'double' } = {}): EmbeddedNetwork & { monitor?: Monitor } {
  clear();
  setup({ seed: 42, ...(options.precision ? { precision: options.precision } : {}) });
  const pop1 = new PoissonPopulation(100, { rates: options.rate ?? 20 });
  const pop2 = new Population(100, Izhikevich);
  const proj = new Projection(pop1, pop2, 'exc').connectFixedProbability({ weights: 5, probability: 0.2 });
  const m = options.record ? new Monitor(pop2, ['spike', 'v']) : undefined;
  const net = new Network({ everything: true });
  return {
    network: net,
    populations: { pop2: net.get(pop2), pop1: net.get(pop1) },
    projections: { input: net.get(proj) },
    ...(m ? { monitor: net.get(m) } : {}),
  };
}

const open: { live?: LiveNetwork; ports: MessagePort[] }[] = [];
afterEach(() => {
  for (const o of open.splice(0)) {
    o.live?.terminate();
    for (const p of o.ports) p.close();
  }
});

/** A page-side "worker" whose other end runs serveNetworks in this thread. */
function fakeWorker(): WorkerLike & { ports: MessagePort[] } {
  const { port1, port2 } = new MessageChannel();
  serveNetworks(
    {
      seed: seedNetwork as never,
      seedFloat: () => seedNetwork({ precision: 'float' }),
      // Compiled with its clock 5 steps before the last one (no public setter: the arena's clock).
      nearEnd: () => {
        const built = seedNetwork();
        built.network.compile();
        (built.network.world as unknown as { clock: Float64Array }).clock[0] = LAST_STEP - 5;
        return built;
      },
      broken: () => {
        throw new Error('builder exploded');
      },
      // An STDP projection the builder does not expose: its weights learn during the run.
      plasticHidden: () => {
        clear();
        setup({ seed: 42 });
        const pop1 = new PoissonPopulation(100, { rates: 30 });
        const pop2 = new Population(100, Izhikevich);
        new Projection(pop1, pop2, 'exc', STDP({ w_max: 10 })).connectFixedProbability({ weights: 5, probability: 0.2 });
        const net = new Network({ everything: true });
        return { network: net, populations: { pop2: net.get(pop2), pop1: net.get(pop1) } };
      },
    },
    port2 as never,
  );
  port1.start();
  port2.start();
  const entry = { ports: [port1, port2] };
  open.push(entry);
  return {
    ports: entry.ports,
    postMessage: (m: unknown, t?: Transferable[]) => port1.postMessage(m, t as never),
    addEventListener: (type: string, fn: (e: never) => void) => port1.addEventListener(type as 'message', fn as never),
    terminate: () => port1.close(),
  };
}

async function until(cond: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Runs `steps` steps through frames of 20 ms at speed 1 (dt 1 ms); returns the streamed spikes. */
async function runFrames(live: LiveNetwork, steps: number): Promise<[number, number][]> {
  const reader = live.spikes.reader();
  const spikes: [number, number][] = [];
  let now = 0;
  live.frame(now);
  const start = live.step;
  while (live.step < start + steps) {
    now += 20;
    live.frame(now);
    await until(() => live.step >= Math.min(start + steps, start + Math.round(now)), 'the worker');
    reader.drain((s, n) => spikes.push([s, n]));
  }
  return spikes.filter(([s]) => s < start + steps);
}

function reference(steps: number) {
  const ref = seedNetwork({ record: true });
  ref.network.compile();
  ref.network.simulate(steps);
  const [times, ranks] = ref.monitor!.rasterPlot();
  const spikes = Array.from(times, (t, k) => [Math.round(t / ref.network.dt), ranks[k] as number] as [number, number]);
  const v = ref.monitor!.get('v');
  ref.network.dispose();
  return { spikes, v };
}

const pop2Only = (spikes: [number, number][]) => spikes.filter(([, n]) => n < 100);
const sortPairs = (xs: [number, number][]) => [...xs].sort((a, b) => a[0] - b[0] || a[1] - b[1]);

describe.each(['shared', 'transfer'] as const)('LiveNetwork (%s)', (transport) => {
  it('float state: the views hold the worker\'s float32 values (Float32Arrays when shared)', async () => {
    const live = await LiveNetwork.start(fakeWorker(), 'seedFloat', { transport });
    open[open.length - 1]!.live = live;
    await runFrames(live, 200);
    const ref = seedNetwork({ precision: 'float', record: true });
    ref.network.compile();
    ref.network.simulate(200);
    const v = live.view('pop2').v;
    expect(v).toBeInstanceOf(transport === 'shared' ? Float32Array : Float64Array);
    expect([...v]).toEqual([...ref.monitor!.get('v').at(-1)!]);
    expect(new Set(v).size).toBeGreaterThan(10);
    ref.network.dispose();
  });

  it('streams exactly the spikes and samples the network produces on its own', async () => {
    const live = await LiveNetwork.start(fakeWorker(), 'seed', { transport });
    open[open.length - 1]!.live = live;
    expect(live.transport).toBe(transport);
    expect(live.populations.map((p) => [p.name, p.offset, p.size])).toEqual([['pop2', 0, 100], ['pop1', 100, 100]]);
    expect(live.neuron(150)).toEqual({ population: 'pop1', rank: 50 });
    const probe = live.probe('pop2', 'v', 3);
    const samples: [number, number][] = [];
    const probeReader = probe.ring.reader();
    const spikes = await runFrames(live, 500);
    probeReader.drain((s, v) => samples.push([s, v]));
    const ref = reference(500);
    expect(ref.spikes.length).toBeGreaterThan(100);
    expect(sortPairs(pop2Only(spikes))).toEqual(sortPairs(ref.spikes));
    // The Poisson inputs are streamed too, numbered after pop2.
    expect(spikes.some(([, n]) => n >= 100)).toBe(true);
    // The probe was set up by the first message, before the first step.
    expect(samples.length).toBe(500);
    samples.forEach(([s, v]) => expect(v).toBe(ref.v[s]![3]));
    // Views: live on shared memory, refreshed per batch with transfers.
    expect(live.view('pop2').v[3]).toBe(ref.v[499]![3]);
    if (transport === 'shared') {
      // No message per spike: one 'done' for the probe, nothing else came back.
      expect(live.messages.received).toBe(1);
      expect(live.view('pop2').v.buffer).toBeInstanceOf(SharedArrayBuffer);
    } else {
      expect(live.view('pop2').v.buffer).not.toBeInstanceOf(SharedArrayBuffer);
    }
  });

  it('applies parameter and weight changes between frames', async () => {
    const live = await LiveNetwork.start(fakeWorker(), 'seed', { transport });
    open[open.length - 1]!.live = live;
    await live.set('pop1', { rates: 0 });
    expect(live.view('pop1').rates.every((r) => r === 0)).toBe(true);
    let spikes = await runFrames(live, 200);
    // Initial transients aside, no input means no pop1 spikes at all.
    expect(spikes.filter(([, n]) => n >= 100)).toEqual([]);
    await live.set('pop1', { rates: 50 });
    await live.setWeights('input', { scale: 0 });
    spikes = await runFrames(live, 200);
    expect(spikes.filter(([, n]) => n >= 100).length).toBeGreaterThan(500);
    expect(pop2Only(spikes)).toEqual([]);
    await live.setWeights('input', { scale: 2 });
    spikes = await runFrames(live, 200);
    expect(pop2Only(spikes).length).toBeGreaterThan(100);
    expect(live.view('pop1').rates[7]).toBe(50);
  });

  it('disables and enables a population between frames (pop.disable() in the worker)', async () => {
    const live = await LiveNetwork.start(fakeWorker(), 'seed', { transport });
    open[open.length - 1]!.live = live;
    await live.disable('pop2');
    const v = Array.from(live.view('pop2').v);
    let spikes = await runFrames(live, 200);
    expect(pop2Only(spikes)).toEqual([]);
    expect(spikes.filter(([, n]) => n >= 100).length).toBeGreaterThan(100); // the input runs on
    if (transport === 'shared') expect(Array.from(live.view('pop2').v)).toEqual(v); // frozen
    await live.enable('pop2');
    spikes = await runFrames(live, 200);
    expect(pop2Only(spikes).length).toBeGreaterThan(100);
    await expect(live.disable('nope')).rejects.toThrow("no population 'nope'");
  });

  it('pauses, single-steps and resets', async () => {
    const live = await LiveNetwork.start(fakeWorker(), 'seed', { transport });
    open[open.length - 1]!.live = live;
    live.frame(0);
    live.pause();
    expect(live.frame(1000)).toBe(0);
    live.stepOnce();
    expect(live.frame(1016)).toBe(1);
    await until(() => live.step === 1, 'one step');
    live.speed = 4;
    live.resume();
    live.frame(2000);
    expect(live.frame(2010)).toBe(40);
    await until(() => live.step === 41, 'the steps');
    await live.reset();
    expect(live.step).toBe(0);
    expect(live.time).toBe(0);
  });

  it('a frame while a reset is on its way asks for steps after the reset, not for the old count', async () => {
    const live = await LiveNetwork.start(fakeWorker(), 'seed', { transport, maxStepsPerFrame: 200 });
    open[open.length - 1]!.live = live;
    let now = 0;
    live.frame(now);
    while (live.step < 1000) {
      now += 16;
      live.frame(now);
      await new Promise((r) => setTimeout(r, 1));
    }
    const resetting = live.reset();
    now += 16;
    live.frame(now); // before the worker's answer: 16 steps due
    await resetting;
    await until(() => live.step === 16, 'the 16 steps after the reset');
    for (let k = 0; k < 5; k++) {
      now += 16;
      live.frame(now);
    }
    await until(() => live.step === 16 * 6, 'the steps of five more frames');
  });

  it('stops at the last step (ended; frames ask for nothing more), the worker refuses more once; reset() starts it again', async () => {
    const live = await LiveNetwork.start(fakeWorker(), 'nearEnd', { transport });
    open[open.length - 1]!.live = live;
    expect([live.step, live.ended]).toEqual([LAST_STEP - 5, false]);
    let now = 0;
    live.frame(now);
    now += 20;
    expect(live.frame(now)).toBe(5); // 20 steps due, 5 left
    await until(() => live.step === LAST_STEP, 'the last step');
    expect(live.ended).toBe(true);
    now += 20;
    expect(live.frame(now)).toBe(0);
    expect(live.lagDroppedSteps).toBe(0);
    // A request past the end all the same (the page's own cap bypassed): refused once.
    const send = (live as unknown as { send: (m: unknown) => void }).send.bind(live);
    send({ type: 'advance', to: LAST_STEP + 10 });
    await until(() => live.lastError !== null, 'the last-step error');
    expect(live.lastError!.message).toMatch(/past the last step 2147483647 .*reset\(\) the network/);
    live.lastError = null;
    send({ type: 'advance', to: LAST_STEP + 20 });
    await new Promise((r) => setTimeout(r, 50));
    expect([live.step, live.lastError]).toEqual([LAST_STEP, null]);
    await live.reset();
    expect([live.step, live.ended]).toEqual([0, false]);
    now += 20;
    live.frame(now);
    await until(() => live.step === 20, 'steps after the reset');
  });

  it('stepOnce() steps are never dropped: they wait while the worker lags and go first within the cap', async () => {
    const live = await LiveNetwork.start(fakeWorker(), 'seed', { transport, maxStepsPerFrame: 50 });
    open[open.length - 1]!.live = live;
    live.frame(0);
    expect(live.frame(100)).toBe(50); // capped; the worker has not run any yet: it lags by a cap
    live.stepOnce(3);
    expect(live.frame(120)).toBe(0); // lagging: the frame's 20 ms are dropped, the single steps wait
    expect(live.lagDroppedSteps).toBe(20);
    await until(() => live.step === 50, 'the worker');
    expect(live.frame(136)).toBe(3 + 16); // the single steps first, then the frame's time
    await until(() => live.step === 69, 'the steps');
    // Within the cap: 40 single steps leave 10 of the frame's 20 ms; the other 10 are dropped.
    live.stepOnce(40);
    const dropped = live.clock.droppedSteps;
    expect(live.frame(156)).toBe(50);
    expect(live.clock.droppedSteps - dropped).toBe(10);
    await until(() => live.step === 119, 'the steps');
    // Paused, more than a cap of single steps go out over several frames; reset() forgets the rest.
    live.pause();
    live.stepOnce(120);
    expect(live.frame(200)).toBe(50);
    await until(() => live.step === 169, 'the steps');
    await live.reset();
    expect(live.frame(216)).toBe(0);
  });

  it('reset() restores the weights at start too: after a weight change the run replays', async () => {
    const live = await LiveNetwork.start(fakeWorker(), 'seed', { transport });
    open[open.length - 1]!.live = live;
    const first = await runFrames(live, 100);
    await live.setWeights('input', { scale: 0 });
    await live.reset();
    expect(await runFrames(live, 100)).toEqual(first);
    expect(pop2Only(first).length).toBeGreaterThan(0);
  });

  it('reset() sets learned STDP weights back too, on projections the builder did not expose: the run replays', async () => {
    const live = await LiveNetwork.start(fakeWorker(), 'plasticHidden', { transport });
    open[open.length - 1]!.live = live;
    const first = await runFrames(live, 300);
    await live.reset();
    expect(await runFrames(live, 300)).toEqual(first);
    expect(pop2Only(first).length).toBeGreaterThan(100);
  });

  it('names the projections\' populations as the page knows them', async () => {
    const live = await LiveNetwork.start(fakeWorker(), 'seed', { transport });
    open[open.length - 1]!.live = live;
    // Declared as pop0 (Poisson) and pop1; exposed to the page as pop1 and pop2.
    expect(live.projections.map(({ name, pre, post }) => ({ name, pre, post }))).toEqual([{ name: 'input', pre: 'pop1', post: 'pop2' }]);
  });

  it('refuses bad clock options and capacities before the worker starts a network', async () => {
    for (const options of [{ speed: -1 }, { speed: Number.NaN }, { maxStepsPerFrame: 2.5 }, { maxFrameMs: Number.NaN }, { spikeCapacity: 1000 }]) {
      await expect(LiveNetwork.start(fakeWorker(), 'seed', { transport, ...options })).rejects.toThrow(/speed|maxStepsPerFrame|maxFrameMs|capacity/);
    }
    // A typo held in a variable escapes the types; it was ignored (the cap stayed 200).
    const typo = { transport, maxStepsPerframe: 10 };
    await expect(LiveNetwork.start(fakeWorker(), 'seed', typo as never)).rejects.toThrow(
      /LiveNetwork.start: unknown option 'maxStepsPerframe'; the options are options, transport, spikeCapacity, speed, maxStepsPerFrame/,
    );
  });

  it('a worker error outside a request stops the network: pending requests reject with it, frames ask for nothing', async () => {
    const inner = fakeWorker();
    const onError: ((e: ErrorEvent | Event) => void)[] = [];
    const worker = {
      ...inner,
      addEventListener: (type: string, fn: (e: MessageEvent & ErrorEvent) => void) =>
        void (type === 'error' ? onError.push(fn as (e: ErrorEvent | Event) => void) : inner.addEventListener('message', fn as (e: MessageEvent) => void)),
    } as WorkerLike;
    const live = await LiveNetwork.start(worker, 'seed', { transport });
    open[open.length - 1]!.live = live;
    live.frame(0);
    const pending = live.set('pop1', { rates: 5 });
    const probe = live.probe('pop2', 'v', 0);
    for (const fn of onError) fn({ message: 'out of memory' } as ErrorEvent);
    await expect(pending).rejects.toThrow(/the live network's worker failed: out of memory/);
    await expect(probe.ready).rejects.toThrow(/worker failed/);
    expect(live.lastError?.message).toBe('out of memory'); // the worker's error, not the probe's rejection
    expect(live.frame(100)).toBe(0);
  });

  it('reports errors with what went wrong', async () => {
    await expect(LiveNetwork.start(fakeWorker(), 'nope', { transport })).rejects.toThrow(/no network 'nope'.*seed, seedFloat, nearEnd, broken/);
    await expect(LiveNetwork.start(fakeWorker(), 'broken', { transport })).rejects.toThrow(/builder exploded/);
    const live = await LiveNetwork.start(fakeWorker(), 'seed', { transport });
    open[open.length - 1]!.live = live;
    await expect(live.set('pop3', { v: 0 })).rejects.toThrow(/no population 'pop3'; this network has: pop2, pop1/);
    await expect(live.set('pop2', { w: 0 })).rejects.toThrow(/has no attribute 'w'/);
    await expect(live.setWeights('input', [1, 2])).rejects.toThrow(/one per synapse/);
    await expect(live.set('pop2', null as never)).rejects.toThrow(/give an object of attributes, e.g. \{ rates: 20 \}, got null/);
    await expect(live.setWeights('input', null as never)).rejects.toThrow(/give \{ scale \}, one number, or one value per synapse, got null/);
    // A typo in { scale } went to the worker as a value and failed there with another message.
    await expect(live.setWeights('input', { scal: 0.5 } as never)).rejects.toThrow(/give \{ scale \}, one number, or one value per synapse, got \{ scal \}/);
    expect(() => live.view('pop9')).toThrow(/no population 'pop9'/);
    expect(() => live.stepOnce(-1)).toThrow(/stepOnce: expected an integer ≥ 0, got -1/);
    expect(() => live.stepOnce(1.5)).toThrow(/stepOnce: expected an integer ≥ 0, got 1.5/);
    await expect(live.probe('pop2', 'nope', 0).ready).rejects.toThrow(/no variable 'nope'/);
    expect(live.lastError!.message).toMatch(/no variable 'nope'/);
    await expect(live.probe('pop2', 'v', 100).ready).rejects.toThrow(/rank 100 is outside population 'pop2'/);
    await live.probe('pop2', 'v', 99).ready;
    live.terminate();
    await expect(live.set('pop2', { v: 0 })).rejects.toThrow(/terminated/);
  });
});
