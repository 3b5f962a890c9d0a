/**
 * The worker side of an embedded network. A worker module declares what it can build and hands
 * the builders to `serveNetworks`:
 *
 *   // sim.worker.ts
 *   import { serveNetworks } from 'spikeworld/embed/worker';
 *   serveNetworks({ izhikevich: (options) => { ...declare...; const net = new Network({ everything: true }); return { network: net, populations: { exc: net.get(exc) } }; } });
 *
 * The page starts it with `LiveNetwork.start(new Worker(new URL('./sim.worker.ts', import.meta.url), { type: 'module' }), 'izhikevich')`.
 * One network per worker. After each step the worker appends the step's spikes (and probed
 * variables) to rings the page drains once per frame.
 */
import type { Network } from '../api/network.js';
import type { PopulationBase } from '../api/population.js';
import { Projection } from '../api/projection.js';
import { populationOf } from '../api/view.js';
import type { StateArray } from '../world/populationData.js';
import { EventRing } from './eventRing.js';
import type { FromWorker, LiveValue, PopulationInfo, ProjectionInfo, ToWorker, Transport } from './protocol.js';

/** What a builder returns: a network (compiled or not) and the names the page uses for its objects. */
export interface EmbeddedNetwork {
  network: Network;
  /** This network's populations (`net.get(pop)`), by the names the page uses; their order numbers the spike stream. */
  populations: Record<string, PopulationBase>;
  /** This network's projections whose weights the page may change. */
  projections?: Record<string, Projection>;
}

export type NetworkBuilder = (options: never) => EmbeddedNetwork;

/** The worker's global scope, as far as this file needs it (the project compiles with DOM types, not WebWorker's). */
interface WorkerScope {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<ToWorker>) => void): void;
}

interface Probe {
  field: StateArray;
  rank: number;
  ring: EventRing | null;
  /** transfer only: samples of the current batch. */
  batch: number[];
}

/** Answers a page's `LiveNetwork` from inside a worker. */
export function serveNetworks(builders: Record<string, NetworkBuilder>, scope: WorkerScope = globalThis as unknown as WorkerScope): void {
  let running: Running | null = null;
  scope.addEventListener('message', (event) => {
    const msg = event.data;
    const id = 'id' in msg ? msg.id : null;
    try {
      if (msg.type === 'start') {
        if (running) throw new Error('this worker already runs a network; start one worker per network');
        const build = builders[msg.network];
        if (!build) throw new Error(`no network '${msg.network}' in this worker; it has: ${Object.keys(builders).join(', ')}`);
        running = new Running(build(msg.options as never), msg.transport, msg.spikes, msg.control, scope);
        return;
      }
      if (!running) throw new Error(`'${msg.type}' before 'start'`);
      running.handle(msg);
    } catch (e) {
      scope.postMessage({ type: 'error', id, message: e instanceof Error ? e.message : String(e) });
    }
  });
}

class Running {
  private readonly net: Network;
  /** Whether the page was told that the network reached its last step (see advanceTo). */
  private saidLastStep = false;
  private readonly pops: { pop: PopulationBase; info: PopulationInfo; index: number }[];
  private readonly projections: Map<string, { proj: Projection; initial: Float32Array }>;
  /** Every plastic (STDP) projection's weights at start, exposed or not: reset() sets them back, as reset() keeps learned weights. */
  private readonly plasticAtStart: { proj: Projection; initial: Float32Array }[];
  private readonly spikes: EventRing | null;
  private readonly control: Int32Array | null;
  private readonly probes = new Map<number, Probe>();
  /** transfer only: the (step, neuron) pairs of the current batch. */
  private batchSpikes: number[] = [];
  private readonly packetLength: number;

