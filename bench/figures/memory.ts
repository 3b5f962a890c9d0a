/** Figure 4: arena bytes per synapse and per neuron of the compiled COBA network. */
import type { Region } from '../../components/arena.js';
import { templateNetwork } from '../../src/api/network.js';
import { compile } from '../../src/index.js';
import { buildCoba } from '../../examples/networks/coba.js';
import { fresh, SEED, totalSynapses, type BenchContext } from '../lib/common.js';

const BYTES: Record<string, number> = { f64: 8, f32: 4, i32: 4, u32: 4, u16: 2, u8: 1 };

function isRegion(x: unknown): x is Region {
  return typeof x === 'object' && x !== null && 'type' in x && 'length' in x && 'byteOffset' in x;
}

function regionBytes(r: Region | null | undefined): number {
  return r ? r.length * (BYTES[r.type] as number) : 0;
}

/** Every region reachable from the layout (it is a tree of plain objects and arrays). */
function regions(x: unknown, out: Region[] = []): Region[] {
  if (isRegion(x)) out.push(x);
  else if (typeof x === 'object' && x !== null) for (const v of Object.values(x)) regions(v, out);
  return out;
}

export function memoryFigures({ reporter }: BenchContext): void {
  for (const precision of ['double', 'float'] as const) {
    const { exc, inh, projections } = fresh(0.1, SEED, () => buildCoba({ record: false }), 'auto', precision);
    compile();
    const world = templateNetwork().world;
    const layout = world.layout!;
    const all = regions(layout);
    // Bytes the arena uses: up to the end of its last region (the memory itself is page-rounded).
    const arenaBytes = Math.max(...all.map((r) => r.byteOffset + regionBytes(r)));
    const memoryBytes = world.arena!.buffer.byteLength;
    let synapseBytes = 0;
    let postAndWeightBytes = 0;
    for (const { csr } of layout.projections) {
      synapseBytes += regionBytes(csr.rowStart) + regionBytes(csr.post) + regionBytes(csr.w) + regionBytes(csr.delaySteps);
      postAndWeightBytes += regionBytes(csr.post) + regionBytes(csr.w);
    }
    const synapses = totalSynapses(projections);
    const neurons = exc.size + inh.size;
    // Synapses are stored the same way in both precisions: reported once.
    if (precision === 'double') {
      reporter.emit({
        figure: 'memory_bytes_per_synapse',
        value: synapseBytes / synapses,
        unit: 'B',
        synapses,
        csr_bytes: synapseBytes,
        post_and_weight_bytes_per_synapse: postAndWeightBytes / synapses,
        target: 8,
      });
    }
    reporter.emit({
      figure: `memory_bytes_per_neuron${precision === 'float' ? '_float' : ''}`,
      value: (arenaBytes - synapseBytes) / neurons,
      unit: 'B',
      neurons,
      arena_bytes: arenaBytes,
      memory_bytes: memoryBytes,
    });
  }
}
