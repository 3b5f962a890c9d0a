/**
 * The demo page (`npm run demo`): Izhikevich's 2003 network live, plus the seed network's three
 * conditions side by side, each network in its own Web Worker. One requestAnimationFrame loop
 * asks every network for the steps its clock says are due, drains each spike ring once and draws.
 *
 * Query options: `?isolation=off` serves the page without COOP/COEP (the transfer fallback),
 * `?transport=transfer` forces the fallback on an isolated page, `?only=izhikevich` skips the
 * seed networks (the frame benchmark uses both).
 */
import { LiveNetwork, type EventReader, type Probe } from '../../src/embed/index.js';
import { RateMeter, RateStrip, ScrollingRaster } from './raster.js';
import { TracePlot } from './trace.js';
import { IZHIKEVICH_NOISE } from './params.js';

/** What the end-to-end test and the frame benchmark read. */
export interface DemoState {
  ready: boolean;
  error: string | null;
  crossOriginIsolated: boolean;
  transport: string;
  framesDrawn: number;
  spikesDrawn: number;
  /** Frames in the last second. */
  fps: number;
  /** Mean rate of the Izhikevich network over the last 500 ms of simulated time, Hz. */
  rateHz: number;
  simTimeMs: number;
  droppedSteps: number;
  tracePoints: number;
  probe: string;
  /** Messages from the workers, all networks (none per spike). */
  messagesReceived: number;
  /** The last frames' timestamps and main-thread work (ms), newest last, at most 1200. */
  frameTimes: number[];
  frameWork: number[];
  seeds: { label: string; rateHz: number; spikesDrawn: number }[];
}

declare global {
  interface Window {
    spikeworldDemo: DemoState;
  }
}

const params = new URLSearchParams(location.search);
const demo: DemoState = {
  ready: false,
  error: null,
  crossOriginIsolated: globalThis.crossOriginIsolated === true,
  transport: '',
  framesDrawn: 0,
  spikesDrawn: 0,
  fps: 0,
  rateHz: 0,
  simTimeMs: 0,
  droppedSteps: 0,
  tracePoints: 0,
  probe: '',
  messagesReceived: 0,
  frameTimes: [],
  frameWork: [],
  seeds: [],
};
window.spikeworldDemo = demo;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const transport = params.get('transport') === 'transfer' ? 'transfer' : 'auto';
const newWorker = () => new Worker(new URL('./sim.worker.ts', import.meta.url), { type: 'module' });

const WINDOW_MS = 2000;
const EXC_COLOR = '#4fc3f7';
const INH_COLOR = '#ff8a65';

/** The Izhikevich panel: raster, rate strip, trace of a clicked neuron, sliders. */
class IzhikevichPanel {
  readonly raster: ScrollingRaster;
  readonly rate: RateStrip;
  readonly meter: RateMeter;
  readonly trace: TracePlot;
  private readonly spikes: EventReader;
  private probe: Probe | null = null;
  private probeReader: EventReader | null = null;
  private probedNeuron = -1;
  private probeLabel = '';

  constructor(readonly live: LiveNetwork) {
    const n = live.neuronCount;
    const excSize = live.populations.find((p) => p.name === 'exc')!.size;
    this.raster = new ScrollingRaster($('raster'), { neurons: n, windowMs: WINDOW_MS, dt: live.dt, color: (i) => (i < excSize ? EXC_COLOR : INH_COLOR) });
    this.rate = new RateStrip($('rate'), { neurons: n, windowMs: WINDOW_MS, dt: live.dt, maxHz: 60 });
    this.meter = new RateMeter(n, live.dt, 500);
    this.trace = new TracePlot($('trace'), { windowMs: WINDOW_MS, dt: live.dt, yMin: -90, yMax: 40, peak: 30 });
    this.spikes = live.spikes.reader();
    this.select(0);
    this.wireControls();
  }

  select(neuron: number): void {
    const { population, rank } = this.live.neuron(neuron);
    void this.probe?.close();
    this.probe = this.live.probe(population, 'v', rank);
    this.probeReader = this.probe.ring.reader();
    this.probedNeuron = neuron;
    this.probeLabel = `v of ${population === 'exc' ? 'excitatory' : 'inhibitory'} neuron #${rank}`;
    this.raster.selected = neuron;
    this.trace.clear();
    demo.probe = `${population}#${rank}`;
  }