  constructor(
    built: EmbeddedNetwork,
    private readonly transport: Transport,
    spikes: SharedArrayBuffer | null,
    control: SharedArrayBuffer | null,
    private readonly scope: WorkerScope,
  ) {
    this.net = built.network;
    this.net.compile();
    const world = this.net.world;
    let offset = 0;
    let packet = 0;
    this.pops = Object.entries(built.populations).map(([name, pop]) => {
      const index = world.populations.indexOf(pop.data);
      if (index < 0) throw new Error(`population '${name}' is not in this network: return net.get(pop), not pop`);
      const regions = world.layout!.populations[index]!.fields;
      const fields: PopulationInfo['fields'] = {};
      for (const [field, region] of Object.entries(regions)) {
        fields[field] = { byteOffset: region.byteOffset, length: region.length, type: region.type, packetOffset: packet };
        packet += region.length;
      }
      const info: PopulationInfo = { name, size: pop.size, offset, kind: pop.data.kind, fields };
      offset += pop.size;
      return { pop, info, index };
    });
    this.packetLength = packet;
    this.projections = new Map(
      Object.entries(built.projections ?? {}).map(([name, proj]) => [name, { proj, initial: proj.w }]),
    );
    this.plasticAtStart = this.net
      .objects()
      .filter((o): o is Projection => o instanceof Projection && o.entry.stdp !== null)
      .map((proj) => ({ proj, initial: proj.w }));
    this.spikes = spikes ? new EventRing(spikes) : null;
    this.control = control ? new Int32Array(control) : null;
    this.publishStep();
    // The page knows populations by the names the builder exposed them under.
    const exposed = (side: Projection['pre']) => this.pops.find((p) => p.pop === populationOf(side))?.info.name ?? null;
    const projections: ProjectionInfo[] = [...this.projections].map(([name, { proj }]) => ({
      name,
      pre: exposed(proj.pre),
      post: exposed(proj.post),
      target: proj.target,
      synapses: proj.nbSynapses,
    }));
    this.scope.postMessage({
      type: 'ready',
      dt: this.net.dt,
      step: this.net.getCurrentStep(),
      populations: this.pops.map((p) => p.info),
      projections,
      memory: transport === 'shared' ? world.arena!.memory : null,
      packetLength: this.packetLength,
      fields: transport === 'transfer' ? this.packFields() : null,
    });
  }

  handle(msg: Exclude<ToWorker, { type: 'start' }>): void {
    switch (msg.type) {
      case 'advance':
        this.advanceTo(msg.to);
        return;
      case 'set':
        this.population(msg.population).set(msg.values as Record<string, number | ArrayLike<number>>);
        // The page's copies show the change at once, as shared views do.
        if (this.transport === 'transfer') this.sendState();
        break;
      case 'enable':
        // The population's word in the network's memory: the next step reads it.
        if (msg.on) this.population(msg.population).enable();
        else this.population(msg.population).disable();
        break;
      case 'weights':
        this.setWeights(msg.projection, msg.value, msg.scale);
        break;
      case 'probe': {
        const pop = this.population(msg.population);
        const field = pop.data.fields[msg.variable];
        if (!field) throw new Error(`population '${msg.population}' has no variable '${msg.variable}'; it has: ${pop.attributes.join(', ')}`);
        if (!(Number.isInteger(msg.rank) && msg.rank >= 0 && msg.rank < field.length)) {
          throw new Error(`probe: rank ${msg.rank} is outside population '${msg.population}' (0..${field.length - 1})`);
        }
        this.probes.set(msg.probe, { field, rank: msg.rank, ring: msg.buffer ? new EventRing(msg.buffer) : null, batch: [] });
        break;
      }
      case 'unprobe':
        this.probes.delete(msg.probe);
        break;
      case 'reset':
        this.net.reset();
        // The weights at start too: setWeights() changes them, STDP learns (and net.reset() keeps
        // learned weights, as ANNarchy's), and the run is to replay.
        for (const { proj, initial } of this.plasticAtStart) proj.w = initial;
        for (const { proj, initial } of this.projections.values()) proj.w = initial;
        this.saidLastStep = false;
        this.publishStep();
        if (this.transport === 'transfer') this.sendState();
        break;
    }
    this.scope.postMessage({ type: 'done', id: msg.id, step: this.net.getCurrentStep() });
  }

