/**
 * Figure 5: COBA with a fixed in-degree (80) from 1k to 100k neurons: wall seconds per simulated
 * second, and the synaptic events per wall second; then the build of a 100k-neuron, 10M-synapse
 * network.
 */
import { compile, Monitor, Normal, Population, Projection, simulate } from '../../src/index.js';
import { buildCoba, COBA } from '../../examples/networks/coba.js';
import { eventsPerSimulatedSecond, fresh, meanRate, SEED, sizeLabel, totalSynapses, type BenchContext } from '../lib/common.js';
import { best, now, settle, timed } from '../lib/timing.js';

const DT = 0.1;

interface Point {
  neurons: number;
  sPerSimulatedS: number;
}

/**
 * Each repeat: a fresh build, `warmupMs` untimed (the kernels generated at compile start cold in
 * V8), `durationMs` timed without monitors, then spike monitors attached and another `durationMs`
 * timed: it gives the monitors' overhead and counts the spikes (rate and synaptic events of the
 * steady state). Min over repeats of each time.
 */
function measureSize(neurons: number, warmupMs: number, durationMs: number, repeats: number) {
  let build = Infinity;
  let sim = Infinity;
  let withMonitors = Infinity;
  let rate = NaN;
  let events = NaN;
  let synapses = 0;
  let size = 0;
  for (let r = 0; r < repeats; r++) {
    const start = now();
    const { exc, inh, projections } = fresh(DT, SEED, () => buildCoba({ scale: neurons / 4000, record: false }));
    compile();
    build = Math.min(build, now() - start);
    simulate(warmupMs);
    sim = Math.min(sim, timed(() => simulate(durationMs)).ms);
    const monitors = [new Monitor(exc, 'spike'), new Monitor(inh, 'spike')];
    withMonitors = Math.min(withMonitors, timed(() => simulate(durationMs)).ms);
    rate = meanRate(monitors);
    events = eventsPerSimulatedSecond(monitors, projections) * (durationMs / 1000);
    synapses = totalSynapses(projections);
    size = exc.size + inh.size;
  }
  return { buildMs: build, simMs: sim, withMonitorsMs: withMonitors, rate, events, synapses, neurons: size };
}

export async function scalingFigures({ quick, reporter }: BenchContext): Promise<void> {
  const sizes = quick ? [1000, 5000, 20000] : [1000, 2000, 5000, 10000, 20000, 50000, 100000];
  const durationMs = quick ? 100 : 200;
  const warmupMs = quick ? 10 : 20;
  const points: Point[] = [];
  for (const n of sizes) {
    reporter.progress(`scaling: ${sizeLabel(n)} neurons…`);
    await settle();
    const repeats = n <= 5000 ? 3 : n <= 20000 ? (quick ? 1 : 3) : n <= 50000 ? 2 : 1;
    const m = measureSize(n, warmupMs, durationMs, repeats);
    reporter.clearProgress();
    const simulatedS = durationMs / 1000;
    const steps = Math.round(durationMs / DT);
    const point = { neurons: m.neurons, sPerSimulatedS: m.simMs / 1000 / simulatedS };
    points.push(point);
    reporter.emit({
      figure: 'scaling_s_per_simulated_s',
      tag: sizeLabel(n),
      value: point.sPerSimulatedS,
      unit: 's/s',
      neurons: m.neurons,
      synapses: m.synapses,
      simulated_ms: durationMs,
      warmup_ms: warmupMs,
      rate_hz: m.rate,
      syn_events_per_s: m.events / (m.simMs / 1000),
      ns_per_neuron_step: (m.simMs * 1e6) / (m.neurons * steps),
      with_monitors_s_per_simulated_s: m.withMonitorsMs / 1000 / simulatedS,
      build_s: m.buildMs / 1000,
    });
  }
  // With a fixed in-degree and a steady rate, events grow like neurons: linear scaling means a flat
  // cost per neuron-step. Report how far it strays (largest / smallest over the sizes).
  const perNeuron = points.map((p) => ({ n: p.neurons, ns: (p.sPerSimulatedS * 1e9) / (p.neurons * (1000 / DT)) }));
  const lo = perNeuron.reduce((a, b) => (b.ns < a.ns ? b : a));
  const hi = perNeuron.reduce((a, b) => (b.ns > a.ns ? b : a));
  reporter.emit({
    figure: 'scaling_cost_per_neuron_spread',
    value: hi.ns / lo.ns,
    unit: 'x',
    min_ns_per_neuron_step: lo.ns,
    at_min: sizeLabel(lo.n),
    max_ns_per_neuron_step: hi.ns,
    at_max: sizeLabel(hi.n),
  });
  if (!quick) {
    reporter.progress('build of 100k neurons / 10M synapses…');
    await settle();
    const built = best(2, () => {
      const start = now();
      const projections = fresh(DT, SEED, build100k10M);
      compile();
      return { ms: now() - start, synapses: totalSynapses(projections) };
    });
    reporter.clearProgress();
    reporter.emit({
      figure: 'build_100k_10M_s',
      value: built.ms / 1000,
      unit: 's',
      neurons: 100000,
      synapses: built.synapses,
      target_s: 5,
    });
  }
}

/** 80k exc + 20k inh COBA neurons, four fixed-probability projections with 100 synapses per neuron. */
function build100k10M(): Projection[] {
  const exc = new Population(80000, COBA, { name: 'Exc' });
  const inh = new Population(20000, COBA, { name: 'Inh' });
  for (const pop of [exc, inh]) pop.set({ v: Normal(-55, 5), g_exc: Normal(4, 1.5), g_inh: Normal(20, 12) });
  const probability = 100 / 100000;
  return (
    [
      [exc, exc, 'exc', 0.6],
      [exc, inh, 'exc', 0.6],
      [inh, exc, 'inh', 6.7],
      [inh, inh, 'inh', 6.7],
    ] as const
  ).map(([pre, post, target, weights]) =>
    new Projection(pre, post, target).connectFixedProbability({ probability, weights, allowSelfConnections: true }),
  );
}