  update(): void {
    // Steps done before draining: every spike of these steps is in the ring by now.
    const done = this.live.step;
    this.probeReader?.drain((step, v) => this.trace.sample(step, v));
    this.spikes.drain((step, neuron) => {
      this.raster.spike(step, neuron);
      this.rate.spike(step);
      this.meter.spike(step);
      if (neuron === this.probedNeuron) this.trace.spike(step);
    });
    this.raster.advanceTo(done);
    this.rate.complete(done);
    this.raster.present();
    this.rate.present();
    this.trace.draw(`${this.probeLabel} (mV)`);
    demo.rateHz = this.meter.rate(done);
    demo.simTimeMs = done * this.live.dt;
    demo.spikesDrawn = this.raster.spikesDrawn;
    demo.tracePoints = this.trace.points;
    demo.droppedSteps = this.live.clock.droppedSteps + this.live.lagDroppedSteps;
  }

  /**
   * Back to t = 0. Paused meanwhile, so that what the rings hold when the worker has reset is
   * all from before it (drained, not drawn); the sliders go right after the reset request
   * (messages arrive in order): reset() restores the noise and the weights of compile time
   * (drive and inhibition 1×), and no step runs with them.
   */
  private async reset(applySliders: () => void): Promise<void> {
    const live = this.live;
    const wasPaused = live.paused;
    live.pause();
    try {
      const resetting = live.reset();
      applySliders();
      await resetting;
      this.spikes.drain(() => undefined);
      this.probeReader?.drain(() => undefined);
      for (const plot of [this.raster, this.rate, this.meter, this.trace]) plot.clear();
    } catch (e) {
      demo.error = e instanceof Error ? e.message : String(e);
    } finally {
      if (!wasPaused) live.resume();
    }
  }

  private wireControls(): void {
    const live = this.live;
    const drive = $<HTMLInputElement>('drive');
    const applyDrive = () => {
      const k = Number(drive.value);
      $('driveOut').textContent = `${k.toFixed(2)}×`;
      void live.set('exc', { noise: IZHIKEVICH_NOISE.exc * k });
      void live.set('inh', { noise: IZHIKEVICH_NOISE.inh * k });
    };
    drive.addEventListener('input', applyDrive);
    const inhibition = $<HTMLInputElement>('inhibition');
    const applyInhibition = () => {
      const k = Number(inhibition.value);
      $('inhibitionOut').textContent = `${k.toFixed(2)}×`;
      void live.setWeights('inh→exc', { scale: k });
      void live.setWeights('inh→inh', { scale: k });
    };
    inhibition.addEventListener('input', applyInhibition);
    // A strong drive can push the network into a self-sustained ~270 Hz state that lowering the
    // drive does not end (its recurrent excitation keeps it up): Reset starts over from t = 0.
    $('reset').addEventListener('click', () =>
      void this.reset(() => {
        applyDrive();
        applyInhibition();
      }),
    );
    const speed = $<HTMLInputElement>('speed');
    speed.addEventListener('input', () => {
      const s = 10 ** Number(speed.value);
      setSpeed(s);
      $('speedOut').textContent = `${s < 1 ? s.toFixed(2) : s.toFixed(1)}×`;
    });
    const pause = $<HTMLButtonElement>('pause');
    pause.addEventListener('click', () => {
      const paused = !live.paused;
      for (const l of allNetworks) paused ? l.pause() : l.resume();
      pause.textContent = paused ? 'Resume' : 'Pause';
    });
    $('step').addEventListener('click', () => {
      for (const l of allNetworks) l.stepOnce();
    });
    const canvas = this.raster.canvas;
    canvas.addEventListener('click', (event) => {
      const rect = canvas.getBoundingClientRect();
      const y = ((event.clientY - rect.top) / rect.height) * canvas.height;
      this.select(this.raster.neuronAt(y));
    });
  }
}

/** One of the seed's conditions: a small raster of pop2 and its rate. */
class SeedPanel {
  readonly raster: ScrollingRaster;
  readonly meter: RateMeter;
  private readonly spikes: EventReader;
  readonly state: DemoState['seeds'][number];

  constructor(
    readonly live: LiveNetwork,
    private readonly index: number,
    label: string,
  ) {
    this.raster = new ScrollingRaster($(`seed${index}`), { neurons: 100, windowMs: WINDOW_MS, dt: live.dt, color: () => '#a5d6a7' });
    this.meter = new RateMeter(100, live.dt, 1000);
    this.spikes = live.spikes.reader();
    this.state = { label, rateHz: 0, spikesDrawn: 0 };
  }