  private population(name: string): PopulationBase {
    const p = this.pops.find((x) => x.info.name === name);
    if (!p) throw new Error(`no population '${name}'; this network has: ${this.pops.map((x) => x.info.name).join(', ')}`);
    return p.pop;
  }

  /** Weights live in the network's memory and delivery reads them each step: writing them is enough. */
  private setWeights(name: string, value: LiveValue | undefined, scale: number | undefined): void {
    const entry = this.projections.get(name);
    if (!entry) throw new Error(`no projection '${name}'; this network exposes: ${[...this.projections.keys()].join(', ') || 'none'}`);
    if (scale !== undefined) {
      if (!Number.isFinite(scale)) throw new Error(`weights: scale must be a finite number, got ${scale}`);
      entry.proj.w = entry.initial.map((w) => w * scale);
    } else if (value !== undefined) {
      entry.proj.w = value;
    } else {
      throw new Error(`weights of '${name}': give { scale }, one number, or ${entry.initial.length} values (one per synapse, CSR order)`);
    }
  }

  /** Runs single steps up to step `to`, streaming each step's spikes and probe samples. */
  private advanceTo(to: number): void {
    const world = this.net.world;
    const rt = world.runtime!;
    const rings = this.pops.map((p) => ({ ring: rt.populations[p.index]!.ring, offset: p.info.offset }));
    const transfer = this.transport === 'transfer';
    let step = this.net.getCurrentStep();
    // A live network stops at the last step (LAST_STEP) and says so once, until it is reset.
    const last = Math.min(to, step + world.stepsLeft);
    const pastLast = to > last && !this.saidLastStep;
    this.saidLastStep ||= pastLast;
    while (step < last) {
      this.net.step();
      for (const { ring, offset } of rings) {
        const slot = step % ring.depth;
        const count = ring.counts[slot] as number;
        const base = slot * ring.size;
        if (transfer) for (let k = 0; k < count; k++) this.batchSpikes.push(step, offset + (ring.ranks[base + k] as number));
        else for (let k = 0; k < count; k++) this.spikes!.push(step, offset + (ring.ranks[base + k] as number));
      }
      for (const probe of this.probes.values()) {
        const value = probe.field[probe.rank] as number;
        if (probe.ring) {
          probe.ring.push(step, value);
          probe.ring.publish();
        } else probe.batch.push(step, value);
      }
      step++;
      if (!transfer) {
        this.spikes!.publish();
        this.publishStep();
      }
    }
    if (transfer) this.sendState();
    if (pastLast) world.assertRunFits(to - last);
  }

  private packFields(): Float64Array {
    const fields = new Float64Array(this.packetLength);
    for (const { pop, info } of this.pops) {
      for (const [name, f] of Object.entries(info.fields)) fields.set(pop.data.fields[name] as StateArray, f.packetOffset);
    }
    return fields;
  }

  private publishStep(): void {
    if (this.control) Atomics.store(this.control, 0, this.net.getCurrentStep());
  }

  /** transfer only: the batch's spikes, samples and every population field, in buffers handed over whole. */
  private sendState(): void {
    const spikes = Float64Array.from(this.batchSpikes);
    this.batchSpikes = [];
    const fields = this.packFields();
    const traces = [...this.probes].map(([probe, p]) => {
      const samples = Float64Array.from(p.batch);
      p.batch = [];
      return { probe, samples };
    });
    this.scope.postMessage(
      { type: 'state', step: this.net.getCurrentStep(), spikes, fields, traces },
      [spikes.buffer, fields.buffer, ...traces.map((t) => t.samples.buffer)],
    );
  }
}