  update(): void {
    const done = this.live.step;
    this.spikes.drain((step, neuron) => {
      if (neuron >= 100) return; // pop1, the Poisson input
      this.raster.spike(step, neuron);
      this.meter.spike(step);
    });
    this.raster.advanceTo(done);
    this.raster.present();
    this.state.rateHz = this.meter.rate(done);
    this.state.spikesDrawn = this.raster.spikesDrawn;
    $(`seedCap${this.index}`).textContent = `${this.state.label}: pop2 at ${this.state.rateHz.toFixed(1)} Hz`;
  }
}

const allNetworks: LiveNetwork[] = [];
function setSpeed(speed: number): void {
  for (const l of allNetworks) l.speed = speed;
}

function showTransport(live: LiveNetwork): void {
  demo.transport = live.transport;
  const mode = $('mode');
  if (live.transport === 'shared') {
    mode.textContent = 'shared memory: cross-origin isolated';
  } else {
    mode.textContent = 'fallback: transferable buffers';
    mode.classList.add('fallback');
    const notice = $('notice');
    notice.hidden = false;
    notice.textContent = demo.crossOriginIsolated
      ? 'Shared memory was turned off (?transport=transfer): the workers send their state as transferable buffers, one message per frame.'
      : 'This page is not cross-origin isolated (it needs the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp), so SharedArrayBuffer is unavailable: the workers send their state as transferable buffers, one message per frame, instead of sharing memory.';
  }
}

async function main(): Promise<void> {
  const izh = await LiveNetwork.start(newWorker(), 'izhikevich2003', { transport, maxStepsPerFrame: 200 });
  allNetworks.push(izh);
  showTransport(izh);
  const panel = new IzhikevichPanel(izh);
  const seeds: SeedPanel[] = [];
  if (params.get('only') !== 'izhikevich') {
    const conditions = [
      { label: 'no input', rate: null },
      { label: 'Poisson input at 10 Hz', rate: 10 },
      { label: 'Poisson input at 20 Hz', rate: 20 },
    ];
    const lives = await Promise.all(
      conditions.map((c, i) => LiveNetwork.start(newWorker(), 'seedCondition', { transport, options: { rate: c.rate, seed: 1234 + i } })),
    );
    lives.forEach((live, i) => {
      allNetworks.push(live);
      seeds.push(new SeedPanel(live, i, conditions[i]!.label));
    });
    demo.seeds = seeds.map((s) => s.state);
  } else {
    $('seedSection').hidden = true;
  }
  let fpsWindowStart = performance.now();
  let fpsFrames = 0;
  const frame = (now: number) => {
    const t0 = performance.now();
    for (const live of allNetworks) live.frame(now);
    panel.update();
    for (const s of seeds) s.update();
    demo.framesDrawn++;
    fpsFrames++;
    if (now - fpsWindowStart >= 1000) {
      demo.fps = (fpsFrames * 1000) / (now - fpsWindowStart);
      fpsWindowStart = now;
      fpsFrames = 0;
    }
    demo.messagesReceived = allNetworks.reduce((sum, l) => sum + l.messages.received, 0);
    const work = performance.now() - t0;
    demo.frameTimes.push(now);
    demo.frameWork.push(work);
    if (demo.frameTimes.length > 1200) {
      demo.frameTimes.splice(0, 600);
      demo.frameWork.splice(0, 600);
    }
    const lastError = allNetworks.find((l) => l.lastError)?.lastError;
    if (lastError) demo.error = lastError.message;
    $('stats').textContent =
      `${demo.fps.toFixed(0)} fps · t = ${(demo.simTimeMs / 1000).toFixed(2)} s · rate ${demo.rateHz.toFixed(1)} Hz · ` +
      `${demo.spikesDrawn} spikes drawn · main thread ${work.toFixed(2)} ms/frame · dropped steps ${demo.droppedSteps} · ` +
      `${demo.messagesReceived} messages from ${allNetworks.length} workers`;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  demo.ready = true;
}

main().catch((e: unknown) => {
  demo.error = e instanceof Error ? e.message : String(e);
  const notice = $('notice');
  notice.hidden = false;
  notice.textContent = `Error: ${demo.error}`;
  console.error(e);
});
